"""Which agents of a team may take a ticket now."""

from datetime import timedelta

import pytz

from odoo import models


class CrmPlusTicketTeam(models.Model):
    _inherit = "crm_plus.ticket.team"

    def _crm_plus_available_agents(self, now):
        """Ids of the active agents of the team, in order, without those on time off or outside their
        working hours now (agents without a working calendar of their own count as available)."""
        self.ensure_one()
        agents = self.member_ids.filtered("active")
        resources = self.env["resource.resource"].sudo().search([("user_id", "in", agents.ids)])
        away = set()
        start = pytz.utc.localize(now)
        for resource in resources:
            calendar = resource.calendar_id
            if not calendar:
                continue
            intervals = calendar._work_intervals_batch(start, start + timedelta(minutes=1), resources=resource)
            if not intervals[resource.id]:
                away.add(resource.user_id.id)
        return [a for a in agents.sorted("id").ids if a not in away]
