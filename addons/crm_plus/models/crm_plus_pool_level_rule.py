from odoo import fields, models


class CrmPlusPoolLevelRule(models.Model):
    """How long a customer of one level stays with its salesperson without follow-up, in one pool."""

    _name = "crm_plus.pool.level.rule"
    _description = "Customer Pool Days per Level"
    _order = "pool_id, level_id"

    pool_id = fields.Many2one("crm_plus.pool", required=True, ondelete="cascade", index=True)
    level_id = fields.Many2one("crm_plus.customer.level", string="Customer Level", required=True,
                               ondelete="cascade")
    recover_days = fields.Integer(
        string="Return After (days)", required=True, default=60,
        help="Days without follow-up before a customer of this level returns to the pool; 0: never.")
    company_id = fields.Many2one(related="pool_id.company_id", store=True)

    _sql_constraints = [
        ("level_unique", "UNIQUE(pool_id, level_id)", "A pool has one rule per customer level."),
        ("days_positive", "CHECK(recover_days >= 0)", "The number of days cannot be negative."),
    ]
