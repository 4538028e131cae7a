"""Pure choice logic of lead routing: which salesperson gets the next lead (no ORM)."""


def split_cities(text):
    """Normalised city names of a comma-separated list ("上海, Beijing，杭州" -> {"上海", "beijing", "杭州"})."""
    if not text:
        return set()
    return {part.strip().casefold() for part in text.replace("，", ",").split(",") if part.strip()}


def matches(spec, facts):
    """Whether a lead meets every condition of a rule; an empty condition matches every lead.

    ``spec``: the rule's conditions (see ``crm_plus.routing.rule._routing_specs``): ids, sets of ids,
    normalised city names, amounts. ``facts``: the lead's values (``crm.lead._crm_plus_routing_facts``).
    """
    if spec["company"] and facts["company"] and facts["company"] != spec["company"]:
        return False
    if spec["countries"] and facts["country"] not in spec["countries"]:
        return False
    if spec["states"] and facts["state"] not in spec["states"]:
        return False
    if spec["cities"] and facts["city"] not in spec["cities"]:
        return False
    if spec["tags"] and not spec["tags"] & facts["tags"]:
        return False
    if spec["source"] and facts["source"] != spec["source"]:
        return False
    if spec["medium"] and facts["medium"] != spec["medium"]:
        return False
    if spec["min_revenue"] and facts["revenue"] < spec["min_revenue"]:
        return False
    if spec["max_revenue"] and facts["revenue"] > spec["max_revenue"]:
        return False
    if spec["min_probability"] and facts["probability"] < spec["min_probability"]:
        return False
    if spec.get("industries") and facts.get("industry") not in spec["industries"]:
        return False
    # the product line: a product of the lead's quotations, or a category of one (sub-categories included)
    if spec.get("products") or spec.get("categories"):
        return bool(spec.get("products", set()) & facts.get("products", set())
                    or spec.get("categories", set()) & facts.get("categories", set()))
    return True


def round_robin_next(candidates, last=None):
    """The candidate after ``last`` in id order, wrapping around.

    ``last`` need not be a candidate any more (left the team, on leave): the next higher id
    is chosen, so nobody is skipped or served twice when the team changes.
    """
    ordered = sorted(set(candidates))
    if not ordered:
        return None
    if last:
        for candidate in ordered:
            if candidate > last:
                return candidate
    return ordered[0]


def weighted_choice(weights, counts):
    """The candidate furthest below its share: smallest ``(count + 1) / weight``, ties by id.

    ``weights``: {candidate: capacity}; candidates with a capacity of 0 or less get nothing.
    ``counts``: {candidate: leads already received in the period}. Over time every candidate
    receives leads in proportion to its capacity, deterministically.
    """
    eligible = [c for c, w in weights.items() if w and w > 0]
    if not eligible:
        return None
    return min(eligible, key=lambda c: ((counts.get(c, 0) + 1) / weights[c], c))


def least_loaded(loads, candidates=None):
    """The candidate with the fewest open leads, ties by id. ``loads``: {candidate: open leads}."""
    pool = list(loads if candidates is None else candidates)
    if not pool:
        return None
    return min(pool, key=lambda c: (loads.get(c, 0), c))


def choose(strategy, candidates, last=None, weights=None, counts=None, loads=None):
    """One salesperson for one lead with the rule's strategy; None when nobody can take it."""
    if not candidates:
        return None
    if strategy == "round_robin":
        return round_robin_next(candidates, last)
    if strategy == "weighted":
        return weighted_choice({c: (weights or {}).get(c, 0) for c in candidates}, counts or {})
    if strategy == "least_loaded":
        return least_loaded(loads or {}, candidates)
    raise ValueError("unknown routing strategy %r" % strategy)
