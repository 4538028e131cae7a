"""Browser tour, at desktop and phone width: a customer's timeline filtered by kind, older items loaded."""

from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

CUSTOMER = "巡游时间线测试有限公司"


class TimelineTourMixin:
    def _run_timeline_tour(self):
        user = new_test_user(self.env, login="tour_timeline", password="tour_timeline",
                             groups="crm_plus.group_crm_plus_user", name="Tour Timeline Sales", lang="en_US")
        customer = self.env["res.partner"].create({"name": CUSTOMER, "is_company": True, "user_id": user.id})
        start = datetime(2025, 1, 1, 8, 0)
        self.env["sale.order"].create([{
            "partner_id": customer.id, "user_id": user.id, "date_order": start + timedelta(days=i),
        } for i in range(45)])
        self.env["mail.message"].create([{
            "model": "res.partner", "res_id": customer.id, "body": "<p>回访记录 %s</p>" % i,
            "message_type": "comment", "date": start + timedelta(days=50 + i),
        } for i in range(5)])
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_customers/%s" % customer.id, "crm_plus_timeline",
                        login="tour_timeline")


@tagged("post_install", "-at_install")
class TestTimelineUiDesktop(TimelineTourMixin, HttpCase):
    def test_timeline_filter_and_load_more(self):
        self._run_timeline_tour()


@tagged("post_install", "-at_install")
class TestTimelineUiMobile(TimelineTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_timeline_filter_and_load_more_on_phone(self):
        self._run_timeline_tour()
