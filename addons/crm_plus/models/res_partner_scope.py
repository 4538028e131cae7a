"""Data scopes and contact masking of customers: the hooks of crm_plus.scope.mixin and crm_plus.contact.mask.mixin."""

from odoo import api, models

from ..tools.masking import mask_value


class ResPartner(models.Model):
    _inherit = "res.partner"

    _crm_plus_masked_fields = {
        "phone": "phone", "mobile": "phone", "phone_e164": "phone", "mobile_e164": "phone",
        "phone_sanitized": "phone", "email": "email", "email_keys": "email", "email_normalized": "email",
        "email_formatted": "email",
    }

    # ------------------------------------------------------------------------------------------------
    # ORM: display names with the e-mail
    # ------------------------------------------------------------------------------------------------

    # display names with the e-mail (context show_email: mail composer, followers) hide a masked e-mail too
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "display_name" in fnames and self.env.context.get("show_email"):
            labels = self._crm_plus_mask_display_names([(vals["id"], vals.get("display_name")) for vals in result])
            for vals, (_id, label) in zip(result, labels, strict=True):
                if "display_name" in vals:
                    vals["display_name"] = label
        return result
    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        result = super().name_search(name=name, args=args, operator=operator, limit=limit)
        if self.env.context.get("show_email"):
            result = self._crm_plus_mask_display_names(result)
        return result

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
    def _crm_plus_mask_display_names(self, pairs):
        """[(id, display name)] with the e-mail in the names of masked partners masked."""
        masked = self.browse(pid for pid, _label in pairs if isinstance(pid, int))._crm_plus_masked_ids()
        if not masked:
            return pairs
        emails_by_id = {p.id: p.email for p in self.browse(masked).sudo()}  # the real address, to find it
        return [(pid, label.replace(emails_by_id[pid], mask_value("email", emails_by_id[pid]))
                 if pid in masked and label and emails_by_id.get(pid) else label) for pid, label in pairs]

    def _crm_plus_outside_contact_scope(self, scope):
        """Customers owned (or pooled) outside ``scope``; a contact belongs to its company's owner too."""
        outside = set()
        # the owner of a contact's company decides, and the user may read a contact but not its company:
        # owners, teams and pools are read as the system, for the ids of self only
        for partner in self.sudo():
            if not partner.partner_share:
                continue
            owners = partner | partner.commercial_partner_id
            if any(p.user_id.id in scope.user_ids or p.team_id.id in scope.team_ids for p in owners):
                continue
            if owners.pool_id or owners.user_id:
                outside.add(partner.id)
        return outside
