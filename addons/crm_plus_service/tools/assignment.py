"""Choosing the agent of a ticket: round robin, balanced load, skills; the customer's usual agent first."""

__all__ = ["PRIORITY_WEIGHTS", "choose_agent"]

# open tickets weigh by priority in the balanced method (Low, Normal, High, Urgent)
PRIORITY_WEIGHTS = {"0": 1, "1": 2, "2": 4, "3": 8}


def choose_agent(method, agents, *, pointer=None, loads=None, skills=None, wanted_skills=(), usual=None):
    """The agent (an id) to take a ticket, or None.

    ``agents``: available agent ids in the team's order (on time off or off duty already removed);
    ``pointer``: the id assigned last by round robin; ``loads``: {agent: weighted open tickets};
    ``skills``: {agent: set of tag ids}; ``wanted_skills``: the ticket's tags; ``usual``: the agent who
    handled the customer last, taken first when available.
    """
    agents = list(agents)
    if not agents:
        return None
    if usual in agents:
        return usual
    if method == "skills" and wanted_skills:
        wanted = set(wanted_skills)
        scored = [(len(wanted & set((skills or {}).get(a, ()))), a) for a in agents]
        best = max(score for score, _a in scored)
        if best:
            agents = [a for score, a in scored if score == best]
            method = "balanced"
    if method in ("balanced", "skills"):
        loads = loads or {}
        return min(agents, key=lambda a: (loads.get(a, 0), agents.index(a)))
    # round robin: the next agent after the pointer, in the team's order (sorted ids when unknown)
    ordered = sorted(agents)
    later = [a for a in ordered if pointer is not None and a > pointer]
    return later[0] if later else ordered[0]
