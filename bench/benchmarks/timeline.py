"""Customer timeline: the first page (and a deep one) on a customer with 100 to 10,000 events."""

import datetime
import statistics

from .common import measure, table

SIZES = [100, 1000, 10000]  # events of the measured customer
NOISE = 20000  # messages on other customers, the same at every size
PAGE = 40
RUNS = 5
# share of each kind in the customer's history (the rest are messages)
SHARES = {"order": 0.15, "lead": 0.1, "return_visit": 0.1, "activity": 0.05}


def seed(env, odoo, size):
    """The measured customer (a company with two contacts) owned by a salesperson, ``size`` events over the
    last five years; NOISE messages on 200 other customers. Messages, leads, return visits and activities by
    SQL, orders through the ORM."""
    SQL = odoo.tools.SQL
    cr = env.cr
    user = env["res.users"].create({
        "name": "Bench Timeline Sales", "login": "bench_timeline",
        "groups_id": [odoo.Command.set([env.ref("crm_plus.group_crm_plus_user").id])],
    })
    customer = env["res.partner"].create({"name": "Bench Timeline Customer", "is_company": True, "user_id": user.id})
    contacts = env["res.partner"].create([{"name": "Bench Contact %s" % i, "parent_id": customer.id}
                                          for i in range(2)])
    others = env["res.partner"].create([{"name": "Bench Other %s" % i, "is_company": True} for i in range(200)])
    counts = {kind: int(size * share) for kind, share in SHARES.items()}
    counts["message"] = size - sum(counts.values())
    partners = [customer.id, *contacts.ids]
    params = {"customer": customer.id, "partners": partners, "user": user.id, "company": env.company.id,
              "now": datetime.datetime(2026, 1, 1), "others": others.ids}
    cr.execute(SQL("""
        INSERT INTO mail_message (model, res_id, body, message_type, date, author_id, create_uid, write_uid,
                                  create_date, write_date)
        SELECT 'res.partner', (%(partners)s::int[])[1 + mod(g, 3)], '<p>Bench note ' || g || '</p>', 'comment',
               %(now)s - (g * interval '4 hours'), NULL, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g""", n=counts["message"], **params))
    cr.execute(SQL("""
        INSERT INTO mail_message (model, res_id, body, message_type, date, create_uid, write_uid, create_date,
                                  write_date)
        SELECT 'res.partner', (%(others)s::int[])[1 + mod(g, 200)], '<p>Noise ' || g || '</p>', 'comment',
               %(now)s - (g * interval '2 hours'), 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g""", n=NOISE, **params))
    cr.execute(SQL("""
        INSERT INTO crm_lead (name, partner_id, user_id, type, active, company_id, create_date, write_date,
                              create_uid, write_uid, date_last_stage_update)
        SELECT 'Bench lead ' || g, (%(partners)s::int[])[1 + mod(g, 3)], %(user)s, 'opportunity', true,
               %(company)s, %(now)s - (g * interval '9 hours'), now(), 1, 1, now()
          FROM generate_series(1, %(n)s) g""", n=counts["lead"], **params))
    cr.execute(SQL("""
        INSERT INTO crm_plus_return_visit (partner_id, user_id, company_id, date_planned, channel, state,
                                           satisfaction, satisfaction_score, create_uid, write_uid, create_date,
                                           write_date)
        SELECT %(customer)s, %(user)s, %(company)s, (%(now)s - (g * interval '1 day'))::date, 'phone', 'done', '4',
               4, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g""", n=counts["return_visit"], **params))
    todo = env.ref("mail.mail_activity_data_todo").id
    model_id = env["ir.model"]._get_id("res.partner")
    cr.execute(SQL("""
        INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id, summary, date_deadline,
                                   user_id, automated, create_uid, write_uid, create_date, write_date)
        SELECT %(model_id)s, 'res.partner', %(customer)s, %(todo)s, 'Bench call ' || g,
               (%(now)s - (g * interval '1 day'))::date, %(user)s, false, 1, 1, now(), now()
          FROM generate_series(1, %(n)s) g""", n=counts["activity"], model_id=model_id, todo=todo, **params))
    Order = env["sale.order"].with_context(tracking_disable=True)
    vals = [{"partner_id": partners[i % 3], "user_id": user.id,
             "date_order": params["now"] - datetime.timedelta(hours=7 * i)} for i in range(counts["order"])]
    for start in range(0, len(vals), 500):
        Order.create(vals[start:start + 500])
    cr.execute("ANALYZE mail_message; ANALYZE crm_lead; ANALYZE sale_order; ANALYZE crm_plus_return_visit; "
               "ANALYZE mail_activity")
    env.invalidate_all()
    return user, customer


def _timed(env, odoo, partner, out, before=None):
    """The median of RUNS timeline pages read with an empty record cache."""
    seconds, queries, page = [], [], None
    for _run in range(RUNS):
        env.invalidate_all()
        row = {}
        with measure(odoo, row):
            page = partner.crm_plus_timeline_page(before=before, limit=PAGE)
        seconds.append(row["seconds"])
        queries.append(row["queries"])
    out.update(seconds=round(statistics.median(seconds), 4), queries=max(queries), items=len(page["items"]))
    return page


def run(odoo, registry, size, seed_value):
    out = {"events": size}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        with measure(odoo, out, "seed_"):
            user, customer = seed(env, odoo, size)
        cr.commit()
        for who, uid in (("sales", user.id), ("admin", odoo.SUPERUSER_ID)):
            partner = customer.with_env(env(user=uid, context={"lang": "en_US"}))
            partner.crm_plus_timeline_page(limit=PAGE)  # warm the registry and the rules' caches
            first = {}
            page = _timed(env, odoo, partner, first)
            out["%s_first_seconds" % who] = first["seconds"]
            out["%s_first_queries" % who] = first["queries"]
            out["%s_first_items" % who] = first["items"]
            # the fifth page by the keyset cursor (the same cost at any depth)
            for _page in range(3):
                page = partner.crm_plus_timeline_page(before=page["next"], limit=PAGE)
            deep = {}
            _timed(env, odoo, partner, deep, before=page["next"])
            out["%s_page5_seconds" % who] = deep["seconds"]
            out["%s_page5_queries" % who] = deep["queries"]
        cr.rollback()
    return out


def markdown(data):
    rows = [(r["events"], r["seed_seconds"], r["sales_first_seconds"], r["sales_first_queries"],
             r["sales_page5_seconds"], r["admin_first_seconds"], r["admin_first_queries"], r["sales_first_items"])
            for r in data["rows"]]
    return "\n".join([
        "## Customer timeline: first page at 100 to 10,000 events",
        "",
        "`res.partner.crm_plus_timeline_page` (%d items) on a company with two contacts whose history holds the" % PAGE,
        "number of events of the first column (messages, orders, leads, return visits, activities; %s more" % NOISE,
        "messages on other customers), median of %d reads with an empty record cache, as its salesperson" % RUNS,
        "(record rules and data scopes apply) and as the superuser. One SQL statement (each kind's newest items by its",
        "(partner, date) index, UNION ALL, ORDER BY, LIMIT), then one read per kind on the page. A flat time and a",
        "constant query count mean the page does not follow the history's size; page 5 is reached by the keyset",
        "cursor.",
        "",
        table(["events", "seed s", "sales first page s", "queries", "sales page 5 s", "admin first page s",
               "queries", "items"], rows),
        "",
    ])
