"""Browser tours, at desktop and phone width: claim a customer from the pool (公海), mark a return visit (回访) done."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

POOL_CUSTOMER = "巡游公海认领测试有限公司"
VISIT_CUSTOMER = "巡游回访测试贸易有限公司"


class PoolVisitTourMixin:
    def _setup_pool_visit_tour(self):
        # only the pool of this test (demo data may have others)
        self.env["crm_plus.pool"].search([]).action_archive()
        self.user = new_test_user(self.env, login="tour_pool_visit", password="tour_pool_visit",
                                  groups="crm_plus.group_crm_plus_user", name="Tour Pool Visit Sales", lang="en_US")
        self.team = self.env["crm.team"].create({"name": "Tour pool team", "member_ids": [Command.link(self.user.id)]})
        self.pool = self.env["crm_plus.pool"].create({
            "name": "Tour pool", "team_ids": [Command.set(self.team.ids)], "recover_days": 30, "claim_limit": 5,
            "member_ids": [Command.set(self.user.ids)],
        })
        self.pool_customer = self.env["res.partner"].create({
            "name": POOL_CUSTOMER, "is_company": True, "team_id": self.team.id, "phone": "+86 27 5913 0461",
            "pool_id": self.pool.id, "pool_date": "2024-03-01 08:00:00",
        })
        self.visit_customer = self.env["res.partner"].create({
            "name": VISIT_CUSTOMER, "is_company": True, "team_id": self.team.id, "user_id": self.user.id,
            "phone": "+86 27 5913 0462",
        })
        self.visit = self.env["crm_plus.return.visit"].create({
            "partner_id": self.visit_customer.id, "user_id": self.user.id, "channel": "phone",
        })

    def _assert_claimed(self):
        self.pool_customer.invalidate_recordset()
        self.assertEqual(self.pool_customer.user_id, self.user)
        self.assertFalse(self.pool_customer.pool_id)

    def _assert_visit_done(self):
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.visit.satisfaction, "4")
        self.assertEqual(self.visit.outcome, "客户满意，下季度续订")


@tagged("post_install", "-at_install")
class TestPoolVisitUiDesktop(PoolVisitTourMixin, HttpCase):
    def test_claim_pool_customer(self):
        self._setup_pool_visit_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_pool_customers", "crm_plus_pool_claim",
                        login="tour_pool_visit")
        self._assert_claimed()

    def test_return_visit_done(self):
        self._setup_pool_visit_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_return_visit", "crm_plus_return_visit_done",
                        login="tour_pool_visit")
        self._assert_visit_done()


@tagged("post_install", "-at_install")
class TestPoolVisitUiMobile(PoolVisitTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_claim_pool_customer_on_phone(self):
        self._setup_pool_visit_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_pool_customers", "crm_plus_pool_claim",
                        login="tour_pool_visit")
        self._assert_claimed()

    def test_return_visit_done_on_phone(self):
        self._setup_pool_visit_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_return_visit", "crm_plus_return_visit_done",
                        login="tour_pool_visit")
        self._assert_visit_done()
