"""Validation of the inbound API's JSON bodies: pure functions, errors named by field path.

``validate(spec, data)`` returns ``(clean, errors)``: ``clean`` holds the known fields converted, ``errors``
maps a field path (``customer.email``, ``lines[2].quantity``) to what is wrong with it. A spec maps a field
name to ``(kind, required)``; kinds: "str", "email", "number", "bool", "dict", "list".
"""

import re

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_TEXT = 4000


def _convert(kind, value):
    """(converted value, error or None)."""
    if kind in ("str", "email"):
        if not isinstance(value, str | int) or isinstance(value, bool):
            return None, "must be a string"
        value = str(value).strip()
        if len(value) > MAX_TEXT:
            return None, "is longer than %d characters" % MAX_TEXT
        if kind == "email" and value and not _EMAIL_RE.match(value):
            return None, "is not an e-mail address"
        return value, None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, "must be a number"
        try:
            return float(value), None
        except ValueError:
            return None, "must be a number"
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if kind == "dict":
        return (value, None) if isinstance(value, dict) else (None, "must be an object")
    if kind == "list":
        return (value, None) if isinstance(value, list) else (None, "must be a list")
    raise ValueError("unknown kind %r" % kind)


def validate(spec, data, prefix=""):
    """(clean, errors) of ``data`` against ``spec``; unknown fields are errors too (a typo is not ignored)."""
    errors, clean = {}, {}
    if not isinstance(data, dict):
        return {}, {prefix.rstrip(".") or "body": "must be a JSON object"}
    for name in sorted(set(data) - set(spec)):
        errors[prefix + name] = "is not a known field"
    for name, (kind, required) in spec.items():
        value = data.get(name)
        if value is None or value == "":
            if required:
                errors[prefix + name] = "is required"
            continue
        converted, error = _convert(kind, value)
        if error:
            errors[prefix + name] = error
        else:
            clean[name] = converted
    return clean, errors


def validate_list(spec, items, prefix, min_items=1):
    """(clean items, errors) of a list of objects, paths ``prefix[i].field``."""
    if len(items) < min_items:
        return [], {prefix: "needs at least %d item(s)" % min_items}
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        clean, item_errors = validate(spec, item, "%s[%d]." % (prefix, index))
        cleaned.append(clean)
        errors.update(item_errors)
    return cleaned, errors


LEAD_SPEC = {
    "external_id": ("str", True), "name": ("str", True), "contact_name": ("str", False),
    "partner_name": ("str", False), "email": ("email", False), "phone": ("str", False),
    "description": ("str", False), "utm_source": ("str", False), "utm_medium": ("str", False),
    "utm_campaign": ("str", False),
}
CUSTOMER_SPEC = {"name": ("str", True), "phone": ("str", False), "email": ("email", False), "uscc": ("str", False),
                 "is_company": ("bool", False)}
ORDER_SPEC = {"external_id": ("str", True), "shop": ("str", True), "customer": ("dict", True),
              "lines": ("list", True), "confirm": ("bool", False), "note": ("str", False)}
ORDER_LINE_SPEC = {"product_code": ("str", True), "quantity": ("number", True), "price_unit": ("number", False)}
TICKET_SPEC = {"external_id": ("str", True), "subject": ("str", True), "email": ("email", True),
               "name": ("str", False), "description": ("str", False)}
