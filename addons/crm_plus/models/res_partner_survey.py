"""After-sale surveys: a low score is a churn signal; answered surveys in the customer timeline."""

from datetime import timedelta

from odoo import _, api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _crm_plus_churn_signals(self, now, churn_days):
        signals = super()._crm_plus_churn_signals(now, churn_days)
        return signals | self.env["crm_plus.survey.request"]._crm_plus_low_score_customers(
            self, now - timedelta(days=churn_days))

    @api.model
    def _crm_plus_timeline_providers(self):
        providers = super()._crm_plus_timeline_providers()
        providers["survey"] = {
            "model": "crm_plus.survey.request", "partner_field": "partner_id", "commercial": True,
            "date_field": "date_sent", "label": _("Surveys"), "icon": "fa-check-square-o",
            "title": "document_name", "subtitle": "state",
            "index": ["partner_id", "date_sent DESC", "id DESC"],
        }
        return providers
