from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_level_id = fields.Many2one(
        "crm_plus.customer.level",
        string="Customer Level",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        recursive=True,
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        help="The team that owns this customer; follows the salesperson's team unless set by hand.",
    )

    @api.depends("user_id", "parent_id.team_id")
    def _compute_team_id(self):
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.team_id = partner.parent_id.team_id
            elif partner.user_id and (not partner.team_id or partner.user_id not in partner.team_id.member_ids):
                partner.team_id = partner.user_id.sale_team_id
            else:
                partner.team_id = partner.team_id
