"""A partner's identity keys, defined once.

The partner (its key table rows and its duplicate scoring), the lead (its existing customer) and the import
(its in-file and against-database matching) all build their keys here, from values normalised by the other
tools (``phone``, ``emails``, ``uscc``, ``company_name``), so that two records with the same identity always
produce the same ``(kind, value)`` pairs and meet in ``crm_plus.partner.key``.
"""

__all__ = ["KEY_PRIORITY", "identity_keys", "normalize_vat"]

# every kind of identity key, strongest first (a match on an earlier kind wins)
KEY_PRIORITY = ("uscc", "vat", "phone", "email", "name")


def normalize_vat(vat):
    """A tax ID as a key: no spaces, upper case (``"cn 9131 0000"`` -> ``"CN91310000"``); ``None`` when empty."""
    return "".join((vat or "").split()).upper() or None


def identity_keys(*, phones=(), emails=(), uscc=None, vat=None, company_core=None):
    """The ``(kind, value)`` identity keys of one record, without repeats, in a stable order.

    ``phones``: E.164 numbers; ``emails``: normalised addresses; ``uscc``: a cleaned USCC; ``vat``: a tax ID
    as typed (normalised here); ``company_core``: the canonical company name (``company_name``). Empty
    values give no key.
    """
    keys = [("phone", number) for number in phones if number]
    keys += [("email", address) for address in emails if address]
    if uscc:
        keys.append(("uscc", uscc))
    vat = normalize_vat(vat)
    if vat:
        keys.append(("vat", vat))
    if company_core:
        keys.append(("name", company_core))
    return list(dict.fromkeys(keys))
