from odoo import _, fields, models


class CrmPlusPoolAssignWizard(models.TransientModel):
    """A sales manager or pool administrator gives pool customers to a salesperson."""

    _name = "crm_plus.pool.assign.wizard"
    _description = "Assign Pool Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True,
                                   domain=[("pool_id", "!=", False)])
    user_id = fields.Many2one("res.users", string="Salesperson", required=True,
                              domain=lambda self: [("share", "=", False), ("groups_id", "in", self.env.ref(
                                  "crm_plus.group_crm_plus_user").ids)])

    def action_assign(self):
        self.ensure_one()
        partners = self.partner_ids.filtered("pool_id")
        partners.check_access("read")
        assigned = partners._crm_plus_pool_assign(self.user_id)
        return self.env["res.partner"]._crm_plus_notify(_(
            "%(count)s customers assigned to %(user)s.", count=len(assigned), user=self.user_id.name))
