"""Data scopes and contact masking of customers: the hooks of crm_plus.scope.mixin and crm_plus.contact.mask.mixin."""

from odoo import api, models
from odoo.osv import expression

from .res_partner_identity_lock import IDENTITY_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    _crm_plus_masked_fields = {
        "phone": "phone", "mobile": "phone", "phone_e164": "phone", "mobile_e164": "phone",
        "phone_sanitized": "phone", "email": "email", "email_keys": "email", "email_normalized": "email",
        "email_formatted": "email", "phone_keys": "phone",
        # the invoice title card's registered address and phone (地址、电话) holds a phone number too
        "invoice_address_phone": "phone",
    }

    # ------------------------------------------------------------------------------------------------
    # ORM: display names and suggested recipients (the mixin's hooks, see crm_plus_contact_mask_mixin.py)
    # ------------------------------------------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_display_name(self):
        res = super()._compute_display_name()
        self._crm_plus_hide_in_display_names()
        return res

    def _message_get_suggested_recipients(self):
        return self._crm_plus_mask_recipients(super()._message_get_suggested_recipients())

    # ------------------------------------------------------------------------------------------------
    # business: scope and masking hooks
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_scope_always(self):
        # the partners of internal users (colleagues, the company) are everyone's; res.users reads
        # apply the partner rules too, through _inherits
        return [*super()._crm_plus_scope_always(), ("partner_share", "=", False)]

    def _crm_plus_matches_scope(self, scope):
        return super()._crm_plus_matches_scope(scope) or not self.partner_share

    @api.model
    def _crm_plus_masked_domain(self, scope):
        """Customers owned or pooled outside ``scope``: their own owner and team and those of their company
        (a contact belongs to its company's owner too) are all outside it, and someone owns or pools them.
        Partners of internal users and customers nobody owns outside a pool are never masked."""
        users, teams = sorted(scope.user_ids), sorted(scope.team_ids)
        in_scope = expression.OR([
            [("user_id", "in", users)], [("team_id", "in", teams)],
            [("commercial_partner_id.user_id", "in", users)], [("commercial_partner_id.team_id", "in", teams)],
        ])
        held = expression.OR([
            [("user_id", "!=", False)], [("pool_id", "!=", False)],
            [("commercial_partner_id.user_id", "!=", False)], [("commercial_partner_id.pool_id", "!=", False)],
        ])
        return expression.AND([[("partner_share", "=", True)], held, ["!", *in_scope]])

    def _crm_plus_plain_display_name(self):
        return self.with_context(lang=self.env.lang)._get_complete_name().strip()

    def _crm_plus_display_email(self):
        # the real address, read as the system: the display name masks it
        return self.sudo().email

    def _crm_plus_shown_identity(self):
        """{identity field: value as the current user reads it} (contact details masked; many2one ids)."""
        self.ensure_one()
        values = self.read(IDENTITY_FIELDS, load=None)[0]
        return {fname: values[fname] for fname in IDENTITY_FIELDS}
