"""Referrals through a customer merge: a customer merged with the one that referred it refers itself no more."""

from odoo import api, models


class CrmPlusPartnerMerge(models.AbstractModel):
    _inherit = "crm_plus.partner.merge"

    @api.model
    def _merge(self, master, sources, reason=None):
        result = super()._merge(master, sources, reason=reason)
        # the merge moves every reference set-based, past the referrer's constraint: a referrer that became
        # the customer itself (or one of its contacts) is no referral any more
        Partner = self.env["res.partner"].with_context(active_test=False)
        family = Partner.search([("commercial_partner_id", "=", master.commercial_partner_id.id)])
        own = family.filtered(lambda p: p.crm_plus_referrer_partner_id.commercial_partner_id
                              == master.commercial_partner_id)
        if own:
            own.with_context(crm_plus_skip_duplicate_check=True).crm_plus_referrer_partner_id = False
        return result
