"""Events wired through the one emitter (routing, pool, lifecycle, contracts, instalments), the messages each
robot gets (formats, signatures), and masking: no real phone or e-mail leaves in a message."""

import base64
import hashlib
import hmac
import json
from datetime import date, timedelta
from urllib.parse import unquote_plus

from odoo import Command, fields
from odoo.tests import BaseCase, new_test_user, tagged

from ..tools import robots
from ..tools.masking import mask_phone
from .common import CrmPlusCase
from .loopback import LoopbackServer

PHONE = "+86 139 1234 5678"
EMAIL = "zhang.secret@example.cn"


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestRobotTools(BaseCase):
    def test_dingtalk_sign(self):
        expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
        sign = robots.dingtalk_sign("SECabc", 1700000000000)
        self.assertEqual(unquote_plus(sign), expected)
        self.assertNotIn("+", sign)
        self.assertNotIn("/", sign)

    def test_feishu_sign(self):
        expected = base64.b64encode(hmac.new(b"1700000000\nsec", b"", hashlib.sha256).digest()).decode()
        self.assertEqual(robots.feishu_sign("sec", 1700000000), expected)

    def test_build_requests(self):
        message = {"title": "Lead Assigned: ACME", "lines": ["Salesperson: Li"], "url": "http://x/odoo/crm.lead/1",
                   "link_label": "Open"}
        payload = {"event": "lead_assigned", "idempotency_key": "k1", "message": message}
        url, body, headers = robots.build_request("wecom", "http://r/send?key=1", "", message, payload, 1700000000.5)
        data = json.loads(body)
        self.assertEqual(data["msgtype"], "markdown")
        self.assertIn("**Lead Assigned: ACME**", data["markdown"]["content"])
        self.assertIn("[Open](http://x/odoo/crm.lead/1)", data["markdown"]["content"])
        self.assertEqual(headers["Idempotency-Key"], "k1")
        url, body, _headers = robots.build_request("dingtalk", "http://r/send?access_token=t", "SEC1", message,
                                                   payload, 1700000000.5)
        self.assertIn("&timestamp=1700000000500&sign=%s" % robots.dingtalk_sign("SEC1", 1700000000500), url)
        self.assertEqual(json.loads(body)["markdown"]["title"], "Lead Assigned: ACME")
        url, body, _headers = robots.build_request("feishu", "http://r/hook/x", "sec", message, payload, 1700000000.5)
        data = json.loads(body)
        self.assertEqual((data["timestamp"], data["sign"]), ("1700000000", robots.feishu_sign("sec", 1700000000)))
        self.assertEqual(data["msg_type"], "interactive")
        self.assertEqual(data["card"]["header"]["title"]["content"], "Lead Assigned: ACME")
        self.assertEqual(data["card"]["elements"][1]["actions"][0]["url"], "http://x/odoo/crm.lead/1")
        url, body, headers = robots.build_request("webhook", "http://r/in", "key", message, payload, 1700000000.5)
        self.assertEqual(json.loads(body), payload)
        self.assertEqual(headers["X-CrmPlus-Signature"], robots.webhook_signature("key", 1700000000, body))
        self.assertTrue(robots.verify_webhook("key", "1700000000", headers["X-CrmPlus-Signature"], body, 1700000100))
        with self.assertRaises(ValueError):
            robots.build_request("fax", "http://r", "", message, payload, 0)

    def test_response_errors_and_retry(self):
        self.assertIsNone(robots.response_error("wecom", 200, '{"errcode": 0, "errmsg": "ok"}'))
        self.assertIn("93000", robots.response_error("wecom", 200, '{"errcode": 93000, "errmsg": "invalid"}'))
        self.assertIn("19021", robots.response_error("feishu", 200, '{"code": 19021, "msg": "sign match fail"}'))
        self.assertIsNone(robots.response_error("webhook", 204, ""))
        self.assertIn("HTTP 503", robots.response_error("webhook", 503, "down"))
        self.assertTrue(robots.is_retryable(None) and robots.is_retryable(429) and robots.is_retryable(502))
        self.assertFalse(robots.is_retryable(404) or robots.is_retryable(401))
        self.assertEqual([robots.retry_delay(n) for n in (1, 2, 3)], [30, 60, 120])
        self.assertEqual(robots.retry_delay(40), robots.RETRY_CAP)


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestIntegrationEvents(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls.env["crm_plus.integration.target"].create({
            "name": "Group", "kind": "wecom", "url": "http://127.0.0.1:9/send?key=x"})
        cls.Outbox = cls.env["crm_plus.outbox"]
        cls.customer.write({"phone": PHONE, "email": EMAIL})

    def _subscribe(self, event, **vals):
        return self.env["crm_plus.event.subscription"].create({
            "name": event, "event": event, "target_id": self.target.id, "lang": "en_US", **vals})

    def _rows(self, event):
        return self.Outbox.search([("event", "=", event)])

    def test_message_masks_contact_details(self):
        self._subscribe("churn_risk")
        row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
        self.assertNotIn("1234", row.payload)
        self.assertNotIn("zhang.secret", row.payload)
        message = json.loads(row.payload)["message"]
        self.assertIn("Phone: %s" % mask_phone(PHONE), message["lines"])
        self.assertIn("Email: z***@example.cn", message["lines"])
        self.assertEqual(message["title"], "Churn Risk: %s" % self.customer.display_name)
        with LoopbackServer() as server:
            self.target.url = server.url
            self.Outbox._cron_deliver()
            _path, _headers, body = server.requests[0]
        self.assertEqual(row.state, "sent")
        text = body.decode()
        self.assertNotIn("1234", text)
        self.assertIn(mask_phone(PHONE), json.loads(text)["markdown"]["content"])

    def test_message_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self._subscribe("churn_risk", lang="zh_CN")
        row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
        title = json.loads(row.payload)["message"]["title"]
        self.assertTrue(title.endswith(self.customer.display_name))
        self.assertNotIn("Churn Risk", title)

    def test_lead_assigned_by_routing(self):
        self._subscribe("lead_assigned")
        seller = new_test_user(self.env, login="cp_evt_seller", groups="crm_plus.group_crm_plus_user")
        team = self.env["crm.team"].create({"name": "Events", "member_ids": [Command.link(seller.id)]})
        self.env["crm_plus.routing.rule"].search([]).action_archive()
        self.env["crm_plus.routing.rule"].create({"name": "Events rule", "team_id": team.id,
                                                  "strategy": "round_robin"})
        lead = self.env["crm.lead"].create({"name": "Routed lead", "type": "lead", "user_id": False,
                                            "phone": "+86 138 0000 9876"})
        self.assertEqual(lead.user_id, seller)
        row = self._rows("lead_assigned")
        self.assertEqual((row.model, row.res_id), ("crm.lead", lead.id))
        self.assertIn(mask_phone(lead.phone), row.payload)
        self.assertNotIn("0000 98", row.payload)

    def test_lead_stage_changed(self):
        """The customer's status: a stage change is an event (to a group robot here, or the customer's WeChat)."""
        lead = self.env["crm.lead"].create({"name": "Stage events", "type": "opportunity",
                                            "partner_id": self.customer.id, "user_id": self.user_sales.id})
        stages = self.env["crm.stage"].search([], limit=2)
        lead.stage_id = stages[0]
        self.assertFalse(self._rows("lead_stage_changed"), "nobody subscribed: nothing written")
        self._subscribe("lead_stage_changed")
        lead.with_user(self.user_sales).write({"stage_id": stages[1].id})
        row = self._rows("lead_stage_changed")
        self.assertEqual((row.model, row.res_id), ("crm.lead", lead.id))
        self.assertIn(stages[1].name, row.payload, "the message names the new stage")
        lead.write({"stage_id": stages[1].id, "name": "Stage events (renamed)"})
        lead.name = "Stage events again"
        self.assertEqual(self._rows("lead_stage_changed"), row, "no event without a change of stage")

    def test_churn_and_pool_warning(self):
        self._subscribe("churn_risk")
        self._subscribe("pool_warning")
        self.customer._crm_plus_churn_activities(90)
        self.assertEqual(self._rows("churn_risk").res_id, self.customer.id)
        pool = self.env["crm_plus.pool"].create({"name": "Events pool"})
        pool._warn(self.customer, {self.customer.id: date.today() + timedelta(days=3)}, fields.Datetime.now())
        self.assertEqual(self._rows("pool_warning").res_id, self.customer.id)

    def test_contract_events(self):
        self._subscribe("approval_requested")
        self._subscribe("renewal_due")
        self._subscribe("instalment_overdue")
        product = self._setup_invoicing("Events licence")
        contract = self.env["crm_plus.contract"].create({
            "partner_id": self.customer.id, "user_id": self.user_sales.id, "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 1000,
                                         "discount": 50.0})]})
        contract.with_user(self.user_sales).action_confirm()
        self.assertEqual(contract.state, "pending")
        self.assertEqual(self._rows("approval_requested").res_id, contract.id)
        contract._create_renewal_leads()
        contract._create_renewal_leads()  # nothing new: no second event
        self.assertEqual(len(self._rows("renewal_due")), 1)
        instalment = self.env["crm_plus.contract.instalment"].create({
            "contract_id": contract.id, "date_due": date.today() - timedelta(days=2), "amount": 300.0})
        self.assertEqual(instalment.state, "overdue")
        Instalment = self.env["crm_plus.contract.instalment"]
        Instalment._cron_emit_overdue()
        Instalment._cron_emit_overdue()
        # once, whatever the reruns (other overdue instalments of the database get theirs too)
        self.assertEqual(self._rows("instalment_overdue").mapped("res_id").count(instalment.id), 1)
        self.assertTrue(instalment.overdue_event_date)
