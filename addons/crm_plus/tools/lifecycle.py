"""Customer lifecycle arithmetic: state from the last interaction, high value from invoiced money."""

from datetime import timedelta

LIFECYCLE_STATES = [("active", "Active"), ("churn_risk", "Churn Risk"), ("dormant", "Dormant")]


def lifecycle_state(last, now, churn_days, dormant_days):
    """'active', 'churn_risk' or 'dormant' for a customer whose last interaction was at ``last``.

    ``last`` and ``now`` are naive datetimes; a customer is at churn risk after ``churn_days`` days
    without interaction and dormant after ``dormant_days`` (dormant wins when both apply).
    A day count of 0 or less disables that state.
    """
    idle = now - last
    if dormant_days > 0 and idle >= timedelta(days=dormant_days):
        return "dormant"
    if churn_days > 0 and idle >= timedelta(days=churn_days):
        return "churn_risk"
    return "active"


def latest(*dates):
    """The latest of ``dates`` (None and False ignored), without microseconds; None when there is none."""
    dates = [d for d in dates if d]
    return max(dates).replace(microsecond=0) if dates else None
