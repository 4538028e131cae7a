"""Referrals of customers: who referred a customer, and the customers and leads a partner referred."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_lead_referral import REFERRAL_KINDS, referral_kind


class ResPartner(models.Model):
    _inherit = "res.partner"

    # linking a referrer shows its name: only partners the user may read (crm_plus.partner.link.mixin)
    _crm_plus_partner_links = ("parent_id", "crm_plus_referrer_partner_id")

    crm_plus_referrer_partner_id = fields.Many2one(
        "res.partner", string="Referred by Customer", index="btree_not_null", tracking=True,
        help="The customer or contact who referred this customer (转介绍); set from its first referred lead.")
    crm_plus_referrer_user_id = fields.Many2one(
        "res.users", string="Referred by Employee", index="btree_not_null", tracking=True,
        domain=[("share", "=", False)], help="The colleague who referred this customer.")
    crm_plus_is_referral = fields.Boolean(string="Referred", compute="_compute_crm_plus_referral", store=True)
    crm_plus_referral_kind = fields.Selection(
        REFERRAL_KINDS, string="Referrer Type", compute="_compute_crm_plus_referral", store=True)
    crm_plus_referred_partner_ids = fields.One2many(
        "res.partner", "crm_plus_referrer_partner_id", string="Referred Customers")
    crm_plus_referral_count = fields.Integer(
        string="Referrals", compute="_compute_crm_plus_referral_count", groups="sales_team.group_sale_salesman",
        help="Customers and leads this partner referred.")

    @api.depends("crm_plus_referrer_partner_id.parent_id", "crm_plus_referrer_user_id")
    def _compute_crm_plus_referral(self):
        for partner in self:
            kind = referral_kind(partner.crm_plus_referrer_partner_id, partner.crm_plus_referrer_user_id)
            partner.crm_plus_is_referral = bool(kind)
            partner.crm_plus_referral_kind = kind

    def _compute_crm_plus_referral_count(self):
        # the leads this partner referred, as the user reads them (one grouped query)
        leads = dict(self.env["crm.lead"].with_context(active_test=False)._read_group(
            [("crm_plus_referrer_partner_id", "in", self.ids)], ["crm_plus_referrer_partner_id"], ["__count"]))
        for partner in self:
            partner.crm_plus_referral_count = leads.get(partner, 0)

    @api.constrains("crm_plus_referrer_partner_id", "crm_plus_referrer_user_id")
    def _check_crm_plus_referrer(self):
        for partner in self:
            referrer, user = partner.crm_plus_referrer_partner_id, partner.crm_plus_referrer_user_id
            if referrer and user:
                raise ValidationError(_(
                    "A customer has one referrer: %(partner)s or %(user)s, not both.",
                    partner=referrer.display_name, user=user.display_name))
            if referrer and referrer.commercial_partner_id == partner.commercial_partner_id:
                raise ValidationError(_("%(customer)s cannot refer itself.", customer=partner.display_name))

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_crm_plus_view_referrals(self):
        """The leads and opportunities this partner referred."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_referred_leads")
        action["domain"] = [("crm_plus_referrer_partner_id", "=", self.id)]
        action["context"] = {"default_crm_plus_referrer_partner_id": self.id, "active_test": False}
        return action
