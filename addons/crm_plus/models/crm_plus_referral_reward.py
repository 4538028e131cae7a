"""The referral rewards: one per referred deal won, whatever happens to the deal afterwards."""

import logging

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_lead_referral import REFERRAL_KINDS

_logger = logging.getLogger(__name__)

REWARD_STATES = [("to_reward", "To Reward"), ("rewarded", "Rewarded"), ("cancelled", "Cancelled")]
REWARD_KINDS = [("activity", "To-do"), ("coupon", "Coupon")]


class CrmPlusReferralReward(models.Model):
    """The reward owed to whoever referred a won deal: a to-do for the referrer's salesperson, or a coupon of
    Odoo's loyalty programs (when installed and a program is set) sent to the referring customer.

    One per lead (a database constraint): a deal won, lost and won again, or won twice, is rewarded once.
    Created as the system when the deal is won (``_crm_plus_reward_leads``); read under the lead's data scope.
    """

    _name = "crm_plus.referral.reward"
    _description = "Referral Reward"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_won desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", string="Referred Deal", required=True, readonly=True, index=True,
                              ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Referred Customer", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True,
                              help="The salesperson of the referred deal.")
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    referrer_partner_id = fields.Many2one("res.partner", string="Referred by Customer", readonly=True, index=True)
    referrer_user_id = fields.Many2one("res.users", string="Referred by Employee", readonly=True, index=True)
    referral_kind = fields.Selection(REFERRAL_KINDS, string="Referrer Type", readonly=True)
    reward_user_id = fields.Many2one(
        "res.users", string="Rewarded by", readonly=True,
        help="Who gives the reward: the referring customer's salesperson, else the deal's salesperson (for an "
             "employee, the team leader).")
    date_won = fields.Datetime(string="Won On", readonly=True, default=fields.Datetime.now)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(string="Won Revenue", readonly=True, help="The expected revenue of the deal when won.")
    kind = fields.Selection(REWARD_KINDS, string="Reward", readonly=True, default="activity")
    coupon_code = fields.Char(readonly=True, copy=False, help="The loyalty coupon sent to the referring customer.")
    state = fields.Selection(REWARD_STATES, string="Status", default="to_reward", required=True, readonly=True,
                             tracking=True, index=True)
    note = fields.Text(string="Notes")

    _sql_constraints = [
        ("lead_unique", "UNIQUE(lead_id)", "A referred deal is rewarded once."),
    ]

    @api.depends("lead_id", "referrer_partner_id", "referrer_user_id")
    def _compute_display_name(self):
        for reward in self:
            referrer = reward.referrer_partner_id or reward.referrer_user_id
            reward.display_name = _("%(deal)s (referred by %(referrer)s)",
                                    deal=reward.lead_id.name or "", referrer=referrer.display_name or "")

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_mark_rewarded(self):
        """The reward was given: its to-dos are done."""
        self._crm_plus_check_state("to_reward")
        self.activity_ids.action_feedback(feedback=_("Rewarded"))
        self.write({"state": "rewarded"})

    def action_cancel(self):
        self._crm_plus_check_manager()
        self._crm_plus_check_state("to_reward")
        self.activity_ids.unlink()
        self.write({"state": "cancelled"})

    def action_reset(self):
        self._crm_plus_check_manager()
        self._crm_plus_check_state("cancelled")
        self.write({"state": "to_reward"})

    def _crm_plus_check_manager(self):
        if not self.env.user.has_group("crm_plus.group_crm_plus_manager"):
            raise AccessError(_("Only a sales manager may cancel a referral reward or give it back."))

    def _crm_plus_check_state(self, state):
        wrong = self.filtered(lambda reward: reward.state != state)
        if wrong:
            label = dict(self._fields["state"]._description_selection(self.env))[state]
            raise UserError(_("Only rewards in the state %(state)s can do that: %(rewards)s.",
                              state=label, rewards=", ".join(wrong.mapped("display_name"))))

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_reward_leads(self, leads):
        """A reward for each won referred lead of ``leads`` that has none yet; returns the new rewards.

        Called as the user who won the deals (they wrote them, the rules allowed it). The rewards, their
        to-dos and coupons are the company's bookkeeping, not the user's: created as the system. A lead is
        rewarded once: the ones with a reward are skipped, and the unique constraint holds it against two
        transactions (both write the lead's row, so the second waits for the first and then sees its reward).
        """
        Reward = self.sudo()
        leads = leads.sudo().filtered(lambda lead: lead.crm_plus_is_referral and lead.active
                                      and lead.stage_id.is_won)
        if not leads:
            return Reward
        rewarded = {lead.id for lead, in Reward._read_group([("lead_id", "in", leads.ids)], ["lead_id"])}
        leads = leads.filtered(lambda lead: lead.id not in rewarded)
        if not leads:
            return Reward
        program = self._crm_plus_coupon_program()
        rewards = Reward.create([self._crm_plus_reward_values(lead, program) for lead in leads])
        if program:
            rewards.filtered(lambda r: r.kind == "coupon")._crm_plus_send_coupons(program)
        rewards.filtered(lambda r: r.kind == "activity")._crm_plus_schedule_todos()
        # one note per lead, logged in one batch (the system's bookkeeping: no notification)
        rewards.lead_id._message_log_batch(bodies={
            reward.lead_id.id: escape(self.env._(
                "Referral won: a reward is due to %(referrer)s.",
                referrer=(reward.referrer_partner_id or reward.referrer_user_id).display_name))
            for reward in rewards})
        self.env["crm_plus.outbox"]._crm_plus_emit("referral_won", rewards)
        return rewards

    @api.model
    def _crm_plus_reward_values(self, lead, program):
        return {
            "lead_id": lead.id,
            "partner_id": lead.partner_id.commercial_partner_id.id,
            "user_id": lead.user_id.id,
            "team_id": lead.team_id.id,
            "company_id": (lead.company_id or self.env.company).id,
            "referrer_partner_id": lead.crm_plus_referrer_partner_id.id,
            "referrer_user_id": lead.crm_plus_referrer_user_id.id,
            "referral_kind": lead.crm_plus_referral_kind,
            "reward_user_id": self._crm_plus_reward_user(lead).id,
            "currency_id": lead.company_currency.id or self.env.company.currency_id.id,
            "amount": lead.expected_revenue,
            # a coupon goes to a referring customer or contact; an employee is thanked by a person
            "kind": "coupon" if program and lead.crm_plus_referrer_partner_id else "activity",
        }

    @api.model
    def _crm_plus_reward_user(self, lead):
        """Who gives the reward: the referring customer's salesperson, else the deal's salesperson; for an
        employee, the leader of the deal's team, else the deal's salesperson."""
        candidates = []
        if lead.crm_plus_referrer_partner_id:
            candidates.append(lead.crm_plus_referrer_partner_id.commercial_partner_id.user_id)
        else:
            candidates.append(lead.team_id.user_id)
        candidates += [lead.user_id, lead.team_id.user_id]
        for user in candidates:
            if user and user.active and not user.share:
                return user
        return self.env["res.users"]

    @api.model
    def _crm_plus_coupon_program(self):
        """The loyalty program of referral coupons (Settings), when the loyalty app is installed."""
        if "loyalty.program" not in self.env:
            return None
        program_id = self.env["ir.config_parameter"].sudo().get_param("crm_plus.referral_program_id")
        if not program_id or not program_id.isdigit():
            return None
        program = self.env["loyalty.program"].sudo().browse(int(program_id)).exists()
        return program if program and program.active else None

    def _crm_plus_send_coupons(self, program):
        """A coupon of ``program`` for each referring partner, as the loyalty generation wizard makes them."""
        points = program.reward_ids[:1].required_points or 1.0
        cards = self.env["loyalty.card"].sudo().create([
            {"program_id": program.id, "partner_id": reward.referrer_partner_id.id, "points": points}
            for reward in self])
        for reward, card in zip(self, cards, strict=True):
            reward.write({"coupon_code": card.code, "state": "rewarded"})
            reward.message_post(body=_("Coupon %(code)s of %(program)s sent to %(partner)s.", code=card.code,
                                       program=program.name, partner=reward.referrer_partner_id.display_name))
        _logger.info("referral rewards: %d coupons of program %s", len(cards), program.id)

    def _crm_plus_schedule_todos(self):
        todos = []
        for reward in self:
            user = reward.reward_user_id
            if user:
                # written in the language of the person who gives the reward
                todos.append((reward, user, reward.with_context(lang=user.lang)._crm_plus_todo_summary(), None))
        self.env["mail.activity"]._crm_plus_create_todos(todos)

    def _crm_plus_todo_summary(self):
        self.ensure_one()
        referrer = self.referrer_partner_id or self.referrer_user_id
        return _("Thank %(referrer)s for referring %(deal)s", referrer=referrer.display_name, deal=self.lead_id.name)
