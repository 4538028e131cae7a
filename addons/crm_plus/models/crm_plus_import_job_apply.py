"""Customer import: matching rows against the database, the preview, the error report, writing the rows."""

import base64
import io

import psycopg2

from odoo import _, models
from odoo.exceptions import UserError

from ..tools._text import fold
from ..tools.import_columns import BATCH_SIZE, FILLABLE_FIELDS, KEY_PRIORITY, PREVIEW_LINES
from ..tools.workbook import new_workbook
from .crm_plus_import_job import SYNC_ROW_LIMIT
from .res_partner_import import DEFAULTS_CACHE, PHONE_READINGS


class CrmPlusImportJobApply(models.Model):
    _inherit = "crm_plus.import.job"

    # ------------------------------------------------------------------------------------------------
    # matching against the database
    # ------------------------------------------------------------------------------------------------

    def _match_all(self, rows):
        todo = [row for row in rows if row["status"] in ("new", "update", "skip")]
        for start in range(0, len(todo), BATCH_SIZE):
            self._match_rows(todo[start:start + BATCH_SIZE])

    def _match_rows(self, rows):
        """Find the existing customer of each row (one key lookup and one read per batch).

        Sets ``partner_id``, ``fill`` (empty fields the row completes) and ``status`` new/update/skip.
        """
        Partner = self.env["res.partner"]
        found = self.env["crm_plus.partner.key"]._lookup({key for row in rows for key in row["keys"]})
        name_ids = {pid for (kind, _value), ids in found.items() if kind == "name" for pid in ids}
        cities = {p.id: fold(p.city or "") for p in Partner.browse(name_ids)}
        for row in rows:
            row["partner_id"] = False
            for kind in KEY_PRIORITY:
                ids = [pid for key in row["keys"] if key[0] == kind for pid in found.get(key, [])]
                if kind == "name":
                    ids = [pid for pid in ids if cities.get(pid) == row["city_key"]]
                if ids:
                    row["partner_id"] = min(ids)
                    break
        # people without any identity key: same name, same city, same parent company
        loose = [row for row in rows if not row["partner_id"] and not row["keys"] and not row["vals"]["is_company"]]
        if loose:
            people = Partner.search([("name", "in", list({row["vals"]["name"] for row in loose})),
                                     ("is_company", "=", False)], order="id")
            index = {}
            for person in people:
                key = (fold(person.name), fold(person.city or ""), person.parent_id.company_name_core or "")
                index.setdefault(key, person.id)
            for row in loose:
                row["partner_id"] = index.get((fold(row["vals"]["name"]), row["city_key"], row["parent_core"]),
                                              False)
        matched = Partner.browse({row["partner_id"] for row in rows if row["partner_id"]})
        matched.fetch([*FILLABLE_FIELDS, "cleaning_note"])
        for row in rows:
            if not row["partner_id"]:
                row["status"], row["fill"] = "new", {}
                continue
            partner = Partner.browse(row["partner_id"])
            row["fill"] = {field: row["vals"][field] for field in FILLABLE_FIELDS
                           if row["vals"].get(field) and not partner[field]}
            if row["fill"] and {warning[3] for warning in row["warnings"]} & set(row["fill"]):
                # a value kept as typed completes the customer: flag it for cleaning (its own note kept)
                row["fill"]["needs_cleaning"] = True
                row["fill"]["cleaning_note"] = "\n".join(filter(None, [partner.cleaning_note,
                                                                        row["vals"].get("cleaning_note")]))
            row["status"] = "update" if row["fill"] else "skip"

    # ------------------------------------------------------------------------------------------------
    # preview and error report
    # ------------------------------------------------------------------------------------------------

    def _row_counts(self, rows):
        statuses = [row["status"] for row in rows]
        return {
            "warning_rows": sum(1 for row in rows if row["warnings"] and row["status"] in ("new", "update")),
            "total_rows": len(rows),
            "error_rows": statuses.count("error"),
            "valid_rows": len(rows) - statuses.count("error"),
            "duplicate_in_file": statuses.count("duplicate_in_file"),
            "duplicate_in_db": statuses.count("update") + statuses.count("skip"),
        }

    def _write_preview(self, rows):
        self.ensure_one()
        Partner = self.env["res.partner"]
        self.line_ids.unlink()
        lines = []
        for row in rows[:PREVIEW_LINES]:
            vals = row["vals"]
            message = row["message"] or "\n".join("%s: %s" % (column, error) for column, _v, error in row["errors"])
            if row["warnings"] and row["status"] != "error":
                message = "\n".join(filter(None, [message, _("Kept as typed, to clean: %(values)s", values="; ".join(
                    "%s: %s" % (column, value) for column, value, _m, _f in row["warnings"]))]))
            if row["status"] == "update":
                labels = [Partner._fields[field].get_description(self.env)["string"] for field in row["fill"]]
                message = _("Completes: %(fields)s", fields=", ".join(labels))
            elif row["status"] == "skip":
                message = _("Already known, nothing to complete.")
            lines.append({
                "job_id": self.id, "row_number": row["number"], "name": vals["name"],
                "is_company": vals["is_company"], "phone": vals.get("phone"), "mobile": vals.get("mobile"),
                "email": vals.get("email"), "uscc": vals.get("uscc"), "company_core": row["core"],
                "needs_cleaning": bool(row["warnings"]) and row["status"] != "error",
                "city": vals.get("city"), "status": row["status"], "message": message,
                "matched_partner_id": row["partner_id"],
            })
        self.env["crm_plus.import.job.line"].create(lines)
        counts = self._row_counts(rows)
        summary = [_("%(total)s rows: %(new)s new, %(existing)s already known, %(dup)s duplicates inside the file, "
                     "%(errors)s invalid.", total=counts["total_rows"], existing=counts["duplicate_in_db"],
                     new=counts["valid_rows"] - counts["duplicate_in_db"] - counts["duplicate_in_file"],
                     dup=counts["duplicate_in_file"], errors=counts["error_rows"])]
        previous = self.search([("file_hash", "=", self.file_hash), ("state", "=", "done"), ("id", "!=", self.id)],
                               limit=1)
        if counts["warning_rows"]:
            summary.append(_("%(count)s rows hold a value that cannot be normalised: they are imported with the "
                             "value as typed and their customers flagged 'Needs Cleaning'.",
                             count=counts["warning_rows"]))
        if counts["total_rows"] > SYNC_ROW_LIMIT:
            summary.append(self._batches_message())
        if previous:
            summary.append(_("This file was already imported on %(date)s (%(name)s); rows matching existing "
                             "customers will not be created again.", date=previous.date_done, name=previous.name))
        self.write(dict(counts, state="preview", message="\n".join(summary), progress=0, next_row=0,
                        **self._error_report_vals(rows)))

    def _error_report_vals(self, rows, runtime_errors=()):
        """The xlsx listing every invalid row: one line per error, and the rows themselves to correct."""
        self.ensure_one()
        bad = [row for row in rows if row["status"] == "error"]
        if not bad and not runtime_errors:
            return {"error_report": False, "error_report_name": False}
        headers, _rows = self._read_file()
        buffer = io.BytesIO()
        workbook = new_workbook(buffer)
        bold = workbook.add_format({"bold": True, "bg_color": "#F2DEDE"})
        sheet = workbook.add_worksheet(_("Errors"))
        sheet.write_row(0, 0, [_("Row"), _("Column"), _("Value"), _("Error")], bold)
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 2, 24)
        sheet.set_column(3, 3, 70)
        line = 1
        for row in bad:
            for column, value, error in row["errors"]:
                sheet.write_row(line, 0, [row["number"], column, value, error])
                line += 1
        for number, column, value, error in runtime_errors:
            sheet.write_row(line, 0, [number, column, value, error])
            line += 1
        sheet.autofilter(0, 0, max(line - 1, 1), 3)
        # the invalid rows as they were, with their errors, ready to correct and upload again
        data_sheet = workbook.add_worksheet(_("Rows to Correct"))
        data_sheet.write_row(0, 0, [*headers, _("Errors")], bold)
        runtime_by_row = {}
        for number, column, _value, error in runtime_errors:
            runtime_by_row.setdefault(number, []).append("%s: %s" % (column, error))
        by_number = {row["number"]: row for row in rows}
        numbers = sorted({row["number"] for row in bad} | set(runtime_by_row))
        for line, number in enumerate(numbers, start=1):
            row = by_number.get(number)
            errors = ["%s: %s" % (column, error) for column, _v, error in (row["errors"] if row else [])]
            data_sheet.write_row(line, 0, [*(row["values"] if row else []), "; ".join(errors +
                                                                                       runtime_by_row.get(number, []))])
        workbook.close()
        stem = (self.filename or "import").rsplit(".", 1)[0]
        return {"error_report": base64.b64encode(buffer.getvalue()), "error_report_name": "%s-errors.xlsx" % stem}

    # ------------------------------------------------------------------------------------------------
    # writing the rows
    # ------------------------------------------------------------------------------------------------

    def _import_batch(self, rows):
        """Create or complete the customers of one batch. Returns the counts and the refused rows."""
        result = {"created": 0, "updated": 0, "skipped": 0, "runtime_errors": []}
        todo = [row for row in rows if row["status"] not in ("error", "duplicate_in_file")]
        result["skipped"] += sum(1 for row in rows if row["status"] == "error")
        if not todo:
            return result
        self._match_rows(todo)
        try:
            with self.env.cr.savepoint():
                counts = self._apply_rows(todo)
        except (UserError, ValueError, psycopg2.Error) as exc:
            if self.mode == "all_or_nothing":
                if self.is_background and self.next_row:  # the batches before this one are saved
                    raise UserError(_("The import stopped at row %(row)s: %(error)s. The batches before it are "
                                      "saved.", row=self.next_row, error=exc)) from exc
                raise UserError(_("The import stopped and nothing was saved: %(error)s", error=exc)) from exc
            # skip invalid rows: find the rows the database refuses, one savepoint each
            counts = {"created": 0, "updated": 0, "skipped": 0}
            for row in todo:
                try:
                    with self.env.cr.savepoint():
                        row_counts = self._apply_rows([row])
                except (UserError, ValueError, psycopg2.Error) as row_exc:
                    counts["skipped"] += 1
                    result["runtime_errors"].append([row["number"], "", row["vals"]["name"], str(row_exc)])
                else:
                    for key, value in row_counts.items():
                        counts[key] += value
        for key, value in counts.items():
            result[key] += value
        return result

    def _set_parents(self, rows):
        cores = {row["parent_core"] for row in rows if row["parent_core"]}
        if not cores:
            return
        found = self.env["crm_plus.partner.key"]._lookup([("name", core) for core in cores])
        companies = self.env["res.partner"].browse({pid for ids in found.values() for pid in ids})
        company_ids = set(companies.filtered("is_company").ids)
        for row in rows:
            ids = found.get(("name", row["parent_core"]), [])
            best = sorted(ids, key=lambda pid: (pid not in company_ids, pid))
            row["vals"]["parent_id"] = best[0] if best else False

    def _apply_rows(self, rows):
        result = {"created": 0, "updated": 0, "skipped": 0}
        # companies first: the contacts of the same batch then find their parent company by its key
        for group in ([row for row in rows if not row["parent_core"]], [row for row in rows if row["parent_core"]]):
            self._set_parents(group)
            create_rows = [row for row in group if row["status"] == "new"]
            if create_rows:
                readings = {}
                for row in create_rows:
                    readings.update(row.get("readings") or {})
                partners = self._create_partners([dict(row["vals"]) for row in create_rows], readings)
                for row, partner in zip(create_rows, partners, strict=True):
                    row["partner_id"] = partner.id
                result["created"] += len(create_rows)
            update_rows = [row for row in group if row["status"] == "update"]
            # one access check for the batch's existing customers, then their own values each
            self.env["res.partner"].browse(row["partner_id"] for row in update_rows).check_access("write")
            for row in update_rows:
                self._update_partner(row["partner_id"], row["fill"])
            result["updated"] += len(update_rows)
            result["skipped"] += sum(1 for row in group if row["status"] == "skip")
        self._create_contacts([row for row in rows if row["contact_name"] and row["partner_id"]])
        return result

    def _create_partners(self, vals_list, readings=None):
        """Create the customers of a batch, without the per-record duplicate check.

        The import matched every row against the database and the file itself, so the check that
        blocks a duplicate at save would only repeat it row by row. That check is skipped for data
        stewards and the superuser only; hence the narrow ``sudo`` after the explicit access check.
        What the import already did is not done again per row: the phone readings of the numbers it
        normalised (``readings``, for the partner's phone keys), the defaults (read once for the batch),
        and, as Odoo's own import of records, no tracking or creation message for new records.
        """
        Partner = self.env["res.partner"]
        Partner.check_access("create")
        partners = Partner.sudo().with_context(
            crm_plus_skip_duplicate_check=True, mail_create_nolog=True, mail_create_nosubscribe=True,
            tracking_disable=True, **{PHONE_READINGS: readings or {}, DEFAULTS_CACHE: {}},
        ).create(vals_list)
        # the phone fields now, in this context (a later flush would compute them without the readings);
        # written with the other computed fields at the next flush
        partners._recompute_recordset(["phone_keys", "phone_sanitized"])
        # who owns them, their pool and their company are the importing user's to decide, as in the form
        partners.with_user(self.env.user)._crm_plus_check_new_partners()
        return partners

    def _update_partner(self, partner_id, fill):
        """Complete the empty fields of an existing customer found by its keys (write access checked by
        ``_apply_rows`` for the whole batch)."""
        # same reason as in _create_partners: the keys written here were matched to this very partner
        # ownership and identity stay the importing user's to change: the state before and after the write
        # is checked for them, as in the form (a pool customer's salesperson, a locked company's identity)
        partner = self.env["res.partner"].with_user(self.env.user).browse(partner_id)
        before = partner._crm_plus_guarded_state()
        partner.sudo().with_context(crm_plus_skip_duplicate_check=True).write(fill)
        partner._crm_plus_check_guarded_changes(before)

    def _create_contacts(self, rows):
        """The contact person named in a row, under its customer, once."""
        if not rows:
            return
        Partner = self.env["res.partner"]
        existing = Partner.search([("parent_id", "in", list({row["partner_id"] for row in rows})),
                                   ("name", "in", list({row["contact_name"] for row in rows}))])
        known = {(contact.parent_id.id, fold(contact.name)) for contact in existing}
        vals_list = []
        for row in rows:
            key = (row["partner_id"], fold(row["contact_name"]))
            if key in known:
                continue
            known.add(key)
            vals_list.append({"name": row["contact_name"], "parent_id": row["partner_id"], "type": "contact",
                              "is_company": False, "function": row["vals"].get("function") or False})
        if vals_list:
            self._create_partners(vals_list)
