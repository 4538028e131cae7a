"""China's statutory holidays and make-up working days (调休) per year, from ``chinesecalendar``, checked
against ``holidays``."""

from datetime import date, timedelta

__all__ = ["cross_check", "known_years", "year_schedule"]


def known_years():
    """Years ``chinesecalendar`` has the State Council's schedule for."""
    try:
        import chinese_calendar
    except ImportError:
        return set()
    return {d.year for d in chinese_calendar.holidays}


def year_schedule(year):
    """``[(date, kind, name)]`` of ``year``: kind ``"holiday"`` for a statutory day off falling on a weekday,
    ``"workday"`` for a weekend day worked instead (调休); empty when the year is not known."""
    import chinese_calendar

    if year not in known_years():
        return []
    result = []
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if day.weekday() < 5 and on_holiday:
            result.append((day, "holiday", _holiday_name(name)))
        elif day.weekday() >= 5 and chinese_calendar.is_workday(day):
            result.append((day, "workday", _holiday_name(name)))
        day += timedelta(days=1)
    return result


def _holiday_name(name):
    # chinesecalendar names are enum values (e.g. "National Day"); an empty name for a plain day off
    return getattr(name, "value", name) or ""


def cross_check(year, schedule):
    """Days where ``schedule`` (as ``year_schedule`` gives) and the ``holidays`` package disagree:
    ``[(date, ours, theirs)]`` with kinds "holiday", "workday" or "" (a normal day). Empty when ``holidays``
    is missing."""
    try:
        import holidays
    except ImportError:
        return []
    cn = holidays.country_holidays("CN", years=year)
    weekend_workdays = set(getattr(cn, "weekend_workdays", ()))
    ours = {day: kind for day, kind, _name in schedule}
    mismatches = []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            theirs = "holiday" if day in cn else ""
        else:
            theirs = "workday" if day in weekend_workdays else ""
        if ours.get(day, "") != theirs:
            mismatches.append((day, ours.get(day, ""), theirs))
        day += timedelta(days=1)
    return mismatches
