"""What crm_plus adds to Odoo's own flows: creating partners, converting leads, confirming orders, posting invoices."""

import os
import time

from bench.seed import generate_leads, generate_partners

from .common import table

SIZES = [100]
PARTNER_BATCHES = [100, 1000]
FLOWS = ["partner_create_100", "partner_create_1000", "lead_convert_100", "order_confirm_100", "invoice_post_100"]
LABELS = {
    "partner_create_100": "res.partner.create, 100 partners in one call",
    "partner_create_1000": "res.partner.create, 1,000 partners in one call",
    "lead_convert_100": "mass conversion of 100 leads to opportunities, new customers",
    "order_confirm_100": "confirming 100 quotations (action_confirm on all)",
    "invoice_post_100": "posting 100 customer invoices (action_post on all)",
}
ODOO_MODULES = ["crm", "sale_management", "account", "contacts"]
_BASELINE = {}


def _baseline_template(odoo):
    """A database with Odoo's own modules only (no crm_plus), made once per run."""
    if "name" not in _BASELINE:
        import crmplus  # the project's launcher helpers (bench/run.py puts scripts/ on the path)

        env, root, params = crmplus.cmd_setup(None)
        name = "crm_plus_bench_odoo_only_%d" % os.getpid()  # two runs at once do not share it
        crmplus.drop_database(params, name)
        rc, lines = crmplus.run_logged(crmplus.odoo_cmd(
            root, params, name, "-i", ",".join(ODOO_MODULES), "--without-demo=all", "--stop-after-init",
            "--load-language=", "--log-level=warn"), env, crmplus.LOG_DIR / "bench-odoo-only.log")
        if rc or crmplus.LogReport(lines).errors:
            raise crmplus.Abort("bench: installing Odoo's own modules failed, see .logs/bench-odoo-only.log")
        _BASELINE.update(name=name, params=params)
    return _BASELINE["name"]


def _counted(odoo, env, func, records):
    """(queries, seconds, records) of ``func()``, pending writes and pre-commit work included."""
    env.cr.flush()
    queries, t0 = odoo.sql_db.sql_counter, time.perf_counter()
    func()
    env.cr.flush()  # the ORM's pending writes, then what runs before a commit (crm_plus's key rows)
    return odoo.sql_db.sql_counter - queries, time.perf_counter() - t0, records


def _prepare(env):
    """Same starting point in both databases: a company in China with a chart of accounts, a product."""
    env.company.country_id = env.ref("base.cn")
    if not env.company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=env.company, install_demo=False)
    return env["product.product"].create({"name": "Bench service", "list_price": 1000.0, "type": "service",
                                         "taxes_id": [(5, 0, 0)]})


def _measure_flows(odoo, registry, seed_value):
    out = {}
    records = [{k: v for k, v in rec.items() if not k.startswith("_")}
               for rec in generate_partners(max(PARTNER_BATCHES) * 2 + 400, seed_value + 7)]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        product = _prepare(env)
        cr.commit()
        # steady state on both sides: settings and other per-process caches read once before measuring
        env["res.partner"].create(records[-5:])
        cr.rollback()
        start = 0
        for count in PARTNER_BATCHES:
            batch = records[start:start + count]
            start += count
            out["partner_create_%d" % count] = _counted(
                odoo, env, lambda batch=batch: env["res.partner"].create(batch), count)
            cr.rollback()
        # leads with a contact name, e-mail and phone: the conversion creates their customers
        leads = env["crm.lead"].create([dict(vals, contact_name="联系人 %d" % i, phone="+86 21 6%07d" % i)
                                        for i, vals in enumerate(generate_leads(100, seed_value))])
        cr.commit()
        wizard = env["crm.lead2opportunity.partner.mass"].with_context(
            active_ids=leads.ids, active_model="crm.lead", active_id=leads[0].id).create(
            {"name": "convert", "action": "create", "deduplicate": False})
        out["lead_convert_100"] = _counted(odoo, env, wizard.action_mass_convert, 100)
        cr.rollback()
        customers = env["res.partner"].create(records[start:start + 100])
        orders = env["sale.order"].create([{"partner_id": partner.id, "order_line": [
            (0, 0, {"product_id": product.id, "product_uom_qty": 1})]} for partner in customers])
        cr.commit()
        out["order_confirm_100"] = _counted(odoo, env, orders.action_confirm, 100)
        cr.rollback()
        moves = env["account.move"].create([{"move_type": "out_invoice", "partner_id": partner.id,
                                             "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1,
                                                                          "price_unit": 1000.0})]}
                                            for partner in customers])
        cr.commit()
        out["invoice_post_100"] = _counted(odoo, env, moves.action_post, 100)
        cr.rollback()
    return out


def run(odoo, registry, size, seed_value):
    import crmplus

    from bench.run import copy_database

    with_plus = _measure_flows(odoo, registry, seed_value)
    db = "crm_plus_bench_odoo_only_copy"
    copy_database(_BASELINE.get("params") or crmplus.db_params(), _baseline_template(odoo), db)
    try:
        baseline = _measure_flows(odoo, odoo.modules.registry.Registry.new(db), seed_value)
    finally:
        odoo.modules.registry.Registry.delete(db)
        odoo.sql_db.close_db(db)
        crmplus.drop_database(_BASELINE["params"], db)
        crmplus.drop_database(_BASELINE["params"], _BASELINE.pop("name"))
    out = {}
    for flow in FLOWS:
        (q_plus, s_plus, n), (q_odoo, s_odoo, _n) = with_plus[flow], baseline[flow]
        out[flow] = {"records": n, "odoo_queries": q_odoo, "plus_queries": q_plus, "odoo_seconds": round(s_odoo, 3),
                     "plus_seconds": round(s_plus, 3)}
    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        for flow in FLOWS:
            f = r[flow]
            n = f["records"]
            added = (f["plus_queries"] - f["odoo_queries"]) / f["odoo_queries"] * 100 if f["odoo_queries"] else 0
            rows.append((LABELS[flow], round(f["odoo_queries"] / n, 2), round(f["plus_queries"] / n, 2),
                         "%+.1f%%" % added, round(f["odoo_seconds"] * 1000 / n, 2),
                         round(f["plus_seconds"] * 1000 / n, 2)))
    return "\n".join([
        "## Odoo's own flows, with and without crm_plus",
        "",
        "The same flows on the same seeded data in two databases made in the same run: Odoo's own modules",
        "(%s) alone, and with the three crm_plus addons (default settings, no demo). Per record." % ", ".join(
            ODOO_MODULES),
        "Target: crm_plus adds at most 5% queries.",
        "",
        table(["flow", "queries (Odoo)", "queries (with crm_plus)", "added", "ms (Odoo)", "ms (with crm_plus)"],
              rows),
        "",
    ])
