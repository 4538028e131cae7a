"""Contracts of an opportunity: the contract made from a won deal, the renewal opportunity of a contract."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    renewal_contract_id = fields.Many2one(
        "crm_plus.contract", string="Renewal of", index="btree_not_null", copy=False,
        groups="crm_plus.group_crm_plus_user",
        help="The contract this opportunity renews; created when the contract starts expiring.")
    contract_ids = fields.One2many("crm_plus.contract", "opportunity_id", string="Contracts",
                                   groups="crm_plus.group_crm_plus_user")
    contract_count = fields.Integer(compute="_compute_contract_count", groups="crm_plus.group_crm_plus_user")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("contract_ids")
    def _compute_contract_count(self):
        for lead in self:
            lead.contract_count = len(lead.contract_ids)

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_create_contract(self):
        """A draft contract from this won opportunity, with its confirmed orders."""
        self.ensure_one()
        if not (self.active and self.stage_id.is_won):
            raise UserError(_("Only a won opportunity can become a contract."))
        if not self.partner_id:
            raise UserError(_("Set the customer of opportunity %(name)s before creating its contract.",
                              name=self.name))
        Contract = self.env["crm_plus.contract"]
        return Contract.create(Contract._prepare_from_lead(self))._action_open()

    def action_view_contracts(self):
        self.ensure_one()
        return self.contract_ids._action_open()
