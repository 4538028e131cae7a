"""WeChat Official Account (服务号) template messages: URLs, bodies and answers (pure functions).

The access token comes from ``GET {base}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…``
(``{"access_token": …, "expires_in": 7200}``) and is reused until shortly before it expires: WeChat limits
how often it may be fetched, and a new one replaces the old. A template message is
``POST {base}/cgi-bin/message/template/send?access_token=…`` with ``touser`` (the follower's openid),
``template_id``, ``url`` and ``data``; the answer's ``errcode`` is 0 when sent.
"""

from urllib.parse import urlencode

DEFAULT_BASE = "https://api.weixin.qq.com"
# renew the token this many seconds before WeChat's expiry
TOKEN_MARGIN = 300
# errcodes meaning the token is no longer valid: fetch a new one
TOKEN_ERRORS = {40001, 40014, 42001}


def token_url(base, app_id, app_secret):
    return "%s/cgi-bin/token?%s" % ((base or DEFAULT_BASE).rstrip("/"), urlencode(
        {"grant_type": "client_credential", "appid": app_id, "secret": app_secret}))


def token_lifetime(answer):
    """(token, seconds it may be used) of a token answer; raises ValueError with WeChat's error."""
    if not answer.get("access_token"):
        raise ValueError("WeChat token error %s: %s" % (answer.get("errcode"), answer.get("errmsg")))
    return answer["access_token"], max(0, int(answer.get("expires_in") or 7200) - TOKEN_MARGIN)


def send_url(base, token):
    return "%s/cgi-bin/message/template/send?%s" % ((base or DEFAULT_BASE).rstrip("/"),
                                                      urlencode({"access_token": token}))


def template_body(openid, template_id, message):
    """The template message: ``first`` = title, ``keyword1..n`` = the lines. No link: the customer cannot open
    the back-office record."""
    data = {"first": {"value": message["title"]}}
    for index, line in enumerate(message.get("lines", [])[:5], start=1):
        data["keyword%d" % index] = {"value": line.split(": ", 1)[-1]}
    return {"touser": openid, "template_id": template_id, "data": data}
