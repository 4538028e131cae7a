from odoo import fields, models

from ..models.crm_plus_return_visit import SATISFACTION


class CrmPlusReturnVisitDoneWizard(models.TransientModel):
    """Asks the outcome and the stars before a return visit is marked done."""

    _name = "crm_plus.return.visit.done.wizard"
    _description = "Mark Return Visit Done"

    visit_id = fields.Many2one("crm_plus.return.visit", required=True, ondelete="cascade")
    outcome = fields.Text(required=True)
    satisfaction = fields.Selection(SATISFACTION, required=True, default="0")

    def action_confirm(self):
        self.ensure_one()
        self.visit_id.check_access("write")
        self.visit_id._mark_done(self.outcome, self.satisfaction)
        return {"type": "ir.actions.act_window_close"}
