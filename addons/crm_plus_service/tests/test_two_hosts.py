"""Two Odoo hosts, one database: every crm_plus cron's batch step run by two connections at once.

The cases come from the cron records of the crm_plus* modules: a cron added later without a case here fails
``test_every_cron_on_two_hosts``. Each case runs the cron's own code (``ir.cron.code``) in two threads with
their own cursors, released together by a barrier, committing per batch as a host does, over data this test
commits itself (two hosts cannot see a test's transaction) and deletes at the end. The crons' item lists are
narrowed to that data (the demo data of the test database stays as it is). A host that finds its rows taken
skips them; a host that hits a serialization failure rolls back, and the next run (the third, single run
here) does what is left; a deadlock or any other error fails the test. Then nothing may have been done twice:
no two to-dos, notes, pool moves, renewal opportunities, duplicate groups, return visits, e-mails or imported
customers for the same thing, and each case checks that its work was done.
"""

import base64
import json
import logging
import sys
import threading
import traceback
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

import psycopg2
import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_plus.models.ir_cron import IrCron

_logger = logging.getLogger(__name__)

# what may be made twice if a cron ran twice; every one is checked after every cron
SIDE_EFFECTS = {
    "mail.activity": ["res_model", "res_id", "user_id", "summary"],
    "mail.message": ["model", "res_id", "message_type", "body"],
    "mail.mail": ["model", "res_id", "subject"],
    "crm_plus.pool.move": ["partner_id", "kind"],
    "crm.lead": ["renewal_contract_id", "name"],
    "crm_plus.duplicate.group": ["signature"],
    "crm_plus.return.visit": ["sale_order_id"],
    "crm_plus.ticket.escalation.done": ["clock_id", "step_id"],
    "res.partner": ["name", "parent_id"],
    "crm_plus.outbox": ["event", "model", "res_id", "subscription_id"],
}
# parameters the crons move forward; put back afterwards
PARAMS = ["crm_plus.keys_version", "crm_plus.keys_refresh_last_id", "crm_plus.dedup_last_scan"]
IMPORT_HEADERS = ["客户名称", "统一社会信用代码", "电话", "手机", "邮箱", "城市", "备注"]


@tagged("post_install", "-at_install")
class TestTwoHosts(TransactionCase):
    """Every cron of crm_plus, crm_plus_service (and any later crm_plus* addon) safe on two hosts."""

    # ------------------------------------------------------------------------------------------------
    # data committed for the other connections, removed at the end
    # ------------------------------------------------------------------------------------------------

    def _watermarks(self, cr):
        """{table: max(id)} of every table with an integer id: what exists before the test."""
        cr.execute(SQL("""SELECT c.table_name FROM information_schema.columns c
                            JOIN information_schema.tables t USING (table_schema, table_name)
                           WHERE c.table_schema = current_schema() AND c.column_name = 'id'
                             AND c.data_type = 'integer' AND t.table_type = 'BASE TABLE'"""))
        tables = [row[0] for row in cr.fetchall()]
        cr.execute(SQL(" UNION ALL ").join(
            SQL("SELECT %s, COALESCE(MAX(id), 0) FROM %s", table, SQL.identifier(table)) for table in tables))
        return dict(cr.fetchall())

    def _delete_since(self, cr, marks):
        """Delete every row made since ``marks``, whatever the foreign keys' order (retried until stable)."""
        pending = dict(marks)
        for _round in range(20):
            progress = False
            for table, mark in list(pending.items()):
                cr.execute(SQL("SAVEPOINT two_hosts_cleanup"))
                try:
                    cr.execute(SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), mark),
                               log_exceptions=False)
                except psycopg2.errors.ForeignKeyViolation:
                    cr.execute(SQL("ROLLBACK TO SAVEPOINT two_hosts_cleanup"))
                    continue
                cr.execute(SQL("RELEASE SAVEPOINT two_hosts_cleanup"))
                progress = progress or bool(cr.rowcount)
                cr.execute(SQL("SELECT 1 FROM %s WHERE id > %s LIMIT 1", SQL.identifier(table), mark))
                if not cr.fetchone():
                    del pending[table]
            if not pending or not progress:
                break
        self.assertFalse(pending, "rows left behind by the two-hosts test")

    def _seed(self, env):
        """One data set on which every cron has work to do; {model: ids} the crons may touch."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(env["res.partner"])
        groups = "crm_plus.group_crm_plus_user"
        users = [new_test_user(env, login="two_hosts_%d" % i, name="Two Hosts Seller %d" % i, groups=groups,
                               lang="en_US") for i in range(3)]
        leader = new_test_user(env, login="two_hosts_leader", name="Two Hosts Leader",
                               groups="crm_plus.group_crm_plus_team_leader", lang="en_US")
        team = env["crm.team"].create({"name": "Two Hosts Team", "user_id": leader.id,
                                       "member_ids": [(6, 0, [u.id for u in users])]})
        env["crm_plus.routing.rule"].create({"name": "Two hosts", "sequence": 0, "team_id": team.id,
                                             "user_ids": [(6, 0, [u.id for u in users])],
                                             "strategy": "round_robin", "city": "Two Hosts City"})
        Partner = env["res.partner"]
        # customers nobody followed up: returning to the pool, warned, churning; reminders, birthdays
        owned = Partner.create([{"name": "Two Hosts Customer %02d" % i, "is_company": True, "user_id": users[0].id,
                                 "team_id": team.id, "phone": "+86 21 6000 %04d" % i} for i in range(12)])
        # two pools: one takes back its stale customers, the other only warns (a warning changes no customer
        # row, so only the claim keeps two hosts from warning twice)
        team_warn = env["crm.team"].create({"name": "Two Hosts Warned Team", "user_id": leader.id,
                                            "member_ids": [(6, 0, [u.id for u in users])]})
        owned[6:].write({"team_id": team_warn.id})
        pool = env["crm_plus.pool"].create([{"name": "Two Hosts Pool", "team_ids": [(6, 0, team.ids)],
                                             "recover_days": 30, "sequence": 2},
                                            {"name": "Two Hosts Warning Pool", "team_ids": [(6, 0, team_warn.ids)],
                                             "recover_days": 30, "sequence": 1}])[0]
        env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
                           now - timedelta(days=40), owned[:6].ids))
        env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
                           now - timedelta(days=28), owned[6:].ids))
        owned.invalidate_recordset(["create_date"])
        owned[6:9].write({"next_followup_date": today, "next_followup_note": "Two hosts follow-up"})
        birthday = today + timedelta(days=1)
        birthday = birthday.replace(year=birthday.year - 40, day=min(birthday.day, 28))
        contacts = Partner.create([{"name": "Two Hosts Contact %d" % i, "parent_id": owned[6 + i].id,
                                    "birthday": birthday} for i in range(3)])
        # customers of a team whose leader watches churn (no salesperson: never returned to a pool)
        quiet = Partner.create([{"name": "Two Hosts Quiet %d" % i, "is_company": True, "team_id": team.id}
                                for i in range(3)])
        env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
                           now - timedelta(days=40), quiet.ids))
        # customers with contracts and orders (their interactions are fresh)
        clients = Partner.create([{"name": "Two Hosts Client %d" % i, "is_company": True, "team_id": team.id,
                                   "user_id": users[0].id} for i in range(4)])
        # a duplicate pair for the scan (same phone, same name but for the suffix)
        twins = Partner.create([{"name": "Two Hosts Twin Trading Co", "is_company": True,
                                 "phone": "+86 21 6999 0001", "email": "twin@two-hosts.example.cn"},
                                {"name": "Two Hosts Twin Trading Co.", "is_company": True,
                                 "phone": "+86 21 6999 0001", "email": "twin@two-hosts.example.cn"}])
        # unrouted leads, stale leads (first time: re-routed; second time: escalated)
        Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
        backlog = Lead.create([{"name": "Two Hosts Backlog %02d" % i, "city": "Two Hosts City",
                                "team_id": team.id, "user_id": False} for i in range(10)])
        stale = Lead.create([{"name": "Two Hosts Stale %02d" % i, "city": "Two Hosts City", "type": "opportunity",
                              "user_id": users[i % 2].id, "team_id": team.id, "routing_state": "assigned",
                              "routing_date": now - timedelta(days=3), "reroute_count": 0 if i < 4 else 1}
                             for i in range(8)])
        env.flush_all()
        env.cr.execute(SQL("UPDATE crm_lead SET date_last_stage_update = %s WHERE id = ANY(%s)",
                           now - timedelta(days=4), stale.ids))
        stale.invalidate_recordset(["date_last_stage_update"])
        # contracts: one past its end, some within the renewal notice
        product = env["product.product"].create({"name": "Two Hosts Service", "type": "service", "list_price": 100})
        contracts = env["crm_plus.contract"].create([{
            "partner_id": clients[i].id, "user_id": users[0].id, "team_id": team.id,
            "date_start": today - timedelta(days=300), "date_end": today + timedelta(days=days),
            "line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 1000})],
        } for i, days in enumerate((-5, 10, 12, 15))])
        env.cr.execute(SQL("UPDATE crm_plus_contract SET state = 'running' WHERE id = ANY(%s)", contracts.ids))
        contracts.invalidate_recordset(["state"])
        # overdue instalments, an event subscription for them, a webhook on this machine's loopback that counts
        # what it receives, and two old deliveries past the retention
        instalments = env["crm_plus.contract.instalment"].create([
            {"contract_id": contracts[i].id, "date_due": today - timedelta(days=20 + i), "percentage": 100}
            for i in (1, 2, 3)])
        self._start_webhook()
        target = env["crm_plus.integration.target"].create({
            "name": "Two hosts webhook", "kind": "webhook", "url": self._webhook_url, "secret": "two-hosts"})
        env["crm_plus.event.subscription"].create({"name": "Two hosts overdue", "event": "instalment_overdue",
                                                   "target_id": target.id, "lang": "en_US"})
        Outbox = env["crm_plus.outbox"]
        old = Outbox.create([{"event": "two_hosts_old", "target_id": target.id, "idempotency_key": "old-%d" % i,
                              "payload": "{}", "state": "sent"} for i in range(2)])
        env.flush_all()
        env.cr.execute(SQL("UPDATE crm_plus_outbox SET create_date = %s WHERE id = ANY(%s)",
                           now - timedelta(days=400), old.ids))
        # orders confirmed some days ago: one return visit each
        orders = env["sale.order"].create([{
            "partner_id": clients[i].id, "user_id": users[0].id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 100})],
        } for i in range(3)])
        orders.action_confirm()
        days = env["res.config.settings"]._crm_plus_param("return_visit_days")
        orders.write({"date_order": now - timedelta(days=days, hours=2)})
        # a queued import
        rows = [["两主机测试%02d科技有限公司" % i, "", "", "1390000%04d" % i, "", "上海", ""] for i in range(30)]
        data = ("\r\n".join(",".join(row) for row in [IMPORT_HEADERS, *rows]) + "\r\n").encode()
        job = env["crm_plus.import.job"].create({"file": base64.b64encode(data), "filename": "two_hosts.csv"})
        job.action_preview()
        job.write({"state": "queued"})
        # tickets with running clocks on a 24/7 calendar, an escalation step due at once, a recompute flagged
        calendar = env["resource.calendar"].create({"name": "Two hosts 24/7", "tz": "UTC", "attendance_ids": [
            (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 0, "hour_to": 24}) for d in range(7)]})
        ticket_team = env["crm_plus.ticket.team"].create({"name": "Two hosts", "resource_calendar_id": calendar.id,
                                                         "leader_id": leader.id})
        policy = env["crm_plus.sla.policy"].create({"name": "Two hosts", "sequence": 0,
                                                    "team_ids": [(6, 0, ticket_team.ids)]})
        env["crm_plus.sla.escalation"].create({"policy_id": policy.id, "clock_kind": "resolution",
                                               "trigger": "share", "share": 0.0, "notify_agent": True,
                                               "notify_manager": True})
        tickets = env["crm_plus.ticket"].create([{"name": "Two hosts %d" % i, "team_id": ticket_team.id,
                                                  "user_id": users[0].id} for i in range(4)])
        clocks = tickets.clock_ids
        env.flush_all()
        env.cr.execute(SQL("UPDATE crm_plus_ticket_clock SET needs_recompute = TRUE WHERE id = ANY(%s)", clocks.ids))
        # a queued report export (crm_plus_reports, when installed), written in the background as its user
        export_jobs, alert_rules = [], []
        if "crm_plus.report.alert.rule" in env:
            # an alert rule (crm_plus_reports): the team's salespeople have done no activity for 3 days
            alert_rules = env["crm_plus.report.alert.rule"].create({
                "name": "Two hosts: idle salespeople", "kind": "no_activity_days", "threshold": 3,
                "team_id": team.id, "user_ids": [(6, 0, [leader.id])]})
        if "crm_plus.report.export.job" in env:
            export_jobs = env["crm_plus.report.export.job"].create({
                "name": "Two hosts pipeline", "user_id": leader.id, "report_model": "crm_plus.report.pipeline",
                "domain": "[]"})
        params = env["ir.config_parameter"].sudo()
        segments = env["crm_plus.segment"].create([
            {"name": "Two hosts %d" % i, "user_id": leader.id, "domain": repr([("id", "in", owned.ids[:i + 2])])}
            for i in range(3)])
        params.set_param("crm_plus.keys_version", 0)
        params.set_param("crm_plus.keys_refresh_last_id", 0)
        partners = owned | contacts | twins | quiet | clients
        return {
            "res.partner": set(partners.ids), "crm.lead": set((backlog | stale).ids),
            "crm_plus.contract": set(contracts.ids), "sale.order": set(orders.ids),
            "crm_plus.ticket.clock": set(clocks.ids), "crm_plus.contract.instalment": set(instalments.ids),
            "crm_plus.report.export.job": {job.id for job in export_jobs},
            "crm_plus.report.alert.rule": {rule.id for rule in alert_rules},
            "crm_plus.segment": set(segments.ids),
            # deliveries are listed by id: those of the test's webhook (made during the run) only
            "outbox delivery": target.id,
            "_": {"owned": owned.ids, "contacts": contacts.ids, "twins": twins.ids, "quiet": quiet.ids,
                  "backlog": backlog.ids, "stale": stale.ids, "contracts": contracts.ids, "orders": orders.ids,
                  "job": job.id, "clocks": clocks.ids, "pool": pool.id, "leader": leader.id,
                  "users": [u.id for u in users], "instalments": instalments.ids, "target": target.id,
                  "old_deliveries": old.ids, "export_jobs": [job.id for job in export_jobs],
                  "alert_rules": [rule.id for rule in alert_rules], "segments": segments.ids},
        }

    # ------------------------------------------------------------------------------------------------
    # running a cron on two hosts
    # ------------------------------------------------------------------------------------------------

    def _scoped_batches(self, scope):
        """``_crm_plus_run_batches`` over the test's records only (the crons' own searches and steps)."""
        original = IrCron._crm_plus_run_batches

        def run_batches(cron_self, label, items, process, *args, **kwargs):
            if label in scope:  # a list of ids of one target's deliveries
                ours = cron_self.env["crm_plus.outbox"].sudo().search([("target_id", "=", scope[label])]).ids
                items = [rid for rid in items if rid in set(ours)]
            elif hasattr(items, "_name"):
                allowed = scope.get(items._name, set())
                items = items.browse([rid for rid in items.ids if rid in allowed])
            elif items and isinstance(items[0], tuple) and isinstance(items[0][0], list | tuple | set | frozenset):
                allowed = scope["res.partner"]  # duplicate clusters: (members, score, reasons)
                items = [cluster for cluster in items if set(cluster[0]) <= allowed]
            return original(cron_self, label, items, process, *args, **kwargs)

        return patch.object(IrCron, "_crm_plus_run_batches", run_batches)

    def _run(self, cron_id, hosts):
        """The cron's code on ``hosts`` connections at once; [outcome per host]."""
        barrier = threading.Barrier(hosts, timeout=60)
        outcomes = [None] * hosts

        def host(index):
            with self.registry.cursor() as cr:
                # the registry is given: looking it up by name waits for the lock the test runner holds
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                cron = env["ir.cron"].browse(cron_id)
                env = api.Environment(cr, cron.user_id.id, {"lastcall": False, "cron_id": cron.id})
                model = env[cron.model_id.model]
                barrier.wait()
                _logger.info("two hosts: host %s starts %s", index, cron.code)
                try:
                    safe_eval(cron.code, {"model": model, "env": env}, mode="exec")
                    cr.commit()  # pylint: disable=invalid-commit
                    outcomes[index] = "done"
                except psycopg2.errors.SerializationFailure as exc:
                    cr.rollback()
                    outcomes[index] = "rolled back (%s)" % type(exc).__name__
                except Exception as exc:  # noqa: BLE001 - reported by the test
                    cr.rollback()
                    _logger.info("two hosts: host %s of cron %s failed", index, cron.name, exc_info=True)
                    outcomes[index] = "failed: %r" % exc

        threads = [threading.Thread(target=host, args=(i,), name="two-hosts-%d" % i) for i in range(hosts)]
        # the test runner holds the registries' lock while tests run; a host opening a cursor of its own (after a
        # commit, for instance) looks the registry up under that lock: give the hosts a lock of their own
        with patch.object(Registry, "_lock", threading.RLock()):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(90)
        stuck = {thread.name: "".join(traceback.format_stack(sys._current_frames()[thread.ident]))
                 for thread in threads if thread.is_alive()}
        self.assertFalse(stuck, "a host never finished:\n%s" % "\n".join("%s\n%s" % kv for kv in stuck.items()))
        return outcomes

    def _twice(self, env, marks):
        """Side effects made more than once since ``marks``: {model: [(values, count)]}."""
        found = {}
        for model, fnames in SIDE_EFFECTS.items():
            Model = env[model].sudo().with_context(active_test=False)
            records = Model.search([("id", ">", marks.get(Model._table, 0))])
            values = Counter(tuple(str(v.id if hasattr(v, "id") else v) for v in (r[f] for f in fnames))
                             for r in records)
            if model == "mail.message":
                values = Counter({k: c for k, c in values.items() if k[3] not in ("", "False")})
            twice = [(key, count) for key, count in values.items() if count > 1]
            if twice:
                found[model] = twice
        return found

    # ------------------------------------------------------------------------------------------------
    # what each cron must have done (once)
    # ------------------------------------------------------------------------------------------------

    def _done_refresh_keys(self, env, d):
        keys = env["crm_plus.partner.key"].search([("partner_id", "in", d["owned"])])
        self.assertEqual(set(keys.partner_id.ids), set(d["owned"]))
        rows = Counter((k.partner_id.id, k.kind, k.value) for k in keys)
        self.assertEqual(max(rows.values()), 1, "each key row once")

    def _done_dedup_scan(self, env, d):
        groups = env["crm_plus.duplicate.group"].search([("partner_ids", "in", d["twins"])])
        self.assertEqual(len(groups), 1)

    def _done_import(self, env, d):
        job = env["crm_plus.import.job"].browse(d["job"])
        self.assertEqual((job.state, job.created_count), ("done", 30))
        self.assertEqual(env["res.partner"].search_count([("name", "=like", "两主机测试%")]), 30)

    def _done_contract_states(self, env, d):
        contracts = env["crm_plus.contract"].browse(d["contracts"])
        self.assertEqual(contracts.mapped("state"), ["expired", "expiring", "expiring", "expiring"])
        leads = env["crm.lead"].with_context(active_test=False).search([("renewal_contract_id", "in", d["contracts"])])
        self.assertEqual(len(leads), 3, "one renewal opportunity per expiring contract")

    def _done_route_backlog(self, env, d):
        leads = env["crm.lead"].browse(d["backlog"])
        self.assertTrue(all(leads.mapped("user_id")), leads.mapped("routing_state"))

    def _done_reroute_stale(self, env, d):
        leads = env["crm.lead"].browse(d["stale"])
        self.assertEqual(leads[:4].mapped("reroute_count"), [1] * 4, leads[:4].mapped("routing_state"))
        self.assertEqual(leads[4:].mapped("routing_state"), ["escalated"] * 4)
        todos = env["mail.activity"].search([("res_model", "=", "crm.lead"), ("res_id", "in", d["stale"])])
        self.assertEqual(len(todos), 4, "one to-do for the leader per escalated lead, none for re-routed ones")

    def _done_lifecycle(self, env, d):
        partners = env["res.partner"].browse(d["quiet"])
        self.assertEqual(set(partners.mapped("lifecycle_state")), {"churn_risk"})
        todos = env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "in", d["quiet"])])
        self.assertEqual(len(todos), 3, "one churn to-do per customer")

    def _done_pool_recover(self, env, d):
        partners = env["res.partner"].browse(d["owned"])
        self.assertEqual(partners[:6].pool_id.ids, [d["pool"]], "the stale customers returned to the pool")
        warnings = env["crm_plus.pool.move"].search([("partner_id", "in", d["owned"]), ("kind", "=", "warning")])
        self.assertEqual(set(warnings.partner_id.ids), set(d["owned"][6:]))

    def _done_reminders(self, env, d):
        todos = env["mail.activity"].search([("res_model", "=", "res.partner"),
                                             ("res_id", "in", d["owned"][6:9] + d["contacts"])])
        self.assertGreaterEqual(len(todos), 6, "a follow-up and a birthday to-do each")

    def _done_return_visits(self, env, d):
        visits = env["crm_plus.return.visit"].search([("sale_order_id", "in", d["orders"])])
        self.assertEqual(len(visits), 3)

    def _done_segment_sizes(self, env, d):
        for segment in env["crm_plus.segment"].browse(d["segments"]):
            self.assertTrue(segment.size_date)
            self.assertEqual(segment.size, env["res.partner"].with_user(segment.user_id).search_count(
                segment._crm_plus_domain()))

    def _start_webhook(self):
        """A webhook receiver on 127.0.0.1 counting each idempotency key it receives (stopped at cleanup)."""
        received = self._webhook_received = Counter()

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                received[body.get("idempotency_key")] += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self._webhook_url = "http://127.0.0.1:%d/hook" % server.server_address[1]

    def _done_report_alerts(self, env, d):
        rule = env["crm_plus.report.alert.rule"].browse(d["alert_rules"])
        states = env["crm_plus.report.alert.state"].search([("rule_id", "=", rule.id)])
        idle = rule.team_id.member_ids | rule.team_id.user_id
        self.assertEqual(sorted(states.mapped("res_id")), sorted(idle.ids), "each idle salesperson of the team")
        self.assertEqual(set(states.mapped("breach_count")), {1}, "announced once")

    def _done_report_exports(self, env, d):
        jobs = env["crm_plus.report.export.job"].browse(d["export_jobs"])
        self.assertEqual(jobs.mapped("state"), ["done"], jobs.mapped("error"))
        self.assertEqual(len(jobs.attachment_id), 1)

    def _done_instalment_events(self, env, d):
        rows = env["crm_plus.outbox"].search([("event", "=", "instalment_overdue"), ("target_id", "=", d["target"])])
        self.assertEqual(sorted(rows.mapped("res_id")), sorted(d["instalments"]), "one event per overdue instalment")
        self.assertTrue(all(env["crm_plus.contract.instalment"].browse(d["instalments"]).mapped("overdue_event_date")))

    def _done_outbox_deliver(self, env, d):
        rows = env["crm_plus.outbox"].search([("event", "=", "instalment_overdue"), ("target_id", "=", d["target"])])
        self.assertEqual(set(rows.mapped("state")), {"sent"})
        self.assertEqual(rows.mapped("attempts"), [1] * len(rows))
        self.assertEqual(dict(self._webhook_received), dict.fromkeys(rows.mapped("idempotency_key"), 1),
                         "each event received once by the webhook")

    def _done_outbox_purge(self, env, d):
        self.assertFalse(env["crm_plus.outbox"].browse(d["old_deliveries"]).exists())
        self.assertTrue(env["crm_plus.outbox"].search_count([("target_id", "=", d["target"])]),
                        "recent deliveries are kept")

    def _done_sla_recompute(self, env, d):
        clocks = env["crm_plus.ticket.clock"].browse(d["clocks"])
        self.assertFalse(any(clocks.mapped("needs_recompute")))

    def _done_sla_refresh(self, env, d):
        clocks = env["crm_plus.ticket.clock"].browse(d["clocks"])
        self.assertTrue(all(clocks.mapped("deadline")))

    def _done_sla_escalate(self, env, d):
        clocks = env["crm_plus.ticket.clock"].browse(d["clocks"]).filtered(lambda c: c.kind == "resolution")
        done = env["crm_plus.ticket.escalation.done"].search([("clock_id", "in", d["clocks"])])
        self.assertEqual(done.clock_id, clocks, "the step of each resolution clock")

    CASES = {
        "crm_plus.ir_cron_crm_plus_refresh_keys": _done_refresh_keys,
        "crm_plus.ir_cron_crm_plus_dedup_scan": _done_dedup_scan,
        "crm_plus.ir_cron_crm_plus_import": _done_import,
        "crm_plus.ir_cron_crm_plus_contract_states": _done_contract_states,
        "crm_plus.ir_cron_crm_plus_route_backlog": _done_route_backlog,
        "crm_plus.ir_cron_crm_plus_reroute_stale": _done_reroute_stale,
        "crm_plus.ir_cron_crm_plus_lifecycle": _done_lifecycle,
        "crm_plus.ir_cron_crm_plus_pool_recover": _done_pool_recover,
        "crm_plus.ir_cron_crm_plus_reminders": _done_reminders,
        "crm_plus.ir_cron_crm_plus_return_visits": _done_return_visits,
        "crm_plus.ir_cron_crm_plus_segment_sizes": _done_segment_sizes,
        "crm_plus_service.ir_cron_sla_recompute": _done_sla_recompute,
        "crm_plus_service.ir_cron_sla_refresh": _done_sla_refresh,
        "crm_plus_service.ir_cron_sla_escalate": _done_sla_escalate,
        "crm_plus_reports.ir_cron_crm_plus_report_exports": _done_report_exports,
        "crm_plus_reports.ir_cron_crm_plus_report_alerts": _done_report_alerts,
        # in this order: the events, then their delivery, then the purge
        "crm_plus.ir_cron_crm_plus_instalment_overdue_events": _done_instalment_events,
        "crm_plus.ir_cron_crm_plus_outbox_deliver": _done_outbox_deliver,
        "crm_plus.ir_cron_crm_plus_outbox_purge": _done_outbox_purge,
    }

    # ------------------------------------------------------------------------------------------------

    def test_every_cron_on_two_hosts(self):
        crons = self.env["ir.model.data"].search([("model", "=", "ir.cron"), ("module", "=like", "crm_plus%")])
        xmlids = {"%s.%s" % (data.module, data.name): data.res_id for data in crons}
        self.assertEqual(set(xmlids) - set(self.CASES), set(), "a cron without a two-hosts case")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = {key: env["ir.config_parameter"].get_param(key) for key in PARAMS}
            marks = self._watermarks(cr)
            scope = self._seed(env)
            cr.commit()  # pylint: disable=invalid-commit
        data = scope.pop("_")
        try:
            for xmlid, check in self.CASES.items():
                if xmlid not in xmlids:
                    continue
                with self.subTest(cron=xmlid), self._scoped_batches(scope), mute_logger("odoo.sql_db"):
                    with self.registry.cursor() as cr:
                        before = self._watermarks(cr)
                    outcomes = self._run(xmlids[xmlid], 2)
                    self.assertIn("done", outcomes, "at least one host finished: %s" % outcomes)
                    self.assertFalse([o for o in outcomes if o.startswith("failed")], outcomes)
                    # the next scheduled run: nothing left, or what a rolled back host left
                    self.assertEqual(self._run(xmlids[xmlid], 1), ["done"])
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
                        self.assertEqual(self._twice(env, before), {}, "done twice by %s (%s)" % (xmlid, outcomes))
                        check(self, env, data)
                    _logger.info("two hosts: %s: %s", xmlid, outcomes)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                self._delete_since(cr, {t: m for t, m in marks.items() if t not in ("ir_cron_progress",)})
                for key, value in params.items():
                    env["ir.config_parameter"].set_param(key, value or False)
                cr.commit()  # pylint: disable=invalid-commit
