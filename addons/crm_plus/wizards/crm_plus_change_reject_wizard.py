from odoo import fields, models


class CrmPlusChangeRejectWizard(models.TransientModel):
    _name = "crm_plus.change.reject.wizard"
    _description = "Reject a Customer Identity Change"

    reason = fields.Text(required=True)

    def action_reject(self):
        requests = self.env["crm_plus.partner.change.request"].browse(self.env.context.get("active_ids", []))
        requests.action_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
