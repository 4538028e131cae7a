from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SCOPED_REPORTS, CrmPlusReportsCase

# analyses deliberately narrower than their source: every employee reads contacts, only sales and finance
# read the order figures of the customer cohorts
NARROWER_THAN_SOURCE = {"crm_plus.report.cohort"}


@tagged("post_install", "-at_install")
class TestReportScopes(CrmPlusReportsCase):
    """Every role × every analysis: a user reads through an analysis what they read in its source model."""

    def _may_read(self, model, user):
        return self.env["ir.model.access"].with_user(user).check(model, "read", raise_exception=False)

    def test_generated_cases_cover_every_analysis(self):
        analyses = {name for name in self.env.registry if name.startswith("crm_plus.report.")
                    and getattr(self.env[name], "_crm_plus_source", None)}
        self.assertEqual(analyses, set(SCOPED_REPORTS))

    def test_same_records_and_aggregates_as_the_source(self):
        for model in SCOPED_REPORTS:
            Report = self.env[model]
            source = Report._crm_plus_source
            domain = Report._crm_plus_source_domain()
            for role, user in self.role_users().items():
                with self.subTest(model=model, role=role):
                    may_read = self._may_read(model, user)
                    if model in NARROWER_THAN_SOURCE:
                        self.assertTrue(not may_read or self._may_read(source["model"], user))
                    else:
                        self.assertEqual(may_read, self._may_read(source["model"], user))
                    if not may_read:
                        with self.assertRaises(AccessError):
                            Report.with_user(user)._read_group([], [source["field"]])
                        continue
                    Source = self.env[source["model"]].with_user(user).with_context(active_test=False)
                    seen = {record.id for record, in Report.with_user(user)._read_group([], [source["field"]])}
                    self.assertEqual(seen, set(Source.search(domain).ids))
                    if source["count"]:
                        owner = source["owner"]
                        counted = dict(Report.with_user(user)._read_group([], [owner], [source["count"] + ":sum"]))
                        self.assertEqual(counted, dict(Source._read_group(domain, [owner], ["__count"])))

    def _pipeline_leads(self, user):
        Report = self.env["crm_plus.report.pipeline"].with_user(user)
        return {lead for lead, in Report._read_group([("lead_id", "in", self.leads.ids)], ["lead_id"])}

    def test_pipeline_scope_per_sales_role(self):
        """Not merely equal to the source: the scopes themselves (own, team, all)."""
        own = {self.lead_sales, self.lead_sales_won, self.lead_sales_lost, self.lead_unassigned}
        self.assertEqual(self._pipeline_leads(self.user_sales), own)
        self.assertEqual(self._pipeline_leads(self.user_leader), own | {self.lead_leader})
        self.assertEqual(self._pipeline_leads(self.user_manager), set(self.leads))
        self.assertEqual(self._pipeline_leads(self.outsider), {self.lead_outsider, self.lead_unassigned})

    def test_receivables_scope(self):
        Report = self.env["crm_plus.report.receivable"]
        seen = {m for m, in Report.with_user(self.user_sales)._read_group(
            [("move_id", "in", self.invoices.ids)], ["move_id"])}
        self.assertEqual(seen, {self.invoice_sales_due, self.invoice_sales_late, self.invoice_nobody})
        for user in (self.user_finance, self.user_manager):
            self.assertEqual(Report.with_user(user).search_count([("move_id", "in", self.invoices.ids)]), 4)

    def test_renewal_scope(self):
        Report = self.env["crm_plus.report.renewal"]
        mine = [("contract_id", "in", self.contracts.ids)]
        self.assertEqual(Report.with_user(self.user_sales).search(mine).contract_id, self.contract_sales)
        self.assertEqual(Report.with_user(self.user_leader).search(mine).contract_id, self.contract_sales)
        self.assertEqual(Report.with_user(self.user_finance).search(mine).contract_id, self.contracts)

    def test_adoption_scope(self):
        """CRM adoption has no source records: a salesperson reads their own weeks, a team leader their team's."""
        Report = self.env["crm_plus.report.adoption"]
        people = (self.user_sales | self.user_leader | self.outsider).ids
        def users(user):
            return {u for u, in Report.with_user(user)._read_group([("user_id", "in", people)], ["user_id"])}
        self.assertEqual(users(self.user_sales), {self.user_sales})
        self.assertEqual(users(self.user_leader), {self.user_sales, self.user_leader})
        self.assertEqual(users(self.user_manager), {self.user_sales, self.user_leader, self.outsider})
        for user in (self.user_finance, self.user_agent, self.user_employee):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])
