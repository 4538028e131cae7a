"""Assignment of new tickets to the agents of their team: round robin, balanced load or skills."""

from odoo import fields, models
from odoo.tools import SQL

from ..tools.assignment import PRIORITY_WEIGHTS, choose_agent


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    def _crm_plus_after_create(self):
        result = super()._crm_plus_after_create()
        self.filtered(lambda t: not t.user_id and t.team_id.assignment_method != "manual")._crm_plus_assign()
        return result

    def _crm_plus_lock_for_assignment(self, reassign=False):
        """The tickets of ``self`` this transaction may assign, locked until it ends (another worker
        assigning them at the same moment skips them), through the one claim of ``ir.cron``."""
        condition = None if reassign else SQL("user_id IS NULL")
        return self.env["ir.cron"]._crm_plus_claim(self, condition)

    def _crm_plus_assign(self, exclude=None):
        """Assign each ticket to an available agent of its team; returns the tickets assigned.

        ``exclude``: {ticket id: user id} of agents who must not get the ticket back (escalation)."""
        exclude = exclude or {}
        tickets = self._crm_plus_lock_for_assignment(reassign=bool(exclude))
        assigned = self.browse()
        now = fields.Datetime.now()
        for team in tickets.team_id:
            # the team's row serialises the round-robin pointer between workers
            self.env.cr.execute(SQL("SELECT id FROM crm_plus_ticket_team WHERE id = %s FOR UPDATE", team.id))
            team.invalidate_recordset(["assignment_pointer_id"])
            team_tickets = tickets.filtered(lambda t, tm=team: t.team_id == tm)
            agents = team.sudo()._crm_plus_available_agents(now)
            if not agents:
                continue
            loads = team_tickets._crm_plus_agent_loads(agents)
            usual = team_tickets._crm_plus_usual_agents()
            skills = {user.id: set(user.crm_plus_ticket_tag_ids.ids) for user in self.env["res.users"].browse(agents)}
            pointer = team.assignment_pointer_id.id
            for ticket in team_tickets:
                candidates = [a for a in agents if a != exclude.get(ticket.id)]
                agent = choose_agent(team.assignment_method, candidates, pointer=pointer, loads=loads,
                                     skills=skills, wanted_skills=ticket.tag_ids.ids,
                                     usual=usual.get(ticket.customer_id.id))
                if not agent:
                    continue
                ticket.user_id = agent
                assigned |= ticket
                loads[agent] = loads.get(agent, 0) + PRIORITY_WEIGHTS.get(ticket.priority, 1)
                if team.assignment_method == "round_robin":
                    pointer = agent
            if pointer != team.assignment_pointer_id.id:
                team.sudo().assignment_pointer_id = pointer
        return assigned

    def _crm_plus_agent_loads(self, agents):
        """{agent id: open tickets weighted by priority}."""
        groups = self.env["crm_plus.ticket"].sudo()._read_group(
            [("user_id", "in", agents), ("is_closed", "=", False), ("is_solved", "=", False)],
            ["user_id", "priority"], ["__count"])
        loads = {}
        for user, priority, count in groups:
            loads[user.id] = loads.get(user.id, 0) + count * PRIORITY_WEIGHTS.get(priority, 1)
        return loads

    def _crm_plus_usual_agents(self):
        """{customer id: the agent of the customer's latest other ticket}."""
        customers = self.customer_id
        if not customers:
            return {}
        groups = self.env["crm_plus.ticket"].sudo()._read_group(
            [("customer_id", "in", customers.ids), ("user_id", "!=", False), ("id", "not in", self.ids)],
            ["customer_id"], ["id:max"])
        latest = self.env["crm_plus.ticket"].sudo().browse([max_id for _customer, max_id in groups])
        return {t.customer_id.id: t.user_id.id for t in latest}
