import ast

from odoo import api, fields, models

ASSIGNMENT_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round Robin"),
    ("balanced", "Balanced Load"),
    ("skills", "By Skills"),
]


class CrmPlusTicketTeam(models.Model):
    _name = "crm_plus.ticket.team"
    _description = "Service Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    leader_id = fields.Many2one("res.users", string="Team Leader", domain=[("share", "=", False)])
    member_ids = fields.Many2many(
        "res.users", "crm_plus_ticket_team_member_rel", "team_id", "user_id", string="Agents", check_company=True,
        domain=[("share", "=", False)])
    resource_calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", required=True, ondelete="restrict", check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="SLA clocks of this team's tickets only count the working time of this calendar.")
    stage_ids = fields.Many2many(
        "crm_plus.ticket.stage", "crm_plus_ticket_stage_team_rel", "team_id", "stage_id", string="Stages",
        help="Stages this team's tickets go through; stages without a team are everyone's.")
    assignment_method = fields.Selection(ASSIGNMENT_METHODS, default="manual", required=True)
    assignment_pointer_id = fields.Many2one(
        "res.users", string="Last Assigned", readonly=True, copy=False,
        help="The agent round robin assigned last; the next ticket goes to the agent after them.")
    # counters of the team overview
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    at_risk_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    breached_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    def _compute_ticket_counts(self):
        groups = self.env["crm_plus.ticket"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False), ("is_solved", "=", False)],
            ["team_id", "sla_state", "user_id"], ["__count"])
        counts = {team: {"open": 0, "unassigned": 0, "at_risk": 0, "breached": 0} for team in self}
        for team, state, user, count in groups:
            counts[team]["open"] += count
            if not user:
                counts[team]["unassigned"] += count
            if state in ("at_risk", "breached"):
                counts[team][state] += count
        for team in self:
            team.open_ticket_count = counts[team]["open"]
            team.unassigned_ticket_count = counts[team]["unassigned"]
            team.at_risk_ticket_count = counts[team]["at_risk"]
            team.breached_ticket_count = counts[team]["breached"]

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("crm_plus.ticket")
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
        return values

    def write(self, vals):
        result = super().write(vals)
        if "resource_calendar_id" in vals:
            self.env["crm_plus.ticket.clock"]._crm_plus_mark_recompute([("ticket_id.team_id", "in", self.ids)])
        return result

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_open_tickets(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus_service.action_crm_plus_ticket")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    @api.model
    def _crm_plus_reply_address(self, team_ids):
        """{team id: its alias address (local@domain)} of the teams having one."""
        return {team.id: team.alias_email for team in self.browse(team_ids).sudo() if team.alias_email}
