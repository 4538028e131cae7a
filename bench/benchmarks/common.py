"""Helpers shared by the benchmarks."""

import contextlib
import time
from ast import literal_eval

from bench.seed import generate_partners


@contextlib.contextmanager
def measure(odoo, out, prefix=""):
    """Wall time and SQL queries of the block, stored in ``out``."""
    queries = odoo.sql_db.sql_counter
    t0 = time.perf_counter()
    yield
    out[prefix + "seconds"] = round(time.perf_counter() - t0, 3)
    out[prefix + "queries"] = odoo.sql_db.sql_counter - queries


def copy_database(params, template, name):
    """A fresh database ``name`` copied from ``template`` (dropped first when it exists)."""
    import crmplus  # the project's launcher helpers (bench/run.py puts scripts/ on the path)

    crmplus.drop_database(params, name)
    conn = crmplus._pg_connect(params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (name, template))
    conn.close()


def batched_create(env, model, vals_list, batch=2000):
    records = env[model]
    for start in range(0, len(vals_list), batch):
        records |= env[model].create(vals_list[start:start + batch])
    return records


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def builtin_duplicate_groups(env, criteria):
    """Odoo's contact merge wizard, as its "Deduplicate" screen runs it: the groups of partner ids."""
    wizard = env["base.partner.merge.automatic.wizard"].create(
        {"group_by_%s" % c: True for c in criteria} | {"maximum_group": 0})
    wizard._process_query(wizard._generate_query(list(criteria), 0))
    return [literal_eval(line.aggr_ids) for line in wizard.line_ids]


def seed_partners(odoo, env, size, seed_value, out):
    """The seeded partners of bench/seed.py created in res.partner: (records, partners), timing in ``out``."""
    records = generate_partners(size, seed_value)
    with measure(odoo, out, "seed_"):
        partners = batched_create(env, "res.partner", [
            {k: v for k, v in rec.items() if not k.startswith("_")} for rec in records])
    return records, partners
