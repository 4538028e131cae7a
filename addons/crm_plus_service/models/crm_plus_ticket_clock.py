from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sla import clock_state, target_seconds
from ..tools.working_time import nth_working_day
from .crm_plus_sla_policy import CLOCK_KINDS
from .resource_calendar_sla import PLANNING_HORIZON, SHORT_HORIZON

CLOCK_STATES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached"), ("met", "Met")]


class CrmPlusTicketClock(models.Model):
    """One SLA clock of a ticket: the working seconds it used, and when its target runs out.

    A clock runs (``running_since`` set), is paused (waiting for the customer) or is done. Its consumed
    working seconds are brought up to date at every event (pause, resume, stop, recompute); its deadline is
    the remaining working time planned from that moment on the team's calendar.
    """

    _name = "crm_plus.ticket.clock"
    _description = "Ticket SLA Clock"
    _order = "ticket_id, id"

    ticket_id = fields.Many2one("crm_plus.ticket", required=True, ondelete="cascade", index=True)
    policy_id = fields.Many2one("crm_plus.sla.policy", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(CLOCK_KINDS, required=True)
    date_start = fields.Datetime(required=True, default=fields.Datetime.now)
    target_seconds = fields.Float(help="Working seconds allowed.")
    consumed_seconds = fields.Float(help="Working seconds used until the clock's last update.")
    running_since = fields.Datetime(help="Empty while the clock is paused or done.")
    paused = fields.Boolean()
    done = fields.Boolean(index=True)
    date_done = fields.Datetime()
    deadline = fields.Datetime(index=True, help="When the target runs out if the clock keeps running.")
    time_left = fields.Float(string="Working Hours Left", help="Negative once breached.")
    state = fields.Selection(CLOCK_STATES, string="Status", default="on_track", required=True, index=True)
    needs_recompute = fields.Boolean(index="btree_not_null")

    _sql_constraints = [
        ("target_positive", "CHECK(target_seconds >= 0)", "An SLA target cannot be negative."),
    ]

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_timelines(self, clocks, now, horizon=SHORT_HORIZON):
        """{calendar id: (Timeline, working dates)} covering the clocks' running time and ``horizon`` ahead
        (a clock whose target lies further is planned again on the full horizon, see ``_crm_plus_update``)."""
        by_calendar = {}
        for clock in clocks:
            calendar = clock.ticket_id.team_id.resource_calendar_id or clock.ticket_id.company_id.resource_calendar_id
            start = min(clock.running_since or now, clock.date_start, now)
            current = by_calendar.get(calendar)
            by_calendar[calendar] = min(current, start) if current else start
        return {calendar.id: calendar._crm_plus_timeline(start - timedelta(days=1), now + horizon)
                for calendar, start in by_calendar.items() if calendar}

    def _crm_plus_calendar(self):
        self.ensure_one()
        return self.ticket_id.team_id.resource_calendar_id or self.ticket_id.company_id.resource_calendar_id

    def _crm_plus_target_seconds(self, timeline, dates):
        """The clock's target in working seconds; days land at the same clock time on the Nth working day."""
        self.ensure_one()
        amount, unit = self.policy_id._crm_plus_target(self.kind)
        if unit != "days":
            return target_seconds(amount, unit)
        tz = self._crm_plus_calendar()._crm_plus_tz()
        local_start = pytz.utc.localize(self.date_start).astimezone(tz).replace(tzinfo=None)
        local_end = nth_working_day(local_start, int(amount), dates)
        if local_end is None:
            return None
        end = tz.localize(local_end).astimezone(pytz.utc).replace(tzinfo=None)
        return timeline.seconds_between(self.date_start, end)

    def _crm_plus_update(self, now=None, timelines=None, retarget=False):
        """Bring consumed seconds, deadline, time left and state up to ``now``; one write per clock."""
        now = now or fields.Datetime.now()
        timelines = timelines if timelines is not None else self._crm_plus_timelines(self, now)
        for clock in self:
            calendar_id = clock._crm_plus_calendar().id
            vals = clock._crm_plus_values(now, *timelines[calendar_id], retarget)
            if vals is None:
                # the target lies beyond the short horizon: the calendar's full horizon, read once per update
                if (calendar_id, "full") not in timelines:
                    timelines[calendar_id, "full"] = self._crm_plus_timelines(clock, now, PLANNING_HORIZON)[calendar_id]
                vals = clock._crm_plus_values(now, *timelines[calendar_id, "full"], retarget, last_try=True)
            clock.write(vals)

    def _crm_plus_values(self, now, timeline, dates, retarget, last_try=False):
        """The clock's values brought up to ``now`` on ``timeline``; None when the timeline ends too soon
        to plan it (unless ``last_try``: then a target in days counts calendar days, a deadline stays empty)."""
        self.ensure_one()
        clock = self
        vals = {"needs_recompute": False}
        target = clock._crm_plus_target_seconds(timeline, dates) if retarget else clock.target_seconds
        if target is None:
            if not last_try:
                return None
            amount = clock.policy_id._crm_plus_target(clock.kind)[0]
            target = target_seconds(amount * 24, "hours")
        consumed = clock.consumed_seconds
        if clock.running_since and not clock.done:
            consumed += timeline.seconds_between(clock.running_since, now)
            vals.update(running_since=now, consumed_seconds=consumed)
        if retarget:
            vals["target_seconds"] = target
        remaining = target - consumed
        if clock.done or clock.paused:
            deadline = False
        elif remaining > 0:
            deadline = timeline.plan(now, remaining)
            if deadline is None and not last_try:
                return None
            deadline = deadline or False
        else:
            deadline = clock.deadline if clock.deadline and clock.deadline <= now else now
        vals.update(deadline=deadline, time_left=round(remaining / 3600.0, 4),
                    state=clock_state(consumed, target, clock.policy_id.at_risk_share, clock.done))
        return vals

    def _crm_plus_pause(self, now, timelines):
        running = self.filtered(lambda c: not c.done and not c.paused)
        running._crm_plus_update(now, timelines)
        running.write({"paused": True, "running_since": False, "deadline": False})
        return running

    def _crm_plus_resume(self, now, timelines):
        paused = self.filtered(lambda c: not c.done and c.paused)
        paused.write({"paused": False, "running_since": now})
        paused._crm_plus_update(now, timelines)
        return paused

    def _crm_plus_stop(self, now, timelines):
        running = self.filtered(lambda c: not c.done)
        running._crm_plus_update(now, timelines)
        running.write({"done": True, "date_done": now, "running_since": False, "paused": False})
        running._crm_plus_update(now, timelines)
        return running

    def _crm_plus_reopen(self, now, timelines):
        """A reopened ticket's resolution clock goes on from the working time it had used."""
        done = self.filtered("done")
        done.write({"done": False, "date_done": False, "running_since": now, "paused": False})
        done._crm_plus_update(now, timelines)
        return done

    @api.model
    def _crm_plus_mark_recompute(self, domain):
        """Flag the open clocks matching ``domain`` for the recompute cron, and wake it up."""
        clocks = self.search([("done", "=", False), *domain])
        if not clocks:
            return
        self.env.cr.execute(SQL(
            "UPDATE crm_plus_ticket_clock SET needs_recompute = TRUE WHERE id = ANY(%s)", clocks.ids))
        clocks.invalidate_recordset(["needs_recompute"])
        cron = self.env.ref("crm_plus_service.ir_cron_sla_recompute", raise_if_not_found=False)
        if cron:
            cron._trigger()

    # ------------------------------------------------------------------------------------------------
    # CRONS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_recompute(self, batch_size=1000):
        """Recompute the flagged clocks (after a calendar or policy change), in batches: targets from their
        policy (a target in days moves with the calendar), consumed time, deadline and state. A crash
        leaves the rest flagged; the rerun goes on with them."""
        clocks = self.search([("needs_recompute", "=", True)], order="id")
        now = fields.Datetime.now()

        def process(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("needs_recompute"))
            batch._crm_plus_update(now, self._crm_plus_timelines(batch, now), retarget=True)
            return len(batch)

        return self.env["ir.cron"]._crm_plus_run_batches("SLA recompute", clocks, process, batch_size=batch_size)
