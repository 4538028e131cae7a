"""Identity lock: a company with confirmed orders or posted invoices changes identity only through a data steward
or an approved change request."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# identity fields of a company customer, guarded once it has confirmed orders or invoices
IDENTITY_FIELDS = ["name", "uscc", "vat", "phone", "mobile", "email", "street", "street2", "zip", "city",
                   "state_id", "country_id",
                   # the invoice title card (开票信息) is identity data too
                   "invoice_title", "invoice_bank_name", "invoice_bank_account", "invoice_address_phone"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    identity_locked = fields.Boolean(
        compute="_compute_identity_locked",
        help="This company has confirmed orders or posted invoices: only a data steward changes its identity "
             "fields; others propose a change.")
    change_request_count = fields.Integer(compute="_compute_change_request_count")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_identity_locked(self):
        may_edit = self._crm_plus_may_edit_identity()
        locked = self.browse() if may_edit else self._crm_plus_identity_locked_partners()
        for partner in self:
            partner.identity_locked = partner in locked

    def _compute_change_request_count(self):
        counts = dict(self.env["crm_plus.partner.change.request"]._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "pending")], ["partner_id"], ["__count"]))
        for partner in self:
            partner.change_request_count = counts.get(partner._origin, 0)

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    def write(self, vals):
        if not self._crm_plus_may_edit_identity():
            self._crm_plus_check_identity_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_crm_plus_propose_change(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Propose a Change"),
            "res_model": "crm_plus.partner.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_crm_plus_open_change_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Requests"),
            "res_model": "crm_plus.partner.change.request",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
        }

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_may_edit_identity(self):
        return self.env.su or self.env.user.has_group("crm_plus.group_crm_plus_data_steward")

    def _crm_plus_identity_locked_partners(self):
        """Company customers with a confirmed sale order or a posted customer invoice (grouped queries)."""
        companies = self.filtered(lambda p: p.is_company and p.id)
        if not companies:
            return self.browse()
        ids = set()
        # the lock depends on documents the user may not see: count them as the system
        orders = self.env["sale.order"].sudo()._read_group(
            [("partner_id", "in", companies.ids), ("state", "=", "sale")], ["partner_id"])
        ids.update(partner.id for (partner,) in orders)
        invoices = self.env["account.move"].sudo()._read_group(
            [("commercial_partner_id", "in", companies.ids), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund"))], ["commercial_partner_id"])
        ids.update(partner.id for (partner,) in invoices)
        return companies.filtered(lambda p: p.id in ids)

    def _crm_plus_check_identity_write(self, vals):
        changed = [f for f in IDENTITY_FIELDS if f in vals]
        if not changed:
            return
        for partner in self._crm_plus_identity_locked_partners():
            really = [f for f in changed if partner._crm_plus_differs(f, vals[f])]
            if really:
                labels = ", ".join(self._fields[f].get_description(self.env)["string"] for f in really)
                raise UserError(_(
                    "%(partner)s has confirmed orders or invoices: only a data steward can change %(fields)s. "
                    "Use \"Propose a Change\" on the customer instead.",
                    partner=partner.display_name, fields=labels))

    def _crm_plus_differs(self, fname, value):
        current = self[fname]
        if isinstance(current, models.BaseModel):
            return current.id != (value or False)
        return (current or False) != (value or False)
