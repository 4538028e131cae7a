"""After-sale surveys: the question whose answer is the customer's satisfaction score."""

from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    crm_plus_rating_question_id = fields.Many2one(
        "survey.question", string="Satisfaction Question",
        domain="[('survey_id', '=', id), ('question_type', '=', 'scale')]",
        help="An after-sale survey's score is this scale question's answer spread over 0-100; without one, the "
             "survey's scoring percentage.")
