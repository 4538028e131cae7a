"""Odoo's built-in lead assignment (crm.team._action_assign_leads): the baseline lead routing must beat."""

from bench.seed import generate_leads

from .common import batched_create, measure, table

SIZES = [1000, 4000]
TEAMS = 4
MEMBERS_PER_TEAM = 5


def seed(env, size, seed_value):
    teams = env["crm.team"].create([{"name": "Bench team %d" % t, "assignment_optout": False}
                                    for t in range(TEAMS)])
    users = env["res.users"].with_context(no_reset_password=True).create([{
        "name": "Bench seller %d" % u, "login": "bench_seller_%d" % u,
        "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
    } for u in range(TEAMS * MEMBERS_PER_TEAM)])
    env["crm.team.member"].create([{
        "crm_team_id": teams[u // MEMBERS_PER_TEAM].id, "user_id": user.id,
        # assignment_max is per 30 days and the run assigns one day's share: give every member room for
        # more than its part of the seeded leads, so the quota never limits the measurement
        "assignment_max": 30 * (size // (TEAMS * MEMBERS_PER_TEAM) + 10),
    } for u, user in enumerate(users)])
    leads = batched_create(env, "crm.lead", [dict(vals, team_id=False, user_id=False)
                                             for vals in generate_leads(size, seed_value)])
    return teams, leads


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        with measure(odoo, out, "seed_"):
            teams, leads = seed(env, size, seed_value)
        cr.commit()
        with measure(odoo, out):
            teams._action_assign_leads(force_quota=True, creation_delta_days=0)
        env.invalidate_all()
        assigned = env["crm.lead"].search_count([("id", "in", leads.ids), ("user_id", "!=", False)])
        out.update(
            assigned=assigned,
            leads_per_second=round(assigned / out["seconds"], 1) if out["seconds"] else None,
            queries_per_lead=round(out["queries"] / max(assigned, 1), 2),
        )
    return out


def markdown(data):
    rows = [(r["size"], r["assigned"], r["seconds"], r["leads_per_second"], r["queries"], r["queries_per_lead"])
            for r in data["rows"]]
    return "\n".join([
        "## Lead assignment: Odoo built-in `crm.team._action_assign_leads`",
        "",
        "%d teams of %d salespeople, unassigned leads created now, full quota (`force_quota=True`)." % (
            TEAMS, MEMBERS_PER_TEAM),
        "This is the baseline crm_plus routing is measured against (target: 10x faster at 4k leads).",
        "",
        table(["leads", "assigned", "seconds", "leads/s", "queries", "queries/lead"], rows),
        "",
    ])
