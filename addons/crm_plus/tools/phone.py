"""Phone number normalisation (E.164 keys for duplicate matching).

Decisions:

* ``region`` is an ISO 3166 alpha-2 code used for numbers written without a country code; an empty
  region means ``"CN"``, an unknown one means "international format only".
* Empty or garbage input (no digits, letters inside the number, fewer than 5 digits) returns ``None``.
* A number that can be parsed but is not a valid number - e.g. a bare 8-digit local number without area
  code ("62881234") - returns a ``PhoneKey`` with ``valid=False``; its ``e164`` is only a best effort
  ("+8662881234") and must not be used as a duplicate-matching key (``phone_keys`` skips it).
* ``phone_readings`` is what identity keys are made of: every plausible reading of a number written without
  a country code (one per region the evidence allows), including numbers the metadata does not list as
  valid but whose shape is a complete number (ranges allocated after the metadata, unusual ones): those
  are *unverified* readings (``valid=False``), kept so that identical digits always match. A local number
  without its area code is not a complete number and gets no reading.
* Extensions (转 / 分机 / ext / ext. / x / #, or a trailing "-808" after an otherwise complete number)
  are returned separately and are not part of ``e164``.
"""

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberType

from ._text import CJK_RE, nfkc

__all__ = ["PhoneKey", "normalize_phone", "phone_keys", "phone_readings", "reading_order", "split_phones"]

MIN_DIGITS = 5
MAX_DIGITS = 17
# an unverified reading (a shape the metadata calls possible, not valid) must be a complete national
# number: 9 digits at least (Chinese mobiles have 11, landlines with area code 10-11, US numbers 10), so
# that a local number without its area code ("62881234": Beijing? Shanghai?) never becomes a key
MIN_UNVERIFIED_DIGITS = 9
# a Chinese mobile written without country code: 1, then 3-9, then nine digits
_CN_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

_DASHES_RE = re.compile("[\u2010-\u2015\u2212\u30fc\ufe58\ufe63]")
_EXTENSION_RE = re.compile(
    r"\s*(?:转|轉|分机|分機|ext(?:ension)?\.?|x|#)\s*[:.]?\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
_TRAILING_EXTENSION_RE = re.compile(r"\s*-\s*(\d{1,5})$")
_LEADING_JUNK_RE = re.compile(r"^[^\d+(]+")
_TRAILING_NOTE_RE = re.compile(r"\([^\d)]*\)\s*$")
_TRAILING_JUNK_RE = re.compile(r"[^\d)]+$")
_BRACKETED_COUNTRY_RE = re.compile(r"^\((\+?\d{1,4})\)")
_ALLOWED_RE = re.compile(r"^\+?[\d\s\-.()]+$")
_SEPARATORS_RE = re.compile(r"\s*(?:[/;,、\n\r]|或)\s*")

_KINDS = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
}


class PhoneKey(NamedTuple):
    """Normalised phone number."""

    e164: str
    extension: str | None
    valid: bool
    kind: str  # 'mobile', 'fixed' or 'other' (ambiguous, toll-free, VoIP, invalid ...)


def _parse(text, region):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number


def _is_valid(number):
    return number is not None and phonenumbers.is_valid_number(number)


def _make_key(number, extension):
    # a number is valid by the metadata exactly when its type is known: one look-up gives both
    number_type = phonenumbers.number_type(number)
    valid = number_type != PhoneNumberType.UNKNOWN
    kind = _KINDS.get(number_type, "other")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneKey(e164, extension or None, valid, kind)


def _clean(raw):
    """Return (main part, extension) of a raw phone string, or (None, None) for garbage."""
    text = _DASHES_RE.sub("-", nfkc(raw)).strip()
    extension = None
    match = _EXTENSION_RE.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    text = _LEADING_JUNK_RE.sub("", text)
    text = _TRAILING_NOTE_RE.sub("", text)
    text = _TRAILING_JUNK_RE.sub("", text).strip()
    if text.startswith(("(+", "(00")):
        text = _BRACKETED_COUNTRY_RE.sub(r"\1 ", text)
    if not text or not _ALLOWED_RE.match(text):
        return None, None
    digit_count = sum(char.isdigit() for char in text)
    if not MIN_DIGITS <= digit_count <= MAX_DIGITS:
        return None, None
    return text, extension


@lru_cache(maxsize=8192)
def reading_regions(*country_codes):
    """Regions tried, in order, for numbers written without a country code: ``country_codes`` (e.g. the
    partner's country, then its company's; empty ones skipped), then China's numbering (the home market:
    a number valid only there is Chinese)."""
    return tuple(dict.fromkeys(code for code in (*country_codes, "CN") if code))


def normalize_phone(raw, region="CN"):
    """Normalise one phone number to a ``PhoneKey``; ``None`` for empty/garbage input."""
    text, extension = _clean(raw)
    if text is None:
        return None
    region = (region or "CN").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        region = "ZZ"
    number = _parse(text, region)
    key = _make_key(number, extension) if number is not None else None
    if key and key.valid:
        return key

    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and digits.startswith("86"):
        # "86 21 6288 1234": country code written without + or 00
        retry = _parse("+" + digits, region)
        if _is_valid(retry):
            return _make_key(retry, extension)
    if extension is None:
        # "021-62881234-808": a trailing dash group after a complete number is an extension
        match = _TRAILING_EXTENSION_RE.search(text)
        if match:
            retry = _parse(text[: match.start()], region)
            if _is_valid(retry):
                return _make_key(retry, match.group(1))
    return key


def reading_order(country_codes, texts=(), numbers=()):
    """Regions in which to read numbers written without a country code, the most plausible first.

    China comes first when the evidence says China: a Chinese character in ``texts`` (the name, the city,
    the street) or a number in ``numbers`` of the Chinese mobile shape (1[3-9] and nine digits, whatever
    its separators or width); then ``country_codes`` in order (the record's country, its company's...),
    then China, the home market.
    """
    chinese = any(text and CJK_RE.search(text) for text in texts) or any(
        _CN_MOBILE_RE.match(re.sub(r"\D", "", nfkc(number))) for number in numbers if number)
    return reading_regions(*(("CN",) if chinese else ()), *country_codes)


def phone_readings(raw, regions):
    """Every plausible reading (``PhoneKey``) of one raw number, in the order of ``regions``.

    A number written with its country code has one reading; without, one per region where it is a valid
    number, or at least a complete one (then ``valid=False``: unverified). Readings are unique by E.164; an
    empty list means garbage or an incomplete number.
    """
    readings = {}
    # with its country code ("+86 ..."), the region plays no part: one reading is all
    regions = regions or ("CN",)
    if nfkc(raw).lstrip().startswith("+"):
        regions = regions[:1]
    for region in regions:
        key = normalize_phone(raw, region)
        if key is None or key.e164 in readings:
            continue
        if key.valid or _complete(key.e164):
            readings[key.e164] = key
    return list(readings.values())


def _complete(e164):
    """Whether ``e164`` has the shape of a whole number (possible, long enough), though not listed as valid."""
    number = _parse(e164, None)
    return (number is not None and len(str(number.national_number)) >= MIN_UNVERIFIED_DIGITS
            and phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE)


def first_valid_reading(raw, regions):
    """The first valid reading (a ``PhoneKey``) of ``raw`` in ``regions`` (see ``reading_regions``), else None."""
    if not raw:
        return None
    for region in regions:
        key = normalize_phone(raw, region)
        if key and key.valid:
            return key
    return None


def split_phones(raw):
    """Split a field holding several numbers (separated by / ; , 、 或 or new lines) into raw numbers."""
    text = nfkc(raw)
    result = []
    for chunk_text in _SEPARATORS_RE.split(text):
        part = chunk_text.strip()
        if not part:
            continue
        chunks = part.split()
        # "13812345678 13912345678": whitespace separates numbers only when every chunk is a full number
        if len(chunks) > 1 and all(sum(char.isdigit() for char in chunk) >= 7 for chunk in chunks):
            candidates = chunks
        else:
            candidates = [part]
        for candidate in candidates:
            if candidate not in result:
                result.append(candidate)
    return result


def phone_keys(raw, region="CN"):
    """Valid E.164 keys of every number found in ``raw`` (unique, in input order)."""
    keys = []
    for part in split_phones(raw):
        key = normalize_phone(part, region)
        if key is not None and key.valid and key.e164 not in keys:
            keys.append(key.e164)
    return keys
