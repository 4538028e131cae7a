from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_plus.models.crm_lead_referral import REFERRAL_KINDS

from .crm_plus_report_pipeline import LEAD_STATES


class CrmPlusReportReferral(models.Model):
    """One row per referred lead: who brought the most leads, customers and won revenue.

    ``referrer`` names the referrer whoever they are (a customer, a contact or an employee) so that one pivot
    row ranks them all; ``customer_count`` is 1 on the first won referred deal of each customer (the customers
    gained through referrals). Read under the scope of the leads (same owner, team and company columns; the
    rules of ``crm.lead``), like the pipeline analysis.
    """

    _name = "crm_plus.report.referral"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Referral Analysis"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "lead_id"
    _crm_plus_source = {"model": "crm.lead", "field": "lead_id", "owner": "user_id", "count": "lead_count",
                        "domain": [("crm_plus_is_referral", "=", True)]}
    _crm_plus_date_field = "create_date"
    _crm_plus_export_fields = ("lead_id", "partner_id", "referrer", "referral_kind", "user_id", "team_id", "state",
                               "create_date", "date_closed", "won_revenue", "reward_state")

    lead_id = fields.Many2one("crm.lead", string="Lead", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    referrer = fields.Char(readonly=True)
    referral_kind = fields.Selection(REFERRAL_KINDS, string="Referrer Type", readonly=True)
    referrer_partner_id = fields.Many2one("res.partner", string="Referred by Customer", readonly=True)
    referrer_user_id = fields.Many2one("res.users", string="Referred by Employee", readonly=True)
    state = fields.Selection(LEAD_STATES, string="Status", readonly=True)
    reward_state = fields.Selection(
        [("none", "No Reward"), ("to_reward", "To Reward"), ("rewarded", "Rewarded"), ("cancelled", "Cancelled")],
        string="Reward", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    lead_count = fields.Integer(string="# Leads", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="# Lost", readonly=True, aggregator="sum")
    customer_count = fields.Integer(string="# Customers Gained", readonly=True, aggregator="sum",
                                    help="Customers whose first won referred deal this is.")
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg",
                            help="Won among the closed (won or lost) referred leads.")
    won_revenue = fields.Monetary(readonly=True, aggregator="sum")
    open_revenue = fields.Monetary(string="Open Expected Revenue", readonly=True, aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS lead_id,
                   l.partner_id AS partner_id,
                   l.user_id AS user_id,
                   l.team_id AS team_id,
                   l.company_id AS company_id,
                   l.source_id AS source_id,
                   COALESCE(rp.name, ru_partner.name) AS referrer,
                   l.crm_plus_referral_kind AS referral_kind,
                   l.crm_plus_referrer_partner_id AS referrer_partner_id,
                   l.crm_plus_referrer_user_id AS referrer_user_id,
                   %(state)s AS state,
                   COALESCE(reward.state, 'none') AS reward_state,
                   l.create_date AS create_date,
                   l.date_closed AS date_closed,
                   company.currency_id AS currency_id,
                   1 AS lead_count,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN NOT l.active THEN 1 ELSE 0 END AS lost_count,
                   CASE WHEN %(won)s AND ROW_NUMBER() OVER (
                            PARTITION BY COALESCE(cp.commercial_partner_id, -l.id), %(won)s
                            ORDER BY l.date_closed, l.id) = 1
                        THEN 1 ELSE 0 END AS customer_count,
                   CASE WHEN %(won)s THEN 100.0 WHEN NOT l.active THEN 0.0 END AS win_rate,
                   CASE WHEN %(won)s THEN l.expected_revenue ELSE 0 END AS won_revenue,
                   CASE WHEN %(open)s THEN l.expected_revenue ELSE 0 END AS open_revenue
              FROM crm_lead l
              %(company_join)s
         LEFT JOIN crm_stage s ON s.id = l.stage_id
         LEFT JOIN res_partner cp ON cp.id = l.partner_id
         LEFT JOIN res_partner rp ON rp.id = l.crm_plus_referrer_partner_id
         LEFT JOIN res_users ru ON ru.id = l.crm_plus_referrer_user_id
         LEFT JOIN res_partner ru_partner ON ru_partner.id = ru.partner_id
         LEFT JOIN crm_plus_referral_reward reward ON reward.lead_id = l.id
             WHERE l.crm_plus_is_referral
            """,
            company_join=self._crm_plus_company_join("l"),
            state=self._crm_plus_lead_state(),
            won=self._crm_plus_lead_won(),
            open=self._crm_plus_lead_open(),
        )
