"""Customer pool rules: days per level, warnings, locks, lock-out, caps, assignment and release."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmPlusCase

# create_date comes from the database clock (not frozen): the scenario starts today
START = datetime.now().replace(microsecond=0)


@tagged("post_install", "-at_install", "crm_plus_pool")
class TestPoolRules(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm_plus.pool"].search([]).action_archive()
        cls.seller = new_test_user(cls.env, login="cp_rules_seller", name="Rules Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.pool_admin = new_test_user(cls.env, login="cp_rules_admin", name="Rules Admin",
                                       groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.team = cls.env["crm.team"].create({
            "name": "Rules team", "user_id": cls.user_leader.id, "member_ids": [Command.link(cls.seller.id)]})
        cls.pool = cls.env["crm_plus.pool"].create({
            "name": "Rules pool", "team_ids": [Command.set(cls.team.ids)], "recover_days": 30, "lockout_days": 7,
            "claim_limit": 10, "admin_ids": [Command.set(cls.pool_admin.ids)],
            "level_rule_ids": [Command.create({"level_id": cls.level_a.id, "recover_days": 60})],
        })
        with freeze_time(START):
            cls.strategic, cls.ordinary, cls.other = cls.env["res.partner"].create([{
                "name": name, "is_company": True, "user_id": cls.seller.id, "team_id": cls.team.id,
                "customer_level_id": level.id,
            } for name, level in [("规则战略客户甲有限公司", cls.level_a), ("规则普通客户乙有限公司", cls.level_c),
                                  ("规则普通客户丙有限公司", cls.level_c)]])

    def recover(self, days):
        with freeze_time(START + timedelta(days=days)):
            return self.env["crm_plus.pool"]._cron_recover(batch_size=2)

    def moves(self, partner, kind):
        return self.env["crm_plus.pool.move"].search([("partner_id", "=", partner.id), ("kind", "=", kind)])

    def warnings(self, partner):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("summary", "like", "Returns to the customer pool")])

    def set_param(self, name, value):
        self.env["ir.config_parameter"].set_param("crm_plus.%s" % name, value)

    def test_days_per_level(self):
        self.assertEqual(self.recover(31), 2)
        self.assertEqual(self.ordinary.pool_id, self.pool)
        self.assertFalse(self.strategic.pool_id, "strategic customers stay 60 days")
        self.assertEqual(self.recover(61), 1)
        self.assertEqual(self.strategic.pool_id, self.pool)

    def test_warning_once_per_cycle(self):
        self.recover(26)
        self.assertFalse(self.warnings(self.ordinary), "more than 3 days before the return")
        self.recover(28)
        warning = self.warnings(self.ordinary)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.seller)
        self.assertIn("Rules pool", warning.summary)
        self.assertFalse(self.warnings(self.strategic))
        self.recover(29)
        self.assertEqual(len(self.warnings(self.ordinary)), 1, "never twice in the same cycle")
        self.assertEqual(len(self.moves(self.ordinary, "warning")), 1)
        self.assertFalse(self.ordinary.last_interaction_date, "the warning itself is no follow-up")
        with freeze_time(START + timedelta(days=29)):
            self.ordinary.message_post(body="Called back", message_type="comment")
        self.assertEqual(self.recover(31), 1, "only the customer nobody followed up")
        self.assertFalse(self.ordinary.pool_id)
        self.recover(57)
        self.assertEqual(len(self.moves(self.ordinary, "warning")), 2, "a new cycle, a new warning")

    def test_lead_stage_change_is_a_follow_up(self):
        lead = self.env["crm.lead"].create({"name": "规则商机", "partner_id": self.ordinary.id, "type": "opportunity",
                                            "user_id": self.seller.id, "team_id": self.team.id})
        stages = self.env["crm.stage"].search([("is_won", "=", False)], limit=2)
        lead.stage_id = stages[-1]
        # the stage date comes from the database clock: move it to day 20 of the scenario
        lead.date_last_stage_update = START + timedelta(days=20)
        self.recover(31)
        self.assertFalse(self.ordinary.pool_id)
        self.recover(51)
        self.assertEqual(self.ordinary.pool_id, self.pool)
        self.assertFalse(lead.user_id, "the open lead follows its customer into the pool")
        self.assertIn("returned to the customer pool", lead.message_ids[0].body)

    def test_lock_exempts_within_cap(self):
        self.set_param("max_locked_customers", 1)
        Partner = self.env["res.partner"].with_user(self.seller)
        Partner.browse(self.ordinary.id).action_crm_plus_lock()
        self.assertTrue(self.ordinary.pool_locked)
        self.assertEqual(self.moves(self.ordinary, "lock").user_id, self.seller)
        with self.assertRaisesRegex(UserError, "may lock at most 1"):
            Partner.browse(self.other.id).action_crm_plus_lock()
        with self.assertRaises(AccessError):
            self.other.with_user(self.user_sales).action_crm_plus_lock()
        self.recover(40)
        self.assertFalse(self.ordinary.pool_id, "locked customers never return")
        self.assertEqual(self.other.pool_id, self.pool)
        self.ordinary.with_user(self.user_leader).action_crm_plus_unlock()
        self.assertEqual(len(self.moves(self.ordinary, "unlock")), 1)
        self.recover(41)
        self.assertEqual(self.ordinary.pool_id, self.pool)

    def test_lockout_of_previous_owner(self):
        self.recover(31)
        Partner = self.env["res.partner"].with_user(self.seller)
        with freeze_time(START + timedelta(days=33)):
            with self.assertRaisesRegex(UserError, "you may claim it again from"):
                Partner.browse(self.ordinary.id).action_crm_plus_claim()
            self.other.with_user(self.user_sales).action_crm_plus_claim()
        self.assertEqual(self.other.user_id, self.user_sales, "others are not locked out")
        with freeze_time(START + timedelta(days=39)):
            Partner.browse(self.ordinary.id).action_crm_plus_claim()
        self.assertEqual(self.ordinary.user_id, self.seller)

    def test_owned_cap(self):
        self.recover(31)
        owned = self.env["res.partner"].search_count([("user_id", "=", self.user_sales.id), ("parent_id", "=", False)])
        self.set_param("max_owned_customers", owned + 1)
        with freeze_time(START + timedelta(days=32)):
            with self.assertRaisesRegex(UserError, "may own at most"):
                (self.ordinary | self.other).with_user(self.user_sales).action_crm_plus_claim()
            self.ordinary.with_user(self.user_sales).action_crm_plus_claim()
        self.assertEqual(self.ordinary.user_id, self.user_sales)
        self.assertEqual(self.other.pool_id, self.pool, "a refused claim changes nothing")

    def test_release_and_assign(self):
        lead = self.env["crm.lead"].create({"name": "规则线索", "partner_id": self.other.id, "user_id": self.seller.id})
        self.other.with_user(self.seller).action_crm_plus_release()
        self.assertEqual((self.other.pool_id, self.other.user_id), (self.pool, self.env["res.users"]))
        release = self.moves(self.other, "release")
        self.assertEqual(release.user_id, self.seller)
        self.assertFalse(lead.user_id)
        with self.assertRaisesRegex(AccessError, "administrator of Rules pool"):
            self.env["crm_plus.pool.assign.wizard"].with_user(self.user_sales).create({
                "partner_ids": [Command.set(self.other.ids)], "user_id": self.user_sales.id}).action_assign()
        action = self.other.with_user(self.pool_admin).action_crm_plus_assign()
        wizard = Form(self.env["crm_plus.pool.assign.wizard"].with_user(self.pool_admin).with_context(
            **action["context"]))
        wizard.user_id = self.user_sales
        wizard.save().action_assign()
        self.assertEqual((self.other.user_id, self.other.pool_id), (self.user_sales, self.env["crm_plus.pool"]))
        assign = self.moves(self.other, "assign")
        self.assertEqual((assign.user_id, assign.author_id), (self.user_sales, self.pool_admin))
        self.assertEqual(lead.user_id, self.user_sales, "the orphan lead goes to the new owner")
        with self.assertRaises(AccessError):
            self.ordinary.with_user(self.user_sales).action_crm_plus_release()

    def test_pool_admins_manage_their_pool(self):
        self.pool.with_user(self.pool_admin).write({"recover_days": 45})
        self.env["crm_plus.pool.level.rule"].with_user(self.pool_admin).create({
            "pool_id": self.pool.id, "level_id": self.level_c.id, "recover_days": 20})
        with self.assertRaises(AccessError):
            self.pool.with_user(self.user_sales).write({"recover_days": 1})
        self.assertEqual(self.recover(21), 2, "ordinary customers now return after 20 days")

    def test_last_follow_up_queries_do_not_grow_with_the_batch(self):
        partners = self.env["res.partner"].create([{
            "name": "规则批量客户 %d 有限公司" % i, "is_company": True, "user_id": self.seller.id,
            "team_id": self.team.id} for i in range(20)])
        for partner in partners[::4]:
            partner.message_post(body="Visited", message_type="comment")
        counts = []
        for batch in (partners[:4], partners):
            self.env.invalidate_all()
            queries = self.env.cr.sql_log_count
            last = batch._crm_plus_last_interaction()
            counts.append(self.env.cr.sql_log_count - queries)
            self.assertEqual(set(last), set(partners[::4].ids) & set(batch.ids))
        self.assertEqual(counts[0], counts[1], "grouped queries: as many for 4 customers as for 20")
