"""Reminder date arithmetic: birthdays and their anniversaries."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta


def anniversary(birthday, year):
    """``birthday``'s anniversary in ``year``; 29 February falls on the 28th in other years."""
    return birthday + relativedelta(year=year)


def upcoming_anniversary(birthday, today, days):
    """The anniversary of ``birthday`` within ``today`` .. ``today + days`` (inclusive), else None."""
    end = today + timedelta(days=max(days, 0))
    for year in sorted({today.year, end.year}):
        day = anniversary(birthday, year)
        if today <= day <= end:
            return day
    return None


def months_between(start, end):
    """Month numbers (1-12) of the days from ``start`` to ``end`` inclusive."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.month)
        day = (day + timedelta(days=32)).replace(day=1)
    return months
