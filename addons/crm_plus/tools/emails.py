"""E-mail address normalisation (lower-cased keys for duplicate matching)."""

import re
from functools import lru_cache

from ._text import nfkc

__all__ = ["normalize_email", "normalize_emails"]

_SEPARATORS_RE = re.compile(r"[\s,;、]+")
_MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)
_WRAPPERS = "<>()[]{}\"'`"
_EMAIL_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)


def _clean_one(token):
    if "<" in token:  # 张三<zhang@qq.com>
        token = token.rsplit("<", 1)[1]
    token = token.strip(_WRAPPERS)
    token = _MAILTO_RE.sub("", token)
    token = token.split("?", 1)[0]  # mailto:x@y.com?subject=...
    token = token.strip(_WRAPPERS).strip(".:")
    return token if _EMAIL_RE.match(token) else None


@lru_cache(maxsize=8192)
def _normalize(text):
    result = []
    for token in _SEPARATORS_RE.split(text):
        email = _clean_one(token) if "@" in token else None
        if email and email not in result:
            result.append(email)
    return tuple(result)


def normalize_emails(raw):
    """Every valid address in ``raw``: trimmed, lower-cased, de-duplicated, in input order."""
    # NFKC turns full-width ＠ ． ， ； into ASCII; the ideographic full stop is mapped by hand
    text = nfkc(raw).replace("。", ".").replace("｡", ".").lower()
    if "@" not in text:
        return []
    return list(_normalize(text))


def normalize_email(raw):
    """First valid address in ``raw``, or ``None``."""
    emails = normalize_emails(raw)
    return emails[0] if emails else None
