from odoo.tests import HttpCase, new_test_user, tagged


class CrmPlusTourMixin:
    def _setup_tour_data(self):
        new_test_user(self.env, login="tour_sales", password="tour_sales", groups="crm_plus.group_crm_plus_user",
                      name="Tour Sales")
        self.env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})
        self.env["res.partner"].create({"name": "Tour Existing Chemicals Ltd", "is_company": True,
                                        "country_id": self.env.ref("base.cn").id, "phone": "+86 22 2345 6789"})


@tagged("post_install", "-at_install")
class TestUiDesktop(CrmPlusTourMixin, HttpCase):
    def test_sales_user_opens_app(self):
        self._setup_tour_data()
        self.start_tour("/odoo", "crm_plus_open_app", login="tour_sales")

    def test_duplicate_warning_while_typing(self):
        self._setup_tour_data()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_customers", "crm_plus_duplicate_warning",
                        login="tour_sales")


@tagged("post_install", "-at_install")
class TestUiMobile(CrmPlusTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_sales_user_opens_app_on_phone(self):
        self._setup_tour_data()
        self.start_tour("/odoo", "crm_plus_open_app", login="tour_sales")

    def test_duplicate_warning_while_typing_on_phone(self):
        self._setup_tour_data()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_customers", "crm_plus_duplicate_warning",
                        login="tour_sales")
