"""Stage gates enforced on every path a lead changes stage (drag and drop, form, RPC, import); managers override,
logged."""

from markupsafe import Markup

from odoo import _, api, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(lambda lead: lead.stage_id.crm_plus_has_gate)._crm_plus_check_stage_gates()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if vals.get("stage_id"):
            # the resulting state is checked: a write that fills the required fields and moves the lead at
            # once passes; a refused move rolls the whole write back
            self.filtered(lambda lead: lead.stage_id.crm_plus_has_gate)._crm_plus_check_stage_gates()
        return res

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_gate_missing(self):
        """{lead: [what is missing, in words]} for the leads of ``self`` against their stage's gate.

        Attachments, quotations and done activities are counted for all of ``self`` in one grouped query
        each (as the system: a salesperson's lead may carry a document they cannot open, it still counts).
        """
        # the gate is configuration every salesperson applies; its field list (ir.model.fields) only an
        # administrator may read: the stages are read as the system, the leads' values as the user
        stages = self.stage_id.sudo()
        counts = {}
        if any(stages.mapped("crm_plus_gate_attachment")):
            counts["attachment"] = dict(self.env["ir.attachment"].sudo()._read_group(
                [("res_model", "=", "crm.lead"), ("res_id", "in", self.ids)], ["res_id"], ["__count"]))
        if any(stages.mapped("crm_plus_gate_quotation")) and "order_ids" in self._fields:
            counts["quotation"] = {lead.id: count for lead, count in self.env["sale.order"].sudo()._read_group(
                [("opportunity_id", "in", self.ids), ("state", "!=", "cancel")], ["opportunity_id"], ["__count"])}
        if stages.crm_plus_gate_activity_type_ids:
            counts["activities"] = {}
            for res_id, activity_type in self.env["mail.message"].sudo()._read_group(
                    [("model", "=", "crm.lead"), ("res_id", "in", self.ids),
                     ("mail_activity_type_id", "in", stages.crm_plus_gate_activity_type_ids.ids)],
                    ["res_id", "mail_activity_type_id"]):
                counts["activities"].setdefault(res_id, set()).add(activity_type.id)
        missing = {}
        for lead in self:
            stage, lacks = lead.stage_id.sudo(), []
            for field in stage.crm_plus_gate_field_ids:
                if not lead[field.name]:
                    lacks.append(field.field_description)
            if stage.crm_plus_gate_attachment and not counts["attachment"].get(lead.id):
                lacks.append(_("an attached document"))
            if stage.crm_plus_gate_quotation and not counts.get("quotation", {}).get(lead.id):
                lacks.append(_("a quotation"))
            done = counts.get("activities", {}).get(lead.id, set())
            lacks += [self.env._("a done activity \"%(type)s\"", type=activity_type.name)
                      for activity_type in stage.crm_plus_gate_activity_type_ids if activity_type.id not in done]
            if lacks:
                missing[lead] = lacks
        return missing

    def _crm_plus_check_stage_gates(self):
        """Refuse a lead entering a stage whose gate it does not meet; a sales manager passes, logged."""
        if not self:
            return
        missing = self._crm_plus_gate_missing()
        if not missing:
            return
        if not (self.env.su or self.env.user.has_group("crm_plus.group_crm_plus_manager")):
            lead, lacks = next(iter(missing.items()))
            raise UserError(_(
                "%(lead)s cannot enter the stage %(stage)s yet: it needs %(missing)s.",
                lead=lead.display_name, stage=lead.stage_id.name, missing=", ".join(lacks)))
        bodies = {lead.id: Markup("<p>%s</p>") % self.env._(
            "Stage gate of %(stage)s overridden by %(user)s; missing: %(missing)s.",
            stage=lead.stage_id.name, user=self.env.user.name, missing=", ".join(lacks))
            for lead, lacks in missing.items()}
        self.browse(list(bodies))._message_log_batch(bodies=bodies)
