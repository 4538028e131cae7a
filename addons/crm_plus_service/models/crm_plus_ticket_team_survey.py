"""After-sale surveys: the survey a team's solved tickets send (instead of the global one)."""

from odoo import fields, models


class CrmPlusTicketTeam(models.Model):
    _inherit = "crm_plus.ticket.team"

    crm_plus_survey_id = fields.Many2one(
        "survey.survey", domain=[("access_mode", "in", ("public", "token"))],
        string="Survey when Solved",
        help="Sent once to the contact of each ticket of this team when it is solved. Empty: the survey of the "
             "settings, if any.")
