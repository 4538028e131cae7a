"""Satisfaction analysis: after-sale survey scores by month, response rate and low scores."""

from odoo.tests import tagged

from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportSurvey(CrmPlusReportsCase):
    def test_scores_response_rate_and_low_scores(self):
        Report = self.env["crm_plus.report.survey"]
        domain = [("request_id", "in", self.survey_requests.ids)]
        [(count, answered, rate, score)] = Report._read_group(
            domain, [], ["request_count:sum", "answered_count:sum", "response_rate:avg", "score:avg"])
        # four requests, two answered (20 and 90) among the three sent; the one not sent is left out of the rate
        self.assertEqual((count, answered), (4, 2))
        self.assertAlmostEqual(rate, 200.0 / 3, places=2)
        self.assertAlmostEqual(score, 55.0)
        low = Report.search([*domain, ("low_score", "=", True)])
        self.assertEqual(low.partner_id, self.customer)
        # the threshold of the settings applies at once
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.survey_low_score", "95")
        self.assertEqual(len(Report.search([*domain, ("low_score", "=", True)])), 2)
        trend = dict(Report._read_group([*domain, ("state", "=", "answered")], ["source"], ["score:avg"]))
        self.assertEqual(trend, {"order": 55.0})

    def test_salesperson_sees_own_customers_scores(self):
        rows = self.env["crm_plus.report.survey"].with_user(self.user_sales).search(
            [("request_id", "in", self.survey_requests.ids)])
        # their own customer's, and the one of a customer nobody owns (as the requests themselves)
        self.assertEqual(rows.partner_id, self.customer | self.other_customer)
