"""Linking a record to a customer requires reading that customer."""

from odoo import api, models


class CrmPlusPartnerLinkMixin(models.AbstractModel):
    """A lead, contract, return visit, ticket or contact created on (or moved to) another salesperson's customer
    would show that customer's name, address and contact details: the many2one fields named in
    ``_crm_plus_partner_links`` may only point at partners the user may read. Inherited by
    ``crm_plus.scope.mixin`` and by the models linked to a customer without a scope of their own."""

    _name = "crm_plus.partner.link.mixin"
    _description = "CRM Plus Link to a Readable Customer"

    # many2one fields to res.partner checked on create and write
    _crm_plus_partner_links = ("partner_id",)

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_plus_check_partner_links(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_plus_check_partner_links([vals])
        return super().write(vals)

    @api.model
    def _crm_plus_check_partner_links(self, vals_list):
        fnames = [fname for fname in self._crm_plus_partner_links if fname in self._fields]
        partner_ids = {vals[fname] for vals in vals_list for fname in fnames if vals.get(fname)}
        if partner_ids:
            self.env["res.partner"]._crm_plus_check_linkable(partner_ids)
