"""Pure-Python helpers (no ORM) to normalise partner data and score duplicates."""

from . import company_name, emails, match, person_name, phone, pinyin, uscc
