from odoo import fields, models
from odoo.tools import SQL


class CrmPlusReportCustomer(models.Model):
    """One row per customer company: owner, level, pipeline and service figures.

    A read-only SQL view; aggregates are computed once per customer with grouped
    sub-queries, so opening the analysis costs the same whatever the history size.
    """

    _name = "crm_plus.report.customer"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Customer Analysis"
    _auto = False
    _order = "expected_revenue desc, id"
    _rec_name = "partner_id"
    _crm_plus_export_fields = ("partner_id", "user_id", "team_id", "customer_level_id", "city", "country_id",
                               "open_opportunity_count", "won_opportunity_count", "expected_revenue",
                               "ticket_count", "open_ticket_count")

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    customer_level_id = fields.Many2one("crm_plus.customer.level", string="Customer Level", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="State", readonly=True)
    city = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    customer_count = fields.Integer(string="# Customers", readonly=True, aggregator="sum")
    open_opportunity_count = fields.Integer(string="# Open Opportunities", readonly=True, aggregator="sum")
    won_opportunity_count = fields.Integer(string="# Won Opportunities", readonly=True, aggregator="sum")
    expected_revenue = fields.Monetary(string="Open Expected Revenue", readonly=True, currency_field="currency_id",
                                       aggregator="sum")
    currency_id = fields.Many2one("res.currency", readonly=True)
    ticket_count = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    open_ticket_count = fields.Integer(string="# Open Tickets", readonly=True, aggregator="sum")
    # referrals: who brought the customer (crm_plus res_partner_referral.py)
    is_referral = fields.Boolean(string="Referred", readonly=True)
    referrer_partner_id = fields.Many2one("res.partner", string="Referred by Customer", readonly=True)
    referrer_user_id = fields.Many2one("res.users", string="Referred by Employee", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT p.id AS id,
                   p.id AS partner_id,
                   p.user_id AS user_id,
                   p.team_id AS team_id,
                   p.customer_level_id AS customer_level_id,
                   p.country_id AS country_id,
                   p.state_id AS state_id,
                   p.city AS city,
                   p.company_id AS company_id,
                   1 AS customer_count,
                   COALESCE(opp.open_count, 0) AS open_opportunity_count,
                   COALESCE(opp.won_count, 0) AS won_opportunity_count,
                   COALESCE(opp.expected_revenue, 0) AS expected_revenue,
                   company.currency_id AS currency_id,
                   COALESCE(tk.ticket_count, 0) AS ticket_count,
                   COALESCE(tk.open_count, 0) AS open_ticket_count,
                   COALESCE(p.crm_plus_is_referral, FALSE) AS is_referral,
                   p.crm_plus_referrer_partner_id AS referrer_partner_id,
                   p.crm_plus_referrer_user_id AS referrer_user_id
              FROM res_partner p
              %(company_join)s
         LEFT JOIN (
                    SELECT lp.commercial_partner_id,
                           COUNT(*) FILTER (WHERE %(open)s) AS open_count,
                           COUNT(*) FILTER (WHERE %(won)s) AS won_count,
                           SUM(l.expected_revenue) FILTER (WHERE %(open)s)
                               AS expected_revenue
                      FROM crm_lead l
                      JOIN res_partner lp ON lp.id = l.partner_id
                 LEFT JOIN crm_stage s ON s.id = l.stage_id
                     WHERE l.type = 'opportunity'
                  GROUP BY lp.commercial_partner_id
                   ) opp ON opp.commercial_partner_id = p.id
         LEFT JOIN (
                    SELECT cp.commercial_partner_id,
                           COUNT(*) AS ticket_count,
                           COUNT(*) FILTER (WHERE t.is_closed IS NOT TRUE) AS open_count
                      FROM crm_plus_ticket t
                      JOIN res_partner cp ON cp.id = t.partner_id
                  GROUP BY cp.commercial_partner_id
                   ) tk ON tk.commercial_partner_id = p.id
             WHERE p.active AND p.parent_id IS NULL AND p.is_company
            """,
            company_join=self._crm_plus_company_join("p"),
            won=self._crm_plus_lead_won(),
            open=self._crm_plus_lead_open(),
        )
