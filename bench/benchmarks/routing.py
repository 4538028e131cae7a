"""crm_plus lead routing (rules, strategies, availability) vs Odoo's crm.team._action_assign_leads, same leads."""

from bench.seed import CITIES, generate_leads

from .builtin_lead_assign import MEMBERS_PER_TEAM, TEAMS
from .builtin_lead_assign import seed as seed_teams
from .common import measure, table

SIZES = [1000, 4000, 10000]
STRATEGIES = ["round_robin", "weighted", "least_loaded", "round_robin"]


def _rules(env, teams):
    """One rule per team on a share of the cities (each strategy at least once), then a catch-all."""
    per_team = len(CITIES) // TEAMS
    rules = env["crm_plus.routing.rule"].create([{
        "name": "Bench rule %d" % t, "sequence": t, "team_id": team.id, "strategy": STRATEGIES[t % len(STRATEGIES)],
        "city": ", ".join(city for city, _a, _e in CITIES[t * per_team:(t + 1) * per_team]),
    } for t, team in enumerate(teams)])
    rules |= env["crm_plus.routing.rule"].create(
        {"name": "Bench catch-all", "sequence": 99, "team_id": teams[0].id, "strategy": "least_loaded"})
    return rules


def _reset(env, odoo, leads):
    """Unassign the leads again so the built-in assignment starts from the same state."""
    SQL = odoo.tools.SQL
    env.cr.execute(SQL("UPDATE crm_lead SET user_id = NULL, team_id = NULL, date_open = NULL WHERE id = ANY(%s)",
                       leads.ids))
    env.invalidate_all()


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        with measure(odoo, out, "seed_"):
            # the built-in benchmark's teams and capacities, leads created without routing
            teams, _leads = seed_teams(env(context=dict(env.context, crm_plus_no_routing=True)), 0, seed_value)
            leads = env["crm.lead"].with_context(crm_plus_no_routing=True).create([
                dict(vals, team_id=False, user_id=False) for vals in generate_leads(size, seed_value)])
            env["crm.team.member"].search([("crm_team_id", "in", teams.ids)]).assignment_max = 30 * (
                size // (TEAMS * MEMBERS_PER_TEAM) + 10)
            _rules(env, teams)
        cr.commit()

        with measure(odoo, out, "routing_"):
            env["crm.lead"]._cron_route_backlog()
        env.invalidate_all()
        out["routing_assigned"] = env["crm.lead"].search_count([("id", "in", leads.ids), ("user_id", "!=", False)])
        out["routing_users"] = len(env["crm.lead"].search([("id", "in", leads.ids)]).user_id)

        _reset(env, odoo, leads)
        cr.commit()
        with measure(odoo, out, "builtin_"):
            teams._action_assign_leads(force_quota=True, creation_delta_days=0)
        env.invalidate_all()
        out["builtin_assigned"] = env["crm.lead"].search_count([("id", "in", leads.ids), ("user_id", "!=", False)])
        out.update(
            routing_leads_per_second=round(out["routing_assigned"] / out["routing_seconds"], 1)
            if out["routing_seconds"] else None,
            routing_queries_per_lead=round(out["routing_queries"] / max(out["routing_assigned"], 1), 2),
            builtin_queries_per_lead=round(out["builtin_queries"] / max(out["builtin_assigned"], 1), 2),
            speedup=round(out["builtin_seconds"] / out["routing_seconds"], 2) if out["routing_seconds"] else None,
        )
    return out


def markdown(data):
    rows = [(r["size"], r["routing_assigned"], r["routing_seconds"], r["routing_queries_per_lead"],
             r["builtin_assigned"], r["builtin_seconds"], r["builtin_queries_per_lead"], r["speedup"])
            for r in data["rows"]]
    seconds = {r["size"]: r["routing_seconds"] for r in data["rows"]}
    growth = ("Growth of the crm_plus routing time from %d to %d leads: %.1fx." % (
        min(seconds), max(seconds), seconds[max(seconds)] / seconds[min(seconds)])
        if len(seconds) > 1 and seconds[min(seconds)] else "")
    return "\n".join([
        "## Lead routing: crm_plus rules vs Odoo built-in `crm.team._action_assign_leads`",
        "",
        "The same seeded leads and %d teams of %d salespeople. crm_plus: one rule per team on a share of the" % (
            TEAMS, MEMBERS_PER_TEAM),
        "cities (round robin, weighted, least loaded) and a catch-all rule, run by the backlog cron in batches of",
        "500 (existing customer look-up, availability check, a chatter note per lead explaining the choice, commit",
        "per batch). Then the leads are unassigned again and Odoo's assignment runs with full quota. Targets:",
        "10x the built-in at 4k leads, linear growth (10k/1k <= 12x), at most 3 queries per lead.",
        "",
        table(["leads", "routed", "routing s", "queries/lead", "built-in assigned", "built-in s",
               "built-in queries/lead", "speed-up"], rows),
        "",
        growth,
        "",
    ])
