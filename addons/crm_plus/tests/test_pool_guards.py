"""Pool customers change hands only through the pool actions; their contacts, leads and history follow."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_pool")
class TestPoolGuards(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm_plus.pool"].search([]).action_archive()
        cls.seller = new_test_user(cls.env, login="cp_guard_seller", name="Guard Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.team = cls.env["crm.team"].create({
            "name": "Guard team", "user_id": cls.user_leader.id,
            "member_ids": [Command.link(cls.seller.id), Command.link(cls.user_sales.id)]})
        cls.pool = cls.env["crm_plus.pool"].create({"name": "Guard pool", "team_ids": [Command.set(cls.team.ids)],
                                                     "lockout_days": 0})
        cls.company = cls.env["res.partner"].create({
            "name": "守卫测试机械有限公司", "is_company": True, "user_id": cls.seller.id, "team_id": cls.team.id,
            "phone": "0512-7301 0001"})
        cls.contact = cls.env["res.partner"].create({
            "name": "守卫联系人", "parent_id": cls.company.id, "user_id": cls.seller.id, "mobile": "139 7301 0002"})
        cls.lead = cls.env["crm.lead"].with_context(crm_plus_no_routing=True).create({
            "name": "守卫线索", "partner_id": cls.company.id, "user_id": cls.seller.id, "team_id": cls.team.id,
            "phone": "0512-7301 0001"})

    def test_pool_fields_only_through_actions(self):
        mine = self.company.with_user(self.seller)
        with self.assertRaises(AccessError):
            mine.write({"pool_locked": True})  # the lock cap is checked by Lock only
        with self.assertRaises(AccessError):
            mine.write({"pool_id": self.pool.id})
        mine.action_crm_plus_release()
        self.assertEqual(self.company.pool_id, self.pool)
        # nobody's customer now, but not up for grabs by a plain write: Claim checks limit, lock-out and caps
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_sales).write({"user_id": self.user_sales.id})
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_sales).write({"pool_id": False})
        self.company.with_user(self.user_sales).action_crm_plus_claim()
        self.assertEqual(self.company.user_id, self.user_sales)
        # a sales manager may still set the fields directly
        self.company.with_user(self.user_manager).write({"pool_locked": True})
        self.assertTrue(self.company.pool_locked)

    def test_contacts_leads_and_history_follow_the_company(self):
        self.company.with_user(self.seller).action_crm_plus_release()
        self.assertFalse(self.contact.user_id, "the contact went to the pool with its company")
        self.assertFalse(self.lead.user_id)
        seller_partners = self.env["res.partner"].with_user(self.seller)
        self.assertFalse(seller_partners.search([("id", "=", self.contact.id), ("user_id", "=", self.seller.id)]))
        # in the pool: the lead's phone is hidden like the customer's
        lead = self.lead.with_user(self.user_sales)
        self.assertEqual(lead.read(["phone"])[0]["phone"], "051*-**** 0001")
        self.assertTrue(lead.crm_plus_contact_masked)
        self.company.with_user(self.user_sales).action_crm_plus_claim()
        self.assertEqual((self.contact.user_id, self.lead.user_id), (self.user_sales, self.user_sales))
        self.assertEqual(lead.read(["phone"])[0]["phone"], "0512-7301 0001")
        # the former owner neither reads the contact nor the history of a customer out of their scope
        self.assertFalse(seller_partners.search([("id", "in", (self.company | self.contact).ids)]))
        self.assertFalse(self.env["crm_plus.pool.move"].with_user(self.seller).search(
            [("partner_id", "=", self.company.id)]))
        self.assertTrue(self.env["crm_plus.pool.move"].with_user(self.user_sales).search(
            [("partner_id", "=", self.company.id)]))
