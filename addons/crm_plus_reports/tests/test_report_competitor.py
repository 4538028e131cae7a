from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportCompetitor(CrmPlusReportsCase):
    """Win/loss by competitor: the figures, and the scope of each sales role."""

    def _figures(self, user):
        Report = self.env["crm_plus.report.competitor"].with_user(user)
        return {competitor.name: (count, won, lost) for competitor, count, won, lost in Report._read_group(
            [("line_id", "in", self.competitor_lines.ids)], ["competitor_id"],
            ["line_count:sum", "won_count:sum", "lost_count:sum"])}

    def test_win_loss_by_competitor(self):
        self.assertEqual(self._figures(self.user_manager), {
            "Rival (report test)": (5, 1, 1), "Other Rival (report test)": (1, 0, 1)})
        Report = self.env["crm_plus.report.competitor"].with_user(self.user_manager)
        [(rate, price, lost_revenue)] = Report._read_group(
            [("competitor_id", "=", self.rival.id)], [], ["win_rate:avg", "price:avg", "lost_revenue:sum"])
        self.assertEqual(rate, 50.0)
        self.assertEqual(price, 1180.0)
        self.assertEqual(lost_revenue, 1000.0)
        # an outcome set by hand is the one counted
        self.competitor_lines.filtered(lambda line: line.competitor_id == self.other_rival).outcome = "won"
        self.env.flush_all()
        self.assertEqual(self._figures(self.user_manager)["Other Rival (report test)"], (1, 1, 0))

    def test_scope_per_sales_role(self):
        self.assertEqual(self._figures(self.user_sales), {
            "Rival (report test)": (3, 1, 1), "Other Rival (report test)": (1, 0, 1)})
        self.assertEqual(self._figures(self.user_leader), {
            "Rival (report test)": (4, 1, 1), "Other Rival (report test)": (1, 0, 1)})
        self.assertEqual(self._figures(self.outsider), {"Rival (report test)": (1, 0, 0)})
        for user in (self.user_finance, self.user_agent, self.user_employee):
            with self.assertRaises(AccessError):
                self.env["crm_plus.report.competitor"].with_user(user).search([])
