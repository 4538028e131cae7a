"""After-sale surveys: which survey follows a delivery, and the score under which a customer is at risk."""

from odoo import fields, models

from .crm_plus_survey_request import LOW_SCORE_DEFAULT


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_plus_survey_delivery_id = fields.Many2one(
        "survey.survey", domain=[("access_mode", "in", ("public", "token"))],
        string="Survey after Delivery", config_parameter="crm_plus.survey_delivery_id",
        help="Sent once to the customer of each fully delivered order. Empty: none.")
    crm_plus_survey_low_score = fields.Integer(
        string="Low Survey Score", default=LOW_SCORE_DEFAULT, config_parameter="crm_plus.survey_low_score",
        help="An after-sale survey answered with a score (0-100) under this value flags the customer Churn Risk.")
