"""WeChat Official Account template messages against a local stand-in server: followers only (opt-out
respected), the access token fetched once and reused until it expires, renewed when WeChat refuses it."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from odoo import fields
from odoo.tests import tagged

from ..tools import wechat
from .common import CrmPlusCase
from .loopback import LoopbackServer


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestWechat(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.follower = Partner.create({"name": "关注者", "crm_plus_wechat_openid": "oOPENID1"})
        cls.opted_out = Partner.create({"name": "Opted out", "crm_plus_wechat_openid": "oOPENID2",
                                        "crm_plus_wechat_opt_out": True})
        cls.stranger = Partner.create({"name": "No openid"})
        cls.Outbox = cls.env["crm_plus.outbox"]

    def _target(self, base):
        target = self.env["crm_plus.integration.target"].create({
            "name": "服务号", "kind": "wechat_oa", "url": base, "wechat_app_id": "wxAPP", "secret": "APPSECRET",
            "wechat_template_id": "TPL1", "read_timeout": 2.0})
        self.env["crm_plus.event.subscription"].create({"name": "Tell the customer", "event": "churn_risk",
                                                        "target_id": target.id, "lang": "en_US"})
        return target

    def test_followers_only_and_token_cached(self):
        with LoopbackServer() as server:
            target = self._target(server.base_url)
            rows = self.Outbox._crm_plus_emit("churn_risk", self.follower | self.opted_out | self.stranger)
            self.assertEqual(rows.mapped("res_id"), [self.follower.id])
            self.Outbox._cron_deliver()
            self.assertEqual(rows.state, "sent")
            self.assertEqual(len(server.token_requests), 1)
            query = parse_qs(urlparse(server.token_requests[0]).query)
            self.assertEqual((query["appid"], query["secret"]), (["wxAPP"], ["APPSECRET"]))
            path, _headers, body = server.requests[0]
            self.assertIn("access_token=TOKEN1", path)
            sent = json.loads(body)
            self.assertEqual((sent["touser"], sent["template_id"]), ("oOPENID1", "TPL1"))
            self.assertIn(self.follower.name, sent["data"]["first"]["value"])
            # the token is reused until it expires
            self.Outbox._cron_deliver()
            again = self.Outbox._crm_plus_emit("churn_risk", self.follower)
            self.Outbox._cron_deliver()
            self.assertEqual(again.state, "sent")
            self.assertEqual(len(server.token_requests), 1)
            self.assertIn("access_token=TOKEN1", server.requests[1][0])
            target.write({"wechat_token_expiry": fields.Datetime.now() - timedelta(seconds=1)})
            third = self.Outbox._crm_plus_emit("churn_risk", self.follower)
            self.Outbox._cron_deliver()
            self.assertEqual(third.state, "sent")
            self.assertEqual(len(server.token_requests), 2)
            self.assertIn("access_token=TOKEN2", server.requests[2][0])

    def test_refused_token_renewed(self):
        with LoopbackServer() as server:
            self._target(server.base_url)
            server.answer = {"errcode": 42001, "errmsg": "access_token expired"}
            row = self.Outbox._crm_plus_emit("churn_risk", self.follower)
            self.Outbox._cron_deliver()
            self.assertEqual((row.state, row.attempts), ("pending", 1))
            self.assertIn("42001", row.last_error)
            server.answer = {"errcode": 0, "errmsg": "ok"}
            row.write({"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)})
            self.Outbox._cron_deliver()
            self.assertEqual(row.state, "sent")
            self.assertEqual(len(server.token_requests), 2)

    def test_tools(self):
        self.assertEqual(wechat.token_lifetime({"access_token": "T", "expires_in": 7200}), ("T", 6900))
        with self.assertRaises(ValueError):
            wechat.token_lifetime({"errcode": 40013, "errmsg": "invalid appid"})
        body = wechat.template_body("oX", "T1", {"title": "Hi", "lines": ["Salesperson: Li", "Stage: Won"]})
        self.assertEqual(body["data"]["keyword2"], {"value": "Won"})
        self.assertNotIn("url", body)
