"""What a customer sends from the portal, checked before anything is written: a reply's text and files,
a new ticket's subject. Returns problem codes; the caller words them in the customer's language."""

import re

from odoo.tools import html2plaintext

_SPACE = re.compile(r"\s+")


def plain_text(text):
    """``text`` without HTML tags (Odoo's own conversion) and with its white space collapsed."""
    return _SPACE.sub(" ", html2plaintext(text, include_references=False)).strip() if text else ""


def check_message(text, files, max_chars, max_files, max_bytes):
    """Problems of a portal message: [(code, detail)], empty when it may be posted.

    ``files``: [(name, size in bytes)]; codes: ``empty`` (no text and no file), ``too_long`` (more than
    ``max_chars`` characters), ``too_many_files`` (more than ``max_files``), ``file_too_large`` (detail:
    the file's name), ``file_empty`` (detail: the file's name). A limit of 0 is no limit."""
    problems = []
    chars = len(plain_text(text))
    if not chars and not files:
        problems.append(("empty", None))
    if max_chars and len(text or "") > max_chars:
        problems.append(("too_long", None))
    if max_files and len(files) > max_files:
        problems.append(("too_many_files", None))
    for name, size in files:
        if not size:
            problems.append(("file_empty", name))
        elif max_bytes and size > max_bytes:
            problems.append(("file_too_large", name))
    return problems


def check_subject(subject, max_chars):
    """Problems of a new ticket's subject: [(code, detail)] with codes ``no_subject`` and ``subject_too_long``."""
    text = plain_text(subject)
    if not text:
        return [("no_subject", None)]
    if max_chars and len(text) > max_chars:
        return [("subject_too_long", None)]
    return []
