"""Payment schedules of contracts (pure functions)."""

__all__ = ["parse_schedule"]


def parse_schedule(text):
    """Percentages of a payment schedule: "30/40/30" -> [30.0, 40.0, 30.0]; "4" -> four equal parts.

    Separators may be "/", ",", "+" or spaces. Returns [] for an empty text; raises ValueError when the
    text is not numbers or when percentages do not add up to 100.
    """
    parts = [p for p in (text or "").replace(",", "/").replace("+", "/").replace(" ", "/").split("/") if p]
    if not parts:
        return []
    if len(parts) == 1 and parts[0].isdigit():
        count = int(parts[0])
        if count < 1:
            raise ValueError("count")
        share = round(100.0 / count, 2)
        return [share] * (count - 1) + [round(100.0 - share * (count - 1), 2)]
    values = [float(p.rstrip("%")) for p in parts]
    if any(v <= 0 for v in values) or abs(sum(values) - 100.0) > 0.01:
        raise ValueError("sum")
    return values
