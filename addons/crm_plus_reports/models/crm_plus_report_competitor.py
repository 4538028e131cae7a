from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_plus.models.crm_plus_lead_competitor import OUTCOMES


class CrmPlusReportCompetitor(models.Model):
    """One row per competitor met on an opportunity: win and loss by competitor, their prices against ours.

    The outcome is the line's (won against them, lost to them, open). ``price_gap`` is our expected revenue
    minus their price when they gave one. Read under the scope of the opportunities' competitors (same owner,
    team and company columns; the rules of ``crm_plus.lead.competitor``, which repeat those of ``crm.lead``).
    """

    _name = "crm_plus.report.competitor"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Win/Loss by Competitor"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "competitor_id"
    _crm_plus_source = {"model": "crm_plus.lead.competitor", "field": "line_id", "owner": "user_id",
                        "count": "line_count"}
    _crm_plus_date_field = "create_date"
    _crm_plus_export_fields = ("competitor_id", "lead_id", "partner_id", "user_id", "team_id", "outcome",
                               "create_date", "date_closed", "price", "expected_revenue")

    line_id = fields.Many2one("crm_plus.lead.competitor", string="Opportunity Competitor", readonly=True)
    competitor_id = fields.Many2one("crm_plus.competitor", string="Competitor", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Lost Reason", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    line_count = fields.Integer(string="# Opportunities", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="# Won Against", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="# Lost To", readonly=True, aggregator="sum")
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg",
                            help="Won against them among the closed opportunities where we met them.")
    price = fields.Monetary(string="Their Price", readonly=True, aggregator="avg")
    expected_revenue = fields.Monetary(string="Our Expected Revenue", readonly=True, aggregator="sum")
    won_revenue = fields.Monetary(readonly=True, aggregator="sum")
    lost_revenue = fields.Monetary(readonly=True, aggregator="sum")

    def _query(self):
        # their price is kept in its own currency when it differs from the company's: converted figures would
        # need a rate date nobody chose, so the average price reads the prices given in company currency only
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS line_id,
                   c.competitor_id AS competitor_id,
                   c.lead_id AS lead_id,
                   l.partner_id AS partner_id,
                   l.user_id AS user_id,
                   l.team_id AS team_id,
                   l.company_id AS company_id,
                   l.stage_id AS stage_id,
                   l.lost_reason_id AS lost_reason_id,
                   c.outcome AS outcome,
                   c.create_date AS create_date,
                   l.date_closed AS date_closed,
                   company.currency_id AS currency_id,
                   1 AS line_count,
                   CASE WHEN c.outcome = 'won' THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN c.outcome = 'lost' THEN 1 ELSE 0 END AS lost_count,
                   CASE WHEN c.outcome = 'won' THEN 100.0 WHEN c.outcome = 'lost' THEN 0.0 END AS win_rate,
                   CASE WHEN c.currency_id = company.currency_id AND c.price > 0 THEN c.price END AS price,
                   l.expected_revenue AS expected_revenue,
                   CASE WHEN c.outcome = 'won' THEN l.expected_revenue ELSE 0 END AS won_revenue,
                   CASE WHEN c.outcome = 'lost' THEN l.expected_revenue ELSE 0 END AS lost_revenue
              FROM crm_plus_lead_competitor c
              JOIN crm_lead l ON l.id = c.lead_id
              %(company_join)s
            """,
            company_join=self._crm_plus_company_join("l"),
        )
