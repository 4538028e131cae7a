"""Referrals: the Referral source, the referrer carried to the customer, the reward of a won deal (once), its
to-do and event, and who reads the rewards."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_referral")
class TestReferral(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
        cls.referral = env.ref("crm_plus.utm_source_referral")
        cls.won_stage = env["crm.stage"].create({"name": "Referral Won", "is_won": True, "sequence": 99})
        cls.other_seller = new_test_user(env, login="cp_ref_seller", name="Referrer's Seller",
                                         groups="crm_plus.group_crm_plus_user", lang="en_US")
        # the referring customer belongs to another salesperson: they give the reward
        cls.referrer = env["res.partner"].create({"name": "推荐人 Referrer Co", "is_company": True,
                                                  "user_id": cls.other_seller.id})
        cls.referrer_contact = env["res.partner"].create({"name": "Referrer Contact", "parent_id": cls.referrer.id})
        cls.team = env["crm.team"].create({"name": "Referral Team", "user_id": cls.user_leader.id,
                                           "member_ids": [Command.link(cls.user_sales.id)]})

    def _lead(self, **vals):
        return self.Lead.create({"name": "Referred deal", "type": "opportunity", "user_id": self.user_sales.id,
                                 "team_id": self.team.id, "expected_revenue": 5000.0, **vals})

    def _rewards(self, lead):
        return self.env["crm_plus.referral.reward"].search([("lead_id", "=", lead.id)])

    # --- the source and the kind ----------------------------------------------------------------------

    def test_referrer_sets_the_referral_source(self):
        lead = self._lead(crm_plus_referrer_partner_id=self.referrer.id)
        self.assertEqual(lead.source_id, self.referral)
        self.assertTrue(lead.crm_plus_is_referral)
        self.assertEqual(lead.crm_plus_referral_kind, "customer")
        # set later, on a lead without a source
        later = self._lead()
        self.assertFalse(later.crm_plus_is_referral)
        later.crm_plus_referrer_user_id = self.user_manager
        self.assertEqual(later.source_id, self.referral)
        self.assertEqual(later.crm_plus_referral_kind, "employee")
        contact = self._lead(crm_plus_referrer_partner_id=self.referrer_contact.id)
        self.assertEqual(contact.crm_plus_referral_kind, "contact")

    def test_explicit_source_is_kept(self):
        fair = self.env["utm.source"].create({"name": "Trade Fair (referral test)"})
        lead = self._lead(source_id=fair.id, crm_plus_referrer_partner_id=self.referrer.id)
        self.assertEqual(lead.source_id, fair, "an explicit other source is not overwritten")
        self.assertTrue(lead.crm_plus_is_referral, "the lead still counts as a referral")
        lead2 = self._lead(source_id=fair.id)
        lead2.crm_plus_referrer_partner_id = self.referrer
        self.assertEqual(lead2.source_id, fair)

    def test_one_referrer_and_not_oneself(self):
        with self.assertRaises(ValidationError):
            self._lead(crm_plus_referrer_partner_id=self.referrer.id, crm_plus_referrer_user_id=self.user_manager.id)
        with self.assertRaises(ValidationError):
            self._lead(partner_id=self.referrer_contact.id, crm_plus_referrer_partner_id=self.referrer.id)
        with self.assertRaises(ValidationError):
            self.customer.crm_plus_referrer_partner_id = self.customer

    def test_form_on_the_lead(self):
        Lead = self.Lead.with_user(self.user_sales).with_context(default_type="opportunity")
        with Form(Lead, view="crm.crm_lead_view_form") as form:
            form.name = "Form referral"
            form.crm_plus_referrer_user_id = self.user_manager
        self.assertEqual(form.record.source_id, self.referral)

    # --- carried to the customer ----------------------------------------------------------------------

    def test_conversion_carries_the_referrer_to_the_new_customer(self):
        lead = self.Lead.create({"name": "New prospect", "type": "lead", "partner_name": "新客户 Referred Ltd",
                                 "contact_name": "Wang", "user_id": self.user_sales.id,
                                 "crm_plus_referrer_partner_id": self.referrer.id})
        lead._handle_partner_assignment(create_missing=True)
        customer = lead.partner_id.commercial_partner_id
        self.assertTrue(customer)
        self.assertEqual(customer.crm_plus_referrer_partner_id, self.referrer)
        self.assertTrue(customer.crm_plus_is_referral)
        self.assertEqual(self.referrer.crm_plus_referral_count, 1)
        self.assertIn(customer, self.referrer.crm_plus_referred_partner_ids)

    def test_existing_customer_keeps_its_first_referrer(self):
        self._lead(partner_id=self.customer.id, crm_plus_referrer_user_id=self.user_manager.id)
        self.assertEqual(self.customer.crm_plus_referrer_user_id, self.user_manager)
        self._lead(partner_id=self.customer.id, crm_plus_referrer_partner_id=self.referrer.id)
        self.assertEqual(self.customer.crm_plus_referrer_user_id, self.user_manager)
        self.assertFalse(self.customer.crm_plus_referrer_partner_id)

    def test_referrer_only_among_readable_customers(self):
        """A salesperson names as referrer only a customer they may read (the data scope); their team leader,
        who reads the colleague's customers, may."""
        lead = self._lead(partner_id=self.customer.id)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales).crm_plus_referrer_partner_id = self.referrer
        self.team.member_ids = [Command.link(self.other_seller.id)]
        lead.with_user(self.user_leader).crm_plus_referrer_partner_id = self.referrer
        self.assertEqual(self.customer.crm_plus_referrer_partner_id, self.referrer)

    # --- the reward, once --------------------------------------------------------------------------------

    def test_reward_once_won_lost_won_again(self):
        lead = self._lead(partner_id=self.customer.id, crm_plus_referrer_partner_id=self.referrer.id)
        self.assertFalse(self._rewards(lead))
        lead.action_set_won()
        reward = self._rewards(lead)
        self.assertEqual(len(reward), 1)
        self.assertEqual(reward.state, "to_reward")
        self.assertEqual(reward.kind, "activity")
        self.assertEqual(reward.amount, 5000.0)
        self.assertEqual(reward.reward_user_id, self.other_seller, "the referring customer's salesperson")
        lead.action_set_lost()
        lead.action_set_won()
        lead.write({"stage_id": self.won_stage.id})
        self.assertEqual(self._rewards(lead), reward, "won, lost, won again, won twice: one reward")
        self.assertEqual(len(reward.activity_ids), 1)
        notes = lead.message_ids.filtered(lambda m: "a reward is due to" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one note on the lead")
        self.assertIn(self.referrer.name, notes.body)

    def test_reward_once_with_two_conversions(self):
        """A lead converted to an opportunity, won; converted again (a merge into it), won again: one reward."""
        lead = self.Lead.create({"name": "Lead to convert", "type": "lead", "user_id": self.user_sales.id,
                                 "crm_plus_referrer_user_id": self.user_manager.id})
        lead.convert_opportunity(self.customer)
        lead.action_set_won()
        duplicate = self.Lead.create({"name": "Same deal again", "type": "lead", "partner_id": self.customer.id,
                                      "user_id": self.user_sales.id})
        merged = (lead | duplicate).merge_opportunity(auto_unlink=True)
        merged.convert_opportunity(self.customer)
        merged.action_set_won()
        rewards = self.env["crm_plus.referral.reward"].search([("referrer_user_id", "=", self.user_manager.id)])
        self.assertEqual(len(rewards), 1)
        self.assertEqual(rewards.lead_id, merged)

    def test_merged_with_its_referrer_refers_itself_no_more(self):
        self.customer.crm_plus_referrer_partner_id = self.referrer
        other = self.env["res.partner"].create({"name": "Referred by the same", "is_company": True,
                                                "crm_plus_referrer_partner_id": self.referrer.id})
        self.env["crm_plus.partner.merge"]._merge(self.customer, self.referrer)
        self.assertFalse(self.customer.crm_plus_referrer_partner_id, "the customer no longer refers itself")
        self.assertEqual(other.crm_plus_referrer_partner_id, self.customer,
                         "another customer's referrer follows the merge")

    def test_referrer_set_on_a_won_deal_rewards_it(self):
        lead = self._lead(partner_id=self.customer.id)
        lead.action_set_won()
        self.assertFalse(self._rewards(lead))
        lead.crm_plus_referrer_user_id = self.user_manager
        self.assertEqual(len(self._rewards(lead)), 1)

    def test_reward_via_activity(self):
        lead = self._lead(partner_id=self.customer.id, crm_plus_referrer_partner_id=self.referrer.id)
        lead.with_user(self.user_sales).action_set_won()
        reward = self._rewards(lead)
        activity = reward.activity_ids
        self.assertEqual(activity.user_id, self.other_seller)
        self.assertTrue(activity.automated)
        self.assertIn("Referrer Co", activity.summary)
        # the salesperson who gives the reward reads it and marks it rewarded, though the deal is not theirs
        reward.with_user(self.other_seller).action_mark_rewarded()
        self.assertEqual(reward.state, "rewarded")
        self.assertFalse(reward.activity_ids)

    def test_employee_referral_rewarded_by_the_team_leader(self):
        lead = self._lead(partner_id=self.customer.id, crm_plus_referrer_user_id=self.user_employee.id)
        lead.action_set_won()
        reward = self._rewards(lead)
        self.assertEqual(reward.reward_user_id, self.user_leader)
        self.assertEqual(reward.activity_ids.user_id, self.user_leader)

    def test_referral_won_event(self):
        target = self.env["crm_plus.integration.target"].create({
            "name": "Referral Group", "kind": "wecom", "url": "http://127.0.0.1:9/send?key=x"})
        self.env["crm_plus.event.subscription"].create({
            "name": "Referrals", "event": "referral_won", "target_id": target.id, "lang": "en_US"})
        lead = self._lead(partner_id=self.customer.id, crm_plus_referrer_partner_id=self.referrer.id)
        lead.action_set_won()
        lead.action_set_lost()
        lead.action_set_won()
        rows = self.env["crm_plus.outbox"].search([("event", "=", "referral_won")])
        self.assertEqual(len(rows), 1, "emitted once")
        self.assertEqual((rows.model, rows.res_id), ("crm_plus.referral.reward", self._rewards(lead).id))
        self.assertEqual(self.env["crm_plus.event.subscription"]._crm_plus_event_models()["referral_won"],
                         "crm_plus.referral.reward")

    # --- who reads the rewards ------------------------------------------------------------------------

    def test_reward_access_per_role(self):
        lead = self._lead(partner_id=self.customer.id, crm_plus_referrer_partner_id=self.referrer.id)
        lead.action_set_won()
        reward = self._rewards(lead)
        Reward = self.env["crm_plus.referral.reward"]
        # the deal's salesperson, their team leader, the manager, and who gives the reward read it
        for user in (self.user_sales, self.user_leader, self.user_manager, self.other_seller):
            self.assertEqual(Reward.with_user(user).search([("id", "=", reward.id)]), reward, user.login)
        # another salesperson does not; finance, stewards and plain employees have no access
        outsider = new_test_user(self.env, login="cp_ref_out", groups="crm_plus.group_crm_plus_user", lang="en_US")
        self.assertFalse(Reward.with_user(outsider).search([("id", "=", reward.id)]))
        for user in (self.user_finance, self.user_steward, self.user_employee):
            with self.assertRaises(AccessError):
                Reward.with_user(user).search([("id", "=", reward.id)])
        # nobody but a manager creates one by hand
        with self.assertRaises(AccessError):
            Reward.with_user(self.user_sales).create({"lead_id": lead.id})
        with self.assertRaises(AccessError):
            reward.with_user(outsider).action_mark_rewarded()
        # only a manager cancels a reward and gives it back
        with self.assertRaises(AccessError):
            reward.with_user(self.user_sales).action_cancel()
        reward.with_user(self.user_manager).action_cancel()
        self.assertEqual((reward.state, reward.activity_ids), ("cancelled", self.env["mail.activity"]))
        reward.with_user(self.user_manager).action_reset()
        self.assertEqual(reward.state, "to_reward")
