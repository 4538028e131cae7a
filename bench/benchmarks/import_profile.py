"""Where a row's time goes in the crm_plus import: parse, clean, match, crm_plus's computes, Odoo's create."""

import base64
import contextlib
import time
from unittest.mock import patch

from .common import table
from .import_speed import make_csv

SIZES = [5000]
PHASES = [
    ("parse", "parse (read the file)"),
    ("clean", "clean (normalise, check, merge the file's rows)"),
    ("match", "match (identity keys against the database)"),
    ("crm_plus", "crm_plus's own work in the partner create (computes, key rows, checks)"),
    ("odoo_create", "Odoo's create (ORM, SQL, Odoo's computes)"),
    ("bookkeeping", "the job (preview lines, counts, progress, commits)"),
]


class Timers:
    """Inclusive wall time of wrapped methods, the outermost call of each phase counted once."""

    def __init__(self):
        self.seconds = dict.fromkeys([name for name, _label in PHASES], 0.0)
        self.active = set()
        self.detail = {}

    def wrap(self, phase, func, name=None):
        timers = self

        def wrapped(*args, **kwargs):
            if phase in timers.active:
                return func(*args, **kwargs)
            timers.active.add(phase)
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - t0
                timers.seconds[phase] += elapsed
                timers.active.discard(phase)
                if name:
                    timers.detail[name] = timers.detail.get(name, 0.0) + elapsed
        return wrapped


def _crm_plus_partner_methods(registry):
    """Names of the res.partner methods crm_plus runs inside a create: its computes and its create hooks."""
    Partner = registry["res.partner"]
    names = set()
    for field in Partner._fields.values():
        compute = field.compute
        if isinstance(compute, str) and compute.startswith("_compute"):
            func = getattr(Partner, compute, None)
            # crm_plus's own computes, not Odoo's that crm_plus shortens (the sanitized phone)
            odoo_defines = any(compute in vars(klass) and not klass.__module__.startswith("odoo.addons.crm_plus")
                               for klass in Partner.__mro__)
            if func is not None and func.__module__.startswith("odoo.addons.crm_plus") and not odoo_defines:
                names.add(compute)
    names |= {"_crm_plus_sync_keys", "_crm_plus_check_new_partners", "_crm_plus_enforce_duplicates",
              "_crm_plus_check_uscc_free"}
    return sorted(name for name in names if hasattr(Partner, name))


def run(odoo, registry, size, seed_value):
    out = {}
    data = make_csv(size, seed_value)
    timers = Timers()
    Job = registry["crm_plus.import.job"]
    Partner = registry["res.partner"]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})  # as import_speed
        env.company.country_id = env.ref("base.cn")
        cr.commit()
        job = env["crm_plus.import.job"].create({"file": base64.b64encode(data), "filename": "customers.csv",
                                                 "mode": "skip_invalid"})
        read_file, create_partners = Job._read_file, Job._create_partners

        def read_all(job):
            headers, rows = read_file(job)
            return headers, iter(list(rows))  # the rows are read here, not later inside the cleaning

        def create_and_flush(job, *args, **kwargs):
            partners = create_partners(job, *args, **kwargs)
            partners.env.flush_all()  # the computes Odoo runs at the next flush are the create's too
            return partners

        patches = [
            patch.object(Job, "_read_file", timers.wrap("parse", read_all)),
            patch.object(Job, "_prepare_rows", timers.wrap("clean", Job._prepare_rows)),
            patch.object(Job, "_match_rows", timers.wrap("match", Job._match_rows)),
            patch.object(Job, "_create_partners", timers.wrap("odoo_create", create_and_flush)),
            patch.object(Job, "_update_partner", timers.wrap("odoo_create", Job._update_partner)),
        ]
        crm_plus_methods = _crm_plus_partner_methods(registry)
        patches += [patch.object(Partner, name, timers.wrap("crm_plus", getattr(Partner, name), name))
                    for name in crm_plus_methods]
        # the key rows are written before the next read of the key table or at commit: crm_plus's too
        patches.append(patch.object(registry["crm_plus.partner.key"], "_sync_pending", timers.wrap(
            "crm_plus", registry["crm_plus.partner.key"]._sync_pending)))
        with contextlib.ExitStack() as stack:
            for patcher in patches:
                stack.enter_context(patcher)
            t0 = time.perf_counter()
            job.action_preview()
            job.action_import()
            while job.state in ("queued", "running"):
                env["crm_plus.import.job"]._cron_process_imports()
                job.invalidate_recordset()
            total = time.perf_counter() - t0
        seconds = timers.seconds
        # nested phases: the file is read inside the cleaning, crm_plus's computes run inside the create
        seconds["clean"] -= seconds["parse"]
        seconds["odoo_create"] -= seconds["crm_plus"]
        seconds["bookkeeping"] = total - sum(v for k, v in seconds.items() if k != "bookkeeping")
        out["total_seconds"] = round(total, 3)
        out["rows_per_second"] = round(size / total, 1)
        out["created"] = job.created_count
        out["phases"] = {name: round(value, 3) for name, value in seconds.items()}
        out["crm_plus_methods"] = crm_plus_methods
        out["crm_plus_detail"] = {name: round(value, 3) for name, value in sorted(
            timers.detail.items(), key=lambda item: -item[1]) if value >= 0.01}
        cr.rollback()
    return out


def markdown(data):
    rows = []
    for r in data["rows"]:
        total = r["total_seconds"]
        for name, label in PHASES:
            value = r["phases"][name]
            rows.append((r["size"], label, value, "%.2f" % (1000.0 * value / r["size"]),
                         "%d%%" % round(100.0 * value / total) if total else "-"))
        rows.append((r["size"], "**total** (%s rows/s)" % r["rows_per_second"], total,
                     "%.2f" % (1000.0 * total / r["size"]), "100%"))
    methods = len(data["rows"][-1]["crm_plus_methods"]) if data["rows"] else 0
    detail = "; ".join("`%s` %s s" % item for item in (data["rows"][-1].get("crm_plus_detail") or {}).items()) \
        if data["rows"] else ""
    return "\n".join([
        "## Customer import: where a row's time goes",
        "",
        "The crm_plus import of the benchmark's CSV (preview, then import; the background path above 2000",
        "rows), its methods timed inclusively: parse is reading the file, clean the rest of preparing the",
        "rows (normalising, checking, the in-file merge), match the look-ups of the rows' keys in the",
        "database, crm_plus's share the res.partner methods of crm_plus that run inside the create (its",
        "computes, key rows and checks: %d methods timed, those that took time listed below), Odoo's" % methods,
        "create the rest of the create calls and the flush after them, the job's bookkeeping what remains.",
        "",
        table(["rows", "phase", "seconds", "ms per row", "share"], rows),
        "",
        "crm_plus's share by method (outermost calls, their own queries and what they trigger): %s." % detail,
        "What the import already did is no longer done again in the create: the phone readings (the phone",
        "keys compute takes them from the cleaning: it was the largest share with the per-row defaults), the",
        "defaults (read once per batch instead of once per row), tracking and the creation message (off for",
        "the import's new customers), Odoo's sanitized phone where the import's reading is Odoo's answer",
        "(counted in Odoo's create: it is Odoo's field), and the salesperson and team Odoo precomputes with a",
        "new record per row (once for rows alike but for their texts). The name keys read pinyin word by word",
        "with the words cached. What remains of crm_plus's share is mostly the name keys (the canonical name",
        "and the pinyin search keys, name_pinyin and name_initials) and writing the key rows.",
        "",
    ])
