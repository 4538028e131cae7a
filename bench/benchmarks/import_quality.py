"""Does the import make one customer per real customer? Precision and recall of its merges, beside the scan's."""

import base64
import csv
import io

from bench.seed import generate_partners, group_pairs, precision_recall, true_pairs

from .common import batched_create, measure, table
from .import_speed import FIELDS, HEADERS

SIZES = [5000, 20000]
# one entity in DB_SHARE already has its first record in the database; the file holds everything else
DB_SHARE = 3


def _split(records):
    in_db, in_file, seen = [], [], set()
    for rec in records:
        if rec["_entity"] % DB_SHARE == 0 and rec["_entity"] not in seen:
            seen.add(rec["_entity"])
            in_db.append(rec)
        else:
            in_file.append(rec)
    return in_db, in_file


def _csv(records):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    for rec in records:
        writer.writerow([rec.get(f) or "" for f in FIELDS])
    return buf.getvalue().encode("utf-8")


def _values(rec):
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def run(odoo, registry, size, seed_value):
    out = {}
    records = generate_partners(size, seed_value)
    in_db, in_file = _split(records)
    out.update(rows=len(in_file), existing=len(in_db),
               real_customers=len({rec["_entity"] for rec in records}))
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True,
                                                            "lang": "en_US", "crm_plus_skip_duplicate_check": True})
        env.company.country_id = env.ref("base.cn")
        existing = batched_create(env, "res.partner", [_values(rec) for rec in in_db])
        entity_of_partner = {pid: rec["_entity"] for pid, rec in zip(existing.ids, in_db, strict=True)}
        cr.commit()

        # the scan on the same records, every row created as written (Odoo's import does that), undone after
        created = batched_create(env, "res.partner", [_values(rec) for rec in in_file])
        Group = env["crm_plus.duplicate.group"]
        with measure(odoo, out, "scan_"):
            clusters = Group._clusters(Group._scan_pairs())
        found = group_pairs(members for members, _score, _why in clusters)
        precision, recall = precision_recall(found, true_pairs(in_db + in_file, existing.ids + created.ids))
        out.update(scan_precision=round(precision, 4), scan_recall=round(recall, 4))
        cr.rollback()

        # the import's decisions, as its preview takes them: the in-file merge, then the database match
        job = env["crm_plus.import.job"].create({"file": base64.b64encode(_csv(in_file)),
                                                 "filename": "dirty.csv", "mode": "skip_invalid"})
        with measure(odoo, out, "preview_"):
            rows = job._prepare_rows()
            job._match_all(rows)
        by_number = {row["number"]: row for row in rows}
        master = {row["number"]: row.get("master_number", row["number"]) for row in rows}
        entity_of_row = {row["number"]: rec["_entity"] for row, rec in zip(rows, in_file, strict=True)}
        out["errors"] = sum(1 for row in rows if row["status"] == "error")
        out["warnings"] = sum(1 for row in rows if row["warnings"])

        # in the file: pairs of rows merged into one customer vs pairs of rows of one real customer
        groups = {}
        for number, first in master.items():
            groups.setdefault(first, []).append(number)
        found = group_pairs(groups.values())
        truth = true_pairs(in_file, [row["number"] for row in rows])
        precision, recall = precision_recall(found, truth)
        out.update(file_pairs=len(found), file_true_pairs=len(truth), file_precision=round(precision, 4),
                   file_recall=round(recall, 4))

        # against the database: (row, existing customer) matched vs the rows whose customer exists
        found = {(number, by_number[first]["partner_id"]) for number, first in master.items()
                 if by_number[first]["partner_id"] in entity_of_partner}
        db_ids = {entity: pid for pid, entity in entity_of_partner.items()}
        truth = {(number, db_ids[entity]) for number, entity in entity_of_row.items() if entity in db_ids}
        precision, recall = precision_recall(found, truth)
        out.update(db_pairs=len(found), db_true_pairs=len(truth), db_precision=round(precision, 4),
                   db_recall=round(recall, 4))

        # and the import itself (a background import commits its batches: last)
        with measure(odoo, out, "import_"):
            job.action_preview()
            job.action_import()
            while job.state in ("queued", "running"):
                env["crm_plus.import.job"]._cron_process_imports()
                job.invalidate_recordset()
        out["customers_after"] = len(existing) + job.created_count
        cr.rollback()

    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        rows.append((r["size"], "import: rows of the file merged together", r["file_true_pairs"], r["file_pairs"],
                     r["file_precision"], r["file_recall"]))
        rows.append((r["size"], "import: rows matched to an existing customer", r["db_true_pairs"], r["db_pairs"],
                     r["db_precision"], r["db_recall"]))
        rows.append((r["size"], "duplicate scan (every row created as written)", "-", "-", r["scan_precision"],
                     r["scan_recall"]))
    counts = [(r["size"], r["rows"], r["existing"], r["real_customers"], r["customers_after"], r["warnings"],
               r["errors"]) for r in data["rows"]]
    return "\n".join([
        "## Customer import: one customer per real customer",
        "",
        "The seeded records of `bench/seed.py` (variants of the same customer: short and full names, phones",
        "with and without country code, full-width digits, e-mail case, titles instead of given names). One",
        "customer in %d is already in the database (its first record); the dirty file holds every other" % DB_SHARE,
        "record, so it has variants of customers of the file and of the database. The import's decisions are",
        "scored against the truth: pairs of rows merged inside the file (connected components over every key),",
        "and (row, existing customer) pairs matched against the database. Beside them, the duplicate scan on",
        "the same records created as written.",
        "",
        table(["records", "merge", "true pairs", "pairs found", "precision", "recall"], rows),
        "",
        table(["records", "file rows", "already in the database", "real customers", "customers after the import",
               "rows to clean", "rows refused"], counts),
        "",
    ])
