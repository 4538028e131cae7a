"""After-sale surveys: a finished answer scores its survey request (and so the customer's satisfaction)."""

from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        result = super()._mark_done()
        # the participant is the customer (public link): the system records the score on the request
        requests = self.env["crm_plus.survey.request"].sudo().search([("user_input_id", "in", self.ids)])
        requests._crm_plus_answered()
        return result
