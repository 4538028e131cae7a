"""Contracts: states, approval (never by the owner or the requester), amendments, frozen lines and plan."""

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .crm_plus_contract import ALLOWED_TRANSITIONS

# states a contract reaches through its own action only (terminate, mark renewed, the expiry cron)
FINAL_STATES = ("renewed", "terminated", "expired")
# states in which the lines and the receivable plan may change
EDITABLE_STATES = ("draft", "amendment")


class CrmPlusContract(models.Model):
    _inherit = "crm_plus.contract"

    approval_requested_by_id = fields.Many2one(
        "res.users", string="Approval Asked by", readonly=True, copy=False,
        help="Who sent the contract for approval; they cannot approve it themselves.")
    is_amended = fields.Boolean(string="Amendment", readonly=True, copy=False,
                                help="The contract was running and is being amended: it runs again after approval.")

    # ------------------------------------------------------------------------------------------------
    # states and approval
    # ------------------------------------------------------------------------------------------------

    def _check_transition(self, new_state):
        """Refuse a state change the life cycle does not allow (server side, whatever the caller)."""
        self.ensure_one()
        if new_state == self.state:
            return
        labels = dict(self._fields["state"]._description_selection(self.env))
        if new_state not in ALLOWED_TRANSITIONS[self.state]:
            raise UserError(_("Contract %(name)s cannot move from %(old)s to %(new)s.",
                              name=self.name, old=labels[self.state], new=labels.get(new_state, new_state)))
        if new_state == "running" and self.state == "draft" and self._needs_approval():
            raise UserError(_("Contract %(name)s needs an approval before it can run.", name=self.name))
        if new_state == "running" and self.state == "pending" and not self._can_approve():
            raise UserError(_("Contract %(name)s is waiting for approval: only an approver can start it.",
                              name=self.name))
        if new_state in FINAL_STATES and not (self.env.su or self.env.context.get("crm_plus_contract_action")):
            raise UserError(_("Contract %(name)s becomes %(new)s through its button only.",
                              name=self.name, new=labels[new_state]))

    def _needs_approval(self):
        """True when a line's discount or the amount is above the thresholds of the settings."""
        self.ensure_one()
        threshold = self.env["res.config.settings"]._crm_plus_param("contract_discount_threshold")
        limit = self.env["res.config.settings"]._crm_plus_param("contract_amount_limit")
        return (float_compare(self.max_discount, threshold, precision_digits=2) > 0
                or (limit > 0 and self.currency_id.compare_amounts(self.amount, limit) > 0))

    def _can_approve(self):
        """Sales managers approve anything; team leaders approve below the second limit. Nobody approves a
        contract they own or asked to approve."""
        self.ensure_one()
        user = self.env.user
        if self.env.su:
            return True
        if user in (self.user_id | self.approval_requested_by_id):
            return False
        if user.has_group("crm_plus.group_crm_plus_manager"):
            return True
        if user.has_group("crm_plus.group_crm_plus_team_leader"):
            limit = self.env["res.config.settings"]._crm_plus_param("contract_leader_limit")
            return not limit or self.currency_id.compare_amounts(self.amount, limit) < 0
        return False

    def action_confirm(self):
        """Draft -> running, or pending when a discount or the amount needs an approval; an amendment is
        always approved again."""
        for contract in self:
            if contract.state not in ("draft", "amendment"):
                raise UserError(_("Only draft contracts can be confirmed."))
            if not contract.line_ids:
                raise UserError(_("Add at least one line to contract %(name)s before confirming it.",
                                  name=contract.name))
            if contract.state == "amendment" or contract._needs_approval():
                contract.write({"state": "pending", "rejection_reason": False,
                                "approval_requested_by_id": self.env.uid})
                contract._notify_approvers()
                self.env["crm_plus.outbox"]._crm_plus_emit("approval_requested", contract)
            else:
                contract.write({"state": "running"})
        return True

    def action_approve(self):
        for contract in self:
            if contract.state != "pending":
                raise UserError(_("Contract %(name)s is not waiting for approval.", name=contract.name))
            if not contract._can_approve():
                raise AccessError(contract._approval_refusal())
            contract.write({"state": "running", "is_amended": False})
            contract.activity_feedback(["mail.mail_activity_data_todo"],
                                       feedback=_("Approved by %(user)s", user=self.env.user.name))
            contract.message_post(body=_("Approved by %(user)s.", user=self.env.user.name))
        return True

    def action_reject(self, reason=None):
        for contract in self:
            reason = reason or contract.rejection_reason
            if contract.state != "pending":
                raise UserError(_("Contract %(name)s is not waiting for approval.", name=contract.name))
            if not contract._can_approve():
                raise AccessError(_("You cannot reject contract %(name)s: it needs a higher approval level.",
                                    name=contract.name))
            if not reason:
                raise UserError(_("Give a reason to reject contract %(name)s.", name=contract.name))
            contract.write({"state": "amendment" if contract.is_amended else "draft", "rejection_reason": reason})
            contract.activity_unlink(["mail.mail_activity_data_todo"])
            contract.message_post(body=_("Rejected by %(user)s: %(reason)s", user=self.env.user.name,
                                         reason=reason))
        return True

    def action_terminate(self):
        self.with_context(crm_plus_contract_action=True).write({"state": "terminated"})
        return True

    def action_mark_renewed(self):
        """Renewed: the customer signed again, i.e. a renewal opportunity of the contract is won or a new
        contract comes from one (the system may mark it without, e.g. from history)."""
        for contract in self:
            if not (self.env.su or contract._has_renewal()):
                raise UserError(_("Contract %(name)s has no won renewal opportunity and no contract renewing it: "
                                  "win its renewal first.", name=contract.name))
        self.with_context(crm_plus_contract_action=True).write({"state": "renewed"})
        return True

    def _has_renewal(self):
        self.ensure_one()
        # renewal leads and the contracts made from them may belong to a colleague: checked as the system
        leads = self.sudo().renewal_lead_ids
        return bool(leads.filtered(lambda lead: lead.stage_id.is_won)
                    or self.sudo().search_count([("opportunity_id", "in", leads.ids), ("id", "!=", self.id)]))

    def action_reset_draft(self):
        for contract in self:
            contract.write({"state": "amendment" if contract.is_amended else "draft"})
        return True

    def action_amend(self):
        """A running contract goes back to "Being Amended": its lines and receivable plan can change, and it
        runs again only after a new approval."""
        for contract in self:
            if contract.state not in ("running", "expiring"):
                raise UserError(_("Only a running contract can be amended."))
            contract.write({"state": "amendment", "is_amended": True, "approval_requested_by_id": False})
            contract.message_post(body=_("Amendment started by %(user)s.", user=self.env.user.name))
        return True

    def _approval_refusal(self):
        if self.env.user in (self.user_id | self.approval_requested_by_id):
            return _("You cannot approve contract %(name)s: you own it or asked for its approval.", name=self.name)
        return _("You cannot approve contract %(name)s: it needs a higher approval level.", name=self.name)

    # ------------------------------------------------------------------------------------------------
    # frozen lines and receivable plan
    # ------------------------------------------------------------------------------------------------

    def _check_editable_terms(self, what):
        """Refuse a change of the lines or the receivable plan (``what``) of contracts past their draft."""
        if self.env.su:
            return
        frozen = self.filtered(lambda c: c.state not in EDITABLE_STATES)
        if frozen:
            raise UserError(_("Contract %(name)s is %(state)s: its %(what)s can change only through an "
                              "amendment (Amend), which is approved again.",
                              name=frozen[0].name, what=what,
                              state=dict(self._fields["state"]._description_selection(self.env))[frozen[0].state]))

    def _notify_approvers(self):
        """One to-do for the team leader (or the sales manager when the team has none)."""
        for contract in self:
            approver = contract.team_id.user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
            if approver:
                contract.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=approver.id,
                    summary=_("Approve contract %(name)s", name=contract.name))
