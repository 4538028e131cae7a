from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    crm_plus_renewal_rate = fields.Float(
        string="Renewal Rate (12 months)", compute="_compute_crm_plus_renewal_rate",
        groups="crm_plus.group_crm_plus_user",
        help="Renewed contracts / (renewed + expired) among the team's contracts that ended in the last 12 months.")
    crm_plus_renewed_count = fields.Integer(
        string="Renewed (12 months)", compute="_compute_crm_plus_renewal_rate", groups="crm_plus.group_crm_plus_user")
    crm_plus_closed_count = fields.Integer(
        string="Ended (12 months)", compute="_compute_crm_plus_renewal_rate", groups="crm_plus.group_crm_plus_user",
        help="Contracts that ended in the last 12 months, renewed or expired.")

    @api.depends_context("uid", "date")
    def _compute_crm_plus_renewal_rate(self):
        """One grouped query for all teams, over the contracts the user may read."""
        today = fields.Date.context_today(self)
        counts = self.env["crm_plus.contract"]._renewal_counts_by(
            "team_id", today - relativedelta(months=12), today, domain=[("team_id", "in", self.ids)])
        for team in self:
            renewed, closed = counts.get(team, (0, 0))
            team.crm_plus_renewed_count = renewed
            team.crm_plus_closed_count = closed
            team.crm_plus_renewal_rate = renewed / closed if closed else 0.0
