from odoo import api, fields, models

MOVE_KINDS = [
    ("recover", "Returned to Pool"),
    ("claim", "Claimed"),
    ("assign", "Assigned"),
    ("release", "Released"),
    ("lock", "Locked"),
    ("unlock", "Unlocked"),
    ("warning", "Return Warning"),
    ("handover", "Handed Over"),
]
# moves that take a customer away from its salesperson: they start the lock-out of that salesperson
LOSS_KINDS = ("recover", "release")
# moves that give a customer a new owner: a fresh start, counted as a follow-up
START_KINDS = ("claim", "assign", "handover")


class CrmPlusPoolMove(models.Model):
    """Every move of a customer around the pools: returns, claims, assignments, releases, locks and
    warnings. The history, the daily claim limit and the lock-out read it."""

    _name = "crm_plus.pool.move"
    _description = "Customer Pool Move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", index=True)
    pool_id = fields.Many2one("crm_plus.pool", ondelete="cascade", index=True,
                              help="Empty for a lock or unlock of a customer no pool covers.")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True,
                              help="Who lost, claimed, received, released, locked or was warned about the customer.")
    author_id = fields.Many2one("res.users", string="Done By", default=lambda self: self.env.user,
                                help="Who made the move; the system for the daily job.")
    kind = fields.Selection(MOVE_KINDS, required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    customer_level_id = fields.Many2one(related="partner_id.customer_level_id", string="Customer Level")
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)

    @api.depends("pool_id.company_id", "partner_id.company_id")
    def _compute_company_id(self):
        for move in self:
            move.company_id = move.pool_id.company_id or move.partner_id.company_id
