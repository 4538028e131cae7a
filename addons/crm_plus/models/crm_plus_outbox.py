"""The outbox: events written in the transaction of the change, delivered later by a cron.

Guarantees (see docs/integrations.md):
- an event row is created by ``_crm_plus_emit`` in the caller's transaction: a rolled-back change leaves no
  row, so nothing is sent;
- the delivery cron claims due rows with the crons' one claim (``ir.cron._crm_plus_claim``, ``SKIP LOCKED``),
  sends, marks them and commits per batch: two workers never claim the same row, a sent row is never claimed
  again;
- a crash after sending and before the commit leaves the row pending: it is sent again (at least once);
  every payload carries ``idempotency_key`` (also the ``Idempotency-Key`` header of webhooks) so that a
  receiver drops the repeat.
"""

import json
import logging
import time
import uuid
from datetime import timedelta

import requests
from requests.adapters import HTTPAdapter

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import robots
from ..tools.masking import mask_value

_logger = logging.getLogger(__name__)

# fields shown in a message when the record has them (the masked contact fields are added, masked)
MESSAGE_FIELDS = ("partner_id", "user_id", "team_id", "stage_id", "date_end", "date_due", "amount_total",
                  "amount", "amount_residual")


class _TimeoutAdapter(HTTPAdapter):
    """Every request through it has these connect and read timeouts."""

    def __init__(self, connect, read):
        super().__init__(max_retries=0)
        self.crm_plus_timeouts = (connect, read)

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        kwargs["timeout"] = self.crm_plus_timeouts
        return super().send(request, **kwargs)


class CrmPlusOutbox(models.Model):
    """One event for one target, waiting to be delivered, delivered, or dead."""

    _name = "crm_plus.outbox"
    _description = "CRM Plus Event Delivery"
    _order = "id desc"
    _rec_name = "event"

    event = fields.Char(required=True, readonly=True, index=True)
    model = fields.Char(readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    subscription_id = fields.Many2one("crm_plus.event.subscription", readonly=True, ondelete="set null")
    target_id = fields.Many2one("crm_plus.integration.target", required=True, readonly=True, ondelete="cascade",
                                index=True)
    target_kind = fields.Selection(related="target_id.kind", string="Target Type")
    idempotency_key = fields.Char(required=True, readonly=True, copy=False)
    payload = fields.Text(required=True, readonly=True, help="The JSON sent (robots get it as a message).")
    summary = fields.Char(readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("sent", "Sent"), ("dead", "Dead")], string="Status", default="pending", required=True,
        readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(string="Next Try", default=fields.Datetime.now, readonly=True)
    sent_at = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)

    _sql_constraints = [
        ("idempotency_key_unique", "UNIQUE(idempotency_key)", "An event is delivered once per key."),
    ]

    def init(self):
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS crm_plus_outbox_due_idx ON crm_plus_outbox (next_attempt_at, id) "
            "WHERE state = 'pending'"))

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_retry(self):
        """Dead (or waiting) deliveries tried again now, their count of tries started anew."""
        self.filtered(lambda r: r.state != "sent").write(
            {"state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(), "last_error": False})

    def action_purge(self):
        """Sent and dead deliveries older than the retention setting deleted."""
        self.check_access("unlink")
        return self._crm_plus_purge()

    # ------------------------------------------------------------------------------------------------
    # EMIT
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_emit(self, event, records):
        """The one event emitter: an outbox row per subscription of ``event`` and matching record, written in
        the current transaction. Costs no query when nobody subscribes to ``event``. Returns the rows."""
        Subscription = self.env["crm_plus.event.subscription"]
        if not records or event not in Subscription._crm_plus_subscribed_events():
            return self.browse()
        # the subscriptions and the rows are the integration's, not the user's: whoever changed the record
        # emits its event (the message is rendered masked, see _crm_plus_message)
        subscriptions = Subscription.sudo().search([("event", "=", event), ("target_id.active", "=", True)])
        vals_list = []
        for sub in subscriptions:
            for record in sub._crm_plus_filter(records.sudo()):
                vals = self._crm_plus_event_values(event, record, sub)
                if vals:  # None: nothing to send to this target for this record (a customer who opted out)
                    vals_list.append(vals)
        return self.sudo().create(vals_list)

    @api.model
    def _crm_plus_event_values(self, event, record, subscription):
        key = uuid.uuid4().hex
        lang = subscription.lang or "en_US"
        message = self.with_context(lang=lang)._crm_plus_message(event, record.with_context(lang=lang), subscription)
        payload = {
            "event": event, "idempotency_key": key, "occurred_at": fields.Datetime.now().isoformat() + "Z",
            "model": record._name, "id": record.id, "url": message["url"], "message": message,
            "database": self.env.cr.dbname,
        }
        return {"event": event, "model": record._name, "res_id": record.id, "subscription_id": subscription.id,
                "target_id": subscription.target_id.id, "idempotency_key": key, "summary": message["title"][:200],
                "payload": json.dumps(payload, ensure_ascii=False, default=str)}

    @api.model
    def _crm_plus_message(self, event, record, subscription):
        """{title, lines, url, link_label} of ``record`` for ``event``, in the context's language. Contact
        fields are always masked (a group chat is a role that may not see them)."""
        label = dict(subscription._fields["event"]._description_selection(self.env)).get(event, event)
        lines = []
        for fname in MESSAGE_FIELDS:
            field = record._fields.get(fname)
            if field is None or not record[fname]:
                continue
            value = record[fname]
            if field.type == "many2one":
                value = value.display_name
            elif field.type == "date":
                value = fields.Date.to_string(value)
            lines.append("%s: %s" % (field._description_string(self.env), value))
        for fname, kind in sorted(getattr(record, "_crm_plus_masked_fields", {}).items()):
            if fname in ("phone", "mobile", "email", "email_from") and record._fields.get(fname) and record[fname]:
                lines.append("%s: %s" % (record._fields[fname]._description_string(self.env),
                                         mask_value(kind, record[fname])))
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        return {"title": "%s: %s" % (label, record.display_name), "lines": lines,
                "url": "%s/odoo/%s/%d" % (base_url, record._name, record.id), "link_label": _("Open in Odoo")}

    # ------------------------------------------------------------------------------------------------
    # DELIVERY
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_due_domain(self):
        return [("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())]

    @api.model
    def _cron_deliver(self, batch_size=20, max_seconds=240):
        """Deliver the due events, oldest first, ``batch_size`` rows per transaction."""
        due = self.sudo().search(self._crm_plus_due_domain(), order="id")
        return self.env["ir.cron"]._crm_plus_run_batches(
            "outbox delivery", due.ids, self._crm_plus_deliver_batch, batch_size,
            deadline=time.monotonic() + max_seconds)

    @api.model
    def _crm_plus_deliver_batch(self, ids):
        """Claim the rows of ``ids`` still due and not claimed by another worker, send them, mark them."""
        rows = self._crm_plus_claim(ids)
        sessions = {}
        for row in rows:
            target = row.target_id
            if target.id not in sessions:
                session = requests.Session()
                adapter = _TimeoutAdapter(target.connect_timeout, target.read_timeout)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                sessions[target.id] = session
            row._crm_plus_send(sessions[target.id])
        for session in sessions.values():
            session.close()
        return len(rows)

    @api.model
    def _crm_plus_claim(self, ids):
        """The rows of ``ids`` still due and not held by another worker, locked for this transaction."""
        return self.env["ir.cron"]._crm_plus_claim(self.sudo().browse(ids), SQL(
            "state = 'pending' AND next_attempt_at <= %s", fields.Datetime.now()))

    def _crm_plus_send(self, session):
        """POST this row to its target with ``session``; marked sent, or retried later, or dead."""
        self.ensure_one()
        target = self.target_id.sudo()
        payload = json.loads(self.payload)
        if target.kind == "wechat_oa":
            return self._crm_plus_send_wechat(session, target, payload)
        url, body, headers = robots.build_request(
            target.kind, target.url, target.secret, payload.get("message") or {}, payload, time.time())
        status = None
        try:
            response = session.post(url, data=body, headers=headers, timeout=target.read_timeout)
            status = response.status_code
            error = robots.response_error(target.kind, status, response.text)
        except requests.RequestException as exc:
            error = "%s: %s" % (type(exc).__name__, exc)
        if error is None:
            self._crm_plus_delivered()
        else:
            self._crm_plus_failed(error, robots.is_retryable(status))

    def _crm_plus_delivered(self):
        self.write({"state": "sent", "sent_at": fields.Datetime.now(), "attempts": self.attempts + 1,
                    "last_error": False})

    def _crm_plus_failed(self, error, retryable):
        attempts = self.attempts + 1
        vals = {"attempts": attempts, "last_error": error[:2000]}
        if retryable and attempts < self.target_id.max_tries:
            vals["next_attempt_at"] = fields.Datetime.now() + timedelta(seconds=robots.retry_delay(attempts))
        else:
            vals["state"] = "dead"
        self.write(vals)

    # ------------------------------------------------------------------------------------------------
    # PURGE
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("crm_plus.outbox_retention_days", "30")
        try:
            return max(1, int(value))
        except ValueError:
            return 30

    @api.model
    def _crm_plus_purge(self):
        """Delete sent and dead rows older than the retention; returns how many."""
        limit = fields.Datetime.now() - timedelta(days=self._crm_plus_retention_days())
        old = self.sudo().search([("state", "in", ("sent", "dead")), ("create_date", "<", limit)])
        count = len(old)
        old.unlink()
        return count

    @api.model
    def _cron_purge(self):
        return self._crm_plus_purge()
