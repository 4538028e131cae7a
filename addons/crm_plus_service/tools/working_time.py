"""Working-time arithmetic over a list of working intervals (the SLA clocks' one source of truth).

Intervals are ``(start, end)`` pairs of naive datetimes in one time base (the models pass UTC); they come
from a resource calendar already cut by its leaves. A ``Timeline`` answers the two questions an SLA clock
asks, in O(log n) after an O(n) build: how many working seconds lie between two instants, and at which
instant a given amount of working time, counted from an instant, is used up.
"""

from bisect import bisect_left, bisect_right
from datetime import timedelta

__all__ = ["Timeline", "merge_intervals", "nth_working_day", "plan", "working_seconds"]


def merge_intervals(intervals):
    """The intervals sorted, empty ones dropped, overlapping or touching ones merged."""
    result = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


class Timeline:
    """Merged working intervals with cumulative working seconds, for fast sums and planning."""

    def __init__(self, intervals):
        self.intervals = merge_intervals(intervals)
        self.starts = [s for s, _e in self.intervals]
        self.ends = [e for _s, e in self.intervals]
        self.cumulative = [0.0]  # working seconds before interval i
        for start, end in self.intervals:
            self.cumulative.append(self.cumulative[-1] + (end - start).total_seconds())

    def _before(self, instant):
        """Working seconds in the timeline before ``instant``."""
        i = bisect_right(self.starts, instant)  # intervals starting at or before instant
        if not i:
            return 0.0
        start, end = self.intervals[i - 1]
        return self.cumulative[i - 1] + (min(instant, end) - start).total_seconds()

    def seconds_between(self, start, end):
        """Working seconds between ``start`` and ``end`` (0 when ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        return self._before(end) - self._before(start)

    def plan(self, start, seconds):
        """The instant at which ``seconds`` of working time counted from ``start`` are used up; None when
        the timeline ends first. Zero seconds give ``start`` itself."""
        if seconds <= 0:
            return start
        goal = self._before(start) + seconds
        i = bisect_left(self.cumulative, goal) - 1  # the interval in which the goal is reached
        if i >= len(self.intervals) or i < 0:
            return None
        interval_start = self.intervals[i][0]
        return interval_start + timedelta(seconds=goal - self.cumulative[i])


def working_seconds(intervals, start, end):
    """Working seconds of ``intervals`` between ``start`` and ``end``."""
    return Timeline(intervals).seconds_between(start, end)


def plan(intervals, start, seconds):
    """The instant ``seconds`` of working time after ``start`` (None when the intervals end first)."""
    return Timeline(intervals).plan(start, seconds)


def nth_working_day(start, days, working_dates):
    """``start`` (a naive local datetime) moved to the same clock time on the ``days``-th working date after
    its own date; ``working_dates``: the dates having working time, any order. None when too few are known."""
    later = sorted(d for d in set(working_dates) if d > start.date())
    if days <= 0:
        return start
    if len(later) < days:
        return None
    return start.replace(year=later[days - 1].year, month=later[days - 1].month, day=later[days - 1].day)
