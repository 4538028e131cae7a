"""Contract state cron (expiring with renewal opportunity + activity + e-mail, expired) over many contracts."""

import datetime
import itertools
import time

from .common import measure, table

SIZES = [100000]
RENEWAL_DAYS = 30


def seed(env, odoo, size):
    """``size`` running contracts (SQL) ending from one year ago to two years ahead, over 2000 customers and
    20 salespeople: about a third are past their end (to expire), about 2.7% end within 30 days (renewals)."""
    SQL = odoo.tools.SQL
    company = env.company
    users = env["res.users"].create([{
        "name": "Bench Contract Sales %d" % i, "login": "bench_contract_sales_%d" % i,
        "email": "bench.sales.%d@example.com" % i,
        "groups_id": [odoo.Command.set([env.ref("crm_plus.group_crm_plus_user").id])],
    } for i in range(20)])
    team = env["crm.team"].create({"name": "Bench Contract Team", "member_ids": [odoo.Command.set(users.ids)]})
    partners = env["res.partner"].create([{"name": "Bench Contract Customer %d" % i, "is_company": True}
                                          for i in range(2000)])
    env.cr.execute(SQL("""
        INSERT INTO crm_plus_contract (name, company_id, partner_id, user_id, team_id, currency_id, date_start,
               date_end, amount, max_discount, state, schedule, create_uid, write_uid, create_date, write_date)
        SELECT 'BCT/' || g, %(company)s, (%(partners)s::int[])[1 + mod(g, %(np)s)],
               (%(users)s::int[])[1 + mod(g, %(nu)s)], %(team)s, %(currency)s,
               %(today)s::date - 365 - mod(g * 7, 365)::int, %(today)s::date - 365 + mod(g * 7919, 1095)::int,
               1000 + mod(g * 31, 99000), 0, 'running', '30/40/30', 1, 1, now(), now()
          FROM generate_series(1, %(size)s) g""",
        company=company.id, partners=partners.ids, np=len(partners), users=users.ids, nu=len(users), team=team.id,
        currency=company.currency_id.id, today=datetime.date.today(), size=size))
    env.cr.execute("ANALYZE crm_plus_contract")
    env.invalidate_all()


def _counts(env):
    cr = env.cr
    cr.execute("SELECT state, count(*) FROM crm_plus_contract GROUP BY state")
    states = dict(cr.fetchall())
    cr.execute("SELECT count(*) FROM crm_lead WHERE renewal_contract_id IS NOT NULL")
    leads = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'crm_plus.contract'")
    activities = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mail_message WHERE model = 'crm_plus.contract'")
    messages = cr.fetchone()[0]
    return {"expiring": states.get("expiring", 0), "expired": states.get("expired", 0),
            "running": states.get("running", 0), "leads": leads, "activities": activities, "messages": messages}


def _run_cron(env, odoo):
    """The cron as ir.cron runs it, with the time between two progress notifications (= one batch)."""
    Cron = type(env["ir.cron"])
    original = Cron._notify_progress
    marks = [time.perf_counter()]

    def notify(self, *, done, remaining, deactivate=False):
        marks.append(time.perf_counter())
        return original(self, done=done, remaining=remaining, deactivate=deactivate)

    Cron._notify_progress = notify
    try:
        env["crm_plus.contract"]._cron_update_states()
    finally:
        Cron._notify_progress = original
    batches = [b - a for a, b in itertools.pairwise(marks)]
    return len(batches), round(max(batches), 2) if batches else 0.0


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        with measure(odoo, out, "seed_"):
            seed(env, odoo, size)
        env["ir.config_parameter"].set_param("crm_plus.renewal_days", RENEWAL_DAYS)
        cr.commit()
        before = _counts(env)
        with measure(odoo, out, "cron_"):
            out["cron_batches"], out["cron_batch_max_seconds"] = _run_cron(env, odoo)
        env.invalidate_all()
        first = _counts(env)
        with measure(odoo, out, "rerun_"):
            out["rerun_batches"], _max = _run_cron(env, odoo)
        env.invalidate_all()
        second = _counts(env)
        out.update(
            contracts=size,
            to_expire=first["expired"] - before["expired"],
            to_expiring=first["expiring"] - before["expiring"],
            renewal_leads=first["leads"] - before["leads"],
            activities=first["activities"] - before["activities"],
            rerun_changes={k: second[k] - first[k] for k in second if second[k] != first[k]},
        )
        cr.rollback()
    return out


def markdown(data):
    rows = [(r["contracts"], r["to_expire"], r["to_expiring"], r["renewal_leads"], r["activities"],
             r["cron_seconds"], r["cron_batches"], r["cron_batch_max_seconds"], r["rerun_seconds"],
             r["rerun_changes"] or "nothing") for r in data["rows"]]
    return "\n".join([
        "## Contract cron: expiring (renewal opportunity, activity, e-mail) and expired",
        "",
        "Running contracts seeded by SQL, ending from a year ago to two years ahead (renewal notice %d days)." % (
            RENEWAL_DAYS),
        "`crm_plus.contract._cron_update_states` as the scheduler runs it: batches committed one by one, the",
        "batch time is measured between two progress notifications. Then it runs again: the rerun must change",
        "nothing (no second opportunity, activity or e-mail). No Odoo built-in equivalent.",
        "",
        table(["contracts", "expired", "expiring", "renewal leads", "activities", "cron s", "batches",
               "max s/batch", "rerun s", "rerun changes"], rows),
        "",
    ])
