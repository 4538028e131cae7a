"""Date helpers shared by the crons and the pool (pure functions)."""

from datetime import datetime, time

import pytz


def day_start_utc(now, tz_name):
    """Midnight of ``now``'s day in the time zone ``tz_name``, as a naive UTC datetime."""
    tz = pytz.timezone(tz_name or "UTC")
    local = pytz.utc.localize(now).astimezone(tz)
    return tz.localize(datetime.combine(local.date(), time.min)).astimezone(pytz.utc).replace(tzinfo=None)
