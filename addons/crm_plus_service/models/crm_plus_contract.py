from odoo import fields, models


class CrmPlusContract(models.Model):
    """A contract may carry its own SLA policy: the customer's entitlement while it runs."""

    _inherit = "crm_plus.contract"

    crm_plus_sla_policy_id = fields.Many2one(
        "crm_plus.sla.policy", string="SLA Policy", tracking=True,
        help="Applies to the customer's tickets while the contract runs; then the default policies apply.")
