"""Events of a lead's progress: its stage changed (the customer's status), for group robots, webhooks and the
customer's own WeChat (the seeds: "when a salesperson updates the customer's status, can a WeChat notice go to
the customer?")."""

from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def write(self, vals):
        # nobody listening: no read, no query (Odoo's own stage changes cost what they cost without crm_plus)
        if "stage_id" not in vals or "lead_stage_changed" not in \
                self.env["crm_plus.event.subscription"]._crm_plus_subscribed_events():
            return super().write(vals)
        before = {lead.id: lead.stage_id for lead in self}
        result = super().write(vals)
        moved = self.filtered(lambda lead: lead.stage_id != before[lead.id])
        self.env["crm_plus.outbox"]._crm_plus_emit("lead_stage_changed", moved)
        return result
