from odoo import fields, models


class CrmPlusCustomerLevel(models.Model):
    """A grade of customer (strategic, key, ordinary...).

    Levels drive later rules: how long a customer stays with a salesperson before it
    returns to the pool, which lifecycle thresholds apply, how it is reported.
    """

    _name = "crm_plus.customer.level"
    _description = "Customer Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in imports and reports, e.g. A, B, C.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a customer level must be unique."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_level_id", "in", self.ids)], ["customer_level_id"], ["__count"]
            )
        )
        for level in self:
            level.partner_count = counts.get(level, 0)

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_customers")
        action["domain"] = [("customer_level_id", "=", self.id)]
        action["context"] = {"default_customer_level_id": self.id}
        return action
