"""Competitors on opportunities: the outcome following the deal unless set by hand, the competitor's counts,
the opportunity's tab, and who reads and writes them."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_competitor")
class TestCompetitor(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
        Competitor = env["crm_plus.competitor"]
        cls.rival = Competitor.create({"name": "竞品 Rival Soft", "website": "https://rival.example"})
        cls.other = Competitor.create({"name": "Other Rival"})
        cls.team = env["crm.team"].create({"name": "Competitor Team", "user_id": cls.user_leader.id,
                                           "member_ids": [Command.link(cls.user_sales.id)]})
        cls.outsider = new_test_user(env, login="cp_comp_out", groups="crm_plus.group_crm_plus_user", lang="en_US")

    def _deal(self, user=None, **vals):
        user = user or self.user_sales
        return self.Lead.create({
            "name": "Deal vs rival", "type": "opportunity", "user_id": user.id, "partner_id": self.customer.id,
            "team_id": self.team.id if user in (self.user_sales, self.user_leader) else False,
            "crm_plus_competitor_line_ids": [Command.create({"competitor_id": self.rival.id, "price": 900.0,
                                                             "strengths": "Cheaper", "weaknesses": "No service"})],
            **vals})

    def test_outcome_follows_the_deal(self):
        deal = self._deal()
        line = deal.crm_plus_competitor_line_ids
        self.assertEqual(line.outcome, "open")
        self.assertFalse(line.outcome_manual)
        deal.action_set_won()
        self.assertEqual(line.outcome, "won")
        deal.action_set_lost()
        self.assertEqual(line.outcome, "lost")
        # restored, the deal is back in its (won) stage; moved to a stage in progress, it is open again
        deal.action_unarchive()
        self.assertEqual(line.outcome, "won")
        deal.stage_id = self.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        self.assertEqual(line.outcome, "open")
        self.assertEqual(line.currency_id, deal.company_currency)

    def test_outcome_set_by_hand_sticks(self):
        deal = self._deal()
        deal.crm_plus_competitor_line_ids = [Command.create({"competitor_id": self.other.id, "outcome": "won"})]
        line_rival = deal.crm_plus_competitor_line_ids.filtered(lambda line: line.competitor_id == self.rival)
        line_other = deal.crm_plus_competitor_line_ids - line_rival
        self.assertTrue(line_other.outcome_manual)
        # lost to the rival, but not to the other competitor: set by hand, it stays when the deal is lost
        deal.action_set_lost()
        self.assertEqual(line_rival.outcome, "lost")
        self.assertEqual(line_other.outcome, "won")
        # setting it to what the deal says makes it follow the deal again
        line_other.outcome = "lost"
        self.assertFalse(line_other.outcome_manual)
        deal.action_unarchive()
        self.assertEqual(line_other.outcome, "open")

    def test_competitor_counts_and_opportunities(self):
        won, lost, _open = self._deal(), self._deal(), self._deal()
        won.action_set_won()
        lost.action_set_lost()
        self.rival.invalidate_recordset()
        self.assertEqual((self.rival.opportunity_count, self.rival.won_count, self.rival.lost_count),
                         (3, 1, 1))
        self.assertEqual(self.rival.win_rate, 50.0)
        action = self.rival.action_view_opportunities()
        self.assertEqual(len(self.env["crm_plus.lead.competitor"].search(action["domain"])), 3)

    def test_tab_on_the_opportunity_form(self):
        deal = self._deal()
        with Form(deal.with_user(self.user_sales), view="crm.crm_lead_view_form") as form:
            with form.crm_plus_competitor_line_ids.new() as line:
                line.competitor_id = self.other
                line.price = 1200.0
                line.weaknesses = "Slow delivery"
        self.assertEqual(deal.crm_plus_competitor_line_ids.competitor_id, self.rival | self.other)
        new_line = deal.crm_plus_competitor_line_ids.filtered(lambda line: line.competitor_id == self.other)
        self.assertEqual(new_line.outcome, "open")
        self.assertFalse(new_line.outcome_manual, "the form sends the computed outcome: it still follows the deal")

    def test_merge_keeps_the_competitors(self):
        deal = self._deal()
        other = self.Lead.create({
            "name": "Same deal", "type": "opportunity", "user_id": self.user_sales.id, "partner_id": self.customer.id,
            "crm_plus_competitor_line_ids": [Command.create({"competitor_id": self.rival.id}),
                                             Command.create({"competitor_id": self.other.id})]})
        merged = (deal | other).merge_opportunity(auto_unlink=True)
        self.assertEqual(merged.crm_plus_competitor_line_ids.competitor_id, self.rival | self.other)

    def test_master_data_access_per_role(self):
        Competitor = self.env["crm_plus.competitor"]
        for user in (self.user_sales, self.user_leader):
            self.assertTrue(Competitor.with_user(user).search([("id", "=", self.rival.id)]))
            with self.assertRaises(AccessError):
                Competitor.with_user(user).create({"name": "Not allowed %s" % user.login})
            with self.assertRaises(AccessError):
                self.rival.with_user(user).write({"website": "https://x.example"})
        created = Competitor.with_user(self.user_manager).create({"name": "Manager's rival"})
        created.with_user(self.user_manager).write({"active": False})
        for user in (self.user_finance, self.user_steward, self.user_employee):
            with self.assertRaises(AccessError):
                Competitor.with_user(user).search([])

    def test_lines_follow_the_opportunity_scope(self):
        mine, leaders, outsiders = self._deal(), self._deal(self.user_leader), self._deal(self.outsider)
        lost = self._deal()
        lost.action_set_lost()
        lines = (mine | leaders | outsiders | lost).crm_plus_competitor_line_ids
        Line = self.env["crm_plus.lead.competitor"]

        def seen(user):
            return Line.with_user(user).search([("id", "in", lines.ids)])

        self.assertEqual(seen(self.user_sales), (mine | lost).crm_plus_competitor_line_ids)
        self.assertEqual(seen(self.user_leader), (mine | lost | leaders).crm_plus_competitor_line_ids)
        self.assertEqual(seen(self.user_manager), lines)
        self.assertEqual(seen(self.outsider), outsiders.crm_plus_competitor_line_ids)
        for user in (self.user_finance, self.user_steward, self.user_employee):
            with self.assertRaises(AccessError):
                Line.with_user(user).search([])
        # writing: on the user's own opportunities only
        mine.crm_plus_competitor_line_ids.with_user(self.user_sales).write({"price": 100.0})
        with self.assertRaises(AccessError):
            outsiders.crm_plus_competitor_line_ids.with_user(self.user_sales).write({"price": 100.0})
        with self.assertRaises(AccessError):
            Line.with_user(self.user_sales).create({"lead_id": outsiders.id, "competitor_id": self.other.id})
        # the lines as the source counts them, per role: what the user reads of the opportunities
        for user in (self.user_sales, self.user_leader, self.user_manager, self.outsider):
            leads = self.env["crm.lead"].with_user(user).with_context(active_test=False).search(
                [("id", "in", (mine | leaders | outsiders | lost).ids)])
            self.assertEqual(seen(user).lead_id, leads, user.login)
