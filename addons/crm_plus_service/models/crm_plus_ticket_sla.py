"""SLA clocks of a ticket: started on creation, paused while waiting for the customer, stopped by replies
and solutions, recomputed when what chooses the policy changes."""

from odoo import api, fields, models
from odoo.tools import format_duration

from .crm_plus_ticket_clock import CLOCK_STATES

# worst first: the ticket shows the state of its worst open clock
STATE_ORDER = ("breached", "at_risk", "on_track", "met")
# fields of a ticket choosing its SLA policy
POLICY_FIELDS = {"team_id", "priority", "type_id", "partner_id", "contract_id"}


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    sla_policy_id = fields.Many2one("crm_plus.sla.policy", string="SLA Policy", readonly=True, tracking=True,
                                    index="btree_not_null")
    clock_ids = fields.One2many("crm_plus.ticket.clock", "ticket_id", string="SLA Clocks", readonly=True)
    sla_deadline = fields.Datetime(string="SLA Deadline", compute="_compute_sla_summary", store=True, index=True)
    sla_state = fields.Selection(CLOCK_STATES, string="SLA State", compute="_compute_sla_summary", store=True,
                                 index=True)
    sla_time_left = fields.Float(string="Working Hours Left", compute="_compute_sla_summary", store=True)
    sla_paused = fields.Boolean(string="SLA Paused", compute="_compute_sla_summary", store=True)
    date_first_response = fields.Datetime(string="First Response", readonly=True, copy=False)

    @api.depends("clock_ids.state", "clock_ids.deadline", "clock_ids.time_left", "clock_ids.done",
                 "clock_ids.paused")
    def _compute_sla_summary(self):
        for ticket in self:
            clocks = ticket.clock_ids
            open_clocks = clocks.filtered(lambda c: not c.done)
            shown = open_clocks or clocks
            states = set(shown.mapped("state"))
            ticket.sla_state = next((s for s in STATE_ORDER if s in states), False)
            deadlines = [c.deadline for c in open_clocks if c.deadline]
            ticket.sla_deadline = min(deadlines) if deadlines else False
            ticket.sla_time_left = min(open_clocks.mapped("time_left")) if open_clocks else 0.0
            # the first response never pauses: a ticket is paused when its other clocks are
            ticket.sla_paused = any(open_clocks.mapped("paused"))

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_after_create(self):
        result = super()._crm_plus_after_create()
        self._crm_plus_sla_apply()
        return result

    def write(self, vals):
        before = {t.id: (t.is_waiting, t.is_solved or t.is_closed) for t in self} if "stage_id" in vals else {}
        result = super().write(vals)
        if before:
            self._crm_plus_sla_stage_changed(before)
        if POLICY_FIELDS & set(vals):
            self._crm_plus_sla_apply()
        return result

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        # now, not the message's date: an e-mail's Date header is whatever the sender's machine said
        kind = self._crm_plus_message_kind(message)
        if kind == "agent":
            self._crm_plus_sla_agent_replied(fields.Datetime.now())
        elif kind == "customer":
            self._crm_plus_sla_customer_wrote(fields.Datetime.now())
        return result

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_message_kind(self, message):
        """"agent" for a public reply of a person of the company, "customer" for a message of anyone else,
        None for what moves no clock: internal notes, system and automatic messages (acknowledgements,
        auto-replies), messages of OdooBot."""
        if self.env.context.get("crm_plus_automatic") or message.message_type not in ("comment", "email"):
            return None
        author = message.author_id
        internal = author and any(not user.share for user in author.sudo().user_ids)
        if internal:
            if message.subtype_id != self.env.ref("mail.mt_comment") or author == self.env.ref("base.partner_root"):
                return None
            return "agent"
        return "customer" if not message.subtype_id.internal else None

    def _crm_plus_entitled_policies(self):
        """{ticket id: the SLA policy of the customer's running contract}: the ticket's contract when it
        runs, else the customer's running contract that has a policy."""
        from .crm_plus_ticket import RUNNING_CONTRACT_STATES

        result = {}
        # the entitlement is decided whatever the agent may read of contracts: read as the system
        contracts = self.env["crm_plus.contract"].sudo().search(
            [("partner_id", "in", self.customer_id.ids), ("state", "in", RUNNING_CONTRACT_STATES),
             ("crm_plus_sla_policy_id", "!=", False)], order="date_end desc, id desc")
        for ticket in self:
            own = ticket.contract_id.sudo()
            if own.state in RUNNING_CONTRACT_STATES and own.crm_plus_sla_policy_id:
                result[ticket.id] = own.crm_plus_sla_policy_id.sudo(False)
                continue
            running = contracts.filtered(lambda c, t=ticket: c.partner_id == t.customer_id)[:1]
            if running:
                result[ticket.id] = running.crm_plus_sla_policy_id.sudo(False)
        return result

    def _crm_plus_sla_timelines(self, clocks, now):
        return self.env["crm_plus.ticket.clock"]._crm_plus_timelines(clocks, now)

    def _crm_plus_sla_apply(self, now=None):
        """Match each ticket's policy; start its clocks, or retarget them when the policy changed."""
        now = now or fields.Datetime.now()
        Clock = self.env["crm_plus.ticket.clock"].sudo()  # clocks follow the ticket the user may write
        matches = self.env["crm_plus.sla.policy"].sudo()._crm_plus_match(self)
        new_vals, retarget = [], Clock
        for ticket in self:
            policy = matches[ticket.id]
            if policy == ticket.sla_policy_id and (ticket.clock_ids or not policy):
                continue
            ticket.write({"sla_policy_id": policy.id})
            open_clocks = ticket.clock_ids.filtered(lambda c: not c.done)
            if not policy:
                open_clocks.sudo().unlink()
                continue
            if ticket.clock_ids:
                open_clocks.sudo().write({"policy_id": policy.id})
                retarget |= open_clocks
                continue
            if ticket.is_solved or ticket.is_closed:
                continue
            for kind in ("first_response", "resolution"):
                new_vals.append({
                    "ticket_id": ticket.id, "policy_id": policy.id, "kind": kind, "date_start": now,
                    "running_since": False if (ticket.is_waiting and kind == "resolution") else now,
                    "paused": ticket.is_waiting and kind == "resolution",
                })
        clocks = Clock.create(new_vals) | retarget.sudo()
        if clocks:
            clocks._crm_plus_update(now, self._crm_plus_sla_timelines(clocks, now), retarget=True)

    def _crm_plus_sla_stage_changed(self, before):
        now = fields.Datetime.now()
        clocks = self.clock_ids.sudo()
        if not clocks:
            return
        timelines = self._crm_plus_sla_timelines(clocks, now)
        for ticket in self:
            was_waiting, was_done = before[ticket.id]
            done = ticket.is_solved or ticket.is_closed
            mine = clocks.filtered(lambda c, t=ticket: c.ticket_id == t)
            pausable = mine.filtered(lambda c: c.kind != "first_response")
            if done and not was_done:
                mine._crm_plus_stop(now, timelines)
            elif was_done and not done:
                reopened = mine.filtered(lambda c: c.kind == "resolution")._crm_plus_reopen(now, timelines)
                ticket._crm_plus_sla_log(self.env._("Ticket reopened: the resolution clock goes on"), reopened)
            if ticket.is_waiting and not was_waiting and not done:
                paused = pausable._crm_plus_pause(now, timelines)
                ticket._crm_plus_sla_log(self.env._("SLA paused: waiting for the customer"), paused)
            elif was_waiting and not ticket.is_waiting and not done:
                resumed = pausable._crm_plus_resume(now, timelines)
                ticket._crm_plus_sla_log(self.env._("SLA resumed"), resumed)

    def _crm_plus_sla_agent_replied(self, now):
        for ticket in self:
            if not ticket.date_first_response:
                # bookkeeping of a message the user was allowed to post (message_post checked it)
                ticket.sudo().write({"date_first_response": now})
        clocks = self.clock_ids.sudo().filtered(lambda c: not c.done and c.kind in ("first_response", "next_reply"))
        if clocks:
            clocks._crm_plus_stop(now, self._crm_plus_sla_timelines(clocks, now))

    def _crm_plus_sla_customer_wrote(self, now):
        """The customer wrote: a waiting ticket goes back to work (its clocks resume), a next-reply clock starts."""
        for ticket in self.filtered("is_waiting"):
            stage = self.env["crm_plus.ticket.stage"].search(
                [("is_waiting", "=", False), ("is_solved", "=", False), ("is_closed", "=", False),
                 *self._crm_plus_stage_domain(ticket.team_id.id)], order="sequence desc, id", limit=1)
            if stage:
                # the customer (portal, e-mail gateway) may post, not move stages: checked by message_post
                ticket.sudo().stage_id = stage
        new_vals = []
        for ticket in self:
            policy = ticket.sla_policy_id
            # before the first agent reply, the first-response clock is the one running for the customer
            if (not policy or not policy.next_reply_time or not ticket.date_first_response
                    or ticket.is_solved or ticket.is_closed
                    or any(c.kind == "next_reply" and not c.done for c in ticket.clock_ids)):
                continue
            new_vals.append({"ticket_id": ticket.id, "policy_id": policy.id, "kind": "next_reply",
                             "date_start": now, "running_since": now})
        clocks = self.env["crm_plus.ticket.clock"].sudo().create(new_vals)
        if clocks:
            clocks._crm_plus_update(now, self._crm_plus_sla_timelines(clocks, now), retarget=True)

    def _crm_plus_sla_log(self, title, clocks):
        """A note saying why the deadlines moved: each clock's working time used of its target."""
        if not clocks:
            return
        kinds = dict(self.env["crm_plus.ticket.clock"]._fields["kind"]._description_selection(self.env))
        lines = [self.env._("%(clock)s: %(used)s of %(target)s working time used",
                            clock=kinds[c.kind], used=format_duration(c.consumed_seconds / 3600.0),
                            target=format_duration(c.target_seconds / 3600.0)) for c in clocks]
        self._message_log(body="%s — %s" % (title, "; ".join(lines)))
