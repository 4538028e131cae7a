"""After-sale surveys: the survey sent when a ticket is solved (teams may choose their own)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_plus_survey_solved_id = fields.Many2one(
        "survey.survey", domain=[("access_mode", "in", ("public", "token"))],
        string="Survey when Solved", config_parameter="crm_plus_service.survey_solved_id",
        help="Sent once to the contact of each solved ticket whose team has no survey of its own. Empty: none.")
