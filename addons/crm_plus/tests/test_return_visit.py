"""Return visits (回访): planned once per confirmed order, done with outcome and stars, seen per role."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmPlusCase

START = datetime(2031, 5, 6, 12, 0)


@tagged("post_install", "-at_install", "crm_plus_return_visit")
class TestReturnVisit(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(cls.env, login="cp_visit_seller", name="Visit Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US", tz="UTC")
        cls.team = cls.env["crm.team"].create({
            "name": "Visit team", "user_id": cls.user_leader.id, "member_ids": [Command.link(cls.seller.id)]})
        cls.partner = cls.env["res.partner"].create({
            "name": "回访测试机械有限公司", "is_company": True, "user_id": cls.seller.id, "team_id": cls.team.id})
        cls.product = cls.env["product.product"].create({"name": "回访服务", "type": "service", "list_price": 100})
        with freeze_time(START):
            cls.order = cls.env["sale.order"].create({
                "partner_id": cls.partner.id, "user_id": cls.seller.id, "team_id": cls.team.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
            })
            cls.order.action_confirm()
        cls.env["ir.config_parameter"].set_param("crm_plus.return_visit_days", 7)

    def run_cron(self, days):
        with freeze_time(START + timedelta(days=days)):
            return self.env["crm_plus.return.visit"]._cron_create_from_orders(batch_size=1)

    def visits(self):
        return self.env["crm_plus.return.visit"].search([("sale_order_id", "=", self.order.id)])

    def test_created_once_per_order(self):
        self.assertEqual(self.run_cron(6), 0)
        self.assertEqual(self.run_cron(7), 1)
        visit = self.visits()
        self.assertEqual((visit.partner_id, visit.user_id, visit.team_id), (self.partner, self.seller, self.team))
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.activity_ids.user_id, self.seller)
        self.assertEqual(self.run_cron(7), 0, "a rerun creates nothing")
        self.assertEqual(self.run_cron(9), 0)
        self.assertEqual(len(self.visits()), 1)

    def test_off_when_zero(self):
        self.env["ir.config_parameter"].set_param("crm_plus.return_visit_days", 0)
        self.assertEqual(self.run_cron(30), 0)

    def test_done_requires_outcome_and_satisfaction(self):
        self.run_cron(7)
        visit = self.visits().with_user(self.seller)
        with self.assertRaises(ValidationError):
            visit.write({"state": "done", "outcome": "OK"})
        action = visit.action_open_done_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.seller).with_context(**action["context"]))
        wizard.outcome = "客户满意 happy"
        with self.assertRaises(ValidationError):
            wizard.save().action_confirm()
        wizard = Form(self.env[action["res_model"]].with_user(self.seller).with_context(**action["context"]))
        wizard.outcome = "客户满意 happy"
        wizard.satisfaction = "4"
        wizard.save().action_confirm()
        self.assertEqual((visit.state, visit.satisfaction), ("done", "4"))
        self.assertFalse(visit.activity_ids, "the to-do is done with the visit")
        self.env["crm_plus.return.visit"].create({
            "partner_id": self.partner.id, "user_id": self.seller.id, "state": "done", "outcome": "meh",
            "satisfaction": "1"})
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.with_user(self.user_manager).return_visit_satisfaction, 2.5)
        self.assertEqual(self.partner.with_user(self.user_manager).return_visit_count, 2)
        low = self.env["crm_plus.return.visit"].search([("partner_id", "=", self.partner.id),
                                                        ("satisfaction", "in", ("1", "2"))])
        self.assertEqual(len(low), 1)

    def test_access_per_role(self):
        Visit = self.env["crm_plus.return.visit"]
        mine = Visit.create({"partner_id": self.partner.id, "user_id": self.seller.id, "team_id": self.team.id})
        other = Visit.create({"partner_id": self.customer.id, "user_id": self.user_sales.id})
        self.assertEqual(Visit.with_user(self.user_sales).search([("id", "in", (mine | other).ids)]), other)
        self.assertEqual(Visit.with_user(self.seller).search([("id", "in", (mine | other).ids)]), mine)
        self.assertEqual(Visit.with_user(self.user_leader).search([("id", "in", (mine | other).ids)]), mine,
                         "the leader sees the visits of the team they lead")
        self.assertEqual(Visit.with_user(self.user_manager).search([("id", "in", (mine | other).ids)]), mine | other)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_sales).read(["outcome"])
        with self.assertRaises(AccessError):
            Visit.with_user(self.user_employee).search([])
