"""Data scopes and contact masking of leads: the hooks of crm_plus.scope.mixin and crm_plus.contact.mask.mixin."""

from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # contact masking: the lead of a pool customer (公海) shows its details to whoever claims the customer
    _crm_plus_masked_fields = {
        "phone": "phone", "mobile": "phone", "phone_sanitized": "phone", "email_from": "email",
        "email_normalized": "email",
    }

    # ------------------------------------------------------------------------------------------------
    # business: masking hook
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_outside_contact_scope(self, scope):
        """Leads outside ``scope`` that someone else holds: another salesperson's, or an unassigned lead of
        a customer owned by someone else or waiting in a customer pool. A new unassigned lead of no known
        customer stays readable: someone has to answer it."""
        outside = set()
        # owners, teams and pools decide whatever the user may read of them: read as the system, ids of self only
        for lead in self.sudo():
            if lead.user_id.id in scope.user_ids or lead.team_id.id in scope.team_ids:
                continue
            customer = lead.partner_id.commercial_partner_id
            if lead.user_id or customer.pool_id or (customer.user_id and customer.user_id.id not in scope.user_ids):
                outside.add(lead.id)
        return outside
