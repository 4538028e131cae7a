from odoo import api, fields, models
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    contract_id = fields.Many2one(
        "crm_plus.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        compute="_compute_contract_id", store=True, readonly=False, precompute=True,
        groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
        help="The customer contract this invoice belongs to; follows the invoiced sales orders.")

    # the invoice title card (开票信息) of the invoiced company, for finance to copy on the tax invoice
    crm_plus_invoice_title = fields.Char(related="commercial_partner_id.invoice_title", string="Invoice Title")
    crm_plus_invoice_uscc = fields.Char(related="commercial_partner_id.uscc", string="Tax ID (USCC)")
    crm_plus_invoice_bank_name = fields.Char(related="commercial_partner_id.invoice_bank_name",
                                             string="Invoice Bank")
    crm_plus_invoice_bank_account = fields.Char(related="commercial_partner_id.invoice_bank_account",
                                                string="Invoice Bank Account")
    crm_plus_invoice_address_phone = fields.Char(related="commercial_partner_id.invoice_address_phone",
                                                 string="Invoice Address and Phone")

    def init(self):
        res = super().init()
        # the customers' finance columns (res.partner._compute_crm_plus_finance) group the posted customer
        # invoices of one page of customers: without this index every page scans all invoices
        create_index(self.env.cr, "crm_plus_account_move_commercial_partner_idx", self._table,
                     ["commercial_partner_id"], where="move_type IN ('out_invoice', 'out_refund')")
        return res

    @api.depends("invoice_line_ids.sale_line_ids")
    def _compute_contract_id(self):
        for move in self:
            if not move.contract_id and move.is_sale_document(include_receipts=False):
                move.contract_id = move.invoice_line_ids.sale_line_ids.order_id.contract_id[:1]

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id._action_open()
