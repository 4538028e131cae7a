"""Customer list with the finance columns (crm_plus) vs Odoo's total_invoiced / credit, per page, growing invoices."""

import datetime

from .common import measure, table

SIZES = [50000, 200000, 500000]  # posted customer invoices, always over the same customers
CUSTOMERS = 50000
PAGE = 80
PAGES = 3  # first page, a middle one, the last one
FINANCE_FIELDS = ["open_receivable", "overdue_amount", "oldest_overdue_days", "invoiced_total", "paid_total",
                  "last_payment_date", "next_renewal_date", "contract_count"]
BUILTIN_FIELDS = ["total_invoiced", "credit"]


def _ids(env, xmlid):
    return env.ref(xmlid).id


def seed(env, odoo, invoices):
    """CUSTOMERS companies, ``invoices`` posted customer invoices spread over them (2 lines each: receivable,
    income), 60% paid, 20% half paid, 20% open, due dates over the last two years; one payment entry per
    customer with something paid (receivable credit + bank debit). Raw SQL, consistent with what the finance
    columns and Odoo's own fields read: account_move totals/residuals/payment_state, account_move_line
    receivable residuals, reconciled flags and parent_state."""
    SQL = odoo.tools.SQL
    cr = env.cr
    company = env.company
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    receivable = env["account.account"].search([("account_type", "=", "asset_receivable"),
                                                ("company_ids", "in", company.id)], limit=1)
    income = journal.default_account_id
    params = {"company": company.id, "currency": company.currency_id.id, "journal": journal.id, "bank": bank.id,
              "bank_account": bank.default_account_id.id, "receivable": receivable.id, "income": income.id,
              "n": invoices, "customers": CUSTOMERS, "pattern": "Bench Finance Customer %",
              "today": datetime.date.today()}
    cr.execute(SQL("""
        INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills, lang, customer_rank,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Bench Finance Customer ' || g, 'Bench Finance Customer ' || g, true, true, 'contact', 'ask', 'en_US',
               1, 1, 1, now(), now()
          FROM generate_series(1, %(customers)s) g""", **params))
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_inv AS
        SELECT g AS n, nextval('account_move_id_seq') AS move_id,
               p.ids[1 + mod(g - 1, array_length(p.ids, 1))] AS partner_id,
               (100 + mod(g * 37, 9900))::numeric AS amount,
               %(today)s::date - mod(g * 13, 720)::int AS inv_date,
               CASE WHEN mod(g, 10) < 6 THEN 0.0 WHEN mod(g, 10) < 8 THEN 0.5 ELSE 1.0 END AS open_share
          FROM generate_series(1, %(n)s) g,
               (SELECT array_agg(id ORDER BY id) AS ids FROM res_partner
                 WHERE name LIKE %(pattern)s) p""", **params))
    cr.execute(SQL("""
        INSERT INTO account_move (id, name, move_type, state, journal_id, company_id, currency_id, partner_id,
               commercial_partner_id, date, invoice_date, invoice_date_due, amount_untaxed, amount_tax,
               amount_total, amount_residual, amount_untaxed_signed, amount_tax_signed, amount_total_signed,
               amount_total_in_currency_signed, amount_residual_signed, payment_state, auto_post,
               invoice_currency_rate, sequence_prefix, sequence_number, create_uid, write_uid, create_date,
               write_date)
        SELECT move_id, 'BINV/' || n, 'out_invoice', 'posted', %(journal)s, %(company)s, %(currency)s, partner_id,
               partner_id, inv_date, inv_date, inv_date + 30, amount, 0, amount, amount * open_share, amount, 0,
               amount, amount, amount * open_share,
               CASE open_share WHEN 0 THEN 'paid' WHEN 1 THEN 'not_paid' ELSE 'partial' END, 'no',
               1.0, 'BINV/', n, 1, 1, now(), now()
          FROM bench_inv""", **params))
    # receivable (payment term) and income (product) line of every invoice
    cr.execute(SQL("""
        INSERT INTO account_move_line (move_id, move_name, date, date_maturity, parent_state, journal_id,
               company_id, company_currency_id, currency_id, account_id, partner_id, name, display_type, debit,
               credit, balance, amount_currency, amount_residual, amount_residual_currency, reconciled, quantity,
               price_unit, price_subtotal, price_total, sequence, create_uid, write_uid, create_date, write_date)
        SELECT move_id, 'BINV/' || n, inv_date, inv_date + 30, 'posted', %(journal)s, %(company)s, %(currency)s,
               %(currency)s, %(receivable)s, partner_id, 'BINV/' || n, 'payment_term', amount, 0, amount, amount,
               amount * open_share, amount * open_share, open_share = 0, 1, 0, 0, 0, 10, 1, 1, now(), now()
          FROM bench_inv
        UNION ALL
        SELECT move_id, 'BINV/' || n, inv_date, NULL, 'posted', %(journal)s, %(company)s, %(currency)s,
               %(currency)s, %(income)s, partner_id, 'Bench service', 'product', 0, amount, -amount, -amount,
               0, 0, false, 1, amount, amount, amount, 20, 1, 1, now(), now()
          FROM bench_inv""", **params))
    # one payment entry per customer for what it paid, dated at its last invoice + 20 days
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_pay AS
        SELECT nextval('account_move_id_seq') AS move_id, partner_id, sum(amount * (1 - open_share)) AS paid,
               max(inv_date) + 20 AS pay_date
          FROM bench_inv GROUP BY partner_id HAVING sum(amount * (1 - open_share)) > 0"""))
    cr.execute(SQL("""
        INSERT INTO account_move (id, name, move_type, state, journal_id, company_id, currency_id, partner_id,
               commercial_partner_id, date, amount_total, amount_total_signed, auto_post, create_uid, write_uid,
               create_date, write_date)
        SELECT move_id, 'BPAY/' || move_id, 'entry', 'posted', %(bank)s, %(company)s, %(currency)s, partner_id,
               partner_id, pay_date, paid, paid, 'no', 1, 1, now(), now()
          FROM bench_pay""", **params))
    cr.execute(SQL("""
        INSERT INTO account_move_line (move_id, move_name, date, parent_state, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, name, display_type, debit, credit, balance,
               amount_currency, amount_residual, amount_residual_currency, reconciled, sequence, create_uid,
               write_uid, create_date, write_date)
        SELECT move_id, 'BPAY/' || move_id, pay_date, 'posted', %(bank)s, %(company)s, %(currency)s, %(currency)s,
               %(receivable)s, partner_id, 'Payment', 'product', 0, paid, -paid, -paid, 0, 0, true, 10, 1, 1,
               now(), now()
          FROM bench_pay
        UNION ALL
        SELECT move_id, 'BPAY/' || move_id, pay_date, 'posted', %(bank)s, %(company)s, %(currency)s, %(currency)s,
               %(bank_account)s, partner_id, 'Payment', 'product', paid, 0, paid, paid, 0, 0, false, 20, 1, 1,
               now(), now()
          FROM bench_pay""", **params))
    cr.execute("DROP TABLE bench_inv; DROP TABLE bench_pay")
    cr.execute("ANALYZE res_partner; ANALYZE account_move; ANALYZE account_move_line")
    env.invalidate_all()


def _page(env, odoo, fields, offset, out, prefix):
    """One page of the customer list as the web client asks for it (web_search_read, 80 rows)."""
    env.invalidate_all()
    domain = [("is_company", "=", True), ("name", "like", "Bench Finance Customer")]
    spec = {"display_name": {}, "name": {}, "phone": {}, "email": {}, "user_id": {"fields": {"display_name": {}}},
            **{f: {} for f in fields}}
    with measure(odoo, out, prefix):
        res = env["res.partner"].web_search_read(domain, spec, offset=offset, limit=PAGE, order="id",
                                                 count_limit=10001)
    return res["records"]


def run(odoo, registry, size, seed_value):
    out = {"customers": CUSTOMERS, "invoices": size}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        with measure(odoo, out, "seed_"):
            seed(env, odoo, size)
            user = env["res.users"].create({
                "name": "Bench Finance", "login": "bench_finance",
                "groups_id": [odoo.Command.set([_ids(env, "crm_plus.group_crm_plus_finance"),
                                                _ids(env, "account.group_account_invoice")])],
            })
        cr.commit()
        uenv = env(user=user.id, context={"lang": "en_US"})
        offsets = [0, (CUSTOMERS // PAGE // 2) * PAGE, CUSTOMERS - PAGE]
        _page(uenv, odoo, FINANCE_FIELDS, 0, {}, "")  # warm the registry and caches
        crm, builtin = [], []
        for offset in offsets[:PAGES]:
            row = {}
            records = _page(uenv, odoo, FINANCE_FIELDS, offset, row, "")
            crm.append(row)
            builtin_row = {}
            builtin_records = _page(uenv, odoo, BUILTIN_FIELDS, offset, builtin_row, "")
            builtin.append(builtin_row)
        # sanity: the two agree on what is owed (credit = open receivable) on the last page
        out["check_open_equals_credit"] = all(
            abs(a["open_receivable"] - b["credit"]) < 0.01 for a, b in zip(records, builtin_records, strict=True))
        out["check_rows"] = len(records)
        out["crm_page_seconds"] = round(max(r["seconds"] for r in crm), 3)
        out["crm_page_queries"] = max(r["queries"] for r in crm)
        out["builtin_page_seconds"] = round(max(r["seconds"] for r in builtin), 3)
        out["builtin_page_queries"] = max(r["queries"] for r in builtin)
        cr.rollback()
    return out


def markdown(data):
    rows = [(r["customers"], r["invoices"], r["seed_seconds"], r["crm_page_seconds"], r["crm_page_queries"],
             r["builtin_page_seconds"], r["builtin_page_queries"], "yes" if r["check_open_equals_credit"] else "NO")
            for r in data["rows"]]
    return "\n".join([
        "## Customer finance view: crm_plus finance columns vs Odoo `total_invoiced` + `credit`",
        "",
        "One page (%d rows) of the customer list as the web client reads it (`web_search_read`), as a finance" % PAGE,
        "user, worst of three pages (first, middle, last), empty record cache. crm_plus columns: open receivable,",
        "overdue amount, oldest overdue days, invoiced, paid, last payment date, next renewal, contract count (grouped",
        "queries for the whole page). Odoo: `total_invoiced` (account) and `credit` on the same page. The",
        "customers stay the same while the posted invoices grow (seeded by SQL: receivable and income lines,",
        "60% paid, 20% half paid, 20% open, one payment entry per customer). A flat time per page means the",
        "cost does not follow the number of invoices. Last column: crm_plus open receivable = Odoo credit.",
        "",
        table(["customers", "invoices", "seed s", "crm_plus s/page", "crm_plus queries/page", "Odoo s/page",
               "Odoo queries/page", "same receivable"], rows),
        "",
    ])
