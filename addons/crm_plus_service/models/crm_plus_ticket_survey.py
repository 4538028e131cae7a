"""After-sale surveys: the survey of the ticket's team (else the global one) sent once a ticket is solved."""

from odoo import models


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    def _crm_plus_rating_request(self):
        # called once for the tickets just solved: the survey goes out with the rating request
        result = super()._crm_plus_rating_request()
        self._crm_plus_send_solved_survey()
        return result

    def _crm_plus_send_solved_survey(self):
        """Send each solved ticket's survey (its team's, else the settings') once per ticket."""
        default = self.env["res.config.settings"]._crm_plus_param("survey_solved_id")
        by_survey = {}
        for ticket in self.filtered(lambda t: t.partner_id and t.is_solved):
            survey = ticket.team_id.crm_plus_survey_id or default
            if survey:
                by_survey.setdefault(survey, self.browse())
                by_survey[survey] |= ticket
        Request = self.env["crm_plus.survey.request"]
        for survey, tickets in by_survey.items():
            # the request belongs to the customer's salesperson and sales team (their data scope)
            Request._crm_plus_send(survey, tickets, lambda ticket: {
                "partner_id": ticket.customer_id.id,
                "contact_id": ticket.partner_id.id,
                "user_id": ticket.customer_user_id.id,
                "team_id": ticket.customer_team_id.id,
                "company_id": ticket.company_id.id,
            })
