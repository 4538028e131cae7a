"""Customers of CRM Plus: the model, its mixins (data scopes, contact masking) and the fields every concern shares.

Each concern adds itself in its own file (``_inherit`` only), see ``models/__init__.py``.
"""

from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"  # several _inherit without _name would make a new model named "ResPartner"
    _inherit = ["res.partner", "crm_plus.scope.mixin", "crm_plus.contact.mask.mixin"]

    # tracked identity fields (base declares them without tracking)
    name = fields.Char(tracking=True)
    vat = fields.Char(tracking=True)
    phone = fields.Char(tracking=True)
    mobile = fields.Char(tracking=True)
    email = fields.Char(tracking=True)
    # the address is audited too: who moved a customer, and from where
    street = fields.Char(tracking=True)
    street2 = fields.Char(tracking=True)
    zip = fields.Char(tracking=True)
    city = fields.Char(tracking=True)
    state_id = fields.Many2one(tracking=True)
    country_id = fields.Many2one(tracking=True)

    # owner of the customer: level and sales team (the salesperson is Odoo's user_id)
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
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        help="The team that owns this customer; follows the salesperson's team unless set by hand.",
    )

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("user_id")
    def _compute_team_id(self):
        # computed for a whole batch at once (no recursion through parents: the team of a customer is its
        # commercial entity's, which reports and scopes read through commercial_partner_id)
        for partner in self:
            if partner.user_id and (not partner.team_id or partner.user_id not in partner.team_id.member_ids):
                partner.team_id = partner.user_id.sale_team_id
            else:
                partner.team_id = partner.team_id

    # ------------------------------------------------------------------------------------------------
    # actions shared by the concerns
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_customer_action(self, xmlid):
        """The window action ``xmlid`` on the records of this customer (its commercial partner), new ones
        created for it."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update({"domain": [("partner_id", "=", customer.id)], "context": {"default_partner_id": customer.id}})
        return action
