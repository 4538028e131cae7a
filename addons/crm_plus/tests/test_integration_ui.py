"""Browser tours of the integration screens, at desktop and phone width: a webhook target with a
subscription created; a dead delivery found among the deliveries by state and retried."""

import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

TARGET = "巡游订单系统 Webhook"


class IntegrationTourMixin:
    def _setup_integration_tour(self):
        self.user = new_test_user(self.env, login="tour_integration", password="tour_integration",
                                  groups="crm_plus.group_crm_plus_integration_manager",
                                  name="Tour Integration Manager", lang="en_US")
        # only this test's deliveries (other tests or demo data may have some)
        self.env["crm_plus.outbox"].search([]).unlink()
        target = self.env["crm_plus.integration.target"].create({
            "name": "巡游已有 Webhook", "kind": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "s"})
        past = datetime.now() - timedelta(hours=1)
        self.sent, self.dead = self.env["crm_plus.outbox"].create([{
            "event": "lead_assigned", "target_id": target.id, "idempotency_key": "tour-%s" % state,
            "summary": summary, "payload": json.dumps({"event": "lead_assigned"}), "state": state,
            "attempts": attempts, "next_attempt_at": past, "last_error": error,
        } for state, summary, attempts, error in (("sent", "巡游已送达投递", 1, False),
                                                  ("dead", "巡游死信投递", 8, "HTTP 503: Service Unavailable"))])

    def _assert_target_created(self):
        target = self.env["crm_plus.integration.target"].search([("name", "=", TARGET)])
        self.assertEqual(len(target), 1)
        self.assertEqual((target.kind, target.url, target.secret),
                         ("webhook", "http://127.0.0.1:8069/tour-receiver", "tour-secret"))
        self.assertEqual(target.subscription_ids.mapped("event"), ["lead_assigned"])
        self.assertEqual(target.subscription_ids.name, "新线索通知")

    def _assert_retried(self):
        self.dead.invalidate_recordset()
        self.assertEqual((self.dead.state, self.dead.attempts, self.dead.last_error), ("pending", 0, False))
        self.sent.invalidate_recordset()
        self.assertEqual(self.sent.state, "sent", "a sent delivery is never sent again")


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestIntegrationUiDesktop(IntegrationTourMixin, HttpCase):
    def test_create_webhook_target(self):
        self._setup_integration_tour()
        # the filter's domain editor counts the matching leads as the user, who (an integration manager
        # without a sales role) may not read leads: Odoo answers an access error the editor expects
        with mute_logger("odoo.http"):
            self.start_tour("/odoo/action-crm_plus.action_crm_plus_integration_target",
                            "crm_plus_integration_target", login="tour_integration")
        self._assert_target_created()

    def test_retry_dead_delivery(self):
        self._setup_integration_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_outbox", "crm_plus_outbox_retry",
                        login="tour_integration")
        self._assert_retried()


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestIntegrationUiMobile(IntegrationTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_create_webhook_target_on_phone(self):
        self._setup_integration_tour()
        # the filter's domain editor counts the matching leads as the user, who (an integration manager
        # without a sales role) may not read leads: Odoo answers an access error the editor expects
        with mute_logger("odoo.http"):
            self.start_tour("/odoo/action-crm_plus.action_crm_plus_integration_target",
                            "crm_plus_integration_target", login="tour_integration")
        self._assert_target_created()

    def test_retry_dead_delivery_on_phone(self):
        self._setup_integration_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_outbox", "crm_plus_outbox_retry",
                        login="tour_integration")
        self._assert_retried()
