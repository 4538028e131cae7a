"""Customers: who owns them, their pool and their identity, checked on the state a write leaves."""

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from .res_partner_identity_lock import IDENTITY_FIELDS

# fields that say whether a customer is in a pool and whether it is locked: Claim, Release, Assign, Lock
POOL_FIELDS = ("pool_id", "pool_date", "pool_locked")
# fields of a pool customer that decide who holds it: they change through the pool's actions only
HOLDER_FIELDS = ("user_id", "commercial_partner_id", "company_id", "active")
# a locked company's identity, and whether it is a company at all
GUARDED_IDENTITY_FIELDS = (*IDENTITY_FIELDS, "is_company")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # linking a contact to a company requires reading that company (crm_plus.scope.mixin)
    _crm_plus_partner_links = ("parent_id",)

    @api.model
    def _crm_plus_check_linkable(self, partner_ids):
        """Raise AccessError unless the current user may read the partners ``partner_ids``."""
        if not self.env.su:
            self.browse(partner_ids).check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.su:
            partners._crm_plus_check_new_partners()
        return partners

    def write(self, vals):
        """The salesperson, pool and identity of a customer may change only through the paths allowed to
        the user, whichever fields ``vals`` names: Odoo gives a contact its new company's salesperson, the
        commercial fields follow the company, an import or a merge fills empty fields. The state before
        and after the write are compared."""
        if self.env.su or not self.ids:
            return super().write(vals)
        before = self._crm_plus_guarded_state()
        res = super().write(vals)
        self._crm_plus_check_guarded_changes(before)
        return res

    # --- business -------------------------------------------------------------------------------

    def _crm_plus_may_manage_pools(self):
        return self.env.user.has_group("crm_plus.group_crm_plus_manager")

    def _crm_plus_check_new_partners(self):
        """A new customer enters a pool only through Release to Pool (or a sales manager); a new contact
        belongs to a company the user may read."""
        self._crm_plus_check_linkable(set(self.sudo().parent_id.ids))
        if not self._crm_plus_may_manage_pools() and any(p[f] for p in self.sudo() for f in POOL_FIELDS):
            raise AccessError(self._crm_plus_pool_message())

    def _crm_plus_pool_message(self):
        return _("Customers enter and leave a customer pool (公海) through Claim, Release to Pool "
                 "and Assign, and are locked through Lock and Unlock; ask a sales manager to "
                 "change these fields directly.")

    def _crm_plus_guarded_state(self):
        """{id: values} of the fields of ``self`` the user may not change indirectly, and which of the
        records are pool customers and locked companies (decided before the write)."""
        manager = self._crm_plus_may_manage_pools()
        steward = self._crm_plus_may_edit_identity()
        # owners, pools and documents decide whatever the user may read of them: ids of self, as the system
        partners = self.sudo().with_context(active_test=False)
        fnames = [*([] if manager else [*POOL_FIELDS, *HOLDER_FIELDS]),
                  *([] if steward else GUARDED_IDENTITY_FIELDS)]
        if not fnames:
            return None
        return {
            "fnames": fnames,
            "values": {p.id: {f: p[f] for f in fnames} for p in partners},
            "pooled": set() if manager else set(partners.filtered(
                lambda p: p.pool_id or p.commercial_partner_id.pool_id).ids),
            "locked": set() if steward else set(partners._crm_plus_identity_locked_partners().ids),
        }

    def _crm_plus_check_guarded_changes(self, before):
        if not before:
            return
        # reading the fields recomputes what the write left to compute (a contact's salesperson, its company)
        partners = self.sudo().with_context(active_test=False)
        for partner in partners:
            old = before["values"].get(partner.id)
            if old is None:
                continue
            changed = {f for f in before["fnames"] if partner[f] != old[f]}
            if changed & set(POOL_FIELDS) or (partner.id in before["pooled"] and changed & set(HOLDER_FIELDS)):
                raise AccessError(self._crm_plus_pool_message())
            identity = changed & set(GUARDED_IDENTITY_FIELDS)
            if partner.id in before["locked"] and identity:
                labels = ", ".join(self._fields[f].get_description(self.env)["string"]
                                   for f in GUARDED_IDENTITY_FIELDS if f in identity)
                raise UserError(_(
                    "%(partner)s has confirmed orders or invoices: only a data steward can change %(fields)s. "
                    "Use \"Propose a Change\" on the customer instead.",
                    partner=partner.display_name, fields=labels))
