"""Ticket events for robots and webhooks: SLA at risk, SLA breached (and low satisfaction, emitted by the
rating code), all through crm_plus's one emitter."""

from odoo import api, fields, models

TICKET_EVENTS = {"sla_at_risk": "crm_plus.ticket", "sla_breached": "crm_plus.ticket",
                 "low_satisfaction": "crm_plus.ticket"}
# clock state reached -> event emitted for its ticket
SLA_EVENTS = {"at_risk": "sla_at_risk", "breached": "sla_breached"}


class CrmPlusEventSubscription(models.Model):
    """Ticket events offered to subscriptions."""

    _inherit = "crm_plus.event.subscription"

    event = fields.Selection(
        selection_add=[("sla_at_risk", "SLA at Risk"), ("sla_breached", "SLA Breached"),
                       ("low_satisfaction", "Low Satisfaction Rating")],
        ondelete={"sla_at_risk": "cascade", "sla_breached": "cascade", "low_satisfaction": "cascade"})

    @api.model
    def _crm_plus_event_models(self):
        return {**super()._crm_plus_event_models(), **TICKET_EVENTS}


class CrmPlusTicketClock(models.Model):
    """A clock entering At Risk or Breached emits the ticket's SLA event once per change of state."""

    _inherit = "crm_plus.ticket.clock"

    def _crm_plus_update(self, now=None, timelines=None, retarget=False):
        before = {clock.id: clock.state for clock in self}
        res = super()._crm_plus_update(now, timelines, retarget)
        Outbox = self.env["crm_plus.outbox"]
        for state, event in SLA_EVENTS.items():
            reached = self.filtered(lambda c, s=state: c.state == s and before.get(c.id) != s)
            if reached:
                Outbox._crm_plus_emit(event, reached.ticket_id)
        return res
