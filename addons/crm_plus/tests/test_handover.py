"""A salesperson's departure: customers, leads, contracts, return visits and to-dos handed over in one action."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_handover")
class TestHandover(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaving = new_test_user(cls.env, login="cp_leaving", name="Leaving Seller",
                                    groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.takers = cls.env["res.users"].union(*(
            new_test_user(cls.env, login="cp_taker_%d" % i, name="Taker %d" % i,
                          groups="crm_plus.group_crm_plus_user", lang="en_US") for i in range(2)))
        Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.customers = Partner.create([
            {"name": "交接测试客户 %04d 有限公司" % i, "is_company": True, "user_id": cls.leaving.id}
            for i in range(2000)])
        cls.contact = Partner.create({"name": "交接联系人", "parent_id": cls.customers[0].id,
                                      "user_id": cls.leaving.id})
        Lead = cls.env["crm.lead"].with_context(crm_plus_no_routing=True, tracking_disable=True)
        cls.leads = Lead.create([{"name": "交接线索 %d" % i, "partner_id": cls.customers[i].id,
                                  "user_id": cls.leaving.id} for i in range(1000)])
        cls.loose_lead = Lead.create({"name": "No customer", "user_id": cls.leaving.id})
        cls.visit = cls.env["crm_plus.return.visit"].create({
            "partner_id": cls.customers[1].id, "user_id": cls.leaving.id,
            "date_planned": fields.Date.today()})
        cls.todo = cls.leads[2].activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaving.id)
        cls.contract = cls.env["crm_plus.contract"].create({"partner_id": cls.customers[3].id,
                                                            "user_id": cls.leaving.id})

    def test_everything_follows_its_customer(self):
        with self.assertQueryCount(200):  # a few statements per model and target (164 measured), not per record
            counts = self.leaving.with_user(self.user_manager)._crm_plus_departure_handover(self.takers)
        self.assertEqual(counts["customers"], 2000)
        self.assertEqual(counts["leads"], 1001)
        self.assertFalse(self.env["res.partner"].search_count([("user_id", "=", self.leaving.id)]))
        self.assertFalse(self.env["crm.lead"].search_count([("user_id", "=", self.leaving.id)]))
        shares = [self.env["res.partner"].search_count([("id", "in", self.customers.ids), ("user_id", "=", t.id)])
                  for t in self.takers]
        self.assertEqual(shares, [1000, 1000], "shared out in turn")
        for lead in self.leads[:5]:
            self.assertEqual(lead.user_id, lead.partner_id.user_id, "a lead follows its customer")
        self.assertIn(self.loose_lead.user_id, self.takers)
        self.assertEqual(self.visit.user_id, self.customers[1].user_id)
        self.assertEqual(self.todo.user_id, self.leads[2].user_id, "a to-do follows its record")
        self.assertEqual(self.contract.user_id, self.customers[3].user_id, "a contract follows its customer")
        self.assertIn(self.contract.user_id, self.takers)
        self.assertEqual(self.contact.user_id, self.customers[0].user_id, "contacts follow their company")
        moves = self.env["crm_plus.pool.move"].search([("partner_id", "=", self.customers[0].id)])
        self.assertEqual(moves.mapped("kind"), ["handover"])
        self.assertIn("Handed over from Leaving Seller", self.customers[0].message_ids[0].body)

    def test_back_to_the_pool(self):
        pool = self.env["crm_plus.pool"].create({"name": "Handover pool"})
        customers = self.customers[:3]
        (self.customers - customers).write({"user_id": self.takers[0].id})
        self.leaving.with_user(self.user_manager)._crm_plus_departure_handover(self.takers, to_pool=True)
        self.assertEqual(customers.pool_id, pool)
        self.assertFalse(customers.user_id)
        self.assertFalse(self.leads[:3].user_id, "their leads wait in the pool with them")
        self.assertIn(self.visit.user_id, self.takers, "return visits still need someone")

    def test_caps_and_rights(self):
        with self.assertRaises(AccessError):
            self.leaving.with_user(self.user_sales)._crm_plus_departure_handover(self.takers)
        with self.assertRaises(UserError):
            self.leaving.with_user(self.user_manager)._crm_plus_departure_handover(self.env["res.users"])
        self.env["ir.config_parameter"].set_param("crm_plus.max_owned_customers", 500)
        with self.assertRaisesRegex(UserError, "at most 500"):
            self.leaving.with_user(self.user_manager)._crm_plus_departure_handover(self.takers)
        self.assertEqual(self.customers[0].user_id, self.leaving, "nothing moved")

    def test_wizard_counts(self):
        wizard = self.env["crm_plus.handover.wizard"].with_user(self.user_manager).create(
            {"user_id": self.leaving.id, "target_ids": [(6, 0, self.takers.ids)]})
        self.assertEqual((wizard.customer_count, wizard.lead_count, wizard.visit_count), (2000, 1001, 1))
        wizard.action_hand_over()
        self.assertEqual(self.leaving.with_user(self.user_manager).env["crm_plus.handover.wizard"].new(
            {"user_id": self.leaving.id}).customer_count, 0)
