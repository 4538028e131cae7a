"""Tickets: the customer's contact details they show are masked like the customer's, and linking needs reading it."""

from odoo import api, models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _inherit = ["crm_plus.ticket", "crm_plus.contact.mask.mixin"]

    _crm_plus_masked_fields = {"partner_email": "email", "partner_phone": "phone", "email_from": "email"}

    @api.model_create_multi
    def create(self, vals_list):
        # a ticket is opened on a customer the user may read (as leads and contracts are)
        self.env["res.partner"]._crm_plus_check_linkable(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            self.env["res.partner"]._crm_plus_check_linkable({vals["partner_id"]})
        return super().write(vals)

    @api.model
    def _crm_plus_masked_domain(self, scope):
        """The tickets of customers whose contact details are hidden from the user (the customer's domain)."""
        Partner = self.env["res.partner"]
        # the customers' masked set depends on owners and pools the user may not read: a query as the system
        masked = Partner.sudo().with_context(active_test=False)._search(Partner._crm_plus_masked_domain(scope))
        return [("partner_id", "in", masked)]
