"""Stage gates: what a lead must have to enter a pipeline stage (fields, an attachment, a quotation, activities)."""

from odoo import api, fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    crm_plus_gate_field_ids = fields.Many2many(
        "ir.model.fields", "crm_plus_stage_gate_field_rel", "stage_id", "field_id", string="Required Fields",
        domain=[("model", "=", "crm.lead"), ("store", "=", True),
                ("ttype", "not in", ("one2many", "many2many", "binary", "boolean"))],
        help="A lead enters this stage only with these fields filled.")
    crm_plus_gate_attachment = fields.Boolean(
        string="Requires a Document", help="A lead enters this stage only with a file attached (e.g. the needs form).")
    crm_plus_gate_quotation = fields.Boolean(
        string="Requires a Quotation",
        help="An opportunity enters this stage only with a quotation that is not cancelled.")
    crm_plus_gate_activity_type_ids = fields.Many2many(
        "mail.activity.type", "crm_plus_stage_gate_activity_rel", "stage_id", "activity_type_id",
        string="Required Done Activities", domain=[("res_model", "in", (False, "crm.lead"))],
        help="A lead enters this stage only once an activity of each of these types was done on it.")
    crm_plus_has_gate = fields.Boolean(compute="_compute_crm_plus_has_gate")

    @api.depends("crm_plus_gate_field_ids", "crm_plus_gate_attachment", "crm_plus_gate_quotation",
                 "crm_plus_gate_activity_type_ids")
    def _compute_crm_plus_has_gate(self):
        for stage in self:
            stage.crm_plus_has_gate = bool(
                stage.crm_plus_gate_field_ids or stage.crm_plus_gate_attachment or stage.crm_plus_gate_quotation
                or stage.crm_plus_gate_activity_type_ids)
