"""The outbox: events written with the change, delivered by the cron over real HTTP on the loopback, retried
with backoff, dead after the last try, never sent twice, none lost (two workers in parallel included)."""

import json
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.api import Transaction
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase
from .loopback import LoopbackServer


class OutboxCase(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Outbox = cls.env["crm_plus.outbox"]
        cls.user_integration = new_test_user(
            cls.env, login="cp_integration", groups="crm_plus.group_crm_plus_integration_manager", lang="en_US")

    def _target(self, url, **vals):
        return self.env["crm_plus.integration.target"].create({
            "name": "Test hook", "kind": "webhook", "url": url, "secret": "s3cret", "connect_timeout": 1.0,
            "read_timeout": 0.5, "max_tries": 5, **vals})

    def _subscribe(self, target, event="churn_risk", **vals):
        return self.env["crm_plus.event.subscription"].create({
            "name": "Test %s" % event, "event": event, "target_id": target.id, "lang": "en_US", **vals})

    def _make_due(self, rows):
        rows.write({"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)})

    def _deliver(self):
        return self.Outbox._cron_deliver(batch_size=10)


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestOutbox(OutboxCase):
    def test_emit_writes_rows_with_the_change(self):
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target)
        rows = self.Outbox._crm_plus_emit("churn_risk", self.customer)
        self.assertEqual(len(rows), 1)
        payload = json.loads(rows.payload)
        self.assertEqual(payload["idempotency_key"], rows.idempotency_key)
        self.assertEqual((payload["model"], payload["id"]), ("res.partner", self.customer.id))
        self.assertTrue(payload["url"].endswith("/odoo/res.partner/%d" % self.customer.id))
        self.assertEqual(rows.state, "pending")

    def test_rolled_back_change_sends_nothing(self):
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target)
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self.customer.write({"comment": "changed"})
            self.Outbox._crm_plus_emit("churn_risk", self.customer)
            self.assertEqual(self.Outbox.search_count([("target_id", "=", target.id)]), 1)
            _ = 1 / 0
        self.assertFalse(self.Outbox.search([("target_id", "=", target.id)]))

    def test_unsubscribed_event_costs_no_query(self):
        self.env.registry.clear_cache()
        self.Outbox._crm_plus_emit("churn_risk", self.customer)  # fill the cache
        with self.assertQueryCount(0):
            self.assertFalse(self.Outbox._crm_plus_emit("churn_risk", self.customer))

    def test_domain_and_inactive_target_filter(self):
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target, domain="[('customer_level_id', '=', %d)]" % self.level_c.id)
        self.assertFalse(self.Outbox._crm_plus_emit("churn_risk", self.customer))
        self.customer.customer_level_id = self.level_c
        self.assertTrue(self.Outbox._crm_plus_emit("churn_risk", self.customer))
        target.active = False
        self.assertFalse(self.Outbox._crm_plus_emit("churn_risk", self.customer))

    def test_fails_times_out_then_recovers(self):
        with LoopbackServer(["500", "slow", "200"]) as server:
            target = self._target(server.url)
            self._subscribe(target)
            row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
            self._deliver()
            self.assertEqual((row.state, row.attempts), ("pending", 1))
            self.assertIn("HTTP 500", row.last_error)
            self.assertGreater(row.next_attempt_at, fields.Datetime.now())
            # not yet due: not tried
            self._deliver()
            self.assertEqual(len(server.requests), 1)
            self._make_due(row)
            self._deliver()
            self.assertEqual((row.state, row.attempts), ("pending", 2))
            self.assertIn("Timeout", row.last_error)
            self._make_due(row)
            self._deliver()
            self.assertEqual((row.state, row.attempts), ("sent", 3))
            self.assertFalse(row.last_error)
            # a sent row is never sent again
            self._make_due(row)
            self._deliver()
            self.assertEqual(server.keys(), [row.idempotency_key] * 3)

    def test_backoff_doubles(self):
        with LoopbackServer(["503"]) as server:
            target = self._target(server.url)
            self._subscribe(target)
            row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
            delays = []
            for _attempt in range(3):
                self._make_due(row)
                before = fields.Datetime.now()
                self._deliver()
                delays.append(round((row.next_attempt_at - before).total_seconds() / 30))
            self.assertEqual(delays, [1, 2, 4])

    def test_dead_after_max_tries_with_last_error(self):
        with LoopbackServer(["429", "502"]) as server:
            target = self._target(server.url, max_tries=2)
            self._subscribe(target)
            row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
            self._deliver()
            self.assertEqual(row.state, "pending")
            self._make_due(row)
            self._deliver()
            self.assertEqual((row.state, row.attempts), ("dead", 2))
            self.assertIn("HTTP 502", row.last_error)
            self._make_due(row)
            self._deliver()
            self.assertEqual(len(server.requests), 2)
            # retried by a person: tried anew, delivered
            server.script = ["200"]
            row.with_user(self.user_integration).action_retry()
            self._deliver()
            self.assertEqual(row.state, "sent")

    def test_client_error_is_dead_at_once(self):
        with LoopbackServer(["404"]) as server:
            target = self._target(server.url)
            self._subscribe(target)
            row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
            self._deliver()
            self.assertEqual((row.state, row.attempts), ("dead", 1))

    def test_connection_refused_is_retried(self):
        with LoopbackServer() as server:
            url = server.url
        # the server is closed: nothing listens on its port
        target = self._target(url)
        self._subscribe(target)
        row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
        self._deliver()
        self.assertEqual((row.state, row.attempts), ("pending", 1))
        self.assertIn("ConnectionError", row.last_error)

    def test_crash_after_sending_is_at_least_once(self):
        """Sent, then the worker dies before the commit: the row is sent again with the same key."""
        with LoopbackServer(["200"]) as server:
            target = self._target(server.url)
            self._subscribe(target)
            row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
            Outbox = type(self.Outbox)
            with patch.object(Outbox, "_crm_plus_delivered", side_effect=RuntimeError("worker killed")), \
                    self.assertRaises(RuntimeError), self.env.cr.savepoint():
                self._deliver()
            self.env.invalidate_all()
            self.assertEqual(row.state, "pending")
            self._deliver()
            self.assertEqual(row.state, "sent")
            self.assertEqual(server.keys(), [row.idempotency_key] * 2)

    def test_webhook_signature_verifies(self):
        from ..tools.robots import verify_webhook

        with LoopbackServer() as server:
            target = self._target(server.url)
            self._subscribe(target)
            self.Outbox._crm_plus_emit("churn_risk", self.customer)
            self._deliver()
            _path, headers, body = server.requests[0]
        timestamp = int(headers["X-CrmPlus-Timestamp"])
        self.assertTrue(verify_webhook("s3cret", headers["X-CrmPlus-Timestamp"], headers["X-CrmPlus-Signature"],
                                       body, timestamp))
        self.assertFalse(verify_webhook("other", headers["X-CrmPlus-Timestamp"], headers["X-CrmPlus-Signature"],
                                        body, timestamp))
        self.assertFalse(verify_webhook("s3cret", headers["X-CrmPlus-Timestamp"], headers["X-CrmPlus-Signature"],
                                        body + b" ", timestamp))
        self.assertFalse(verify_webhook("s3cret", headers["X-CrmPlus-Timestamp"], headers["X-CrmPlus-Signature"],
                                        body, timestamp + 3600))
        self.assertEqual(json.loads(body)["event"], "churn_risk")

    def test_purge_keeps_recent_and_pending(self):
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target)
        old_sent, old_pending, new_sent = (self.Outbox._crm_plus_emit("churn_risk", self.customer) for _i in range(3))
        (old_sent | new_sent).write({"state": "sent"})
        self.env["ir.config_parameter"].set_param("crm_plus.outbox_retention_days", "10")
        self.env.cr.execute("UPDATE crm_plus_outbox SET create_date = now() - interval '11 days' WHERE id IN %s",
                            [(old_sent.id, old_pending.id)])
        self.env.invalidate_all()
        self.assertEqual(self.Outbox.with_user(self.user_integration).action_purge(), 1)
        self.assertFalse(old_sent.exists())
        self.assertTrue(old_pending.exists() and new_sent.exists())


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestOutboxAccess(OutboxCase):
    def test_roles(self):
        """Only integration managers (and administrators) see targets, subscriptions and deliveries."""
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target)
        row = self.Outbox._crm_plus_emit("churn_risk", self.customer)
        for user in self.users.values():
            for model in ("crm_plus.integration.target", "crm_plus.event.subscription", "crm_plus.outbox"):
                with self.assertRaises(AccessError, msg="%s reads %s" % (user.login, model)):
                    self.env[model].with_user(user).search([])
        manager = self.user_integration
        self.assertEqual(row.with_user(manager).read(["state"])[0]["state"], "pending")
        self.assertEqual(target.with_user(manager).secret, "s3cret")
        with self.assertRaises(AccessError):
            self.Outbox.with_user(manager).create({"event": "x", "target_id": target.id, "idempotency_key": "k",
                                                   "payload": "{}"})
        self.assertIn("crm_plus.menu_crm_plus_outbox", self.visible_menu_xmlids(manager))
        self.assertNotIn("crm_plus.menu_crm_plus_outbox", self.visible_menu_xmlids(self.user_manager))

    def test_emitting_needs_no_integration_right(self):
        """A salesperson's change emits its event though they cannot read the outbox."""
        target = self._target("http://127.0.0.1:9/unused")
        self._subscribe(target)
        sales = self.user_sales
        rows = self.Outbox.with_user(sales)._crm_plus_emit("churn_risk", self.customer.with_user(sales))
        self.assertEqual(len(rows), 1)


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestOutboxWorkers(OutboxCase):
    """Two workers on their own cursors (committed data) deliver the same rows in parallel."""

    def test_two_workers_never_send_twice(self):
        count = 60
        with LoopbackServer(["200"]) as server:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                target = env["crm_plus.integration.target"].create({
                    "name": "Parallel hook", "kind": "webhook", "url": server.url, "read_timeout": 5.0})
                target_id = target.id
                rows = env["crm_plus.outbox"].create([{
                    "event": "bench", "target_id": target_id, "idempotency_key": "parallel-%d-%d" % (target_id, i),
                    "payload": json.dumps({"event": "bench", "idempotency_key": "parallel-%d-%d" % (target_id, i)}),
                    "next_attempt_at": fields.Datetime.now() - timedelta(minutes=1)} for i in range(count)])
                keys = set(rows.mapped("idempotency_key"))
            try:
                errors = []

                def work():
                    try:
                        with self.registry.cursor() as wcr:
                            # the test runner holds the registry lock: give the cursor its transaction directly
                            wcr.transaction = Transaction(self.registry)
                            api.Environment(wcr, SUPERUSER_ID, {})["crm_plus.outbox"]._cron_deliver(batch_size=5)
                    except Exception as exc:  # noqa: BLE001 (reported below)
                        errors.append(exc)

                workers = [threading.Thread(target=work) for _i in range(2)]
                # a row the other worker changed meanwhile is left to it quietly: no "bad query" in the log
                with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                    for worker in workers:
                        worker.start()
                    for worker in workers:
                        worker.join(120)
                self.assertFalse(errors)
                # rows a worker gave up (changed under its snapshot) are delivered by the next run
                work()
                received = [key for key in server.keys() if key in keys]
                self.assertEqual(len(received), count, "each event sent exactly once")
                self.assertEqual(set(received), keys)
                with self.registry.cursor() as cr:
                    cr.execute("SELECT state, count(*) FROM crm_plus_outbox WHERE target_id = %s GROUP BY state",
                               [target_id])
                    self.assertEqual(dict(cr.fetchall()), {"sent": count})
            finally:
                with self.registry.cursor() as cr:
                    cr.execute("DELETE FROM crm_plus_outbox WHERE target_id = %s", [target_id])
                    cr.execute("DELETE FROM crm_plus_integration_target WHERE id = %s", [target_id])

    def test_row_changed_after_the_snapshot_is_left_quietly(self):
        """A worker whose snapshot predates another worker's committed change of a row claims nothing (the
        other worker did the work), logs no "bad query", and its next transaction claims what is still due."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            target = env["crm_plus.integration.target"].create({
                "name": "Snapshot hook", "kind": "webhook", "url": "http://127.0.0.1:9/none"})
            target_id = target.id
            row_id = env["crm_plus.outbox"].create({
                "event": "bench", "target_id": target_id, "idempotency_key": "snapshot-%d" % target_id,
                "payload": "{}", "next_attempt_at": fields.Datetime.now() - timedelta(minutes=1)}).id
        try:
            with self.registry.cursor() as cr_late, self.registry.cursor() as cr_other:
                cr_late.transaction = Transaction(self.registry)
                late = api.Environment(cr_late, SUPERUSER_ID, {})["crm_plus.outbox"]
                cr_late.execute("SELECT count(*) FROM crm_plus_outbox")  # this transaction's snapshot
                cr_other.execute("UPDATE crm_plus_outbox SET last_error = 'changed' WHERE id = %s", [row_id])
                cr_other.commit()
                with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                    self.assertFalse(late._crm_plus_claim([row_id]))
                # the transaction goes on after the refused lock
                cr_late.execute("SELECT last_error FROM crm_plus_outbox WHERE id = %s", [row_id])
                self.assertEqual(cr_late.fetchone(), (None,), "still this transaction's snapshot")
                cr_late.rollback()
                self.assertEqual(late._crm_plus_claim([row_id]).ids, [row_id])
                cr_late.rollback()
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM crm_plus_outbox WHERE target_id = %s", [target_id])
                cr.execute("DELETE FROM crm_plus_integration_target WHERE id = %s", [target_id])
