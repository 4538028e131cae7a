from odoo import fields, models

from .crm_plus_sla_policy import CLOCK_KINDS


class CrmPlusSlaEscalation(models.Model):
    _name = "crm_plus.sla.escalation"
    _description = "SLA Escalation Step"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("crm_plus.sla.policy", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    clock_kind = fields.Selection(CLOCK_KINDS, string="Clock", required=True, default="resolution")
    trigger = fields.Selection(
        [("share", "Share of Time Used"), ("breach", "Hours After Breach")], required=True, default="share")
    share = fields.Float(default=0.8, help="Share of the target used (0 to 1).")
    hours_after = fields.Float(string="Hours After Breach", help="Hours after the deadline (calendar time).")
    notify_agent = fields.Boolean(default=True)
    notify_manager = fields.Boolean(string="Notify Service Manager")
    raise_priority = fields.Boolean()
    reassign = fields.Boolean(help="Give the ticket to another available agent of its team.")

    def _crm_plus_step(self):
        """(key, kind, value) of this step, as tools.sla.due_steps reads it."""
        self.ensure_one()
        return self.id, self.trigger, self.share if self.trigger == "share" else self.hours_after
