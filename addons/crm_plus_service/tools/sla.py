"""SLA clock states and escalation steps, as pure functions of a clock's numbers."""

__all__ = ["CLOCK_STATES", "clock_state", "due_steps", "target_seconds"]

CLOCK_STATES = ("on_track", "at_risk", "breached", "met")
UNIT_SECONDS = {"minutes": 60, "hours": 3600}


def target_seconds(amount, unit):
    """Working seconds of a target in minutes or hours (days are planned on the calendar instead)."""
    return float(amount) * UNIT_SECONDS[unit]


def clock_state(consumed, target, at_risk_share, done):
    """State of a clock that used ``consumed`` of ``target`` working seconds.

    A clock stopped in time (``done``) is met, one stopped late stays breached; a running or paused clock
    is breached once its target is used, at risk from ``at_risk_share`` (0..1) of it.
    """
    if consumed >= target > 0 or (target <= 0 and not done):
        return "breached"
    if done:
        return "met"
    if at_risk_share and consumed >= at_risk_share * target:
        return "at_risk"
    return "on_track"


def due_steps(steps, consumed, target, overdue_seconds, done_keys):
    """The escalation steps now due and not yet done.

    ``steps``: ``[(key, kind, value)]`` with kind ``"share"`` (value: share of the target used, e.g. 0.8)
    or ``"breach"`` (value: hours past the deadline, wall-clock); ``overdue_seconds``: wall-clock seconds
    since the deadline (negative before it); ``done_keys``: keys already done for this clock.
    """
    due = []
    for key, kind, value in steps:
        if key in done_keys or target <= 0:
            continue
        if kind == "share" and consumed >= value * target:
            due.append(key)
        elif kind == "breach" and consumed >= target and overdue_seconds >= value * 3600:
            due.append(key)
    return due
