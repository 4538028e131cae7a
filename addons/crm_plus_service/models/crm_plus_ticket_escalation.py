"""SLA escalation: each step of a policy's ladder done once per clock, whatever the cron reruns."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sla import due_steps


class CrmPlusTicketClock(models.Model):
    _inherit = "crm_plus.ticket.clock"

    def _crm_plus_claim(self):
        """The open clocks of ``self`` this transaction escalates, locked until it ends; clocks another
        worker is escalating are skipped (``SKIP LOCKED``)."""
        return self.env["ir.cron"]._crm_plus_claim(self, SQL("NOT COALESCE(done, FALSE)"))

    def _crm_plus_escalate(self, now):
        """Bring the clocks up to ``now`` and run their due escalation steps; returns the steps run."""
        clocks = self._crm_plus_claim()
        if not clocks:
            return 0
        clocks._crm_plus_update(now, self._crm_plus_timelines(clocks, now))
        done = {(d.clock_id.id, d.step_id.id) for d in self.env["crm_plus.ticket.escalation.done"].search(
            [("clock_id", "in", clocks.ids)])}
        pairs = []
        for clock in clocks:
            steps = clock.policy_id.escalation_ids.filtered(lambda s, c=clock: s.clock_kind == c.kind)
            if not steps:
                continue
            overdue = (now - clock.deadline).total_seconds() if clock.deadline else -1.0
            keys = due_steps([s._crm_plus_step() for s in steps], clock.consumed_seconds, clock.target_seconds,
                             overdue, {step for clock_id, step in done if clock_id == clock.id})
            pairs += [(clock.id, step_id) for step_id in keys]
        if not pairs:
            return 0
        # the done record is written first; a step whose record exists already is never run again
        self.env.cr.execute(SQL(
            """INSERT INTO crm_plus_ticket_escalation_done (clock_id, step_id, date, create_uid, create_date,
                                                            write_uid, write_date)
               SELECT c, s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM unnest(%(clocks)s::int[], %(steps)s::int[]) AS t(c, s)
               ON CONFLICT (clock_id, step_id) DO NOTHING
               RETURNING clock_id, step_id""",
            now=now, uid=self.env.uid, clocks=[c for c, _s in pairs], steps=[s for _c, s in pairs]))
        claimed = self.env.cr.fetchall()
        self._crm_plus_run_steps(claimed)
        return len(claimed)

    def _crm_plus_run_steps(self, pairs):
        todos, reassign = [], {}
        Step = self.env["crm_plus.sla.escalation"]
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for clock_id, step_id in pairs:
            clock, step = self.browse(clock_id), Step.browse(step_id)
            ticket = clock.ticket_id
            summary = self.env._("SLA %(clock)s of %(ticket)s: %(state)s", clock=kinds[clock.kind],
                                 ticket=ticket.display_name,
                                 state=dict(self._fields["state"]._description_selection(self.env))[clock.state])
            deadline = fields.Date.context_today(self)
            if step.notify_agent and ticket.user_id:
                todos.append((ticket, ticket.user_id, summary, deadline))
            if step.notify_manager and ticket.team_id.leader_id:
                todos.append((ticket, ticket.team_id.leader_id, summary, deadline))
            if step.raise_priority and ticket.priority < "3":
                ticket.priority = str(int(ticket.priority) + 1)
            if step.reassign and ticket.team_id:
                reassign[ticket.id] = ticket.user_id.id
            ticket._message_log(body=self.env._("Escalation: %(summary)s", summary=summary))
        self.env["mail.activity"]._crm_plus_create_todos(todos)
        if reassign:
            self.env["crm_plus.ticket"].browse(list(reassign))._crm_plus_assign(exclude=reassign)

    @api.model
    def _cron_escalate(self, batch_size=500):
        """Refresh the open clocks that have an escalation ladder and run their due steps, in batches."""
        clocks = self.search([("done", "=", False), ("policy_id.escalation_ids", "!=", False)], order="id")
        now = fields.Datetime.now()
        return self.env["ir.cron"]._crm_plus_run_batches(
            "SLA escalation", clocks, lambda batch: batch._crm_plus_escalate(now), batch_size=batch_size)

    @api.model
    def _cron_refresh(self, batch_size=1000):
        """Bring running clocks' states (at risk, breached) and hours left up to now, in batches; a breached
        clock stays breached until it stops, so it is left alone."""
        clocks = self.search([("done", "=", False), ("paused", "=", False), ("state", "!=", "breached")], order="id")
        now = fields.Datetime.now()

        def process(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("NOT COALESCE(done, FALSE)"))
            batch._crm_plus_update(now, self._crm_plus_timelines(batch, now))
            return len(batch)

        return self.env["ir.cron"]._crm_plus_run_batches("SLA refresh", clocks, process, batch_size=batch_size)
