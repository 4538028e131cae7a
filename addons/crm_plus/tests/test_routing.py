"""Lead routing: rules, strategies, availability, fallback queue, backlog and stale-lead crons."""

import contextlib
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_plus.tools import routing

from .common import CrmPlusCase

# a Wednesday, 10:00 UTC: inside the working hours of a standard calendar in UTC
WORKING_TIME = datetime(2026, 3, 4, 10, 0)
SUNDAY = datetime(2026, 3, 8, 10, 0)


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestRoutingTools(BaseCase):
    def test_round_robin_next(self):
        self.assertIsNone(routing.round_robin_next([]))
        self.assertEqual(routing.round_robin_next([3, 1, 2]), 1)
        self.assertEqual(routing.round_robin_next([3, 1, 2], last=1), 2)
        self.assertEqual(routing.round_robin_next([3, 1, 2], last=3), 1, "wraps around")
        # the last one left the pool: the next higher id follows, nobody is served twice
        self.assertEqual(routing.round_robin_next([1, 3, 5], last=4), 5)
        self.assertEqual(routing.round_robin_next([1, 3], last=9), 1)

    def test_weighted_choice_follows_capacity(self):
        weights = {1: 10, 2: 20, 3: 0}
        counts = {1: 0, 2: 0, 3: 0}
        for _i in range(30):
            counts[routing.weighted_choice(weights, counts)] += 1
        self.assertEqual(counts, {1: 10, 2: 20, 3: 0})
        self.assertIsNone(routing.weighted_choice({1: 0}, {}))
        # someone who already has more than their share waits
        self.assertEqual(routing.weighted_choice({1: 10, 2: 10}, {1: 5, 2: 0}), 2)

    def test_least_loaded(self):
        self.assertEqual(routing.least_loaded({1: 4, 2: 1, 3: 1}), 2, "ties go to the lowest id")
        self.assertEqual(routing.least_loaded({1: 4}, candidates=[1, 7]), 7, "no open lead counts as 0")
        self.assertIsNone(routing.least_loaded({}, candidates=[]))

    def test_choose_and_cities(self):
        self.assertEqual(routing.choose("round_robin", [5, 6], last=5), 6)
        self.assertEqual(routing.choose("least_loaded", [5, 6], loads={5: 2}), 6)
        self.assertEqual(routing.choose("weighted", [5, 6], weights={5: 1, 6: 3}, counts={6: 1}), 6)
        self.assertIsNone(routing.choose("round_robin", []))
        with self.assertRaises(ValueError):
            routing.choose("lottery", [1])
        self.assertEqual(routing.split_cities(" 上海, Beijing，杭州 ,"), {"上海", "beijing", "杭州"})
        self.assertEqual(routing.split_cities(False), set())


@tagged("post_install", "-at_install", "crm_plus_routing")
class TestRouting(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sellers = cls.env["res.users"].union(*(
            new_test_user(cls.env, login="cp_seller_%d" % i, name="Seller %d" % i,
                          groups="crm_plus.group_crm_plus_user", lang="en_US")
            for i in range(3)))
        cls.team = cls.env["crm.team"].create({"name": "East", "user_id": cls.user_leader.id})
        cls.env["crm.team.member"].create([
            {"crm_team_id": cls.team.id, "user_id": user.id, "assignment_max": 10 * (i + 1)}
            for i, user in enumerate(cls.sellers)])
        cls.env["crm_plus.routing.rule"].search([]).action_archive()  # the demo rules route other leads
        cls.fallback_team = cls.env["crm.team"].create({"name": "Fallback"})
        cls.shanghai = cls.env.ref("base.state_cn_SH", raise_if_not_found=False)
        cls.tag_vip = cls.env["crm.tag"].create({"name": "VIP"})
        cls.rule = cls.env["crm_plus.routing.rule"].create({
            "name": "East round robin", "team_id": cls.team.id, "strategy": "round_robin", "sequence": 20,
        })

    def new_leads(self, count=1, **vals):
        return self.env["crm.lead"].create([
            dict({"name": "Lead %d" % i, "type": "lead", "user_id": False}, **vals) for i in range(count)])

    def test_round_robin(self):
        leads = self.new_leads(4)
        self.assertEqual([lead.user_id for lead in leads], [*self.sellers, self.sellers[0]])
        self.assertEqual(set(leads.mapped("routing_state")), {"assigned"})
        self.assertEqual(leads.routing_rule_id, self.rule)
        self.assertEqual(set(leads.mapped("routing_strategy")), {"round_robin"})
        self.assertEqual(leads.team_id, self.team)
        self.assertTrue(all(leads.mapped("routing_date")))
        self.assertEqual(self.rule.last_user_id, self.sellers[0])
        self.assertEqual(self.rule.lead_count, 4)
        # the next run continues where the last one stopped
        self.assertEqual(self.new_leads().user_id, self.sellers[1])
        note = leads[0].message_ids[0]
        self.assertIn("East round robin", note.body)
        self.assertIn("Round Robin", note.body)
        self.assertIn("Next in turn", note.body)

    def test_weighted_and_least_loaded(self):
        self.rule.strategy = "weighted"
        leads = self.new_leads(12)
        counts = {user: len(leads.filtered(lambda lead, u=user: lead.user_id == u)) for user in self.sellers}
        self.assertEqual(list(counts.values()), [2, 4, 6], "capacities 10, 20, 30")
        self.assertIn("capacity of", leads[0].message_ids[0].body)

        self.rule.strategy = "least_loaded"
        # open leads 2, 4, 6: seller 0 gets leads until level with seller 1, ties go to the lowest id
        new = self.new_leads(4)
        self.assertEqual([lead.user_id for lead in new], [self.sellers[0]] * 3 + [self.sellers[1]])
        self.assertIn("fewest open leads", new[0].message_ids[0].body)

    def test_query_cost_per_lead(self):
        """Routing reads loads, capacities and availability once per batch: a few queries per lead at most."""
        self.rule.strategy = "least_loaded"
        Lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True)

        def cost(count):
            leads = Lead.create([{"name": "Q %d" % i, "user_id": False, "email_from": "q%d@example.cn" % i}
                                 for i in range(count)])
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            leads._crm_plus_route()
            self.env.flush_all()
            self.assertEqual(len(leads.user_id), 3)
            return self.env.cr.sql_log_count - before

        small, large = cost(10), cost(40)
        self.assertLessEqual((large - small) / 30, 3, "queries per extra lead: %s -> %s" % (small, large))

    def _route_one_as_a_new_request(self, bound=None, **vals):
        """Queries of the routing of one lead on its create path, the request starting with an empty record
        cache, tracking off (as the speed-to-lead benchmark measures it); at most ``bound`` of them."""
        self.env.flush_all()
        self.env.invalidate_all()
        lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True, tracking_disable=True,
                                                 mail_notrack=True).create(
            dict({"name": "Inbound", "type": "lead", "user_id": False, "email_from": "web@inbound.cn"}, **vals))
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        with self.assertQueryCount(bound) if bound else contextlib.nullcontext():
            lead._crm_plus_route(created=True)
            self.env.flush_all()
        self.assertEqual(lead.routing_state, "assigned")
        return self.env.cr.sql_log_count - before

    def test_one_lead_bounded_queries_whatever_the_conditions(self):
        """One inbound lead's routing reads the rules' conditions from the worker's cache and the candidates,
        their availability and loads in a few queries: as many with large conditions and teams as small."""
        self.rule.strategy = "least_loaded"
        self._route_one_as_a_new_request()  # fills the cache of the rules' conditions
        small = self._route_one_as_a_new_request(bound=15)
        # large conditions on every rule (none of them holding this lead) and a larger team
        tags = self.env["crm.tag"].create([{"name": "Bounded tag %d" % i} for i in range(40)])
        industries = self.env["res.partner.industry"].create([{"name": "Bounded industry %d" % i} for i in range(20)])
        categories = self.env["product.category"].create([{"name": "Bounded category %d" % i} for i in range(20)])
        countries = self.env["res.country"].search([], limit=60)
        self.env["crm_plus.routing.rule"].create([{
            "name": "Bounded %d" % i, "team_id": self.team.id, "sequence": 1 + i, "strategy": "weighted",
            "tag_ids": [(6, 0, tags.ids)], "industry_ids": [(6, 0, industries.ids)],
            "product_categ_ids": [(6, 0, categories.ids)], "country_ids": [(6, 0, countries.ids)],
            "state_ids": [(6, 0, countries.state_ids.ids[:100])], "user_ids": [(6, 0, self.sellers.ids)],
        } for i in range(10)])
        more = self.env["res.users"].union(*(
            new_test_user(self.env, login="cp_bounded_%d" % i, groups="crm_plus.group_crm_plus_user")
            for i in range(20)))
        self.env["crm.team.member"].create([{"crm_team_id": self.team.id, "user_id": user.id} for user in more])
        self._route_one_as_a_new_request(city="杭州")  # fills the cache again: the rules changed
        large = self._route_one_as_a_new_request(bound=15, city="杭州")
        self.assertEqual(large, small, "queries with 10 large rules and 23 salespeople: %s, with one rule and "
                                       "3 salespeople: %s" % (large, small))

    def test_rule_change_reaches_the_cached_conditions(self):
        Rule = self.env["crm_plus.routing.rule"]
        specs = Rule._routing_specs()
        self.assertIs(Rule._routing_specs(), specs, "read once, then cached")
        self.assertEqual(self.new_leads().user_id, self.sellers[0])
        self.assertEqual(self.rule.last_user_id, self.sellers[0])
        self.assertIs(Rule._routing_specs(), specs, "the round robin slot the routing writes is no condition")
        # a condition changed: the next lead follows it
        self.rule.write({"city": "杭州", "tag_ids": [(6, 0, self.tag_vip.ids)]})
        self.assertEqual(self.new_leads(city="上海").routing_state, "fallback")
        self.assertEqual(self.new_leads(city="杭州", tag_ids=[(6, 0, self.tag_vip.ids)]).user_id, self.sellers[1])
        spec = dict(Rule._routing_specs())[self.rule.id]
        self.assertEqual((spec["cities"], spec["tags"]), ({"杭州"}, set(self.tag_vip.ids)))
        # a new rule, an archived rule, a deleted rule
        other = Rule.create({"name": "Shanghai", "team_id": self.team.id, "city": "上海", "sequence": 5,
                             "user_ids": [(6, 0, self.sellers[2].ids)]})
        self.assertEqual(self.new_leads(city="上海").user_id, self.sellers[2])
        other.action_archive()
        self.assertNotIn(other.id, dict(Rule._routing_specs()))
        self.assertEqual(self.new_leads(city="上海").routing_state, "fallback")
        other.action_unarchive()
        other.unlink()
        self.assertNotIn(other.id, dict(Rule._routing_specs()))
        # a rule deleted below the ORM (its team deleted: ON DELETE CASCADE) is left out of the routing
        gone = Rule.create({"name": "Gone", "team_id": self.env["crm.team"].create({"name": "Gone"}).id,
                            "sequence": 1})
        self.assertIn(gone.id, dict(Rule._routing_specs()))
        self.env.cr.execute(SQL("DELETE FROM crm_plus_routing_rule WHERE id = %s", gone.id))
        self.assertIn(gone.id, dict(Rule._routing_specs()), "cached, not known to be gone")
        lead = self.new_leads(city="杭州", tag_ids=[(6, 0, self.tag_vip.ids)])
        self.assertEqual((lead.routing_rule_id, lead.user_id), (self.rule, self.sellers[2]))

    def test_conditions_and_fallback(self):
        self.env["ir.config_parameter"].set_param("crm_plus.routing_fallback_team_id", self.fallback_team.id)
        self.rule.write({"city": "上海, Hangzhou", "tag_ids": [(6, 0, self.tag_vip.ids)],
                         "min_expected_revenue": 1000})
        big = self.new_leads(city="hangzhou ", tag_ids=[(6, 0, self.tag_vip.ids)], expected_revenue=5000)
        self.assertEqual(big.routing_state, "assigned")
        for vals in ({"city": "Beijing", "tag_ids": [(6, 0, self.tag_vip.ids)], "expected_revenue": 5000},
                     {"city": "上海", "expected_revenue": 5000},
                     {"city": "上海", "tag_ids": [(6, 0, self.tag_vip.ids)], "expected_revenue": 10}):
            with self.subTest(vals=vals):
                lead = self.new_leads(**vals)
                self.assertFalse(lead.user_id)
                self.assertEqual(lead.routing_state, "fallback")
                self.assertEqual(lead.team_id, self.fallback_team)
                self.assertIn("fallback queue", lead.message_ids[0].body)
        # a second, catch-all rule with a higher sequence takes what the first one leaves
        catch_all = self.env["crm_plus.routing.rule"].create({
            "name": "Everything else", "team_id": self.team.id, "strategy": "least_loaded", "sequence": 30,
            "user_ids": [(6, 0, self.sellers[2].ids)]})
        lead = self.new_leads(city="Beijing")
        self.assertEqual((lead.routing_rule_id, lead.user_id), (catch_all, self.sellers[2]))

    def test_sticky_existing_customer(self):
        owner = self.sellers[2]
        customer = self.env["res.partner"].create({
            "name": "杭州老客户有限公司", "is_company": True, "email": "buyer@laokehu.cn", "user_id": owner.id})
        self.rule.strategy = "weighted"
        lead = self.new_leads(email_from="Buyer <BUYER@laokehu.cn>")
        self.assertEqual(lead.user_id, owner)
        self.assertEqual(lead.routing_strategy, "sticky")
        self.assertIn(customer.name, lead.message_ids[0].body)
        # even with no rule at all matching, the owner gets it
        self.rule.city = "Nowhere"
        self.assertEqual(self.new_leads(partner_id=customer.id).user_id, owner)

    def test_no_rules_no_routing(self):
        self.rule.active = False
        lead = self.new_leads()
        self.assertFalse(lead.routing_state)
        # created by a salesperson with nobody set: routed with the rights the routing needs
        self.rule.active = True
        lead = self.env["crm.lead"].with_user(self.user_sales).create({"name": "Mine?", "user_id": False})
        self.assertIn(lead.sudo().user_id, self.sellers)
        lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True).create({"name": "x", "user_id": False})
        self.assertFalse(lead.routing_state)

    @freeze_time(WORKING_TIME)
    def test_time_off_and_working_hours(self):
        calendar = self.env["resource.calendar"].create({"name": "Standard UTC", "tz": "UTC"})
        resources = self.env["resource.resource"].create([
            {"name": user.name, "user_id": user.id, "calendar_id": calendar.id, "tz": "UTC",
             "company_id": user.company_id.id} for user in self.sellers[:2]])
        self.env["resource.calendar.leaves"].create({
            "name": "Holiday", "resource_id": resources[0].id, "calendar_id": calendar.id, "time_type": "leave",
            "date_from": WORKING_TIME - timedelta(days=1), "date_to": WORKING_TIME + timedelta(days=1)})
        leads = self.new_leads(4)
        self.assertNotIn(self.sellers[0], leads.user_id)
        self.assertEqual(leads.user_id, self.sellers[1:])
        self.assertIn("Skipped", leads[0].message_ids[0].body)
        with freeze_time(SUNDAY):
            # only seller 2 (no working hours configured) works on Sunday
            self.assertEqual(self.new_leads(3).user_id, self.sellers[2])
            self.sellers[2].active = False
            self.assertEqual(self.new_leads().routing_state, "fallback")

    def test_cron_backlog(self):
        leads = self.env["crm.lead"].with_context(crm_plus_no_routing=True).create(
            [{"name": "Backlog %d" % i, "user_id": False} for i in range(5)])
        self.assertFalse(any(leads.mapped("routing_state")))
        self.rule.city = "Nowhere"
        self.env["crm.lead"]._cron_route_backlog(batch_size=2)
        self.assertEqual(set(leads.mapped("routing_state")), {"fallback"})
        messages = leads.message_ids
        # a rerun changes nothing and logs nothing
        self.env["crm.lead"]._cron_route_backlog(batch_size=2)
        self.assertEqual(leads.message_ids, messages)
        self.rule.city = False
        self.env["crm.lead"]._cron_route_backlog(batch_size=2)
        self.assertEqual(set(leads.mapped("routing_state")), {"assigned"})
        self.assertEqual(leads.user_id, self.sellers)

    def test_backlog_skips_pool_customers(self):
        """A lead whose customer waits in the customer pool waits with it: its claimer gets both."""
        pool = self.env["crm_plus.pool"].create({"name": "Routing test pool", "team_ids": [self.team.id]})
        customer = self.env["res.partner"].create({"name": "池中客户测试有限公司", "is_company": True,
                                                   "pool_id": pool.id})
        lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True).create(
            {"name": "Pool lead", "user_id": False, "partner_id": customer.id})
        self.env["crm.lead"]._cron_route_backlog()
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.routing_state)
        customer.with_user(self.sellers[1]).action_crm_plus_claim()
        self.assertEqual(lead.user_id, self.sellers[1])

    def test_reroute_stale(self):
        # stage dates come from the database clock (not frozen): the scenario starts after now
        start = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        with freeze_time(start):
            stale, worked = self.new_leads(2)
        first_owner = stale.user_id
        with freeze_time(start + timedelta(hours=2)):
            worked.message_post(body="Called the customer", message_type="comment")
        with freeze_time(start + timedelta(hours=23)):
            self.env["crm.lead"]._cron_reroute_stale()
            self.assertEqual((stale.user_id, stale.reroute_count), (first_owner, 0), "not yet stale")
        with freeze_time(start + timedelta(hours=25)):
            self.env["crm.lead"]._cron_reroute_stale()
            self.assertEqual(worked.routing_state, "worked")
            self.assertEqual(stale.reroute_count, 1)
            self.assertNotEqual(stale.user_id, first_owner)
            self.assertEqual(stale.routing_state, "assigned")
            second_owner = stale.user_id
            self.env["crm.lead"]._cron_reroute_stale()
            self.assertEqual((stale.user_id, stale.reroute_count), (second_owner, 1), "idempotent")
        with freeze_time(start + timedelta(hours=50)):
            self.env["crm.lead"]._cron_reroute_stale()
            self.assertEqual((stale.routing_state, stale.reroute_count), ("escalated", 2))
            self.assertEqual(stale.user_id, second_owner)
            self.assertEqual(stale.activity_ids.user_id, self.user_leader)
            self.env["crm.lead"]._cron_reroute_stale()
            self.assertEqual(len(stale.activity_ids), 1, "one to-do, not one per run")

    def test_access(self):
        self.assertEqual(self.rule.with_user(self.user_sales).read(["name"])[0]["name"], "East round robin")
        with self.assertRaises(AccessError):
            self.env["crm_plus.routing.rule"].with_user(self.user_leader).create(
                {"name": "Mine", "team_id": self.team.id})
        with self.assertRaises(AccessError):
            self.rule.with_user(self.user_employee).read(["name"])
        self.env["crm_plus.routing.rule"].with_user(self.user_manager).create(
            {"name": "Theirs", "team_id": self.team.id})
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["crm_plus.routing.rule"].create(
            {"name": "Foreign", "team_id": self.team.id, "company_id": other.id})
        self.assertNotIn(foreign, self.env["crm_plus.routing.rule"].with_user(self.user_manager).search([]))
        self.assertIn("crm_plus.menu_crm_plus_config_routing", self.visible_menu_xmlids(self.user_manager))
        self.assertNotIn("crm_plus.menu_crm_plus_config_routing", self.visible_menu_xmlids(self.user_leader))

    def test_skip_locked(self):
        """A lead another transaction is routing is skipped, not assigned twice.

        Two real connections on a committed lead: the test transaction cannot see it.
        """
        holder, router = db_connect(self.env.cr.dbname).cursor(), db_connect(self.env.cr.dbname).cursor()
        lead_id = None
        try:
            holder.execute("""INSERT INTO crm_lead (name, type, active, create_date, write_date)
                              VALUES ('Committed', 'lead', true, now() at time zone 'UTC',
                                      now() at time zone 'UTC') RETURNING id""")
            lead_id = holder.fetchone()[0]
            holder.commit()
            holder.execute(SQL("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE", lead_id))
            lead = api.Environment(router, SUPERUSER_ID, {})["crm.lead"].browse(lead_id)
            self.assertFalse(lead._crm_plus_lock_for_routing(), "held by another run: skipped, no wait")
            holder.rollback()
            router.rollback()
            self.assertEqual(lead._crm_plus_lock_for_routing(), lead, "released: this run takes it")
            router.rollback()
        finally:
            router.close()
            if lead_id:
                holder.execute(SQL("DELETE FROM crm_lead WHERE id = %s", lead_id))
                holder.commit()
            holder.close()
