from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportReferral(CrmPlusReportsCase):
    """Referral as a source in the conversion figures, the referral analysis, referred customers gained."""

    def _referrals(self, user):
        Report = self.env["crm_plus.report.referral"].with_user(user)
        return {lead for lead, in Report._read_group([("lead_id", "in", self.leads.ids)], ["lead_id"])}

    def test_referral_analysis_figures(self):
        Report = self.env["crm_plus.report.referral"].with_user(self.user_manager)
        domain = [("lead_id", "in", self.leads.ids)]
        by_referrer = {referrer: (leads, won, customers, revenue) for referrer, leads, won, customers, revenue
                       in Report._read_group(domain, ["referrer"], ["lead_count:sum", "won_count:sum",
                                                                   "customer_count:sum", "won_revenue:sum"])}
        self.assertEqual(by_referrer, {
            "Manager Customer Ltd": (2, 1, 1, 3000.0),
            self.user_manager.name: (1, 0, 0, 0.0),
            "Referring Contact": (1, 0, 0, 0.0),
        })
        kinds = dict(Report._read_group(domain, ["referral_kind"], ["lead_count:sum"]))
        self.assertEqual(kinds, {"customer": 2, "employee": 1, "contact": 1})
        won = Report.search([*domain, ("lead_id", "=", self.lead_sales_won.id)])
        self.assertEqual((won.state, won.reward_state), ("won", "to_reward"))

    def test_referral_analysis_scope_per_sales_role(self):
        mine = {self.lead_sales_won, self.lead_sales_lost, self.lead_unassigned}
        self.assertEqual(self._referrals(self.user_sales), mine)
        self.assertEqual(self._referrals(self.user_leader), mine)
        self.assertEqual(self._referrals(self.user_manager), set(self.referred_leads))
        self.assertEqual(self._referrals(self.outsider), {self.lead_outsider, self.lead_unassigned})

    def test_referral_in_the_conversion_figures(self):
        """Conversion by channel splits referred leads out, whatever their source."""
        Report = self.env["crm_plus.report.pipeline"]
        domain = [("lead_id", "in", self.leads.ids)]
        for user, referred, won in ((self.user_manager, 4, 1), (self.user_sales, 3, 1), (self.outsider, 2, 0)):
            with self.subTest(user=user.login):
                figures = {is_referral: (count, won_count) for is_referral, count, won_count in
                           Report.with_user(user)._read_group(domain, ["is_referral"],
                                                              ["lead_count:sum", "won_count:sum"])}
                self.assertEqual(figures[True], (referred, won))
        # the Referrals filter of the analyses is the referral flag, not the source's name
        search_view = self.env.ref("crm_plus_reports.crm_plus_report_pipeline_view_search")
        views = self.env["crm_plus.report.pipeline"].get_views([(search_view.id, "search")])
        arch = views["views"]["search"]["arch"]
        self.assertIn("is_referral", arch)
        by_kind = dict(Report.with_user(self.user_manager)._read_group(
            [*domain, ("is_referral", "=", True)], ["referral_kind"], ["lead_count:sum"]))
        self.assertEqual(by_kind, {"customer": 2, "employee": 1, "contact": 1})

    def test_referred_customers_gained(self):
        self.customer.crm_plus_referrer_user_id = self.user_leader
        self.env.flush_all()
        Cohort = self.env["crm_plus.report.cohort"]
        for user in (self.user_sales, self.user_manager):
            gained = dict(Cohort.with_user(user)._read_group(
                [("partner_id", "in", (self.customer | self.outsider_customer | self.manager_customer).ids)],
                ["is_referral"], ["new_count:sum"]))
            self.assertEqual(gained.get(True), 1, user.login)
        outsider = dict(Cohort.with_user(self.outsider)._read_group([], ["is_referral"], ["new_count:sum"]))
        self.assertFalse(outsider.get(True), "the outsider does not see the salesperson's referred customer")
        customers = self.env["crm_plus.report.customer"].with_user(self.user_leader)
        row = customers.search([("partner_id", "=", self.customer.id)])
        self.assertTrue(row.is_referral)
        self.assertEqual(row.referrer_user_id, self.user_leader)
