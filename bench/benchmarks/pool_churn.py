"""Customer lifecycle (churn) and customer pool recovery crons over a large customer base, run twice."""

import itertools
import time
from datetime import timedelta

from .builtin_lead_assign import seed as seed_teams
from .common import table

SIZES = [200000]
CRONS = [("lifecycle", "crm_plus.ir_cron_crm_plus_lifecycle"), ("pool", "crm_plus.ir_cron_crm_plus_pool_recover")]
# what the crons create or change: compared before and after each run
COUNTS = {
    "pool_moves": "SELECT count(*) FROM crm_plus_pool_move",
    "activities": "SELECT count(*) FROM mail_activity",
    "messages": "SELECT count(*) FROM mail_message",
    "in_pool": "SELECT count(*) FROM res_partner WHERE pool_id IS NOT NULL",
    "churn_risk": "SELECT count(*) FROM res_partner WHERE lifecycle_state = 'churn_risk'",
    "dormant": "SELECT count(*) FROM res_partner WHERE lifecycle_state = 'dormant'",
    "high_value": "SELECT count(*) FROM res_partner WHERE is_high_value",
    "leads_owned": "SELECT count(*) FROM crm_lead WHERE user_id IS NOT NULL",
}
# one fingerprint of every field the crons write on partners and leads: equal fingerprints, nothing changed
FINGERPRINT = """
    SELECT md5(string_agg(concat_ws('|', id, user_id, pool_id, pool_date, lifecycle_state, last_interaction_date,
                                    is_high_value), ',' ORDER BY id)) FROM res_partner
    UNION ALL
    SELECT md5(string_agg(concat_ws('|', id, user_id, team_id), ',' ORDER BY id)) FROM crm_lead
"""


def _h(key):
    """A deterministic pseudo-random integer per seeded row ``g`` and ``key`` (SQL expression)."""
    return "abs(hashtext(g::text || ':%s:' || %%(seed)s))" % key


def _seed(env, size, seed_value, now):
    """200k customers (companies) with salespeople, teams, levels and a realistic follow-up history.

    Raw SQL for speed, writing exactly what the crons read: the customers (owner, team, level, lock,
    creation), a contact for one in ten, and their interactions, each dated ``age`` days ago:
    75% followed up within 28 days (notes, activities, orders, lead stage changes), 12% last seen
    30-89 days ago, 8% 90-365 days ago, 5% never; 8% have no salesperson, 1% are locked; 6% have
    posted invoices (some above the high value threshold).
    """
    cr = env.cr
    teams, _leads = seed_teams(env(context=dict(env.context, crm_plus_no_routing=True)), 0, seed_value)
    members = env["crm.team.member"].search([("crm_team_id", "in", teams.ids)], order="id")
    levels = env["crm_plus.customer.level"].create([
        {"name": "Bench level %s" % code, "code": "B%s" % code, "sequence": i} for i, code in enumerate("ABC")])
    pool_vals = {"name": "Bench pool", "recover_days": 30, "claim_limit": 10}
    if "level_rule_ids" in env["crm_plus.pool"]._fields:  # days per customer level
        pool_vals["level_rule_ids"] = [(0, 0, {"level_id": levels[0].id, "recover_days": 90}),
                                       (0, 0, {"level_id": levels[2].id, "recover_days": 15})]
    pool = env["crm_plus.pool"].create(pool_vals)
    env.flush_all()
    params = {"seed": str(seed_value), "size": size, "now": now, "uid": env.uid,
              "sellers": [m.user_id.id for m in members], "teams": [m.crm_team_id.id for m in members],
              "nsellers": len(members), "levels": levels.ids, "company": env.company.id,
              "currency": env.company.currency_id.id}
    # age of the last interaction in days (NULL: never), per customer
    age = ("CASE WHEN {p} < 75 THEN {d} %% 28 WHEN {p} < 87 THEN 30 + {d} %% 60 "
           "WHEN {p} < 95 THEN 90 + {d} %% 276 END").format(p=_h("p") + " %% 100", d=_h("d"))
    cr.execute("""
        CREATE TEMP TABLE bench_customer AS
        SELECT g, (%(sellers)s::int[])[1 + {s} %% %(nsellers)s] AS seller,
               (%(teams)s::int[])[1 + {s} %% %(nsellers)s] AS team,
               (%(levels)s::int[])[1 + {l} %% 3] AS level, {o} %% 100 < 8 AS unowned, {k} %% 100 = 0 AS locked,
               %(now)s::timestamp - make_interval(days => 60 + {c} %% 600) AS created,
               {age} AS age, {src} %% 100 AS source
          FROM generate_series(1, %(size)s) g
    """.format(s=_h("s"), l=_h("l"), o=_h("o"), k=_h("k"), c=_h("c"), age=age, src=_h("src")), params)
    cr.execute("""
        ALTER TABLE bench_customer ADD COLUMN id int;
        UPDATE bench_customer SET id = nextval('res_partner_id_seq');
        INSERT INTO res_partner (id, name, complete_name, is_company, active, type, autopost_bills, user_id, team_id,
                                 customer_level_id, commercial_partner_id, create_date, write_date, create_uid,
                                 write_uid)
        SELECT id, 'PoolBench 客户 ' || g, 'PoolBench 客户 ' || g, true, true, 'contact', 'ask',
               CASE WHEN unowned THEN NULL ELSE seller END, team, level, id, created, created, %(uid)s, %(uid)s
          FROM bench_customer;
        ALTER TABLE bench_customer ADD COLUMN at timestamp;
        UPDATE bench_customer SET at = %(now)s::timestamp - make_interval(days => age, secs => g %% 86000)
         WHERE age IS NOT NULL;
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills, parent_id,
                                 commercial_partner_id, create_date, write_date, create_uid, write_uid)
        SELECT 'PoolBench 联系人 ' || g, 'PoolBench 客户 ' || g || ', PoolBench 联系人 ' || g, false, true,
               'contact', 'ask', id, id, created, created, %(uid)s, %(uid)s
          FROM bench_customer WHERE g %% 10 = 0;
    """, params)
    if "pool_locked" in env["res.partner"]._fields:  # locked customers never return to the pool
        cr.execute("UPDATE res_partner p SET pool_locked = c.locked FROM bench_customer c WHERE p.id = c.id")
    author = env.user.partner_id.id
    note = env.ref("mail.mt_note").id
    todo = env.ref("mail.mail_activity_data_todo").id
    model_partner = env["ir.model"]._get_id("res.partner")
    params.update(author=author, note=note, todo=todo, model_partner=model_partner)
    cr.execute("""
        -- notes (and for one in ten, an e-mail on the contact person) for half of the followed-up customers
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, body, author_id, date, create_date,
                                  write_date, create_uid, write_uid)
        SELECT 'res.partner', COALESCE(p.id, c.id), CASE WHEN p.id IS NULL THEN 'comment' ELSE 'email' END,
               %(note)s, '<p>回访记录 PoolBench</p>', %(author)s, c.at, c.at, c.at, %(uid)s, %(uid)s
          FROM bench_customer c LEFT JOIN res_partner p ON p.parent_id = c.id AND c.g %% 10 = 0
         WHERE c.at IS NOT NULL AND c.source < 50;
        -- open activities (their creation is a follow-up)
        INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id, user_id, summary,
                                   date_deadline, automated, active, create_date, write_date, create_uid, write_uid)
        SELECT %(model_partner)s, 'res.partner', id, %(todo)s, seller, 'PoolBench call back',
               (at + interval '7 days')::date, false, true, at, at, %(uid)s, %(uid)s
          FROM bench_customer WHERE at IS NOT NULL AND source >= 50 AND source < 60;
        -- opportunities of the customer's salesperson (stage change dates)
        INSERT INTO crm_lead (name, type, active, partner_id, user_id, team_id, company_id, probability,
                              date_last_stage_update, create_date, write_date, create_uid, write_uid, stage_id)
        SELECT 'PoolBench 商机 ' || g, 'opportunity', true, id, CASE WHEN unowned THEN NULL ELSE seller END, team,
               %(company)s, 20, COALESCE(at, created), COALESCE(at, created), COALESCE(at, created), %(uid)s, %(uid)s,
               (SELECT id FROM crm_stage WHERE NOT is_won ORDER BY sequence, id LIMIT 1)
          FROM bench_customer WHERE (at IS NOT NULL AND source >= 60 AND source < 80) OR g %% 25 = 0;
        -- confirmed orders
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, currency_id,
                                date_order, state, user_id, team_id, create_date, write_date, create_uid, write_uid)
        SELECT 'PoolBench SO ' || g, id, id, id, %(company)s, %(currency)s, at, 'sale', seller, team, at, at,
               %(uid)s, %(uid)s
          FROM bench_customer WHERE at IS NOT NULL AND source >= 80;
        -- posted invoices, some large enough for the high value flag
        INSERT INTO account_move (name, journal_id, company_id, currency_id, state, move_type, auto_post, date,
                                  invoice_date, partner_id, commercial_partner_id, amount_total_signed,
                                  amount_total, create_date, write_date, create_uid, write_uid)
        SELECT 'PoolBench/INV/' || g, j.id, %(company)s, %(currency)s, 'posted', 'out_invoice', 'no',
               (%(now)s::timestamp - make_interval(days => g %% 300))::date,
               (%(now)s::timestamp - make_interval(days => g %% 300))::date, c.id, c.id,
               1000 * (1 + g %% 150), 1000 * (1 + g %% 150), %(now)s, %(now)s, %(uid)s, %(uid)s
          FROM bench_customer c,
               (SELECT id FROM account_journal WHERE type = 'sale' AND company_id = %(company)s ORDER BY id LIMIT 1) j
         WHERE c.g %% 17 = 0;
        DROP TABLE bench_customer;
        ANALYZE res_partner; ANALYZE mail_message; ANALYZE mail_activity; ANALYZE crm_lead;
        ANALYZE sale_order; ANALYZE account_move;
    """, params)
    env.invalidate_all()
    return pool


def _counts(cr):
    out = {}
    for name, query in COUNTS.items():
        cr.execute(query)
        out[name] = cr.fetchone()[0]
    cr.execute(FINGERPRINT)
    out["fingerprint"] = [row[0] for row in cr.fetchall()]
    return out


def _run_cron(odoo, registry, xmlid):
    """One run of the cron as the scheduler's manual trigger does it (its user, a progress record, the
    cron's own commit per batch into this benchmark database); returns seconds, queries and batch times."""
    marks = []
    cron_model = registry["ir.cron"]
    original = cron_model._notify_progress

    def notify(self, *, done, remaining, deactivate=False):
        marks.append((time.perf_counter(), odoo.sql_db.sql_counter))
        return original(self, done=done, remaining=remaining, deactivate=deactivate)

    cron_model._notify_progress = notify
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cron = env.ref(xmlid)
            t0, q0 = time.perf_counter(), odoo.sql_db.sql_counter
            cron.method_direct_trigger()
            cr.commit()
            t1, q1 = time.perf_counter(), odoo.sql_db.sql_counter
    finally:
        cron_model._notify_progress = original
    # a batch: from the previous progress report (or the start) to its own; the tail (last commit) counts too
    points = [t0, *(t for t, _q in marks), t1]
    batches = [round(b - a, 3) for a, b in itertools.pairwise(points)]
    return {"seconds": round(t1 - t0, 2), "queries": q1 - q0, "batches": len(marks),
            "batch_max_seconds": max(batches, default=0.0),
            "batch_mean_seconds": round(sum(batches) / len(batches), 3) if batches else 0.0}


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        now = odoo.fields.Datetime.now()
        t0 = time.perf_counter()
        _seed(env, size, seed_value, now - timedelta(seconds=1))
        cr.commit()
        out["seed_seconds"] = round(time.perf_counter() - t0, 1)
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'PoolBench%%'")
        out["partners"] = cr.fetchone()[0]
        before = _counts(cr)
    for rnd in ("first", "rerun"):
        for name, xmlid in CRONS:
            out["%s_%s" % (name, rnd)] = _run_cron(odoo, registry, xmlid)
            with registry.cursor() as cr:
                after = _counts(cr)
            out["%s_%s" % (name, rnd)]["changes"] = {
                key: after[key] - before[key] for key in COUNTS if after[key] != before[key]}
            out["%s_%s" % (name, rnd)]["fingerprint_changed"] = after["fingerprint"] != before["fingerprint"]
            before = after
    out["end_state"] = {key: value for key, value in before.items() if key != "fingerprint"}
    out["rerun_changes_nothing"] = not any(
        out["%s_rerun" % name]["changes"] or out["%s_rerun" % name]["fingerprint_changed"] for name, _x in CRONS)
    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        for name, _xmlid in CRONS:
            for rnd in ("first", "rerun"):
                m = r["%s_%s" % (name, rnd)]
                changes = ", ".join("%s %+d" % item for item in sorted(m["changes"].items())) or "none"
                if m["fingerprint_changed"]:
                    changes += " (fields changed)"
                rows.append((r["partners"], "%s, %s" % (name, {"first": "first run", "rerun": "rerun"}[rnd]),
                             m["seconds"], m["batches"],
                             m["batch_max_seconds"], m["queries"], changes))
    last = data["rows"][-1]
    return "\n".join([
        "## Customer lifecycle (churn) and customer pool (公海) crons",
        "",
        "Seeded with raw SQL (`bench/benchmarks/pool_churn.py`): companies with salespeople of 4 teams, three",
        "customer levels (pool: 30 days, level A 90, level C 15), a contact for one in ten, and their history:",
        "75% followed up in the last 28 days (notes and e-mails, open activities, opportunities' stage changes,",
        "orders), 12% last seen 30-89 days ago, 8% 90-365 days ago, 5% never; 8% without salesperson, 1% locked;",
        "posted invoices for one in 17. Each cron runs as the scheduler's manual trigger does (its user, a progress",
        "record, its own commit per batch), first on the fresh data, then again: the rerun must change nothing",
        "(counts of moves, activities, messages, pool and lifecycle states, and a fingerprint of every field the",
        "crons write on customers and leads). Targets: every batch under 10 s, each scan within 5 minutes.",
        "",
        table(["partners (with contacts)", "cron", "seconds", "batches", "slowest batch s", "queries", "changes"],
              rows),
        "",
        "Rerun changes nothing: %s. End state: %s." % (
            "yes" if last["rerun_changes_nothing"] else "**no**",
            ", ".join("%s %s" % item for item in sorted(last["end_state"].items()))),
        "",
    ])
