"""Odoo's built-in duplicate finder (the contact merge wizard's criteria): the baseline dedup must beat."""

from bench.seed import group_pairs, precision_recall, true_pairs

from .common import builtin_duplicate_groups, measure, seed_partners, table

SIZES = [5000, 20000]
CRITERIA = [("email",), ("name",), ("email", "name")]


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        records, partners = seed_partners(odoo, env, size, seed_value, out)
        cr.commit()
        truth = true_pairs(records, partners.ids)
        out["true_pairs"] = len(truth)
        union = set()
        for criteria in CRITERIA[:2]:
            key = "+".join(criteria)
            metrics = {}
            with measure(odoo, metrics):
                groups = builtin_duplicate_groups(env, criteria)
            found = group_pairs(groups)
            union |= found
            precision, recall = precision_recall(found, truth)
            out.update({
                "%s_seconds" % key: metrics["seconds"], "%s_queries" % key: metrics["queries"],
                "%s_pairs" % key: len(found), "%s_precision" % key: round(precision, 4),
                "%s_recall" % key: round(recall, 4),
            })
        precision, recall = precision_recall(union, truth)
        out.update(union_pairs=len(union), union_precision=round(precision, 4), union_recall=round(recall, 4),
                   union_seconds=round(out["email_seconds"] + out["name_seconds"], 3))
        cr.rollback()
    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        for key, label in (("email", "email"), ("name", "name"), ("union", "email or name")):
            rows.append((r["size"], label, r["%s_seconds" % key], r["%s_pairs" % key], r["true_pairs"],
                         r["%s_precision" % key], r["%s_recall" % key]))
    return "\n".join([
        "## Duplicate finder: Odoo built-in (contact merge wizard criteria)",
        "",
        "Seeded Chinese and international companies and people (`bench/seed.py`), about 12% of the entities",
        "entered again with realistic variants (short/full names, region markers, full-width and traditional",
        "characters, phone formats, e-mail case, titles instead of given names). The wizard groups by exact",
        "lower-cased e-mail or name; 'email or name' is the union of both passes. Seconds include building the",
        "wizard lines as the UI does. This is the baseline crm_plus dedup is measured against",
        "(target: recall >= 0.95 at precision >= 0.99).",
        "",
        table(["partners", "criteria", "seconds", "pairs found", "true pairs", "precision", "recall"], rows),
        "",
    ])
