from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmPlusContractLine(models.Model):
    _name = "crm_plus.contract.line"
    _inherit = ["crm_plus.line.tracking.mixin"]
    _description = "Contract Line"
    # price and discount changes are audited in the contract's chatter
    _crm_plus_tracking_parent = "contract_id"
    _crm_plus_tracked_fields = ("product_id", "quantity", "price_unit", "discount")
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one("crm_plus.contract", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    product_id = fields.Many2one("product.product", string="Product", check_company=True,
                                 domain=[("sale_ok", "=", True)])
    name = fields.Text(string="Description", compute="_compute_name", store=True, readonly=False,
                       precompute=True, required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(string="Unit Price", digits="Product Price",
                              compute="_compute_price_unit", store=True, readonly=False, precompute=True)
    discount = fields.Float(string="Discount (%)", digits="Discount")
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True)

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()
            elif not line.name:
                line.name = False

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            if line.product_id and not line.price_unit:
                line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit", "discount", "currency_id")
    def _compute_subtotal(self):
        for line in self:
            amount = line.quantity * line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)
            line.subtotal = line.currency_id.round(amount) if line.currency_id else amount

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.contract_id._check_editable_terms(self.env._("lines"))
        return lines

    def write(self, vals):
        contracts = self.contract_id
        res = super().write(vals)
        (contracts | self.contract_id)._check_editable_terms(self.env._("lines"))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_editable(self):
        self.contract_id._check_editable_terms(self.env._("lines"))

    @api.constrains("quantity", "price_unit", "discount")
    def _check_amounts(self):
        for line in self:
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(_("Contract lines cannot have a negative quantity or price (%(line)s).",
                                        line=line.name))
            if not 0.0 <= line.discount <= 100.0:
                raise ValidationError(_("A discount must be between 0 and 100%% (%(line)s).", line=line.name))
