"""Duplicate scoring between two partners described by their matching keys.

Each side is a dict with (all optional) keys: ``phone_keys`` (set of E.164), ``email_keys`` (set),
``uscc``, ``vat``, ``company_core``, ``person_key``, ``city``, ``is_company``.

Rules (the best rule gives the score, every further matching rule adds ``BONUS``, capped at 1.0):

* same USCC → 1.0 'uscc'; same VAT (or one side's USCC equal to the other's VAT) → 0.95 'vat'
* a common phone → 0.9 'phone'; a common e-mail → 0.9 'email'
* same company core and same city (or a city missing) → 0.85 'name_city'; different cities → 0.6 'name'
* same full person key (surname + given name) → 0.3 'person' (weak alone, mainly a bonus next to a phone/e-mail)

Penalties: two different USCCs cap the score at 0.5 ('uscc_conflict': branches or look-alikes, not the same
entity); a company compared with a person (both ``is_company`` given) halves it ('type_mismatch': a contact
sharing its company's phone is not a duplicate).
"""

from ._text import fold, nfkc

__all__ = ["BONUS", "WEIGHTS", "score_pair"]

WEIGHTS = {
    "uscc": 1.0,
    "vat": 0.95,
    "phone": 0.9,
    "email": 0.9,
    "name_city": 0.85,
    "name": 0.6,
    "person": 0.3,
}
BONUS = 0.05
USCC_CONFLICT_CAP = 0.5
TYPE_MISMATCH_FACTOR = 0.5


def _code(value):
    return "".join(nfkc(value).split()).replace("-", "").upper()




def _city(value):
    city = fold(value)
    return city[:-1] if len(city) > 2 and city.endswith("市") else city


def _keys(value):
    if not value:
        return set()
    if isinstance(value, str):
        return {value}
    return {key for key in value if key}


def score_pair(a, b):
    """Score how likely partners ``a`` and ``b`` are duplicates: ``(score 0..1, reasons)``."""
    reasons = []
    uscc_a, uscc_b = _code(a.get("uscc")), _code(b.get("uscc"))
    vat_a, vat_b = _code(a.get("vat")), _code(b.get("vat"))
    if uscc_a and uscc_a == uscc_b:
        reasons.append("uscc")
    elif (vat_a and vat_a in (vat_b, uscc_b)) or (vat_b and vat_b == uscc_a):
        reasons.append("vat")
    if _keys(a.get("phone_keys")) & _keys(b.get("phone_keys")):
        reasons.append("phone")
    if {fold(key) for key in _keys(a.get("email_keys"))} & {fold(key) for key in _keys(b.get("email_keys"))}:
        reasons.append("email")
    core_a, core_b = fold(a.get("company_core")), fold(b.get("company_core"))
    if core_a and core_a == core_b:
        city_a, city_b = _city(a.get("city")), _city(b.get("city"))
        reasons.append("name_city" if not city_a or not city_b or city_a == city_b else "name")
    person_a, person_b = fold(a.get("person_key")), fold(b.get("person_key"))
    if person_a and person_a == person_b and not person_a.endswith("*"):
        reasons.append("person")

    if not reasons:
        return 0.0, []
    weights = sorted((WEIGHTS[reason] for reason in reasons), reverse=True)
    score = min(1.0, weights[0] + BONUS * (len(weights) - 1))
    if uscc_a and uscc_b and uscc_a != uscc_b:
        score = min(score, USCC_CONFLICT_CAP)
        reasons.append("uscc_conflict")
    is_company_a, is_company_b = a.get("is_company"), b.get("is_company")
    if is_company_a is not None and is_company_b is not None and bool(is_company_a) != bool(is_company_b):
        score *= TYPE_MISMATCH_FACTOR
        reasons.append("type_mismatch")
    return round(score, 4), reasons
