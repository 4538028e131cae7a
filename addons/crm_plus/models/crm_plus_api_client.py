"""Inbound API clients: who may call ``/api/crm_plus/v1/…``, with which token, for what, how often."""

import hashlib
import secrets
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

TOKEN_PREFIX = "cpi_"
API_KEY_SCOPE = "crm_plus_api"


class ApiError(Exception):
    """An API answer other than success: HTTP status and JSON body."""

    def __init__(self, status, body, headers=None):
        super().__init__(body.get("error"))
        self.status, self.body, self.headers = status, body, headers or {}


class CrmPlusApiClient(models.Model):
    """One integration (a shop, a website form): its user, its token, its scopes and its rate limit."""

    _name = "crm_plus.api.client"
    _description = "CRM Plus API Client"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users", string="Integration User", required=True, ondelete="restrict",
        domain=lambda self: [("groups_id", "in", self.env.ref("crm_plus.group_crm_plus_integration").ids)],
        help="Records are created in this user's name. It holds the Integration User role only: it cannot log "
             "in, and over RPC it reads only what it created; the API checks the client's scopes. Its Odoo API "
             "keys also authenticate this client.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system", index=True)
    token_hint = fields.Char(string="Token Start", readonly=True, copy=False, help="The first characters of the token.")
    scope_leads = fields.Boolean(string="Create Leads", default=True)
    scope_orders = fields.Boolean(string="Push Orders")
    scope_tickets = fields.Boolean(string="Create Tickets")
    confirm_orders = fields.Boolean(
        help="Pushed orders become confirmed sales orders; otherwise quotations (unless "
                                      "the order says \"confirm\").")
    rate_limit = fields.Integer(string="Calls per Minute", default=120)
    request_ids = fields.One2many("crm_plus.api.request", "client_id", string="Calls")
    request_count = fields.Integer(compute="_compute_request_count", string="Calls Made")

    _sql_constraints = [
        ("user_unique", "UNIQUE(user_id)", "An integration user belongs to one API client."),
        ("rate_positive", "CHECK(rate_limit > 0)", "The rate limit must be positive."),
    ]

    def _compute_request_count(self):
        counts = dict(self.env["crm_plus.api.request"]._read_group(
            [("client_id", "in", self.ids)], ["client_id"], ["__count"]))
        for client in self:
            client.request_count = counts.get(client, 0)

    @api.constrains("user_id")
    def _check_integration_user(self):
        for client in self:
            if not client.user_id._crm_plus_integration_only():
                raise ValidationError(_(
                    "The user of API client %(client)s must be an Integration User without any other CRM Plus "
                    "sales role or administration right: the token acts with that user's rights.",
                    client=client.name))

    def init(self):
        # the per-minute counters: one row per client and minute, bumped in one statement
        self.env.cr.execute(SQL(
            """CREATE TABLE IF NOT EXISTS crm_plus_api_rate (
                   client_id integer NOT NULL REFERENCES crm_plus_api_client(id) ON DELETE CASCADE,
                   minute timestamp NOT NULL,
                   hits integer NOT NULL DEFAULT 0,
                   PRIMARY KEY (client_id, minute))"""))

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_generate_token(self):
        """A new token (the old one stops working), shown once."""
        self.ensure_one()
        self.check_access("write")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        # the hash is readable by administrators only: written as the system after the write check above
        self.sudo().write({"token_hash": self._crm_plus_hash(token), "token_hint": token[:8] + "…"})
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": _("Copy the token now: it is not shown again"), "message": token, "sticky": True,
            "type": "warning"}}

    def action_open_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_api_request")
        action["domain"] = [("client_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------------------------------------
    # AUTHENTICATION, RATE LIMIT, IDEMPOTENCY (called by controllers/api.py)
    # ------------------------------------------------------------------------------------------------

    @staticmethod
    def _crm_plus_hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @api.model
    def _api_authenticate(self, authorization, scope):
        """The active client of the ``Authorization: Bearer <token>`` header holding ``scope``; ApiError 401/403.

        The token is a client token (``cpi_…``) or an Odoo API key of the client's integration user (global or
        of scope ``crm_plus_api``)."""
        kind, _sep, token = (authorization or "").partition(" ")
        token = token.strip()
        if kind.lower() != "bearer" or not token:
            raise ApiError(401, {"error": "unauthorized", "message": "Authorization: Bearer <token> is required."})
        # authentication reads the token hashes and API keys as the system: nobody is logged in yet
        Client = self.sudo().with_context(active_test=True)
        client = Client.browse()
        if token.startswith(TOKEN_PREFIX):
            client = Client.search([("token_hash", "=", self._crm_plus_hash(token))], limit=1)
        else:
            uid = self.env["res.users.apikeys"].sudo()._check_credentials(scope=API_KEY_SCOPE, key=token)
            if uid:
                client = Client.search([("user_id", "=", uid)], limit=1)
        if not client or not client.user_id.active:
            raise ApiError(401, {"error": "unauthorized", "message": "Unknown or revoked token."})
        if not client["scope_%s" % scope]:
            raise ApiError(403, {"error": "forbidden", "message": "This client may not use %s." % scope})
        return client

    def _api_check_rate(self):
        """Count this call in the current minute; ApiError 429 past the client's limit."""
        self.ensure_one()
        now = fields.Datetime.now()
        minute = now.replace(second=0, microsecond=0)
        self.env.cr.execute(SQL(
            """INSERT INTO crm_plus_api_rate (client_id, minute, hits) VALUES (%s, %s, 1)
               ON CONFLICT (client_id, minute) DO UPDATE SET hits = crm_plus_api_rate.hits + 1
               RETURNING hits""", self.id, minute))
        hits = self.env.cr.fetchone()[0]
        if hits > self.rate_limit:
            retry = 60 - now.second
            message = "More than %d calls in a minute." % self.rate_limit
            raise ApiError(429, {"error": "rate_limited", "message": message, "retry_after": retry},
                           {"Retry-After": str(retry)})
        if hits == 1:
            self.env.cr.execute(SQL("DELETE FROM crm_plus_api_rate WHERE client_id = %s AND minute < %s",
                                    self.id, minute - timedelta(minutes=5)))

    def _api_call(self, endpoint, external_id, work):
        """Run ``work()`` once per (client, endpoint, external id): all or nothing, a retry answers the first
        result. ``work`` returns (status, body, record); returns (status, body, replayed)."""
        self.ensure_one()
        Request = self.env["crm_plus.api.request"].sudo()
        done = Request.search([("client_id", "=", self.id), ("endpoint", "=", endpoint),
                               ("external_id", "=", external_id)], limit=1)
        if done:
            return done.status, done._crm_plus_body(), True
        try:
            with self.env.cr.savepoint():
                status, body, record = work()
                Request.create({"client_id": self.id, "endpoint": endpoint, "external_id": external_id,
                                "status": status, "response": body, "model": record._name, "res_id": record.id})
        except psycopg2.IntegrityError as exc:
            # the same external id sent twice at once: the other call created it
            raise ApiError(409, {"error": "conflict", "message": "A call with this external id is in progress; "
                                                                 "retry to get its result."}) from exc
        return status, body, False

    def _api_lookup(self, endpoint, external_id):
        """The first answer of this client's call (404 for another client's or an unknown id)."""
        self.ensure_one()
        done = self.env["crm_plus.api.request"].sudo().search([
            ("client_id", "=", self.id), ("endpoint", "=", endpoint), ("external_id", "=", external_id)], limit=1)
        if not done:
            raise ApiError(404, {"error": "not_found", "message": "No %s with external id %s." % (endpoint,
                                                                                                external_id)})
        return done._crm_plus_body()
