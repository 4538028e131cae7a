"""A low ticket rating is a churn-risk signal of the customer's lifecycle (crm_plus's daily scan)."""

from datetime import timedelta

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _crm_plus_churn_signals(self, now, churn_days):
        signals = super()._crm_plus_churn_signals(now, churn_days)
        return signals | self.env["crm_plus.ticket"]._crm_plus_low_rating_customers(
            self, now - timedelta(days=churn_days))
