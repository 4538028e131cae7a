"""Pure-Python helpers (no ORM): normalising partner data, identity keys, scoring duplicates, dates, routing,
lifecycle, masking, reading files. Models call them; tests run them without a database."""

from . import company_name, dates, emails, identity, match, person_name, phone, pinyin, uscc
