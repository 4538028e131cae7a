"""Customer lifecycle: last interaction, churn risk (with one to-do), dormant and high value flags."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase

# create_date comes from the database clock (not frozen): the scenario starts today
START = datetime.now().replace(microsecond=0)


@tagged("post_install", "-at_install", "crm_plus_lifecycle")
class TestLifecycle(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._setup_invoicing("Lifecycle service")
        cls.seller = new_test_user(cls.env, login="cp_life_seller", name="Life Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.team = cls.env["crm.team"].create({
            "name": "Lifecycle team", "user_id": cls.user_leader.id, "member_ids": [Command.link(cls.seller.id)],
        })
        with freeze_time(START):
            cls.partners = cls.env["res.partner"].create([{
                "name": "生命周期客户 %d 有限公司" % i, "is_company": True, "user_id": cls.seller.id,
                "team_id": cls.team.id} for i in range(4)])

    def run_cron(self, days):
        with freeze_time(START + timedelta(days=days)):
            return self.env["res.partner"]._cron_compute_lifecycle(batch_size=3)

    def invoice(self, partner, amount):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": datetime.now().date(),
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    def churn_activities(self, partners):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("summary", "like", "Churn risk")])

    def test_interaction_sources(self):
        with_message, with_order, with_invoice, untouched = self.partners
        contact = self.env["res.partner"].create({"name": "张伟", "parent_id": with_message.id})
        with freeze_time(START + timedelta(days=5)):
            contact.message_post(body="Visited", message_type="comment")
            with_message.message_post(body="Automatic", message_type="notification")  # not an interaction
            self.env["sale.order"].create({"partner_id": with_order.id, "user_id": self.seller.id})
            self.invoice(with_invoice, 10.0)
        with freeze_time(START + timedelta(days=3)):
            lead = self.env["crm.lead"].create({"name": "Deal", "partner_id": with_order.id})
            lead.message_post(body="Called", message_type="comment")
        self.run_cron(6)
        day5 = START + timedelta(days=5)
        self.assertEqual(with_message.last_interaction_date, day5)
        self.assertEqual(with_order.last_interaction_date, day5, "the order is later than the lead note")
        self.assertEqual(with_invoice.last_interaction_date, datetime.combine(day5.date(), datetime.min.time()))
        self.assertFalse(untouched.last_interaction_date)
        self.assertEqual(set(self.partners.mapped("lifecycle_state")), {"active"})
        self.assertFalse(contact.lifecycle_state, "contacts count for their company")

    def test_churn_risk_then_dormant(self):
        followed, idle = self.partners[:2]
        with freeze_time(START + timedelta(days=10)):
            followed.message_post(body="Visited", message_type="comment")
        self.run_cron(29)
        self.assertEqual(idle.lifecycle_state, "active")
        self.run_cron(31)
        self.assertEqual((idle.lifecycle_state, followed.lifecycle_state), ("churn_risk", "active"))
        activity = self.churn_activities(self.partners)
        self.assertEqual(len(activity), 3, "every customer but the followed one")
        activity = activity.filtered(lambda a: a.res_id == idle.id)
        self.assertEqual(activity.user_id, self.user_leader, "the team leader is told")
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.summary, "Churn risk: no interaction for 30 days")
        self.assertEqual(self.run_cron(31), 0, "a rerun writes nothing")
        self.run_cron(35)
        self.assertEqual(len(self.churn_activities(idle)), 1, "never twice")
        self.assertFalse(idle.last_interaction_date, "the churn to-do is no interaction")
        self.run_cron(41)
        self.assertEqual(followed.lifecycle_state, "churn_risk")
        self.assertEqual(len(self.churn_activities(followed)), 1)
        self.run_cron(91)
        self.assertEqual((idle.lifecycle_state, followed.lifecycle_state), ("dormant", "churn_risk"))
        self.assertEqual(len(self.churn_activities(self.partners)), 4, "dormant creates no to-do")

    def test_salesperson_without_team_leader(self):
        partner = self.partners[0]
        partner.team_id = self.env["crm.team"].create({"name": "No leader"})
        self.run_cron(31)
        self.assertEqual(self.churn_activities(partner).user_id, self.seller)

    def test_high_value(self):
        rich, small = self.partners[:2]
        self.env["ir.config_parameter"].set_param("crm_plus.high_value_threshold", 50000)
        with freeze_time(START + timedelta(days=5)):
            self.invoice(rich, 60000.0)
            self.invoice(small, 40000.0)
        self.run_cron(6)
        self.assertTrue(rich.is_high_value)
        self.assertFalse(small.is_high_value)
        self.run_cron(400)
        self.assertFalse(rich.is_high_value, "only the last 365 days count")
