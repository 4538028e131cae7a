from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner_identity_lock import IDENTITY_FIELDS


class CrmPlusPartnerChangeWizard(models.TransientModel):
    """Propose new identity values for a locked customer; a data steward applies them."""

    _name = "crm_plus.partner.change.wizard"
    _description = "Propose a Customer Identity Change"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    name = fields.Char()
    uscc = fields.Char(string="USCC")
    vat = fields.Char(string="Tax ID")
    phone = fields.Char()
    mobile = fields.Char()
    email = fields.Char()
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    state_id = fields.Many2one("res.country.state", domain="[('country_id', '=?', country_id)]")
    country_id = fields.Many2one("res.country")
    invoice_title = fields.Char()
    invoice_bank_name = fields.Char(string="Bank")
    invoice_bank_account = fields.Char(string="Bank Account")
    invoice_address_phone = fields.Char(string="Invoice Address and Phone")
    reason = fields.Text(string="Why", required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(res.get("partner_id") or self.env.context.get("active_id"))
        if partner:
            res["partner_id"] = partner.id
            shown = partner._crm_plus_shown_identity()
            res.update({fname: value for fname, value in shown.items() if fname in fields_list})
        return res

    def action_submit(self):
        self.ensure_one()
        partner = self.partner_id
        partner.check_access("read")
        # the values as the user sees them (contact details masked): an untouched masked value is no change
        shown = partner._crm_plus_shown_identity()
        changes = {}
        for fname in IDENTITY_FIELDS:
            old, new = partner[fname], self[fname]
            if isinstance(old, models.BaseModel):
                if old != new:
                    changes[fname] = [old.display_name or False, [new.id, new.display_name] if new else False]
            elif (shown[fname] or False) != (new or False):
                changes[fname] = [shown[fname] or False, new or False]
        if not changes:
            raise UserError(_("Nothing changed: edit at least one value."))
        request = self.env["crm_plus.partner.change.request"].create({
            "partner_id": partner.id, "changes": changes, "reason": self.reason,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm_plus.partner.change.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }
