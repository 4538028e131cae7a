"""Tickets: the customer's contact details they show are masked like the customer's (linking a ticket to a customer
needs reading it: crm_plus.partner.link.mixin, through the scope mixin of crm_plus_ticket_scope.py)."""

from odoo import api, models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _inherit = ["crm_plus.ticket", "crm_plus.contact.mask.mixin"]

    _crm_plus_masked_fields = {"partner_email": "email", "partner_phone": "phone", "email_from": "email"}

    @api.model
    def _crm_plus_masked_domain(self, scope):
        """The tickets of customers whose contact details are hidden from the user (the customer's domain)."""
        Partner = self.env["res.partner"]
        # the customers' masked set depends on owners and pools the user may not read: a query as the system
        masked = Partner.sudo().with_context(active_test=False)._search(Partner._crm_plus_masked_domain(scope))
        return [("partner_id", "in", masked)]
