"""Duplicate recall and precision whatever the company's country, with mobiles from unlisted ranges."""

from bench.seed import generate_partners, group_pairs, precision_recall, true_pairs

from .common import batched_create, measure, table

SIZES = [20000]
# (label, company country, share of the people's mobiles from ranges the phone metadata does not list)
VARIANTS = [("company in China", "base.cn", 0.0), ("company in the US", "base.us", 0.0),
            ("company in the US, 10% unlisted mobiles", "base.us", 0.1)]


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True,
                                                            "crm_plus_skip_duplicate_check": True})
        Group = env["crm_plus.duplicate.group"]
        for i, (_label, country, unlisted) in enumerate(VARIANTS):
            env.company.country_id = env.ref(country)
            records = generate_partners(size, seed_value, unlisted_share=unlisted)
            with measure(odoo, out, "v%d_seed_" % i):
                partners = batched_create(env, "res.partner", [
                    {k: v for k, v in rec.items() if not k.startswith("_")} for rec in records])
            truth = true_pairs(records, partners.ids)
            with measure(odoo, out, "v%d_scan_" % i):
                found = group_pairs(members for members, _score, _why in Group._clusters(Group._scan_pairs()))
            precision, recall = precision_recall(found, truth)
            people = {rid for rec, rid in zip(records, partners.ids, strict=True) if rec["_kind"] == "person"}
            person_truth = {pair for pair in truth if pair[0] in people}
            _p, person_recall = precision_recall({pair for pair in found if pair[0] in people}, person_truth)
            out.update({"v%d_true_pairs" % i: len(truth), "v%d_precision" % i: round(precision, 4),
                        "v%d_recall" % i: round(recall, 4), "v%d_person_recall" % i: round(person_recall, 4)})
            cr.rollback()
    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        for i, (label, _country, _unlisted) in enumerate(VARIANTS):
            if "v%d_recall" % i in r:
                rows.append((r["size"], label, r["v%d_true_pairs" % i], r["v%d_precision" % i],
                             r["v%d_recall" % i], r["v%d_person_recall" % i], r["v%d_scan_seconds" % i]))
    return "\n".join([
        "## Duplicate matching whatever the company's country",
        "",
        "The seeded partners of `bench/seed.py` (people are matched by their mobile only: the variant record",
        "carries a title instead of the given name, and the mobile written without country code, with",
        "separators or in full-width digits), scanned by crm_plus on a database whose company is in China,",
        "then in the US, then in the US with 10% of the mobiles drawn from ranges the phone metadata does not",
        "list. Every plausible reading of a number is a key; unverified (possible, not listed) readings too.",
        "Targets: recall >= 0.98 at precision >= 0.99 in every variant.",
        "",
        table(["partners", "variant", "true pairs", "precision", "recall", "recall (people, by mobile)",
               "scan seconds"], rows),
        "",
    ])
