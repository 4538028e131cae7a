from datetime import timedelta

from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportAlerts(CrmPlusReportsCase):
    """Threshold alerts: told once per breach, again only after recovery; each measure finds its subjects."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["crm_plus.report.alert.rule"]

    def _rule(self, kind, threshold, team=None):
        return self.Rule.create({"name": "Alert %s" % kind, "kind": kind, "threshold": threshold,
                                 "team_id": team.id if team else False,
                                 "user_ids": [(6, 0, self.user_manager.ids)]})

    def _notices(self, rule):
        return self.env["mail.message"].search([("model", "=", rule._name), ("res_id", "=", rule.id),
                                                ("partner_ids", "in", self.user_manager.partner_id.ids)])

    def test_once_per_breach_again_after_recovery(self):
        # the team's customer owes 200 overdue (the outsider's customer 400, in no team)
        rule = self._rule("overdue_above", 150, team=self.team)
        self.Rule._cron_check_alerts()
        notices = self._notices(rule)
        self.assertEqual(len(notices), 1)
        self.assertIn(self.customer.name, str(notices.body))
        self.assertNotIn(self.outsider_customer.name, str(notices.body))
        self.assertEqual([(s.res_model, s.res_id) for s in rule.state_ids.filtered("breached")],
                         [("res.partner", self.customer.id)])
        # still in breach: nothing new
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 1)
        # recovered (the threshold is now above its 200): no message, the state says so
        rule.threshold = 300
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 1)
        state = rule.state_ids
        self.assertFalse(state.breached)
        self.assertTrue(state.date_recovered)
        # in breach again: told again
        rule.threshold = 150
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 2)
        self.assertEqual(state.breach_count, 2)

    def test_all_teams(self):
        rule = self._rule("overdue_above", 150)
        rule._check()
        breached = {s.res_id for s in rule.state_ids.filtered("breached")}
        self.assertLessEqual({self.customer.id, self.outsider_customer.id}, breached)

    def test_no_activity(self):
        rule = self._rule("no_activity_days", 3)
        activity = self.env["mail.activity"]._crm_plus_create_todos([(self.lead_sales, self.user_sales, "Call",
                                                                      self.today)])
        activity.with_user(self.user_sales).action_feedback(feedback="Done")
        rule._check()
        subjects = {s.res_id for s in rule.state_ids.filtered("breached")}
        self.assertNotIn(self.user_sales.id, subjects)
        self.assertIn(self.outsider.id, subjects)

    def test_unworked_leads(self):
        rule = self._rule("unworked_leads_above", 1, team=self.team)
        rule._check()
        self.assertIn(self.team.id, rule.state_ids.filtered("breached").mapped("res_id"))
        for lead in (self.lead_sales, self.lead_leader):
            activity = self.env["mail.activity"]._crm_plus_create_todos([(lead, lead.user_id, "Call", self.today)])
            activity.with_user(lead.user_id).action_feedback(feedback="Done")
        rule._check()
        self.assertNotIn(self.team.id, rule.state_ids.filtered("breached").mapped("res_id"))

    def _rate(self, team, *scores, customer=None, consumed=True):
        """One ticket of ``team`` rated per score (Odoo's rating of the ticket, filled in when ``consumed``)."""
        model_id = self.env["ir.model"]._get_id("crm_plus.ticket")
        customer = customer or self.customer
        for score in scores:
            ticket = self.env["crm_plus.ticket"].create({"name": "Rated", "partner_id": customer.id,
                                                         "team_id": team.id})
            self.env["rating.rating"].create({"res_model_id": model_id, "res_id": ticket.id, "rating": score,
                                              "consumed": consumed, "partner_id": customer.id})

    def test_ticket_satisfaction_once_per_breach(self):
        hotline, field = self.env["crm_plus.ticket.team"].create([{"name": "Hotline"}, {"name": "Field Service"}])
        self._rate(hotline, 3)  # 60 %
        self._rate(field, 5, 4)  # 90 %
        # neither a request not filled in nor a salesperson's return visit is a ticket's satisfaction
        self._rate(field, 1, consumed=False)
        self.env["crm_plus.return.visit"].create({
            "partner_id": self.customer.id, "user_id": self.user_sales.id, "state": "done", "satisfaction": "1",
            "outcome": "unhappy", "date_done": self.today})
        rule = self._rule("satisfaction_below", 80)
        self.Rule._cron_check_alerts()
        notices = self._notices(rule)
        self.assertEqual(len(notices), 1)
        self.assertIn("Hotline", str(notices.body))
        self.assertNotIn("Field Service", str(notices.body))
        breached = rule.state_ids.filtered("breached")
        self.assertEqual([(s.res_model, s.res_id) for s in breached], [("crm_plus.ticket.team", hotline.id)])
        self.assertAlmostEqual(breached.value, 60.0)
        # still in breach: nothing new
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 1)
        # recovered: (3 + 5 + 5 + 5) / 4 = 4.5 of 5 = 90 %
        self._rate(hotline, 5, 5, 5)
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 1)
        self.assertFalse(breached.breached)
        self.assertTrue(breached.date_recovered)
        # in breach again: (18 + 1 + 1 + 1 + 1) / 8 = 2.75 of 5 = 55 %, told again
        self._rate(hotline, 1, 1, 1, 1)
        self.Rule._cron_check_alerts()
        self.assertEqual(len(self._notices(rule)), 2)
        self.assertTrue(breached.breached)
        self.assertAlmostEqual(breached.value, 55.0)
        self.assertEqual(breached.breach_count, 2)
        # ratings older than the rule's period are not judged: the team recovers
        rule._check(now=self.now + timedelta(days=rule.period_days + 1))
        self.assertFalse(rule.state_ids.filtered("breached"))

    def test_ticket_satisfaction_of_a_team(self):
        hotline, field = self.env["crm_plus.ticket.team"].create([{"name": "Hotline"}, {"name": "Field Service"}])
        self._rate(hotline, 2)
        self._rate(field, 4)
        # a customer of no sales team: left out of a rule on the report team
        self._rate(field, 1, 1, customer=self.other_customer)
        by_service_team = self._rule("satisfaction_below", 90)
        by_service_team.ticket_team_id = field
        by_service_team._check()
        self.assertEqual(by_service_team.state_ids.filtered("breached").mapped("res_id"), [field.id])
        self.assertAlmostEqual(by_service_team.state_ids.value, 40.0)  # (4 + 1 + 1) / 3 = 2 of 5
        by_sales_team = self._rule("satisfaction_below", 90, team=self.team)
        by_sales_team.ticket_team_id = field
        by_sales_team._check()
        self.assertAlmostEqual(by_sales_team.state_ids.value, 80.0)  # the report team's customer's 4 only

    def test_return_visit_satisfaction(self):
        rule = self._rule("return_visit_below", 80)
        Visit = self.env["crm_plus.return.visit"]
        for user, stars in ((self.user_sales, "3"), (self.user_leader, "5")):
            Visit.create({"partner_id": self.customer.id, "user_id": user.id, "state": "done",
                          "satisfaction": stars, "outcome": "ok",
                          "date_done": self.today - timedelta(days=1)})
        rule._check()
        breached = rule.state_ids.filtered("breached")
        self.assertEqual(breached.mapped("res_id"), [self.user_sales.id])
        self.assertAlmostEqual(breached.value, 60.0)

    def test_access(self):
        self.assertTrue(self.Rule.with_user(self.user_manager).has_access("create"))
        for user in (self.user_sales, self.user_leader, self.user_finance):
            self.assertFalse(self.Rule.with_user(user).has_access("read"))
