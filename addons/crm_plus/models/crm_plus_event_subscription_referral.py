"""The event of referrals: a referred deal won (its reward is due)."""

from odoo import api, fields, models


class CrmPlusEventSubscription(models.Model):
    _inherit = "crm_plus.event.subscription"

    event = fields.Selection(selection_add=[("referral_won", "Referral Won")], ondelete={"referral_won": "cascade"})

    @api.model
    def _crm_plus_event_models(self):
        return {**super()._crm_plus_event_models(), "referral_won": "crm_plus.referral.reward"}
