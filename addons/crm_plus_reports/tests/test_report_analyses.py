from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportAnalyses(CrmPlusReportsCase):
    """The figures of each analysis, read through ``_read_group`` as the pivots do."""

    def _groups(self, model, domain, groupby, aggregates, user=None):
        rows = self.env[model].with_user(user or self.env.user)._read_group(domain, groupby, aggregates)
        size = len(groupby)
        return {(row[0] if size == 1 else tuple(row[:size])): list(row[size:]) for row in rows}

    def _done_activity(self, record, user, when=None):
        activity = self.env["mail.activity"]._crm_plus_create_todos([(record, user, "Call", self.today)])
        activity.with_user(user).action_feedback(feedback="Called")
        if when:
            message = self.env["mail.message"].search(
                [("model", "=", record._name), ("res_id", "=", record.id), ("mail_activity_type_id", "!=", False)],
                order="id desc", limit=1)
            message.date = when

    def test_conversion_by_source(self):
        groups = self._groups("crm_plus.report.pipeline", [("lead_id", "in", self.leads.ids)], ["source_id"],
                              ["lead_count:sum", "opportunity_count:sum", "won_count:sum", "lost_count:sum",
                               "win_rate:avg", "won_revenue:sum"])
        self.assertEqual(groups[self.source_referral], [3, 3, 1, 0, 100.0, 3000])
        self.assertEqual(groups[self.source_web], [3, 2, 0, 1, 0.0, 0])

    def test_archived_won_lead_is_lost_everywhere(self):
        """One definition of a lead's outcome in every analysis (Odoo's "Won" filter: active in a won stage)."""
        self.lead_sales_won.crm_plus_referrer_partner_id = self.manager_customer
        self.lead_sales_won.partner_id = self.customer
        self.lead_sales_won.action_archive()
        self.assertTrue(self.lead_sales_won.stage_id.is_won)
        self.env.flush_all()
        for model in ("crm_plus.report.pipeline", "crm_plus.report.referral"):
            row = self.env[model].search([("lead_id", "=", self.lead_sales_won.id)])
            self.assertEqual((row.state, row.won_count, row.won_revenue), ("lost", 0, 0), model)
        customer = self.env["crm_plus.report.customer"].search([("partner_id", "=", self.customer.id)])
        won = self.env["crm.lead"].search_count([("partner_id", "child_of", self.customer.id),
                                                 ("type", "=", "opportunity"), ("stage_id.is_won", "=", True)])
        self.assertEqual(customer.won_opportunity_count, won, "active won opportunities only")

    def test_pipeline_by_stage_and_lost_reasons(self):
        open_by_user = self._groups("crm_plus.report.pipeline",
                                    [("lead_id", "in", self.leads.ids), ("state", "=", "open")],
                                    ["user_id"], ["open_revenue:sum"])
        self.assertEqual(open_by_user[self.user_sales], [1000])
        reasons = self._groups("crm_plus.report.pipeline", [("lead_id", "in", self.leads.ids)],
                               ["lost_reason_id"], ["lost_count:sum"])
        self.assertEqual(reasons[self.lost_reason], [1])

    def test_speed_to_lead_and_stale(self):
        self.lead_sales.date_open = self.now - timedelta(hours=5)
        self._done_activity(self.lead_sales, self.user_sales)
        self.lead_leader.date_open = self.now - timedelta(days=10)
        self.env.flush_all()
        Report = self.env["crm_plus.report.pipeline"]
        row = Report.search([("lead_id", "=", self.lead_sales.id)])
        self.assertAlmostEqual(row.hours_to_first_touch, 5, delta=0.2)
        self.assertEqual(row.activities_done, 1)
        stale_day = fields.Date.to_string(self.today - timedelta(days=7))
        stale = Report.search([("lead_id", "in", self.leads.ids), ("state", "=", "open"),
                               ("last_touch_date", "<", stale_day)])
        self.assertEqual(stale.lead_id, self.lead_leader)

    def test_ranking(self):
        self._done_activity(self.lead_sales, self.user_sales)
        ranking = self._groups("crm_plus.report.pipeline", [("lead_id", "in", self.leads.ids)], ["user_id"],
                               ["won_revenue:sum", "win_rate:avg", "activities_done:sum"], user=self.user_manager)
        self.assertEqual(ranking[self.user_sales], [3000, 50.0, 1])

    def test_adoption_against_target(self):
        Report = self.env["crm_plus.report.adoption"]
        this_week = self.today - timedelta(days=self.today.weekday())
        self._done_activity(self.lead_sales, self.user_sales)
        self.customer.with_user(self.user_sales).message_post(body="Visited", subtype_xmlid="mail.mt_note")
        self.env.flush_all()
        row = Report.search([("user_id", "=", self.user_sales.id), ("week", "=", this_week)])
        self.assertEqual((row.activities_done, row.customer_updates, row.target), (1, 1, 3))
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.target_met, 0.0)
        self.customer.with_user(self.user_sales).message_post(body="Called back", subtype_xmlid="mail.mt_note")
        self.env.flush_all()
        row.invalidate_recordset()
        self.assertEqual(row.target_met, 100.0)

    def test_cohorts(self):
        last_month, this_month = self.cohort_months
        customers = (self.customer | self.outsider_customer | self.manager_customer).ids
        cells = self._groups("crm_plus.report.cohort", [("partner_id", "in", customers)],
                             ["cohort_month:month", "months_since"], ["customer_count:sum"])
        self.assertEqual(cells, {(last_month, 0): [2], (last_month, 1): [1], (this_month, 0): [1]})
        gained = self._groups("crm_plus.report.cohort", [("partner_id", "in", customers)], ["order_month:month"],
                              ["new_count:sum", "retained_count:sum", "amount:sum"])
        self.assertEqual(gained[this_month], [1, 1, 1500.0])
        self.assertEqual(gained[last_month], [2, 0, 2000.0])

    def test_renewal_forecast_and_rate(self):
        Report = self.env["crm_plus.report.renewal"]
        rows = Report.search([("contract_id", "in", self.contracts.ids)])
        self.assertEqual({r.contract_id: r.outcome for r in rows}, {
            self.contract_sales: "at_risk", self.contract_outsider: "not_renewed",
            self.contract_manager: "renewed"})
        [(rate,)] = Report._read_group([("contract_id", "in", self.contracts.ids)], [], ["renewal_rate:avg"])
        self.assertEqual(rate, 50.0)
        self.env["crm.lead"].create({**self.contract_sales._prepare_renewal_lead()})
        self.env.flush_all()
        Report.invalidate_model()
        self.assertEqual(Report.search([("contract_id", "=", self.contract_sales.id)]).outcome, "in_progress")
        self.assertEqual(rows.filtered(lambda r: r.contract_id == self.contract_sales).amount, 1000)

    def test_receivables_aging(self):
        aging = self._groups("crm_plus.report.receivable", [("move_id", "in", self.invoices.ids)], ["aging"],
                             ["amount_residual:sum"])
        self.assertEqual(aging, {"not_due": [100], "31_60": [200], "90_plus": [400], "1_30": [800]})
        by_customer = self._groups("crm_plus.report.receivable", [("move_id", "in", self.invoices.ids)],
                                   ["partner_id"], ["amount_residual:sum", "amount_overdue:sum"])
        self.assertEqual(by_customer[self.customer], [300, 200])
        self.assertEqual(self.env["crm_plus.report.receivable"].search([("move_id", "=", self.invoice_outsider.id)])
                         .currency_id, self.env.company.currency_id)

    def test_sla_compliance_and_times(self):
        policy = self.env["crm_plus.sla.policy"].create({"name": "Report policy"})
        Clock = self.env["crm_plus.ticket.clock"]
        clock = {"policy_id": policy.id, "done": True, "running_since": False}
        Clock.create([
            {**clock, "ticket_id": self.ticket_agent.id, "kind": "first_response", "consumed_seconds": 7200,
             "state": "met"},
            {**clock, "ticket_id": self.ticket_agent.id, "kind": "resolution", "consumed_seconds": 36000,
             "state": "breached"},
            {**clock, "ticket_id": self.ticket_agent2.id, "kind": "first_response", "consumed_seconds": 3600,
             "state": "met"},
        ])
        self.env.flush_all()
        [(compliance, first, resolution, breached)] = self.env["crm_plus.report.ticket"]._read_group(
            [("ticket_id", "in", self.tickets.ids)], [],
            ["sla_compliance:avg", "first_response_hours:avg", "resolution_hours:avg", "breached_count:sum"])
        self.assertEqual((compliance, first, resolution, breached), (50.0, 1.5, 10.0, 1))
        by_agent = self._groups("crm_plus.report.ticket", [("ticket_id", "in", self.tickets.ids)], ["user_id"],
                                ["sla_compliance:avg"])
        self.assertEqual(by_agent[self.user_agent], [0.0])
        self.assertEqual(by_agent[self.user_agent2], [100.0])

    def test_menus_per_role(self):
        menus = {
            self.user_sales: {"crm_plus_reports.menu_crm_plus_report_my_pipeline"},
            self.user_leader: {"crm_plus_reports.menu_crm_plus_report_pipeline",
                               "crm_plus_reports.menu_crm_plus_report_adoption",
                               "crm_plus_reports.menu_crm_plus_report_renewal"},
            self.user_finance: {"crm_plus_reports.menu_crm_plus_report_receivable"},
            self.user_service_manager: {"crm_plus_reports.menu_crm_plus_report_ticket"},
        }
        for user, expected in menus.items():
            with self.subTest(user=user.login):
                visible = self.visible_menu_xmlids(user, prefix="crm_plus_reports.")
                self.assertLessEqual(expected, visible)
        self.assertNotIn("crm_plus_reports.menu_crm_plus_report_pipeline",
                         self.visible_menu_xmlids(self.user_sales, prefix="crm_plus_reports."))
        self.assertNotIn("crm_plus_reports.menu_crm_plus_report_receivable",
                         self.visible_menu_xmlids(self.user_sales, prefix="crm_plus_reports."))


@tagged("post_install", "-at_install")
class TestReportBadInput(CrmPlusReportsCase):
    """Empty and very long periods, a missing currency rate, a user without a team: results, not tracebacks."""

    def test_empty_period(self):
        for model, date_field in (("crm_plus.report.pipeline", "create_date"),
                                  ("crm_plus.report.receivable", "invoice_date_due"),
                                  ("crm_plus.report.renewal", "date_end"),
                                  ("crm_plus.report.ticket", "create_date")):
            with self.subTest(model=model):
                domain = [(date_field, ">=", "1990-01-01"), (date_field, "<", "1990-02-01")]
                Report = self.env[model].with_user(self.user_manager if model != "crm_plus.report.ticket"
                                                   else self.user_service_manager)
                self.assertEqual(Report._read_group(domain, [date_field + ":month"], ["__count"]), [])
                result = Report.web_read_group(domain, ["__count"], [date_field + ":month"])
                self.assertEqual(result["length"], 0)

    def test_ten_year_period(self):
        start = fields.Date.to_string(self.today - timedelta(days=3653))
        Report = self.env["crm_plus.report.pipeline"].with_user(self.user_manager)
        groups = Report._read_group([("create_date", ">=", start), ("lead_id", "in", self.leads.ids)],
                                    ["create_date:month"], ["lead_count:sum"])
        self.assertEqual(sum(count for _month, count in groups), len(self.leads))

    def test_missing_currency_rate(self):
        company_currency = self.env.company.currency_id
        currency = self.env.ref("base.EUR" if company_currency != self.env.ref("base.EUR") else "base.USD")
        currency.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", currency.id)]).unlink()
        contract = self._contract(self.customer, self.user_sales, self.today + timedelta(days=30), "running",
                                  currency_id=currency.id)
        self.env.flush_all()
        Report = self.env["crm_plus.report.renewal"].with_user(self.user_sales)
        row = Report.search([("contract_id", "=", contract.id)])
        self.assertTrue(row.rate_missing)
        self.assertFalse(row.amount)
        flagged = Report.search([("rate_missing", "=", True)])
        self.assertEqual(flagged.contract_id, contract)
        [(total,)] = Report._read_group([("contract_id", "in", (contract | self.contract_sales).ids)], [],
                                        ["amount:sum"])
        self.assertEqual(total, 1000, "the contract without a rate is left out of the sum, not counted at 1:1")

    def test_user_without_team(self):
        Report = self.env["crm_plus.report.adoption"].with_user(self.outsider)
        rows = Report.search([])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("target")), {0})
        self.assertFalse(rows.team_id)
        [(on_target,)] = Report._read_group([], [], ["target_met:avg"])
        self.assertFalse(on_target, "no target: no share of weeks on target")
        my_team = ["|", ("team_id.user_id", "=", self.outsider.id), ("team_id.member_ids", "in", [self.outsider.id])]
        self.assertFalse(Report.search(my_team))
        self.assertFalse(self.env["crm_plus.report.pipeline"].with_user(self.outsider).search(my_team))
