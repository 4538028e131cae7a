from odoo import api, fields, models
from odoo.tools import SQL

# weeks shown per salesperson (two years), from the week they joined
WEEKS_SHOWN = 104


class CrmPlusReportAdoption(models.Model):
    """One row per salesperson and week: CRM adoption against the weekly target the sales manager sets.

    Customer updates are the messages, notes and tracked changes a salesperson made on customers and leads;
    activities done are the activities they marked done (any document). Every week of every salesperson has a
    row, so a week without any work shows as zero, below target. The target is the weekly target of the
    salesperson's sales team (``crm.team.crm_plus_weekly_target``, set by the sales manager on the team), read
    at every query; a salesperson without a team has none (target 0, "on target" left empty).
    Read under the salespeople's data scope: a salesperson their own weeks, a team leader their teams', a
    sales manager their department's.
    """

    _name = "crm_plus.report.adoption"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "CRM Adoption"
    _auto = False
    _order = "week desc, user_id"
    _crm_plus_unowned_in_scope = False
    _crm_plus_date_field = "week"
    _crm_plus_export_fields = ("week", "user_id", "team_id", "customer_updates", "activities_done", "touches",
                               "target")

    week = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    customer_updates = fields.Integer(string="# Customer Updates", readonly=True, aggregator="sum")
    activities_done = fields.Integer(string="# Activities Done", readonly=True, aggregator="sum")
    touches = fields.Integer(string="# Updates and Activities", readonly=True, aggregator="sum")
    target = fields.Integer(string="Weekly Target", readonly=True, aggregator="sum")
    target_met = fields.Float(string="Weeks on Target (%)", readonly=True, aggregator="avg")

    @api.depends("week", "user_id")
    def _compute_display_name(self):
        for row in self:
            row.display_name = "%s %s" % (row.user_id.name or "", row.week or "")

    def _query(self):
        return SQL(
            """
            WITH sales AS (
                SELECT u.id AS user_id, u.partner_id, u.company_id,
                       (SELECT m.crm_team_id FROM crm_team_member m
                         WHERE m.user_id = u.id AND m.active ORDER BY m.id LIMIT 1) AS team_id,
                       GREATEST(date_trunc('week', u.create_date),
                                date_trunc('week', CURRENT_DATE) - %(weeks)s * INTERVAL '1 week') AS since
                  FROM res_users u
                  JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %(group)s
                 WHERE u.active
            ), done AS (
                SELECT s.user_id, date_trunc('week', m.date) AS week,
                       COUNT(*) FILTER (WHERE m.mail_activity_type_id IS NULL) AS updates,
                       COUNT(*) FILTER (WHERE m.mail_activity_type_id IS NOT NULL) AS activities
                  FROM mail_message m
                  JOIN sales s ON s.partner_id = m.author_id
                 WHERE m.date >= s.since
                   AND (m.mail_activity_type_id IS NOT NULL
                        OR (m.model IN ('res.partner', 'crm.lead') AND m.message_type IN ('comment', 'notification')))
              GROUP BY s.user_id, date_trunc('week', m.date)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY s.user_id, w.week) AS id,
                   w.week::date AS week,
                   s.user_id AS user_id,
                   s.team_id AS team_id,
                   s.company_id AS company_id,
                   COALESCE(d.updates, 0) AS customer_updates,
                   COALESCE(d.activities, 0) AS activities_done,
                   COALESCE(d.updates, 0) + COALESCE(d.activities, 0) AS touches,
                   COALESCE(team.crm_plus_weekly_target, 0) AS target,
                   CASE WHEN COALESCE(team.crm_plus_weekly_target, 0) = 0 THEN NULL
                        WHEN COALESCE(d.updates, 0) + COALESCE(d.activities, 0) >= team.crm_plus_weekly_target
                        THEN 100.0 ELSE 0.0 END AS target_met
              FROM sales s
         LEFT JOIN crm_team team ON team.id = s.team_id
             CROSS JOIN LATERAL generate_series(s.since, date_trunc('week', CURRENT_DATE), INTERVAL '1 week')
                   AS w(week)
         LEFT JOIN done d ON d.user_id = s.user_id AND d.week = w.week
            """,
            weeks=WEEKS_SHOWN,
            group=self.env.ref("crm_plus.group_crm_plus_user").id,
        )
