from odoo import _, api, fields, models


class CrmPlusHandoverWizard(models.TransientModel):
    """A salesperson leaves: a sales manager hands their customers, leads, contracts, return visits and to-dos
    to colleagues (or the customers back to the pool) in one go."""

    _name = "crm_plus.handover.wizard"
    _description = "Hand Over a Salesperson's Customers"

    user_id = fields.Many2one("res.users", string="Leaving Salesperson", required=True,
                              domain=[("share", "=", False)])
    target_ids = fields.Many2many(
        "res.users", string="Colleagues Taking Over", required=True,
        domain=lambda self: [("share", "=", False), ("groups_id", "in", self.env.ref(
            "crm_plus.group_crm_plus_user").ids)],
        help="Customers are shared out among them in turn; each customer's leads, contracts, return visits "
             "and to-dos go with it.")
    to_pool = fields.Boolean(
        string="Customers Back to the Pool",
        help="The customers go back to their customer pool (公海) instead; their open leads wait there with them. "
             "Contracts, return visits and to-dos still go to the colleagues.")
    customer_count = fields.Integer(compute="_compute_counts")
    lead_count = fields.Integer(compute="_compute_counts")
    contract_count = fields.Integer(compute="_compute_counts")
    visit_count = fields.Integer(compute="_compute_counts")
    activity_count = fields.Integer(compute="_compute_counts")

    @api.depends("user_id")
    def _compute_counts(self):
        for wizard in self:
            scope = wizard.user_id._crm_plus_handover_scope() if wizard.user_id else [()] * 5
            (wizard.customer_count, wizard.lead_count, wizard.contract_count, wizard.visit_count,
             wizard.activity_count) = (len(records) for records in scope)

    def action_hand_over(self):
        self.ensure_one()
        counts = self.user_id._crm_plus_departure_handover(self.target_ids, to_pool=self.to_pool)
        return self.env["res.partner"]._crm_plus_notify(_(
            "Handed over from %(user)s: %(customers)s customers, %(leads)s leads, %(contracts)s contracts, "
            "%(visits)s return visits, %(activities)s to-dos.", user=self.user_id.name,
            customers=counts["customers"], leads=counts["leads"], contracts=counts["contracts"],
            visits=counts["return_visits"], activities=counts["activities"]))
