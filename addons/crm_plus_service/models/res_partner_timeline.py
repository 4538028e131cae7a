"""The customer timeline shows the customer's service tickets (crm_plus's timeline provider hook)."""

from odoo import _, api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _crm_plus_timeline_providers(self):
        providers = super()._crm_plus_timeline_providers()
        providers["ticket"] = {
            "model": "crm_plus.ticket", "partner_field": "customer_id", "commercial": True,
            "date_field": "create_date", "label": _("Tickets"), "icon": "fa-life-ring", "subtitle": "stage_id",
            "index": ["customer_id", "create_date DESC", "id DESC"],
        }
        return providers
