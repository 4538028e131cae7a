"""Stage gates hold on every path a lead changes stage; a sales manager's override is logged."""

import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_stage_gate")
class TestStageGate(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        field = cls.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        cls.needs = Stage.create({"name": "Needs Confirmed", "sequence": 50, "crm_plus_gate_attachment": True,
                                  "crm_plus_gate_field_ids": [Command.set(field.ids)]})
        cls.quotation = Stage.create({"name": "Quotation Sent", "sequence": 51, "crm_plus_gate_quotation": True})
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.visited = Stage.create({"name": "Visited", "sequence": 52,
                                    "crm_plus_gate_activity_type_ids": [Command.set(cls.call.ids)]})
        cls.open_stage = Stage.create({"name": "Open", "sequence": 1})
        cls.lead = cls.env["crm.lead"].with_context(crm_plus_no_routing=True).create({
            "name": "Gated deal", "type": "opportunity", "user_id": cls.user_sales.id, "partner_id": cls.customer.id,
            "stage_id": cls.open_stage.id})

    def _attach(self, lead):
        self.env["ir.attachment"].create({"name": "needs.pdf", "res_model": "crm.lead", "res_id": lead.id,
                                          "datas": base64.b64encode(b"%PDF-1.4 needs form")})

    def test_write_refused_with_what_is_missing(self):
        lead = self.lead.with_user(self.user_sales)
        self.env.flush_all()
        self.lead.invalidate_recordset()
        before = self.lead.stage_id
        with self.assertRaisesRegex(UserError, "Needs Confirmed.*Expected Revenue.*attached document"):
            lead.write({"stage_id": self.needs.id})
        self.assertEqual(self._stored_stage(), before.id, "the refused write is rolled back")
        self.assertNotEqual(before, self.needs)
        self._attach(self.lead)
        with self.assertRaisesRegex(UserError, "Expected Revenue"):
            lead.write({"stage_id": self.needs.id})
        lead.write({"stage_id": self.needs.id, "expected_revenue": 50000})  # filled in the same save: passes
        self.assertEqual(self.lead.stage_id, self.needs)

    def test_create_in_a_gated_stage_is_refused(self):
        with self.assertRaisesRegex(UserError, "a quotation"):
            self.env["crm.lead"].with_user(self.user_sales).with_context(crm_plus_no_routing=True).create({
                "name": "Straight to quotation", "type": "opportunity", "stage_id": self.quotation.id,
                "user_id": self.user_sales.id})

    def test_quotation_and_activity_gates(self):
        lead = self.lead.with_user(self.user_sales)
        with self.assertRaisesRegex(UserError, "a quotation"):
            lead.write({"stage_id": self.quotation.id})
        self.env["sale.order"].create({"partner_id": self.customer.id, "opportunity_id": self.lead.id})
        lead.write({"stage_id": self.quotation.id})
        with self.assertRaisesRegex(UserError, "Call"):
            lead.write({"stage_id": self.visited.id})
        activity = self.lead.activity_schedule("mail.mail_activity_data_call", user_id=self.user_sales.id)
        activity.action_feedback(feedback="Called the buyer")
        lead.write({"stage_id": self.visited.id})
        self.assertEqual(self.lead.stage_id, self.visited)

    def test_import_path_is_gated(self):
        self.lead.invalidate_recordset()
        result = self.env["crm.lead"].with_user(self.user_sales).load(
            ["id", "stage_id/.id"], [[self.lead.get_external_id()[self.lead.id] or self._xmlid(), self.needs.id]])
        self.assertTrue(result["messages"], "the import reports the refused row")
        self.assertIn("Needs Confirmed", result["messages"][0]["message"])
        self.assertNotEqual(self._stored_stage(), self.needs.id)

    def _stored_stage(self):
        self.env.cr.execute("SELECT stage_id FROM crm_lead WHERE id = %s", [self.lead.id])
        return self.env.cr.fetchone()[0]

    def _xmlid(self):
        self.env["ir.model.data"].create({"module": "__import__", "name": "gated_deal", "model": "crm.lead",
                                          "res_id": self.lead.id})
        return "__import__.gated_deal"

    def test_manager_override_is_logged(self):
        self.lead.with_user(self.user_manager).write({"stage_id": self.needs.id})
        self.assertEqual(self.lead.stage_id, self.needs)
        note = self.lead.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Cp Manager", note.body)
        self.assertIn("attached document", note.body)

    def test_ungated_stages_cost_nothing(self):
        lead = self.lead.with_user(self.user_sales)
        other = self.env["crm.stage"].create({"name": "Free", "sequence": 2})
        lead.write({"stage_id": other.id})
        self.assertEqual(self.lead.stage_id, other)
