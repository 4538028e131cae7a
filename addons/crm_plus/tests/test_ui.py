from odoo.tests import HttpCase, new_test_user, tagged


class CrmPlusTourMixin:
    def _setup_tour_data(self):
        new_test_user(self.env, login="tour_sales", password="tour_sales", groups="crm_plus.group_crm_plus_user",
                      name="Tour Sales")
        self.env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})


@tagged("post_install", "-at_install")
class TestUiDesktop(CrmPlusTourMixin, HttpCase):
    def test_sales_user_opens_app(self):
        self._setup_tour_data()
        self.start_tour("/odoo", "crm_plus_open_app", login="tour_sales")


@tagged("post_install", "-at_install")
class TestUiMobile(CrmPlusTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_sales_user_opens_app_on_phone(self):
        self._setup_tour_data()
        self.start_tour("/odoo", "crm_plus_open_app", login="tour_sales")
