from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_plus.models.crm_lead_referral import REFERRAL_KINDS

LEAD_STATES = [("open", "Open"), ("won", "Won"), ("lost", "Lost")]


class CrmPlusReportPipeline(models.Model):
    """One row per lead or opportunity: pipeline, conversion, speed-to-lead, won and lost reasons, ranking.

    The pipeline by stage, owner, team and source; the conversion lead → opportunity → won by source, medium
    and campaign (``lead_count``, ``opportunity_count``, ``won_count``, ``win_rate``); speed-to-lead (hours
    from the assignment to the first done activity or reply of an internal user) and stale leads (last touch
    long ago); won and lost reasons; the salesperson ranking (won revenue, win rate, activities done).
    Read under the scope of the leads (same owner, team and company columns; the rules of ``crm.lead``).
    """

    _name = "crm_plus.report.pipeline"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Pipeline Analysis"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "lead_id"
    _crm_plus_source = {"model": "crm.lead", "field": "lead_id", "owner": "user_id", "count": "lead_count"}
    _crm_plus_date_field = "create_date"
    _crm_plus_export_fields = ("lead_id", "partner_id", "user_id", "team_id", "stage_id", "state", "source_id",
                               "medium_id", "campaign_id", "lost_reason_id", "create_date", "date_closed",
                               "last_touch_date", "hours_to_first_touch", "activities_done", "open_revenue",
                               "won_revenue")

    lead_id = fields.Many2one("crm.lead", string="Lead", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Lost Reason", readonly=True)
    type = fields.Selection([("lead", "Lead"), ("opportunity", "Opportunity")], readonly=True)
    state = fields.Selection(LEAD_STATES, string="Status", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_open = fields.Datetime(string="Assigned On", readonly=True)
    date_conversion = fields.Datetime(string="Converted On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    first_touch_date = fields.Datetime(string="First Touch", readonly=True,
                                       help="First done activity or reply of a colleague after the assignment.")
    last_touch_date = fields.Datetime(string="Last Touch", readonly=True,
                                      help="Last done activity or message of a colleague (else the assignment).")
    currency_id = fields.Many2one("res.currency", readonly=True)
    lead_count = fields.Integer(string="# Leads", readonly=True, aggregator="sum")
    opportunity_count = fields.Integer(string="# Opportunities", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="# Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="# Lost", readonly=True, aggregator="sum")
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg",
                            help="Won among the closed (won or lost) leads.")
    open_revenue = fields.Monetary(string="Open Expected Revenue", readonly=True, aggregator="sum")
    prorated_revenue = fields.Monetary(string="Open Prorated Revenue", readonly=True, aggregator="sum")
    won_revenue = fields.Monetary(readonly=True, aggregator="sum")
    hours_to_first_touch = fields.Float(string="Hours to First Touch", readonly=True, aggregator="avg",
                                        help="Speed-to-lead: hours from the assignment to the first touch.")
    activities_done = fields.Integer(string="# Activities Done", readonly=True, aggregator="sum")
    # referrals: a referred lead counts as a referral whatever its source (crm_plus crm_lead_referral.py)
    is_referral = fields.Boolean(string="Referral", readonly=True)
    referral_kind = fields.Selection(REFERRAL_KINDS, string="Referrer Type", readonly=True)
    referrer_partner_id = fields.Many2one("res.partner", string="Referred by Customer", readonly=True)
    referrer_user_id = fields.Many2one("res.users", string="Referred by Employee", readonly=True)

    def _query(self):
        # touches: done activities, and messages a colleague (internal user) posted for the customer
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS lead_id,
                   l.user_id AS user_id,
                   l.team_id AS team_id,
                   l.company_id AS company_id,
                   l.partner_id AS partner_id,
                   l.stage_id AS stage_id,
                   l.source_id AS source_id,
                   l.medium_id AS medium_id,
                   l.campaign_id AS campaign_id,
                   l.lost_reason_id AS lost_reason_id,
                   l.type AS type,
                   %(state)s AS state,
                   l.create_date AS create_date,
                   l.date_open AS date_open,
                   l.date_conversion AS date_conversion,
                   l.date_closed AS date_closed,
                   touch.first_touch AS first_touch_date,
                   COALESCE(touch.last_touch, l.date_open, l.create_date) AS last_touch_date,
                   company.currency_id AS currency_id,
                   1 AS lead_count,
                   CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL THEN 1 ELSE 0 END
                       AS opportunity_count,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN NOT l.active THEN 1 ELSE 0 END AS lost_count,
                   CASE WHEN %(won)s THEN 100.0 WHEN NOT l.active THEN 0.0 END AS win_rate,
                   CASE WHEN %(open)s THEN l.expected_revenue ELSE 0 END AS open_revenue,
                   CASE WHEN %(open)s THEN l.prorated_revenue ELSE 0 END
                       AS prorated_revenue,
                   CASE WHEN %(won)s THEN l.expected_revenue ELSE 0 END AS won_revenue,
                   -- NULL until the first touch (GREATEST alone would make it 0: an instant answer)
                   CASE WHEN touch.first_touch IS NOT NULL
                        THEN GREATEST(EXTRACT(EPOCH FROM touch.first_touch - COALESCE(l.date_open, l.create_date)),
                                      0) / 3600.0
                   END AS hours_to_first_touch,
                   COALESCE(touch.activities_done, 0) AS activities_done,
                   COALESCE(l.crm_plus_is_referral, FALSE) AS is_referral,
                   l.crm_plus_referral_kind AS referral_kind,
                   l.crm_plus_referrer_partner_id AS referrer_partner_id,
                   l.crm_plus_referrer_user_id AS referrer_user_id
              FROM crm_lead l
              %(company_join)s
         LEFT JOIN crm_stage s ON s.id = l.stage_id
         LEFT JOIN (
                    SELECT m.res_id,
                           MIN(m.date) AS first_touch,
                           MAX(m.date) AS last_touch,
                           COUNT(*) FILTER (WHERE m.mail_activity_type_id IS NOT NULL) AS activities_done
                      FROM mail_message m
                     WHERE m.model = 'crm.lead'
                       AND (m.mail_activity_type_id IS NOT NULL
                            OR (m.message_type IN ('comment', 'email') AND m.subtype_id = %(comment)s
                                AND EXISTS (SELECT 1 FROM res_users u
                                             WHERE u.partner_id = m.author_id AND u.share IS NOT TRUE)))
                  GROUP BY m.res_id
                   ) touch ON touch.res_id = l.id
            """,
            company_join=self._crm_plus_company_join("l"),
            state=self._crm_plus_lead_state(),
            won=self._crm_plus_lead_won(),
            open=self._crm_plus_lead_open(),
            comment=self.env.ref("mail.mt_comment").id,
        )
