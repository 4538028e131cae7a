"""crm_plus_service SLA at scale: recompute after a calendar change, escalation cron, ticket list, e-mail intake."""

import random
from datetime import datetime, timedelta

from .common import measure, table

SIZES = [5000, 50000]
EMAILS = 200
ESCALATION_BATCH = 500  # the escalation cron's batch size (crm_plus.ticket.clock._cron_escalate)

EML = """From: Customer {i} <customer{i}@bench.example.cn>
To: {to}
Subject: Printer {i} does not start
Message-ID: <bench-{kind}-{i}@bench.example.cn>
Date: Mon, 3 Nov 2025 10:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

The printer shows a blinking light. 打印机指示灯闪烁。
"""


def _seed(env, size, seed_value):
    rng = random.Random(seed_value)
    calendar = env["resource.calendar"].create({"name": "Bench 9-18", "tz": "Asia/Shanghai", "attendance_ids": [
        (0, 0, {"name": "%d %s" % (d, p), "dayofweek": str(d), "hour_from": f, "hour_to": t, "day_period": p})
        for d in range(5) for f, t, p in ((9, 12, "morning"), (13, 18, "afternoon"))]})
    agents = env["res.users"].create([{
        "name": "Bench agent %d" % i, "login": "bench_agent_%d" % i,
        "groups_id": [(6, 0, [env.ref("crm_plus_service.group_crm_plus_service_agent").id])]} for i in range(10)])
    team = env["crm_plus.ticket.team"].create({"name": "Bench team", "resource_calendar_id": calendar.id,
                                               "member_ids": [(6, 0, agents.ids)]})
    policy = env["crm_plus.sla.policy"].create({"name": "Bench", "sequence": 0, "team_ids": [(6, 0, team.ids)]})
    env["crm_plus.sla.escalation"].create([
        {"policy_id": policy.id, "clock_kind": "resolution", "trigger": "share", "share": 0.0, "notify_agent": True},
        {"policy_id": policy.id, "clock_kind": "first_response", "trigger": "breach", "hours_after": 1,
         "notify_manager": True, "raise_priority": True}])
    partners = env["res.partner"].create([{"name": "Bench customer %d" % i} for i in range(200)])
    Ticket = env["crm_plus.ticket"].with_context(tracking_disable=True, mail_create_nolog=True)
    tickets = Ticket.browse()
    for start in range(0, size, 2000):
        tickets |= Ticket.create([{
            "name": "Bench ticket %d" % i, "team_id": team.id, "partner_id": rng.choice(partners).id,
            "user_id": rng.choice(agents).id, "priority": str(rng.randrange(4))}
            for i in range(start, min(size, start + 2000))])
        env.cr.commit()
    return calendar, team, agents, tickets


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        with measure(odoo, out, "seed_"):
            calendar, team, agents, tickets = _seed(env, size, seed_value)
        cr.commit()
        Clock = env["crm_plus.ticket.clock"]
        # a holiday added to the calendar: every open ticket's deadlines move
        day = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        env["resource.calendar.leaves"].create({"name": "Bench holiday", "calendar_id": calendar.id,
                                                "date_from": day, "date_to": day + timedelta(hours=23)})
        out["recompute_clocks"] = Clock.search_count([("needs_recompute", "=", True)])
        with measure(odoo, out, "recompute_"):
            Clock._cron_recompute()
        with measure(odoo, out, "escalate_"):
            out["escalate_steps"] = Clock._cron_escalate()
        with measure(odoo, out, "rerun_"):
            out["rerun_steps"] = Clock._cron_escalate()
        # an agent's ticket list (the list view's first page)
        agent_env = env(user=agents[0])
        fields_spec = {name: {} for name in ("number", "name", "priority", "stage_id", "user_id", "sla_deadline",
                                             "sla_state", "customer_id", "team_id")}
        agent_env["crm_plus.ticket"].web_search_read([], fields_spec, limit=80)  # warm the caches
        env.invalidate_all()
        with measure(odoo, out, "list_"):
            agent_env["crm_plus.ticket"].web_search_read([], fields_spec, limit=80)
        cr.commit()
        # e-mail intake: the team's alias vs Odoo's own alias creating partners (a plain mail.thread model)
        domain = env["mail.alias.domain"].create({"name": "bench.example.com"})
        team.write({"alias_name": "support", "alias_domain_id": domain.id, "alias_contact": "everyone"})
        env["mail.alias"].create({"alias_name": "plain", "alias_domain_id": domain.id, "alias_contact": "everyone",
                                  "alias_model_id": env["ir.model"]._get_id("res.partner")})
        cr.commit()
        Thread = env["mail.thread"]
        for kind, to in (("service", "support@bench.example.com"), ("builtin", "plain@bench.example.com")):
            with measure(odoo, out, "%s_mail_" % kind):
                for i in range(EMAILS):
                    Thread.message_process(None, EML.format(i=i, to=to, kind=kind).encode())
            cr.commit()
            out["%s_mail_per_second" % kind] = round(EMAILS / out["%s_mail_seconds" % kind], 1)
    return out


def markdown(data):
    rows = [(r["size"], r["recompute_clocks"], r["recompute_seconds"], r["escalate_seconds"],
             round(r["escalate_seconds"] / max(1, -(-r["recompute_clocks"] // ESCALATION_BATCH)), 2),
             r["escalate_steps"], r["rerun_steps"], r["list_queries"], r["list_seconds"], r["service_mail_per_second"],
             r["builtin_mail_per_second"]) for r in data["rows"]]
    return "\n".join([
        "## Service SLA: recompute, escalation, ticket list, e-mail intake",
        "",
        "Seeded open tickets on one team (a 9-18 calendar, 10 agents, a policy with a two-step ladder). A holiday",
        "added to the calendar flags every open clock; the recompute cron plans them again in batches. The",
        "escalation cron then runs its ladder (claimed with SKIP LOCKED, one done record per step), and again:",
        "the rerun must do nothing (the first step is due at once: a to-do and a note per ticket). The",
        "agent's list is the first page of `web_search_read` (its queries must not grow with the tickets).",
        "E-mail intake: %d new e-mails through `message_process` to the team's alias," % EMAILS,
        "against Odoo's own alias creating partners (a plain mail.thread model). The escalation cron commits",
        "every %d clocks: *s per batch* is its average batch (target: at most 10 s). The last run"
        " shared" % ESCALATION_BATCH,
        "its 2 cores with other work (load average about 9): compare within a row rather than across runs.",
        "",
        table(["tickets", "clocks recomputed", "recompute s", "escalation s", "s per batch", "steps", "rerun steps",
               "list queries", "list s", "service mails/s", "built-in mails/s"], rows),
        "",
    ])
