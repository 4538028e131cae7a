from odoo import api, fields, models
from odoo.tools import SQL


class CrmPlusReportCohort(models.Model):
    """One row per customer and month with a confirmed order: customers gained, retained and churned by month,
    in cohorts by the month of their first order.

    ``months_since`` is the number of months between the first order and the row's month: a pivot of the
    first-order month × months since counts the customers of each cohort still ordering (Odoo's cohort view
    is Enterprise-only). Gained: the first month of a customer; retained: any later month; churned: the month
    of the last order of a customer now dormant (crm_plus lifecycle). Amounts are untaxed, in company currency.
    Read under the scope of the customers (same owner, team, company columns; the rules of ``res.partner``).
    """

    _name = "crm_plus.report.cohort"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Customer Cohorts"
    _auto = False
    _order = "order_month desc, partner_id"
    _rec_name = "partner_id"
    _crm_plus_source = {"model": "res.partner", "field": "partner_id", "owner": "user_id", "count": None}
    _crm_plus_date_field = "order_month"
    _crm_plus_export_fields = ("order_month", "partner_id", "user_id", "cohort_month", "months_since", "order_count",
                               "amount")

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    partner_share = fields.Boolean(readonly=True)
    cohort_month = fields.Date(string="First Order Month", readonly=True)
    order_month = fields.Date(string="Month", readonly=True)
    months_since = fields.Integer(string="Months Since First Order", readonly=True, aggregator=False)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    customer_count = fields.Integer(string="# Customers", readonly=True, aggregator="sum")
    new_count = fields.Integer(string="# Gained", readonly=True, aggregator="sum")
    retained_count = fields.Integer(string="# Retained", readonly=True, aggregator="sum")
    churned_count = fields.Integer(string="# Churned", readonly=True, aggregator="sum")
    order_count = fields.Integer(string="# Orders", readonly=True, aggregator="sum")
    amount = fields.Monetary(string="Untaxed Amount", readonly=True, aggregator="sum")
    # referrals: customers gained through a referral (crm_plus res_partner_referral.py)
    is_referral = fields.Boolean(string="Referred", readonly=True)
    referrer_partner_id = fields.Many2one("res.partner", string="Referred by Customer", readonly=True)
    referrer_user_id = fields.Many2one("res.users", string="Referred by Employee", readonly=True)

    @api.model
    def _crm_plus_source_domain(self):
        """The customers with a confirmed order (as the system: the test narrows it per user)."""
        orders = self.env["sale.order"].sudo()._read_group([("state", "=", "sale")], ["partner_id"])
        return [("id", "in", sorted({partner.commercial_partner_id.id for partner, in orders}))]

    def _query(self):
        return SQL(
            """
            WITH monthly AS (
                SELECT p.commercial_partner_id AS partner_id,
                       date_trunc('month', o.date_order)::date AS order_month,
                       COUNT(*) AS orders,
                       SUM(o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1.0)) AS amount
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state = 'sale'
              GROUP BY p.commercial_partner_id, date_trunc('month', o.date_order)
            ), span AS (
                SELECT partner_id, MIN(order_month) AS first_month, MAX(order_month) AS last_month
                  FROM monthly GROUP BY partner_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY m.partner_id, m.order_month) AS id,
                   m.partner_id AS partner_id,
                   c.user_id AS user_id,
                   c.team_id AS team_id,
                   c.company_id AS company_id,
                   c.partner_share AS partner_share,
                   span.first_month AS cohort_month,
                   m.order_month AS order_month,
                   ((EXTRACT(YEAR FROM m.order_month) - EXTRACT(YEAR FROM span.first_month)) * 12
                    + EXTRACT(MONTH FROM m.order_month) - EXTRACT(MONTH FROM span.first_month))::integer
                       AS months_since,
                   company.currency_id AS currency_id,
                   1 AS customer_count,
                   CASE WHEN m.order_month = span.first_month THEN 1 ELSE 0 END AS new_count,
                   CASE WHEN m.order_month > span.first_month THEN 1 ELSE 0 END AS retained_count,
                   CASE WHEN m.order_month = span.last_month AND c.lifecycle_state = 'dormant' THEN 1 ELSE 0 END
                       AS churned_count,
                   m.orders AS order_count,
                   m.amount AS amount,
                   COALESCE(c.crm_plus_is_referral, FALSE) AS is_referral,
                   c.crm_plus_referrer_partner_id AS referrer_partner_id,
                   c.crm_plus_referrer_user_id AS referrer_user_id
              FROM monthly m
              JOIN span ON span.partner_id = m.partner_id
              JOIN res_partner c ON c.id = m.partner_id
              %(company_join)s
            """,
            company_join=self._crm_plus_company_join("c"),
        )
