"""The customer as a target: WeChat Official Account (服务号) template messages to contacts who follow the
account (their openid on the contact, opt-out respected); the access token fetched and cached as WeChat
requires."""

import json
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import wechat


class CrmPlusIntegrationTarget(models.Model):
    """WeChat Official Account targets: app id, secret, template and the cached access token."""

    _inherit = "crm_plus.integration.target"

    kind = fields.Selection(selection_add=[("wechat_oa", "WeChat Official Account (customers)")],
                            ondelete={"wechat_oa": "cascade"})
    wechat_app_id = fields.Char(string="AppID")
    wechat_template_id = fields.Char(string="Template ID")
    wechat_token = fields.Char(groups="base.group_system", copy=False)
    wechat_token_expiry = fields.Datetime(copy=False, readonly=True, string="Access Token Valid Until")

    @api.onchange("kind")
    def _onchange_kind_wechat(self):
        if self.kind == "wechat_oa" and not self.url:
            self.url = wechat.DEFAULT_BASE

    def _crm_plus_wechat_token(self, session, refresh=False):
        """A valid access token: the cached one, else fetched (the target row locked meanwhile, so that two
        workers do not fetch two tokens, the second replacing the first)."""
        self.ensure_one()
        now = fields.Datetime.now()
        if not refresh and self.wechat_token and self.wechat_token_expiry and self.wechat_token_expiry > now:
            return self.wechat_token
        self.env.cr.execute(SQL("SELECT id FROM crm_plus_integration_target WHERE id = %s FOR UPDATE", self.id))
        self.invalidate_recordset(["wechat_token", "wechat_token_expiry"])
        if not refresh and self.wechat_token and self.wechat_token_expiry and self.wechat_token_expiry > now:
            return self.wechat_token
        response = session.get(wechat.token_url(self.url, self.wechat_app_id, self.secret), timeout=self.read_timeout)
        response.raise_for_status()
        token, seconds = wechat.token_lifetime(response.json())
        self.write({"wechat_token": token, "wechat_token_expiry": now + timedelta(seconds=seconds)})
        return token


class CrmPlusOutbox(models.Model):
    """Template messages to the customer: one row per follower, sent with the cached token."""

    _inherit = "crm_plus.outbox"

    @api.model
    def _crm_plus_event_values(self, event, record, subscription):
        vals = super()._crm_plus_event_values(event, record, subscription)
        if subscription.target_id.kind != "wechat_oa":
            return vals
        if record._name == "res.partner":
            partner = record
        else:
            partner = record["partner_id"] if "partner_id" in record._fields else record.env["res.partner"]
        if not partner or partner.crm_plus_wechat_opt_out or not partner.crm_plus_wechat_openid:
            return None
        payload = json.loads(vals["payload"])
        payload["openid"] = partner.crm_plus_wechat_openid
        vals["payload"] = json.dumps(payload, ensure_ascii=False)
        return vals

    def _crm_plus_send_wechat(self, session, target, payload):
        status = None
        try:
            token = target._crm_plus_wechat_token(session)
            body = wechat.template_body(payload["openid"], target.wechat_template_id, payload.get("message") or {})
            response = session.post(wechat.send_url(target.url, token), json=body, timeout=target.read_timeout)
            status = response.status_code
            answer = response.json() if response.ok else {}
            code = answer.get("errcode", 0) if response.ok else None
            if code in wechat.TOKEN_ERRORS:
                target.sudo().write({"wechat_token_expiry": False})
            error = None if response.ok and not code else "WeChat %s: %s" % (
                code if code is not None else "HTTP %d" % status, answer.get("errmsg", "")[:200])
        except (requests.RequestException, ValueError) as exc:
            error = "%s: %s" % (type(exc).__name__, exc)
        if error is None:
            self._crm_plus_delivered()
        else:
            self._crm_plus_failed(error, status is None or status == 200 or status >= 500 or status == 429)
