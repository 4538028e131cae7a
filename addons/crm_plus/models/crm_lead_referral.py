"""Referrals of leads: who referred the lead (a customer, a contact or an employee), the Referral source, the
referrer carried to the customer, and the referral reward when the deal is won (once)."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

REFERRAL_KINDS = [("customer", "Customer"), ("contact", "Contact"), ("employee", "Employee")]
# the fields naming the referrer: a change of one of them may set the source and reward a won deal
REFERRER_FIELDS = ("crm_plus_referrer_partner_id", "crm_plus_referrer_user_id")


def referral_kind(partner, user):
    """The kind of referrer: an employee (internal user), a contact (a person of a company) or a customer."""
    if user:
        return "employee"
    if partner:
        return "contact" if partner.parent_id else "customer"
    return False


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # linking a referrer shows its name: only partners the user may read (crm_plus.partner.link.mixin)
    _crm_plus_partner_links = ("partner_id", "crm_plus_referrer_partner_id")

    crm_plus_referrer_partner_id = fields.Many2one(
        "res.partner", string="Referred by Customer", index="btree_not_null", tracking=True,
        help="The customer or contact who referred this lead (转介绍).")
    crm_plus_referrer_user_id = fields.Many2one(
        "res.users", string="Referred by Employee", index="btree_not_null", tracking=True,
        domain=[("share", "=", False)], help="The colleague who referred this lead.")
    crm_plus_is_referral = fields.Boolean(
        string="Referral", compute="_compute_crm_plus_referral", store=True,
        help="Someone referred this lead: counted as a referral in the analyses, whatever its source.")
    crm_plus_referral_kind = fields.Selection(
        REFERRAL_KINDS, string="Referrer Type", compute="_compute_crm_plus_referral", store=True)
    crm_plus_referral_reward_ids = fields.One2many(
        "crm_plus.referral.reward", "lead_id", string="Referral Reward", readonly=True)

    @api.depends("crm_plus_referrer_partner_id.parent_id", "crm_plus_referrer_user_id")
    def _compute_crm_plus_referral(self):
        for lead in self:
            kind = referral_kind(lead.crm_plus_referrer_partner_id, lead.crm_plus_referrer_user_id)
            lead.crm_plus_is_referral = bool(kind)
            lead.crm_plus_referral_kind = kind

    @api.constrains("crm_plus_referrer_partner_id", "crm_plus_referrer_user_id", "partner_id")
    def _check_crm_plus_referrer(self):
        for lead in self:
            partner, user = lead.crm_plus_referrer_partner_id, lead.crm_plus_referrer_user_id
            if partner and user:
                raise ValidationError(_(
                    "A lead has one referrer: %(partner)s or %(user)s, not both.",
                    partner=partner.display_name, user=user.display_name))
            customer = lead.partner_id.commercial_partner_id
            if partner and customer and partner.commercial_partner_id == customer:
                raise ValidationError(_(
                    "%(customer)s cannot refer its own lead %(lead)s.",
                    customer=customer.display_name, lead=lead.display_name))

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_plus_referral_source_vals(vals)
        leads = super().create(vals_list)
        leads.filtered("crm_plus_is_referral")._crm_plus_referral_after_change()
        return leads

    def write(self, vals):
        if any(vals.get(fname) for fname in REFERRER_FIELDS) and "source_id" not in vals:
            # the source is set per lead: only where it is empty (see _crm_plus_referral_source_vals)
            source = self._crm_plus_referral_source()
            if source:
                self.filtered(lambda lead: not lead.source_id).write({"source_id": source.id})
        res = super().write(vals)
        if any(fname in vals for fname in (*REFERRER_FIELDS, "partner_id", "stage_id", "active")):
            self.filtered("crm_plus_is_referral")._crm_plus_referral_after_change()
        return res

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        """The customer created from a referred lead is referred by the lead's referrer."""
        values = super()._prepare_customer_values(partner_name, is_company=is_company, parent_id=parent_id)
        if self.crm_plus_is_referral and not parent_id:
            values.update({
                "crm_plus_referrer_partner_id": self.crm_plus_referrer_partner_id.id,
                "crm_plus_referrer_user_id": self.crm_plus_referrer_user_id.id,
            })
        return values

    def _merge_get_fields_specific(self):
        """Merged leads keep the referrer of the first referred one (one referrer, never a mix of two)."""
        def referrer(fname, leads):
            lead = next((lead for lead in leads if lead.crm_plus_is_referral), None)
            return lead[fname].id if lead else False
        return {**super()._merge_get_fields_specific(), **dict.fromkeys(REFERRER_FIELDS, referrer)}

    def _merge_dependences(self, opportunities):
        """The reward of a merged lead moves to the lead kept (unless it has one): the deal is rewarded once."""
        res = super()._merge_dependences(opportunities)
        # rewards are the company's bookkeeping (see crm_plus.referral.reward); the user merges these leads
        Reward = self.env["crm_plus.referral.reward"].sudo()
        if not Reward.search_count([("lead_id", "=", self.id)]):
            Reward.search([("lead_id", "in", opportunities.ids)], limit=1).write({"lead_id": self.id})
        return res

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_crm_plus_view_referral_reward(self):
        """The reward of this referred deal."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_referral_reward")
        action.update({"res_id": self.crm_plus_referral_reward_ids[:1].id, "view_mode": "form",
                       "views": [(False, "form")], "context": {}})
        return action

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_referral_source(self):
        return self.env.ref("crm_plus.utm_source_referral", raise_if_not_found=False)

    @api.model
    def _crm_plus_referral_source_vals(self, vals):
        """A referred lead without a source gets the source Referral; an explicit other source (a campaign, a
        fair) is kept: the lead still counts as a referral in the analyses (``crm_plus_is_referral``)."""
        if any(vals.get(fname) for fname in REFERRER_FIELDS) and not vals.get("source_id"):
            source = self._crm_plus_referral_source()
            if source:
                vals["source_id"] = source.id

    def _crm_plus_referral_after_change(self):
        """Referred leads: the referrer carried to their customer, the reward of those won."""
        self._crm_plus_carry_referrer()
        won = self.filtered(lambda lead: lead.active and lead.stage_id.is_won)
        if won:
            self.env["crm_plus.referral.reward"]._crm_plus_reward_leads(won)

    def _crm_plus_carry_referrer(self):
        """The customer of a referred lead (its commercial entity) is referred by the lead's referrer, unless it
        already has a referrer of its own: the first referral of a customer is the one that brought it."""
        customers = self.env["res.partner"]
        values = {}
        for lead in self:
            customer = lead.partner_id.commercial_partner_id
            referrer = lead.crm_plus_referrer_partner_id.commercial_partner_id
            if not customer or customer in customers or customer == referrer:
                continue
            customers |= customer
            values[customer.id] = {
                "crm_plus_referrer_partner_id": lead.crm_plus_referrer_partner_id.id,
                "crm_plus_referrer_user_id": lead.crm_plus_referrer_user_id.id,
            }
        if not customers:
            return
        # the user has just written these leads (the write rules allowed it) and linked their customers
        # (crm_plus.partner.link.mixin checked they may read them); the referrer is a fact of the lead, written
        # on a customer still without one, whoever the customer's salesperson is: as the system
        for customer in customers.sudo().filtered(lambda p: not p.crm_plus_is_referral):
            customer.write(values[customer.id])
