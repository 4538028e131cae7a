"""Batched hot paths: lead routing of a whole backlog batch, the daily lifecycle scan's writes."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import BaseCase, new_test_user, tagged

from odoo.addons.crm_plus.tools import routing

from .common import CrmPlusCase

SPEC = {"company": 0, "countries": set(), "states": set(), "cities": set(), "tags": set(), "source": 0,
        "medium": 0, "min_revenue": 0, "max_revenue": 0, "min_probability": 0}
FACTS = {"company": 1, "country": 7, "state": 0, "city": "杭州", "tags": {3}, "source": 0, "medium": 0,
         "revenue": 5000, "probability": 10}


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestRoutingMatch(BaseCase):
    def test_empty_rule_matches_everything(self):
        self.assertTrue(routing.matches(SPEC, FACTS))
        self.assertTrue(routing.matches(SPEC, dict(FACTS, company=0, city="", tags=set())))

    def test_each_condition(self):
        self.assertTrue(routing.matches(dict(SPEC, company=1), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, company=2), FACTS))
        self.assertTrue(routing.matches(dict(SPEC, company=2), dict(FACTS, company=0)), "a lead without company")
        self.assertFalse(routing.matches(dict(SPEC, countries={8}), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, states={4}), FACTS))
        self.assertTrue(routing.matches(dict(SPEC, cities=routing.split_cities("上海，杭州")), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, cities={"上海"}), FACTS))
        self.assertTrue(routing.matches(dict(SPEC, tags={3, 4}), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, tags={4}), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, source=5), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, medium=5), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, min_revenue=6000), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, max_revenue=4000), FACTS))
        self.assertTrue(routing.matches(dict(SPEC, min_revenue=5000, max_revenue=5000), FACTS))
        self.assertFalse(routing.matches(dict(SPEC, min_probability=20), FACTS))


@tagged("post_install", "-at_install", "crm_plus_routing")
class TestRoutingBatch(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sellers = cls.env["res.users"].union(*(
            new_test_user(cls.env, login="cp_batch_seller_%d" % i, name="Batch Seller %d" % i,
                          groups="crm_plus.group_crm_plus_user", lang="en_US")
            for i in range(3)))
        cls.env["crm_plus.routing.rule"].search([]).action_archive()  # the demo rules route other leads
        cls.team = cls.env["crm.team"].create({"name": "Batch team", "user_id": cls.user_leader.id})
        cls.env["crm.team.member"].create([
            {"crm_team_id": cls.team.id, "user_id": user.id} for user in cls.sellers[:2]])
        cls.rule = cls.env["crm_plus.routing.rule"].create({
            "name": "Batch Hangzhou", "team_id": cls.team.id, "strategy": "round_robin", "city": "杭州, 宁波"})
        # existing customers of seller 2 (outside the rule's team): by e-mail, by mobile, by company name
        cls.customers = cls.env["res.partner"].create([
            {"name": "绍兴批量测试纺织有限公司", "is_company": True, "email": "boss@shaoxing-batch.cn",
             "user_id": cls.sellers[2].id},
            {"name": "温州批量测试鞋业有限公司", "is_company": True, "mobile": "+86 139 5770 4410",
             "user_id": cls.sellers[1].id},
            {"name": "嘉兴批量测试电子有限公司", "is_company": True, "user_id": cls.sellers[2].id},
        ])

    def test_one_batch_mixed_leads(self):
        Lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True)
        leads = Lead.create([
            {"name": "By e-mail", "email_from": "Boss <BOSS@shaoxing-batch.cn>", "user_id": False},
            {"name": "By mobile", "mobile": "139-5770-4410", "user_id": False},
            {"name": "By company name", "partner_name": "嘉兴批量测试电子", "user_id": False},
            {"name": "Hangzhou 1", "city": "杭州", "user_id": False},
            {"name": "Ningbo", "city": " 宁波 ", "user_id": False},
            {"name": "Elsewhere", "city": "Lhasa", "user_id": False},
        ])
        found = leads._crm_plus_find_existing_partners()
        self.assertEqual([found[lead.id] for lead in leads[:3]], list(self.customers))
        self.assertFalse(found[leads[3].id])
        for lead in leads:
            self.assertEqual(lead._crm_plus_find_existing_partner(), found[lead.id])

        assigned = leads._crm_plus_route()
        self.assertEqual(assigned, leads[:5])
        self.assertEqual([lead.user_id for lead in leads[:3]], [self.sellers[2], self.sellers[1], self.sellers[2]])
        self.assertEqual(leads[:3].mapped("routing_strategy"), ["sticky"] * 3)
        self.assertEqual((leads[3].user_id, leads[4].user_id), (self.sellers[0], self.sellers[1]))
        self.assertEqual(leads[5].routing_state, "fallback")
        for lead in leads:
            notes = lead.message_ids.filtered(lambda m: "Routed to" in m.body or "fallback queue" in m.body)
            self.assertEqual(len(notes), 1, "one logged decision per lead")
        # the notes after the first of a batch are copies of it made in SQL: same author, type and subtype
        routed = self.env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "in", leads[:5].ids),
                                                  ("body", "like", "Routed to")])
        self.assertEqual(len(routed), 5)
        self.assertEqual(len(set(routed.mapped(lambda m: (m.author_id, m.message_type, m.subtype_id,
                                                          m.is_internal, m.message_id)))), 1)
        self.assertEqual(routed[0].subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("Existing customer", leads[0].message_ids[0].body)
        self.assertIn("Next in turn after Batch Seller 0", leads[4].message_ids[0].body)

    def test_queries_do_not_grow_with_existing_customers(self):
        Lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True)

        def cost(count):
            leads = Lead.create([{"name": "Sticky %d" % i, "email_from": "boss@shaoxing-batch.cn",
                                  "user_id": False} for i in range(count)])
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            leads._crm_plus_route()
            self.env.flush_all()
            self.assertEqual(leads.user_id, self.sellers[2])
            return self.env.cr.sql_log_count - before

        small, large = cost(5), cost(25)
        self.assertLessEqual(large - small, 5, "the customer look-up is one query per batch: %s -> %s" % (
            small, large))


@tagged("post_install", "-at_install", "crm_plus_lifecycle")
class TestLifecycleStore(CrmPlusCase):
    def test_scan_writes_in_bulk_and_keeps_caches_right(self):
        seller = new_test_user(self.env, login="cp_store_seller", name="Store Seller",
                               groups="crm_plus.group_crm_plus_user", lang="en_US")
        partners = self.env["res.partner"].create([
            {"name": "批量写入测试客户 %d 有限公司" % i, "is_company": True, "user_id": seller.id} for i in range(3)])
        partners[0].message_post(body="Visited", message_type="comment")
        self.env["crm.team"].create({"name": "Store team", "member_ids": [Command.link(seller.id)]})
        # read once so the cache holds the old values
        self.assertEqual(partners.mapped("lifecycle_state"), [False] * 3)
        with freeze_time(datetime.now() + timedelta(days=40)):
            written = self.env["res.partner"]._cron_compute_lifecycle(batch_size=2)
        self.assertGreaterEqual(written, 3)
        self.assertEqual(partners.mapped("lifecycle_state"), ["churn_risk"] * 3, "the cache shows the new values")
        self.assertTrue(partners[0].last_interaction_date)
        self.assertFalse(partners[1].last_interaction_date)
        activities = self.env["mail.activity"].search([("res_model", "=", "res.partner"),
                                                       ("res_id", "in", partners.ids)])
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.mapped("res_name"), partners.mapped("display_name"))
        # automated to-dos: no notification message to the assignee for each
        self.assertFalse(self.env["mail.message"].search_count([
            ("model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("message_type", "=", "user_notification")]))
        with freeze_time(datetime.now() + timedelta(days=40)):
            self.assertEqual(self.env["res.partner"]._cron_compute_lifecycle(batch_size=2), 0, "rerun: no change")
