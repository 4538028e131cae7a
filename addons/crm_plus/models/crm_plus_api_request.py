import json

from odoo import fields, models


class CrmPlusApiRequest(models.Model):
    """One successful inbound API call, kept for idempotency: the same external id answers the same."""

    _name = "crm_plus.api.request"
    _description = "CRM Plus API Call"
    _order = "id desc"
    _rec_name = "external_id"

    client_id = fields.Many2one("crm_plus.api.client", required=True, ondelete="cascade", index=True)
    endpoint = fields.Char(required=True)
    external_id = fields.Char(string="External ID", required=True)
    status = fields.Integer(string="HTTP Status")
    response = fields.Json()
    model = fields.Char()
    res_id = fields.Integer(string="Record ID")

    _sql_constraints = [
        ("external_id_unique", "UNIQUE(client_id, endpoint, external_id)",
         "A client's external id is used once per endpoint."),
    ]

    def _crm_plus_body(self):
        self.ensure_one()
        return json.loads(json.dumps(self.response))

    def action_open_record(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.model, "res_id": self.res_id, "view_mode": "form"}
