"""The period of an export as a domain: whole days, for date and datetime fields alike. Pure: no ORM."""

import datetime


def period_domain(field_name, field_type, date_from=None, date_to=None):
    """The domain of the records whose ``field_name`` (a ``date`` or ``datetime`` field) falls within
    ``date_from``..``date_to`` (dates, each optional), both days included: a datetime of the last day, at any
    hour, is in (it is compared with the start of the next day)."""
    domain = []
    if date_from:
        domain.append((field_name, ">=", date_from))
    if date_to:
        if field_type == "datetime":
            domain.append((field_name, "<", date_to + datetime.timedelta(days=1)))
        else:
            domain.append((field_name, "<=", date_to))
    return domain
