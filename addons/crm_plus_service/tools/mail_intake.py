"""Reading incoming e-mails for tickets: subject tags, reply-to tokens, auto-replies."""

import re

__all__ = ["is_auto_reply", "reply_token", "subject_number"]

# [TKT-000123] anywhere in a subject (Re:/回复:/答复: prefixes and full-width brackets included)
_TAG_RE = re.compile(r"[\[［【]\s*(TKT-\d{3,})\s*[\]］】]", re.IGNORECASE)
# support+t5f3a9c1e@example.com: the token after the + of a team's alias
_TOKEN_RE = re.compile(r"^[^@+\s]+\+t([0-9a-f]{10,40})@", re.IGNORECASE)
_AUTO_SUBJECT_RE = re.compile(
    r"^\s*(auto(matic)?[ -]?reply|autoreply|out of (the )?office|自动回复|自動回覆|自动答复|休假)", re.IGNORECASE)


def subject_number(subject):
    """The ticket number tagged in ``subject`` (upper case), or None."""
    match = _TAG_RE.search(subject or "")
    return match.group(1).upper() if match else None


def reply_token(addresses):
    """The reply-to token found in a list of recipient addresses, or None."""
    for address in addresses or ():
        match = _TOKEN_RE.match((address or "").strip().lower())
        if match:
            return match.group(1)
    return None


def is_auto_reply(headers, subject):
    """Whether a message is an automatic reply (out of office, vacation, auto-responder).

    ``headers``: a mapping of header names (any case) to values.
    """
    lower = {str(k).lower(): str(v).lower() for k, v in (headers or {}).items()}
    if lower.get("auto-submitted", "no").strip() not in ("", "no"):
        return True
    if any(name in lower for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress-autoreply")):
        return True
    if lower.get("precedence", "").strip() in ("auto_reply", "bulk", "junk", "list"):
        return True
    return bool(_AUTO_SUBJECT_RE.match(subject or ""))
