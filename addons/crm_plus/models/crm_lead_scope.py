"""Data scopes and contact masking of leads: the hooks of crm_plus.scope.mixin and crm_plus.contact.mask.mixin."""

from odoo import api, models
from odoo.osv import expression


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # contact masking: the lead of a pool customer (公海) shows its details to whoever claims the customer
    _crm_plus_masked_fields = {
        "phone": "phone", "mobile": "phone", "phone_sanitized": "phone", "email_from": "email",
        "email_normalized": "email",
    }

    # ------------------------------------------------------------------------------------------------
    # ORM: suggested recipients (the mixin's hook, see crm_plus_contact_mask_mixin.py)
    # ------------------------------------------------------------------------------------------------

    def _message_get_suggested_recipients(self):
        return self._crm_plus_mask_recipients(super()._message_get_suggested_recipients())

    # ------------------------------------------------------------------------------------------------
    # business: masking hook
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_masked_domain(self, scope):
        """Leads outside ``scope`` that someone else holds: another salesperson's, or an unassigned lead of
        a customer owned by someone else or waiting in a customer pool. A new unassigned lead of no known
        customer stays readable: someone has to answer it."""
        users, teams = sorted(scope.user_ids), sorted(scope.team_ids)
        customer = "partner_id.commercial_partner_id"
        held = expression.OR([
            [("user_id", "!=", False)],
            [(customer + ".pool_id", "!=", False)],
            [(customer + ".user_id", "!=", False), (customer + ".user_id", "not in", users)],
        ])
        return expression.AND([["!", "|", ("user_id", "in", users), ("team_id", "in", teams)], held])
