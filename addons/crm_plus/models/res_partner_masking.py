"""Which customers' contact details a masked user must not see, as one domain (crm_plus.contact.mask.mixin)."""

from odoo import api, models
from odoo.osv import expression

from .res_partner import IDENTITY_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    @api.depends_context("uid")
    def _compute_display_name(self):
        super()._compute_display_name()
        self._crm_plus_hide_in_display_names()

    def _message_get_suggested_recipients(self):
        return self._crm_plus_mask_recipients(super()._message_get_suggested_recipients())

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
