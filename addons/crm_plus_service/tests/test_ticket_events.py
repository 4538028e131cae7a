"""Ticket SLA events through crm_plus's one emitter: a clock entering At Risk, then Breached, emits each once."""

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_sla import SlaCase


def _utc(*args):
    return datetime(*args) - timedelta(hours=8)


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestTicketEvents(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = target = cls.env["crm_plus.integration.target"].create({
            "name": "Service group", "kind": "feishu", "url": "http://127.0.0.1:9/hook", "secret": "s"})
        cls.env["crm_plus.event.subscription"].create([
            {"name": event, "event": event, "target_id": target.id, "lang": "en_US"}
            for event in ("sla_at_risk", "sla_breached", "low_satisfaction")])
        cls.customer.phone = "+86 139 7777 6543"

    def rows(self, event, tickets=None):
        """The outbox rows of ``event`` (of ``tickets`` only when given: demo tickets have clocks too)."""
        domain = [("event", "=", event)]
        if tickets is not None:
            domain += [("model", "=", "crm_plus.ticket"), ("res_id", "in", tickets.ids)]
        return self.env["crm_plus.outbox"].search(domain)

    def test_at_risk_then_breached_once_each(self):
        Clock = self.env["crm_plus.ticket.clock"]
        with freeze_time(_utc(2025, 11, 3, 10)):
            ticket = self.new_ticket()
        self.assertFalse(self.rows("sla_at_risk", ticket) | self.rows("sla_breached", ticket))
        with freeze_time(_utc(2025, 11, 3, 13, 45)):  # 2h45 of the 3h first response (lunch 12-13)
            Clock._cron_refresh()
            Clock._cron_refresh()
        self.assertEqual(self.rows("sla_at_risk", ticket).mapped("res_id"), [ticket.id])
        self.assertFalse(self.rows("sla_breached", ticket))
        with freeze_time(_utc(2025, 11, 3, 15)):
            Clock._cron_refresh()
            Clock._cron_refresh()
        breached = self.rows("sla_breached", ticket)
        self.assertEqual((breached.model, breached.res_id), ("crm_plus.ticket", ticket.id))
        self.assertEqual(len(self.rows("sla_at_risk", ticket)), 1)
        payload = json.loads(breached.payload)
        self.assertTrue(payload["url"].endswith("/odoo/crm_plus.ticket/%d" % ticket.id))
        self.assertNotIn("7777", breached.payload)

    def test_low_rating_emitted_once(self):
        """A score under the threshold emits Low Satisfaction for the ticket, once; a good score emits nothing."""
        self.customer.email = "li.na@huaxin.example.cn"
        low, good = self.new_ticket(), self.new_ticket()
        (low | good).stage_id = self.stage_solved
        self.assertTrue(low.rating_ids and good.rating_ids, "solving asks the customer for a rating")
        good.sudo().rating_apply(5, token=good.rating_ids.access_token)
        self.assertFalse(self.rows("low_satisfaction"))
        low.sudo().rating_apply(1, token=low.rating_ids.access_token, feedback="太慢了")
        rows = self.rows("low_satisfaction")
        self.assertEqual(rows, self.rows("low_satisfaction", low))
        self.assertEqual(rows.mapped("res_id"), [low.id])
        self.assertEqual(rows.target_id, self.target)
        self.assertNotIn("huaxin.example.cn", rows.payload, "contact fields stay masked in a group chat")
