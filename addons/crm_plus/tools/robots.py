"""Outbound messages to group robots and webhooks: the bodies, the signatures and the retry arithmetic.

Pure functions (no ORM, no network): the outbox builds a message with ``build_request`` and sends what
it returns; ``retry_delay`` and ``is_retryable`` decide what happens after a failure.

Robot formats (each one's public documentation):

- WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content": ...}}``; the secret is
  the ``key`` already in the webhook URL, no signature.
- DingTalk (钉钉) custom robot, "signed" security setting: the URL gets ``timestamp`` (milliseconds) and
  ``sign`` = url-encoded base64 of HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret);
  body ``{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}``.
- Feishu (飞书) custom bot, "signature verification": the body gets ``timestamp`` (seconds) and ``sign`` =
  base64 of HMAC-SHA256(key=timestamp + "\\n" + secret, msg=b""); body ``{"msg_type": "interactive",
  "card": {...}}``.
- Generic webhook: the JSON body as is; headers ``X-CrmPlus-Timestamp`` (seconds),
  ``X-CrmPlus-Signature`` = ``sha256=`` + hex HMAC-SHA256(key=secret, msg=timestamp + "." + body),
  and, as for every kind, ``X-CrmPlus-Event`` and ``Idempotency-Key``.
"""

import base64
import hashlib
import hmac
import json
from urllib.parse import quote_plus

KINDS = ("wecom", "dingtalk", "feishu", "webhook")
# retry: the first retry after BASE seconds, doubled each time, never more than CAP
RETRY_BASE = 30
RETRY_CAP = 6 * 3600


def dingtalk_sign(secret, timestamp_ms):
    """DingTalk's ``sign`` for ``timestamp_ms`` (int, milliseconds), url-encoded as the URL needs it."""
    to_sign = "%d\n%s" % (timestamp_ms, secret)
    digest = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret, timestamp):
    """Feishu's ``sign`` for ``timestamp`` (int, seconds): the key is timestamp + newline + secret."""
    key = "%d\n%s" % (timestamp, secret)
    return base64.b64encode(hmac.new(key.encode(), b"", hashlib.sha256).digest()).decode()


def webhook_signature(secret, timestamp, body):
    """``sha256=<hex>`` over ``timestamp + "." + body`` (``body``: the exact bytes sent)."""
    message = ("%d." % timestamp).encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_webhook(secret, timestamp_header, signature_header, body, now, tolerance=300):
    """What a receiver does: True when the signature matches and the timestamp is recent."""
    try:
        timestamp = int(timestamp_header)
    except (TypeError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(webhook_signature(secret, timestamp, body), signature_header or "")


def markdown_text(message):
    """Markdown of a message {title, lines, url, link_label}: a bold title, one line each, the link."""
    parts = ["**%s**" % message["title"]]
    parts += ["> %s" % line for line in message.get("lines", [])]
    if message.get("url"):
        parts.append("[%s](%s)" % (message.get("link_label") or message["url"], message["url"]))
    return "\n".join(parts)


def feishu_card(message):
    """A Feishu interactive card: header, the lines as markdown, a button to the record."""
    elements = [{"tag": "markdown", "content": "\n".join(message.get("lines", [])) or message["title"]}]
    if message.get("url"):
        elements.append({"tag": "action", "actions": [{
            "tag": "button", "type": "primary", "url": message["url"],
            "text": {"tag": "plain_text", "content": message.get("link_label") or message["url"]}}]})
    return {"config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": message["title"]}, "template": "blue"},
            "elements": elements}


def build_request(kind, url, secret, message, payload, now):
    """(url, body bytes, headers) to POST for a target of ``kind``.

    ``message``: {title, lines, url, link_label} for the robots; ``payload``: the event's JSON payload (with
    its idempotency key), sent as is to webhooks; ``now``: the current time in seconds (float)."""
    headers = {"Content-Type": "application/json; charset=utf-8", "X-CrmPlus-Event": payload.get("event", ""),
               "Idempotency-Key": payload.get("idempotency_key", "")}
    if kind == "wecom":
        body = {"msgtype": "markdown", "markdown": {"content": markdown_text(message)}}
    elif kind == "dingtalk":
        body = {"msgtype": "markdown", "markdown": {"title": message["title"], "text": markdown_text(message)}}
        if secret:
            timestamp_ms = int(now * 1000)
            url = "%s%stimestamp=%d&sign=%s" % (url, "&" if "?" in url else "?", timestamp_ms,
                                               dingtalk_sign(secret, timestamp_ms))
    elif kind == "feishu":
        body = {"msg_type": "interactive", "card": feishu_card(message)}
        if secret:
            timestamp = int(now)
            body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
    elif kind == "webhook":
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        timestamp = int(now)
        headers["X-CrmPlus-Timestamp"] = str(timestamp)
        if secret:
            headers["X-CrmPlus-Signature"] = webhook_signature(secret, timestamp, raw)
        return url, raw, headers
    else:
        raise ValueError("unknown target kind %r" % kind)
    return url, json.dumps(body, ensure_ascii=False).encode(), headers


def response_error(kind, status, text):
    """None when the answer means delivered; else a short error. Robots answer 200 with an error code."""
    if not 200 <= status < 300:
        return "HTTP %d: %s" % (status, (text or "")[:200])
    if kind in ("wecom", "dingtalk", "feishu"):
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return None
        code = data.get("errcode", data.get("code", data.get("StatusCode", 0))) if isinstance(data, dict) else 0
        if code:
            message = data.get("errmsg") or data.get("msg") or ""
            return "%s error %s: %s" % (kind, code, message[:200])
    return None


def is_retryable(status):
    """Whether a failed delivery is tried again: no answer (None), 408, 429, 5xx, and robot error codes
    (answered with 200; DingTalk and Feishu rate limits come that way). Other 4xx: the request itself is
    wrong (bad URL, bad key): retrying sends the same, so the delivery is dead at once."""
    return status is None or status in (200, 408, 429) or status >= 500


def retry_delay(attempts, base=RETRY_BASE, cap=RETRY_CAP):
    """Seconds to wait before try number ``attempts + 1``: base, 2 × base, 4 × base ... at most cap."""
    return min(cap, base * 2 ** max(0, attempts - 1))
