from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportDigest(CrmPlusReportsCase):
    """The KPIs of CRM Plus in Odoo's digest: each recipient's own scope; roles without the analysis skip it."""

    def _digest(self, user, kpi):
        digest = self.env.ref("crm_plus_reports.digest_crm_plus_manager")
        start, end = self.now - timedelta(days=7), self.now + timedelta(hours=1)
        digest = digest.with_context(start_datetime=start, end_datetime=end).with_user(user)
        digest.invalidate_model()
        return digest[kpi]

    def _won_in_source(self, user):
        leads = self.env["crm.lead"].with_user(user).search([
            ("stage_id.is_won", "=", True), ("date_closed", ">=", self.now - timedelta(days=7))])
        return sum(leads.mapped("expected_revenue"))

    def test_won_revenue_per_scope(self):
        self.lead_outsider.action_set_won()
        self.env.flush_all()
        for user, own in ((self.user_sales, 3000), (self.outsider, 1000)):
            value = self._digest(user, "kpi_crm_plus_won_revenue_value")
            self.assertEqual(value, self._won_in_source(user))
            self.assertGreaterEqual(value, own)
        self.assertLess(self._digest(self.outsider, "kpi_crm_plus_won_revenue_value"),
                        self._digest(self.user_manager, "kpi_crm_plus_won_revenue_value"))
        with self.assertRaises(AccessError):
            self._digest(self.user_finance, "kpi_crm_plus_won_revenue_value")

    def test_overdue_and_sla(self):
        overdue = self._digest(self.user_sales, "kpi_crm_plus_overdue_value")
        [(expected,)] = self.env["crm_plus.report.receivable"].with_user(self.user_sales)._read_group(
            [], [], ["amount_overdue:sum"])
        self.assertEqual(overdue, expected)
        self.assertGreaterEqual(overdue, 200 + 800)
        self.assertGreaterEqual(self._digest(self.user_finance, "kpi_crm_plus_overdue_value"), overdue + 400)
        self.assertIsInstance(self._digest(self.user_service_manager, "kpi_crm_plus_sla_compliance_value"), float)
        with self.assertRaises(AccessError):
            self._digest(self.user_steward, "kpi_crm_plus_sla_compliance_value")

    def test_digest_email_per_role(self):
        for xmlid, kpi in (("digest_crm_plus_sales", "kpi_crm_plus_won_revenue"),
                           ("digest_crm_plus_service", "kpi_crm_plus_sla_compliance"),
                           ("digest_crm_plus_finance", "kpi_crm_plus_overdue")):
            digest = self.env.ref("crm_plus_reports.%s" % xmlid)
            self.assertEqual(digest.periodicity, "weekly")
            self.assertTrue(digest[kpi])
        digest = self.env.ref("crm_plus_reports.digest_crm_plus_sales")
        kpis = digest._compute_kpis(self.env.company, self.user_sales)
        names = [kpi["kpi_name"] for kpi in kpis]
        self.assertIn("kpi_crm_plus_won_revenue", names)
        kpis = digest._compute_kpis(self.env.company, self.user_finance)
        self.assertNotIn("kpi_crm_plus_won_revenue", [kpi["kpi_name"] for kpi in kpis])
