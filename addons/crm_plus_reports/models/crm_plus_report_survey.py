from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_plus.models.crm_plus_survey_request import LOW_SCORE_DEFAULT, REQUEST_STATES

SOURCES = [("order", "Delivered Order"), ("ticket", "Solved Ticket"), ("other", "Other")]


class CrmPlusReportSurvey(models.Model):
    """One row per after-sale survey request (crm_plus.survey.request): the satisfaction trend (average score
    per month answered), the response rate and the low scores, by salesperson, team, survey and source.

    Read under the scope of the survey requests (same owner, team and company columns; the requests' rules).
    """

    _name = "crm_plus.report.survey"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Satisfaction Analysis"
    _auto = False
    _order = "date_sent desc, id desc"
    _rec_name = "request_id"
    _crm_plus_source = {
        "model": "crm_plus.survey.request", "field": "request_id", "owner": "user_id", "count": "request_count",
        "domain": [],
    }
    _crm_plus_date_field = "date_sent"
    _crm_plus_export_fields = ("date_sent", "partner_id", "user_id", "team_id", "survey_id", "source", "state",
                               "date_answered", "score", "low_score")

    request_id = fields.Many2one("crm_plus.survey.request", string="Survey Request", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    state = fields.Selection(REQUEST_STATES, string="Status", readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    request_count = fields.Integer(string="# Surveys", readonly=True, aggregator="sum")
    answered_count = fields.Integer(string="# Answered", readonly=True, aggregator="sum")
    response_rate = fields.Float(string="Response Rate (%)", readonly=True, aggregator="avg",
                                 help="Answered among the surveys sent (those not sent are left out).")
    score = fields.Float(string="Average Score", readonly=True, aggregator="avg",
                         help="The answers' scores (0-100); surveys not answered are left out.")
    low_score = fields.Boolean(readonly=True,
                               help="Answered with a score under the low score of the settings (a churn signal).")

    def _query(self):
        return SQL(
            """
            SELECT r.id AS id,
                   r.id AS request_id,
                   r.partner_id AS partner_id,
                   r.user_id AS user_id,
                   r.team_id AS team_id,
                   r.company_id AS company_id,
                   r.survey_id AS survey_id,
                   CASE r.res_model WHEN 'sale.order' THEN 'order' WHEN 'crm_plus.ticket' THEN 'ticket'
                        ELSE 'other' END AS source,
                   r.state AS state,
                   r.date_sent AS date_sent,
                   r.date_answered AS date_answered,
                   1 AS request_count,
                   CASE WHEN r.state = 'answered' THEN 1 ELSE 0 END AS answered_count,
                   CASE WHEN r.state = 'answered' THEN 100.0 WHEN r.state = 'sent' THEN 0.0 END AS response_rate,
                   CASE WHEN r.state = 'answered' THEN r.score END AS score,
                   r.state = 'answered' AND r.score < COALESCE(threshold.value, %s) AS low_score
              FROM crm_plus_survey_request r
              LEFT JOIN LATERAL (
                    SELECT NULLIF(p.value, '')::float AS value
                      FROM ir_config_parameter p
                     WHERE p.key = 'crm_plus.survey_low_score'
                   ) threshold ON TRUE
            """, float(LOW_SCORE_DEFAULT))
