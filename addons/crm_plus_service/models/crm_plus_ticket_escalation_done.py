from odoo import fields, models


class CrmPlusTicketEscalationDone(models.Model):
    _name = "crm_plus.ticket.escalation.done"
    _description = "SLA Escalation Step Done"

    clock_id = fields.Many2one("crm_plus.ticket.clock", required=True, ondelete="cascade", index=True)
    step_id = fields.Many2one("crm_plus.sla.escalation", required=True, ondelete="cascade")
    date = fields.Datetime(default=fields.Datetime.now, required=True)

    _sql_constraints = [
        ("clock_step_uniq", "unique(clock_id, step_id)", "An escalation step is done once per clock."),
    ]
