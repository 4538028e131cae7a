"""Data scope and contact masking of tickets: the hooks of crm_plus.scope.mixin and crm_plus.contact.mask.mixin."""

from odoo import models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _inherit = ["crm_plus.ticket", "crm_plus.scope.mixin", "crm_plus.contact.mask.mixin"]

    # a ticket is in the scope of the customer's salesperson and sales team
    _crm_plus_owner_field = "customer_user_id"
    _crm_plus_team_field = "customer_team_id"
    _crm_plus_unowned_in_scope = False
    _crm_plus_masked_fields = {"partner_email": "email", "partner_phone": "phone", "email_from": "email"}

    def _crm_plus_outside_contact_scope(self, scope):
        """Tickets of customers whose contact details are hidden from the user (the customer decides)."""
        # the customer's owner decides whatever the user may read of the customer: read as the system
        tickets = self.sudo()
        hidden = tickets.partner_id._crm_plus_outside_contact_scope(scope)
        return {t.id for t in tickets if t.partner_id.id in hidden}
