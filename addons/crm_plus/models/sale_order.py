from odoo import _, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    contract_id = fields.Many2one("crm_plus.contract", string="Contract", index="btree_not_null", copy=False,
                                  check_company=True, tracking=True,
                                  groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
                                  domain="[('partner_id', 'parent_of', partner_id)]")

    def action_create_contract(self):
        """A draft contract from this confirmed order, opened for the salesperson to complete."""
        self.ensure_one()
        if self.state != "sale":
            raise UserError(_("Confirm the order before creating its contract."))
        if self.contract_id:
            raise UserError(_("Order %(order)s already belongs to contract %(contract)s.",
                              order=self.name, contract=self.contract_id.name))
        Contract = self.env["crm_plus.contract"]
        return Contract.create(Contract._prepare_from_sale_order(self))._action_open()

    def action_view_contract(self):
        self.ensure_one()
        return self.contract_id._action_open()
