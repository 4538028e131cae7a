"""crm_plus_reports: each analysis's pivot load (as a salesperson and as an administrator) on seeded data, and the
XLSX export of the pipeline analysis next to Odoo's own list export of the same rows."""

import io
import os
import time
import tracemalloc

from .common import measure, table

# leads; tickets = leads / 4, customer invoices = leads / 2 with 5 lines each (4 products, 1 receivable), so the
# issue's 200k leads come with 50k tickets and 500k invoice lines
SIZES = [200000]
INVOICE_LINES = 5
EXPORT_ROWS = 200000
SALESPEOPLE = 20
TEAMS = 4
# analysis -> (row group-by, column group-by, measures) as its pivot opens
PIVOTS = {
    "crm_plus.report.pipeline": ("stage_id", "user_id", ["open_revenue:sum", "lead_count:sum"]),
    "crm_plus.report.adoption": ("user_id", "week:week", ["touches:sum"]),
    "crm_plus.report.cohort": ("cohort_month:month", "months_since", ["customer_count:sum"]),
    "crm_plus.report.renewal": ("date_end:month", "outcome", ["amount:sum"]),
    "crm_plus.report.receivable": ("partner_id", "aging", ["amount_residual:sum"]),
    "crm_plus.report.ticket": ("team_id", "sla_state", ["ticket_count:sum", "sla_compliance:avg"]),
}


def seed(env, odoo, leads):
    """Salespeople in teams, customers, leads, confirmed orders, contracts, invoices and tickets, by SQL."""
    SQL = odoo.tools.SQL
    cr = env.cr
    company = env.company
    group = env.ref("crm_plus.group_crm_plus_user")
    users = env["res.users"].with_context(no_reset_password=True).create([
        {"name": "Bench Sales %d" % i, "login": "bench_sales_%d" % i, "groups_id": [odoo.Command.link(group.id)]}
        for i in range(SALESPEOPLE)])
    teams = env["crm.team"].create([{
        "name": "Bench Team %d" % t, "user_id": users[t * (SALESPEOPLE // TEAMS)].id,
        "crm_team_member_ids": [odoo.Command.create({"user_id": u.id})
                                for u in users[t * (SALESPEOPLE // TEAMS):(t + 1) * (SALESPEOPLE // TEAMS)]],
    } for t in range(TEAMS)])
    stages = env["crm.stage"].search([]).ids
    sources = env["utm.source"].create([{"name": "Bench source %d" % i} for i in range(6)]).ids
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    accounts = {kind: env["account.account"].search([("account_type", "=", kind),
                                                     ("company_ids", "in", company.id)], limit=1).id
                for kind in ("income", "asset_receivable")}
    params = {"company": company.id, "currency": company.currency_id.id, "journal": journal.id, "n": leads,
              "users": users.ids, "teams": teams.ids, "stages": stages, "sources": sources,
              "customers": leads // 10, "tickets": leads // 4, "orders": leads // 4, "invoices": leads // 2,
              "income": accounts["income"], "receivable": accounts["asset_receivable"]}
    cr.execute(SQL("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills, lang, customer_rank,
                                 user_id, team_id, company_id, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench Report Customer ' || g, 'Bench Report Customer ' || g, true, true, 'contact', 'ask', 'en_US',
               1, (%(users)s::int[])[1 + mod(g, 20)], (%(teams)s::int[])[1 + mod(g, 20) / 5], %(company)s,
               1, 1, now(), now()
          FROM generate_series(1, %(customers)s) g""", **params))
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_customer AS
        SELECT row_number() OVER (ORDER BY id) AS n, id, user_id, team_id FROM res_partner
         WHERE name LIKE %s""", "Bench Report Customer %"))
    cr.execute(SQL("""
        INSERT INTO crm_lead (name, type, active, user_id, team_id, company_id, partner_id, stage_id, source_id,
                              probability, expected_revenue, prorated_revenue, date_open, date_last_stage_update,
                              priority, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench lead ' || g, CASE WHEN mod(g, 3) = 0 THEN 'lead' ELSE 'opportunity' END, mod(g, 7) <> 0,
               c.user_id, c.team_id, %(company)s, c.id,
               (%(stages)s::int[])[1 + mod(g, array_length(%(stages)s::int[], 1))],
               (%(sources)s::int[])[1 + mod(g, 6)], 10, 1000 + mod(g, 50) * 100, 100 + mod(g, 50) * 10,
               now() - mod(g, 700) * INTERVAL '1 day', now(), '1', 1, 1,
               now() - mod(g, 700) * INTERVAL '1 day', now()
          FROM generate_series(1, %(n)s) g
          JOIN bench_customer c ON c.n = 1 + mod(g, %(customers)s)""", **params))
    cr.execute(SQL("""
        INSERT INTO account_move (name, move_type, state, journal_id, company_id, currency_id, partner_id,
               commercial_partner_id, invoice_user_id, team_id, date, invoice_date, invoice_date_due,
               amount_total, amount_residual, amount_total_signed, amount_residual_signed, payment_state,
               auto_post, create_uid, write_uid, create_date, write_date)
        SELECT 'BRINV/' || g, 'out_invoice', 'posted', %(journal)s, %(company)s, %(currency)s, c.id, c.id,
               c.user_id, c.team_id, CURRENT_DATE - mod(g, 400), CURRENT_DATE - mod(g, 400),
               CURRENT_DATE - mod(g, 400) + 30, 1000, 500 * mod(g, 3), 1000, 500 * mod(g, 3),
               CASE mod(g, 3) WHEN 0 THEN 'paid' WHEN 1 THEN 'partial' ELSE 'not_paid' END, 'no', 1, 1, now(), now()
          FROM generate_series(1, %(invoices)s) g
          JOIN bench_customer c ON c.n = 1 + mod(g, %(customers)s)""", **params))
    # the invoices' lines: 4 product lines of 250 and the receivable line of 1000 (what a pivot of invoice lines,
    # the journal items or the customer's statement reads)
    cr.execute(SQL("""
        INSERT INTO account_move_line (move_id, move_name, journal_id, company_id, company_currency_id, currency_id,
               account_id, partner_id, date, invoice_date, date_maturity, parent_state, display_type, name,
               quantity, price_unit, price_subtotal, price_total, balance, debit, credit, amount_currency,
               amount_residual, amount_residual_currency, reconciled, sequence, create_uid, write_uid, create_date,
               write_date)
        SELECT m.id, m.name, m.journal_id, m.company_id, m.currency_id, m.currency_id,
               CASE WHEN k = %(lines)s THEN %(receivable)s ELSE %(income)s END, m.partner_id, m.date,
               m.invoice_date, CASE WHEN k = %(lines)s THEN m.invoice_date_due END, 'posted',
               CASE WHEN k = %(lines)s THEN 'payment_term' ELSE 'product' END,
               CASE WHEN k = %(lines)s THEN m.name ELSE 'Bench product ' || k END,
               1, 250, 250, 250,
               CASE WHEN k = %(lines)s THEN 1000 ELSE -250 END, CASE WHEN k = %(lines)s THEN 1000 ELSE 0 END,
               CASE WHEN k = %(lines)s THEN 0 ELSE 250 END, CASE WHEN k = %(lines)s THEN 1000 ELSE -250 END,
               CASE WHEN k = %(lines)s THEN m.amount_residual ELSE 0 END,
               CASE WHEN k = %(lines)s THEN m.amount_residual ELSE 0 END,
               k = %(lines)s AND m.amount_residual = 0, k, 1, 1, now(), now()
          FROM account_move m, generate_series(1, %(lines)s) k
         WHERE m.name LIKE %(pattern)s""", lines=INVOICE_LINES, pattern="BRINV/%", **params))
    # confirmed orders (the cohorts): leads / 4 over two years, two or three a customer
    cr.execute(SQL("""
        INSERT INTO sale_order (name, state, company_id, partner_id, partner_invoice_id, partner_shipping_id,
               user_id, team_id, currency_id, currency_rate, date_order, amount_untaxed, amount_tax, amount_total,
               create_uid, write_uid, create_date, write_date)
        SELECT 'BSO/' || g, 'sale', %(company)s, c.id, c.id, c.id, c.user_id, c.team_id, %(currency)s, 1.0,
               now() - mod(g * 7, 730) * INTERVAL '1 day', 1000 + mod(g, 20) * 100, 0, 1000 + mod(g, 20) * 100,
               1, 1, now(), now()
          FROM generate_series(1, %(orders)s) g
          JOIN bench_customer c ON c.n = 1 + mod(g, %(customers)s)""", **params))
    # a contract per customer, ending within a year before or after today (the renewal forecast)
    cr.execute(SQL("""
        INSERT INTO crm_plus_contract (name, state, company_id, partner_id, user_id, team_id, currency_id, amount,
               date_start, date_end, create_uid, write_uid, create_date, write_date)
        SELECT 'BCT/' || c.n, CASE WHEN mod(c.n, 4) = 0 THEN 'renewed' WHEN mod(c.n, 4) = 1 THEN 'expired'
                                   ELSE 'running' END,
               %(company)s, c.id, c.user_id, c.team_id, %(currency)s, 12000 + mod(c.n, 10) * 1000,
               CURRENT_DATE - 730 + mod(c.n, 730)::int, CURRENT_DATE - 365 + mod(c.n, 730)::int, 1, 1, now(), now()
          FROM bench_customer c""", **params))
    # touches of the leads: a reply of the salesperson on every other lead, a done activity on every third
    cr.execute(SQL("""
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, mail_activity_type_id, author_id, body,
               date, create_uid, write_uid, create_date, write_date)
        SELECT 'crm.lead', l.id, CASE WHEN k = 1 THEN 'comment' ELSE 'notification' END,
               CASE WHEN k = 1 THEN %(comment)s ELSE %(note)s END, CASE WHEN k = 2 THEN %(activity)s END,
               u.partner_id, '<p>Bench</p>', l.create_date + (1 + mod(l.id, 48)) * INTERVAL '1 hour',
               1, 1, now(), now()
          FROM crm_lead l
          JOIN res_users u ON u.id = l.user_id
          JOIN generate_series(1, 2) k ON (k = 1 AND mod(l.id, 2) = 0) OR (k = 2 AND mod(l.id, 3) = 0)
         WHERE l.name LIKE %(pattern)s""", comment=env.ref("mail.mt_comment").id, note=env.ref("mail.mt_note").id,
                   activity=env.ref("mail.mail_activity_data_call").id, pattern="Bench lead %"))
    stage = env["crm_plus.ticket.stage"].search([], limit=1).id
    ticket_team = env["crm_plus.ticket.team"].create({"name": "Bench Service"}).id
    cr.execute(SQL("""
        INSERT INTO crm_plus_ticket (name, number, company_id, channel, priority, stage_id, team_id, partner_id,
               customer_id, customer_user_id, customer_team_id, user_id, is_closed, create_uid, write_uid,
               create_date, write_date)
        SELECT 'Bench ticket ' || g, 'BT' || g, %(company)s, 'phone', '1', %(stage)s, %(ticket_team)s, c.id, c.id,
               c.user_id, c.team_id, 2, mod(g, 2) = 0, 1, 1, now() - mod(g, 300) * INTERVAL '1 day', now()
          FROM generate_series(1, %(tickets)s) g
          JOIN bench_customer c ON c.n = 1 + mod(g, %(customers)s)""", stage=stage, ticket_team=ticket_team,
                   **params))
    policy = env["crm_plus.sla.policy"].create({"name": "Bench SLA"}).id
    cr.execute(SQL("""
        INSERT INTO crm_plus_ticket_clock (ticket_id, policy_id, kind, date_start, consumed_seconds, done, state,
               create_uid, write_uid, create_date, write_date)
        SELECT t.id, %(policy)s, k.kind, t.create_date, 3600 * (1 + mod(t.id, 8)), true,
               CASE WHEN mod(t.id, 5) = 0 THEN 'breached' ELSE 'met' END, 1, 1, now(), now()
          FROM crm_plus_ticket t, (VALUES ('first_response'), ('resolution')) k(kind)
         WHERE t.name LIKE %(pattern)s""", policy=policy, pattern="Bench ticket %"))
    cr.execute("DROP TABLE bench_customer")
    cr.execute("ANALYZE res_partner; ANALYZE crm_lead; ANALYZE account_move; ANALYZE account_move_line; "
               "ANALYZE sale_order; ANALYZE crm_plus_contract; ANALYZE mail_message; ANALYZE crm_plus_ticket; "
               "ANALYZE crm_plus_ticket_clock")
    env.invalidate_all()
    return users


def _pivot(env, odoo, model, out, prefix):
    """A pivot opening as the web client asks for it: the total, the rows, the columns, the cells."""
    row, col, measures = PIVOTS[model]
    env.invalidate_all()
    Report = env[model]
    with measure(odoo, out, prefix):
        for groupby in ([], [row], [col], [row, col]):
            Report.read_group([], measures, groupby, lazy=False)


def _export_ours(env, rows):
    wizard = env["crm_plus.report.export"].create({"report_model": "crm_plus.report.pipeline"})
    records = env["crm_plus.report.pipeline"].search([], limit=rows)
    return len(wizard._workbook(records))


def _export_odoo(env, rows):
    """Odoo's own list export of the same rows and columns: export_data, then an in-memory workbook (opened with
    the safe options: a value starting with '=' stays text, as in ours)."""
    from odoo.addons.crm_plus.tools.workbook import new_workbook

    Report = env["crm_plus.report.pipeline"]
    records = Report.search([], limit=rows)
    names = [f if Report._fields[f].type != "many2one" else f + "/display_name"
             for f in Report._crm_plus_export_fields]
    data = records.export_data(names)["datas"]
    output = io.BytesIO()
    workbook = new_workbook(output)
    sheet = workbook.add_worksheet()
    for r, line in enumerate(data, start=1):
        for c, value in enumerate(line):
            sheet.write(r, c, value)
    workbook.close()
    return len(output.getvalue())


def _export_phases(env, rows):
    """Where the export's time goes: the search of the records, reading the export rows (the SQL fetched by
    batches, nothing written), the whole export; seconds each."""
    Report = env["crm_plus.report.pipeline"]
    env.invalidate_all()
    t0 = time.perf_counter()
    records = Report.search([], limit=rows)
    t1 = time.perf_counter()
    count = sum(len(batch) for batch in records._crm_plus_export_batches(False, 2000))
    t2 = time.perf_counter()
    _export_ours(env, rows)
    t3 = time.perf_counter()
    assert count == len(records)
    return {"phase_search_s": round(t1 - t0, 2), "phase_read_s": round(t2 - t1, 2),
            "phase_total_s": round(t3 - t2, 2)}


def _memory_and_speed(env, func, rows):
    """Seconds (plain run) and peak Python memory added (a second run under tracemalloc)."""
    env.invalidate_all()
    t0 = time.perf_counter()
    func(env, rows)
    seconds = time.perf_counter() - t0
    env.invalidate_all()
    tracemalloc.start()
    func(env, rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(seconds, 2), round(rows / seconds), round(peak / 2**20, 1)


def run(odoo, registry, size, seed_value):
    out = {"leads": size, "tickets": size // 4, "invoices": size // 2, "invoice_lines": size // 2 * INVOICE_LINES,
           "export_rows": min(EXPORT_ROWS, size)}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
        with measure(odoo, out, "seed_"):
            users = seed(env, odoo, size)
        cr.commit()
        admin = env(user=env.ref("base.user_admin").id)
        sales = env(user=users[1].id)
        for model in PIVOTS:
            key = model.rsplit(".", 1)[1]
            _pivot(admin, odoo, model, {}, "")  # warm
            for who, uenv in (("admin", admin), ("sales", sales)):
                if not uenv[model].has_access("read"):
                    continue
                row = {}
                _pivot(uenv, odoo, model, row, "")
                out["%s_%s_seconds" % (key, who)] = row["seconds"]
                out["%s_%s_queries" % (key, who)] = row["queries"]
        rows = out["export_rows"]
        out["load"] = round(os.getloadavg()[0], 1)
        out["ours_seconds"], out["ours_rows_per_s"], out["ours_peak_mb"] = _memory_and_speed(admin, _export_ours, rows)
        out.update(_export_phases(admin, rows))
        out["odoo_seconds"], out["odoo_rows_per_s"], out["odoo_peak_mb"] = _memory_and_speed(admin, _export_odoo, rows)
        cr.rollback()
    return out


def _targets(row):
    """What the issue asks of the export of ``row``, and whether this run met it."""
    speed = "met" if row["ours_rows_per_s"] >= 8000 else "not met"
    memory = "met" if row["ours_peak_mb"] <= 100 else "not met"
    odoo = ("%sx Odoo's path, which added %s MB" % (_speed_up(row), row["odoo_peak_mb"]) if row.get("odoo_seconds")
            else "Odoo's path not measured in this run: its 200k-row pass did not end in time on the loaded machine")
    return ("at least 8k rows/s including reading the data (%s: %s rows/s) and at most 100 MB of memory added (%s: "
            "%s MB); %s" % (speed, row["ours_rows_per_s"], memory, row["ours_peak_mb"], odoo))


def _speed_up(row):
    return round(row["odoo_seconds"] / row["ours_seconds"], 2) if row.get("odoo_seconds") else "-"


def markdown(data):
    pivot_rows = []
    for r in data["rows"]:
        for model in PIVOTS:
            key = model.rsplit(".", 1)[1]
            pivot_rows.append((r["leads"], r.get("tickets"), r.get("invoice_lines", "-"), model,
                               r.get("%s_admin_seconds" % key), r.get("%s_admin_queries" % key),
                               r.get("%s_sales_seconds" % key, "-"), r.get("%s_sales_queries" % key, "-")))
    export_rows = [(r["export_rows"], r["ours_seconds"], r["ours_rows_per_s"], r["ours_peak_mb"],
                    r.get("odoo_seconds", "-"), r.get("odoo_rows_per_s", "-"), r.get("odoo_peak_mb", "-"),
                    _speed_up(r)) for r in data["rows"]]
    last = data["rows"][-1]
    return "\n".join([
        "## Analyses (crm_plus_reports): pivot loads and XLSX export",
        "",
        "Seeded by SQL (`INSERT ... SELECT generate_series`, a few minutes for the largest size): 20 salespeople in",
        "4 teams, leads/10 customers, the leads (a reply of the salesperson on every other lead, a done activity",
        "on every third), leads/2 posted customer invoices with 5 lines each (4 product lines and the receivable",
        "line: 500k invoice lines at 200k leads), leads/4 confirmed orders over two years (cohorts), a contract per",
        "customer ending within a year (renewals), leads/4 tickets with two stopped SLA clocks each. The issue's",
        "sizes: 200k leads, 50k tickets, 500k invoice lines. A pivot load is what the web client asks when a pivot",
        "opens: the total, the row groups, the column groups and the cells (4 `read_group`), record cache emptied",
        "first; as the administrator (everything) and as a salesperson (own data scope, rules applied).",
        "",
        table(["leads", "tickets", "invoice lines", "analysis", "admin s", "admin queries", "salesperson s",
               "salesperson queries"], pivot_rows),
        "",
        "XLSX export of the pipeline analysis (17 columns) by the export wizard: one SQL query selecting the",
        "export columns typed as cells (names of linked records joined, selection labels, datetimes in the user's",
        "time zone, an empty number an empty cell, amounts in 万 divided there), its WHERE clause from `_search`",
        "(the record rules apply), fetched 2000 rows at a time through a PostgreSQL cursor; each batch's rows are",
        "turned into the sheet's XML in one go (`SheetWriter.write_rows`: a template per column, text escaped, the",
        "same XML as xlsxwriter's cell by cell writing) in a constant-memory workbook. Next to Odoo's own list",
        "export path (`export_data` then an in-memory xlsxwriter workbook as `ExportXlsxWriter` does) of the same",
        "rows and columns, in the same run. Peak memory: Python allocations added during the export (tracemalloc,",
        "second run); rows/s include reading the data. Targets of the issue: %s. Before: 6.3k rows/s at 50k rows"
        % _targets(last),
        "(cell by cell writing), 1,076 rows/s before the SQL read; an earlier run of this code at a load of 14",
        "gave 3.7k rows/s. Load average when the export started: %s (2 cores)." % last.get("load", "?"),
        "",
        table(["rows", "crm_plus s", "crm_plus rows/s", "crm_plus peak MB", "Odoo s", "Odoo rows/s",
               "Odoo peak MB", "speed-up"], export_rows),
        "",
        *_phases_markdown(data),
    ])


def _phases_markdown(data):
    rows = [(r["export_rows"], r["phase_search_s"], r["phase_read_s"],
             round(r["phase_total_s"] - r["phase_search_s"] - r["phase_read_s"], 2), r["phase_total_s"])
            for r in data["rows"] if "phase_total_s" in r]
    if not rows:
        return []
    return [
        "Where the export's time goes (a third run, timed by phase): the search of the records the wizard",
        "exports, reading their export rows (the SQL query fetched by batches), writing the workbook (the rows'",
        "XML and the compression of the file).",
        "",
        table(["rows", "search s", "read s", "write s", "total s"], rows),
        "",
    ]
