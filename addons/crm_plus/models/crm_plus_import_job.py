import base64
import gzip
import hashlib
import io
import json
import logging
import threading
import time

import psycopg2
import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import company_name, emails, import_columns, phone, tabular, uscc
from ..tools._text import fold, nfkc

_logger = logging.getLogger(__name__)

# files with more rows than this are imported by the cron, in the background
SYNC_ROW_LIMIT = 2000
# rows created or updated per batch (one key lookup, one create, one commit in the cron)
BATCH_SIZE = 1000
# rows kept as preview lines
PREVIEW_LINES = 200
# seconds a cron call works before handing back (the cron calls again while rows remain)
CRON_TIME_BUDGET = 60
# order in which the identity keys of a row are tried against the database
KEY_PRIORITY = ("uscc", "vat", "phone", "email", "name")
# partner fields an import may fill on an existing customer when they are empty there
FILLABLE_FIELDS = ("uscc", "vat", "phone", "mobile", "email", "street", "city", "state_id", "country_id", "zip",
                   "website", "comment", "customer_level_id", "user_id", "function")
# targets holding plain text, copied to the partner field of the same meaning
TEXT_TARGETS = {"street": "street", "city": "city", "zip": "zip", "website": "website", "comment": "comment",
                "function": "function"}
_STATE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
# a few Chinese country names, for databases where Chinese is not loaded
_COUNTRY_ALIASES = {"中国": "CN", "中国大陆": "CN", "中华人民共和国": "CN", "香港": "HK", "中国香港": "HK",
                    "澳门": "MO", "中国澳门": "MO", "台湾": "TW", "中国台湾": "TW", "美国": "US", "英国": "GB",
                    "日本": "JP", "韩国": "KR", "德国": "DE", "法国": "FR", "新加坡": "SG"}


def _state_key(text):
    key = fold(text)
    for suffix in _STATE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


class CrmPlusImportJob(models.Model):
    """One upload of a customer file: mapping, preview, import and its history.

    Upload → Preview (parse, normalise and check every row, nothing written) → Import. Small files are
    imported at once in the request; larger ones are queued for the cron, which works in committed
    batches and resumes at ``next_row`` after an interruption. Every row is matched against the
    database by its identity keys, so importing the same file twice creates nothing the second time.
    """

    _name = "crm_plus.import.job"
    _description = "Customer Import"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: _("New Import"), tracking=True)
    file = fields.Binary(attachment=True, copy=False)
    filename = fields.Char(copy=False)
    file_hash = fields.Char(index=True, copy=False, readonly=True, help="SHA-256 of the file.")
    template_id = fields.Many2one("crm_plus.import.template", string="Template", ondelete="set null",
                                  help="A saved column mapping to apply to the file.")
    column_ids = fields.One2many("crm_plus.import.template.column", "job_id", string="Columns", copy=True)
    save_template = fields.Boolean(string="Save Mapping as Template")
    template_name = fields.Char()
    mode = fields.Selection(
        [("all_or_nothing", "All or Nothing"), ("skip_invalid", "Skip Invalid Rows")],
        default="all_or_nothing", required=True, tracking=True,
        help="All or nothing: the import refuses to start while any row is invalid.\n"
             "Skip invalid rows: the valid rows are imported, the others are listed in the error report.")
    state = fields.Selection(
        [("draft", "Uploaded"), ("preview", "Previewed"), ("queued", "Queued"), ("running", "Running"),
         ("done", "Done"), ("failed", "Failed")],
        default="draft", required=True, index=True, tracking=True, copy=False, string="Status")
    line_ids = fields.One2many("crm_plus.import.job.line", "job_id", string="Preview", copy=False)
    total_rows = fields.Integer(readonly=True, copy=False)
    valid_rows = fields.Integer(readonly=True, copy=False)
    error_rows = fields.Integer(readonly=True, copy=False)
    duplicate_in_file = fields.Integer(readonly=True, copy=False)
    duplicate_in_db = fields.Integer(string="Existing Customers", readonly=True, copy=False)
    created_count = fields.Integer(string="Created", readonly=True, copy=False)
    updated_count = fields.Integer(string="Updated", readonly=True, copy=False)
    skipped_count = fields.Integer(string="Skipped", readonly=True, copy=False)
    progress = fields.Integer(readonly=True, copy=False, help="Rows processed so far.")
    progress_percent = fields.Float(compute="_compute_progress_percent", store=True, string="Progress (%)")
    next_row = fields.Integer(readonly=True, copy=False, help="Where an interrupted import resumes.")
    prepared_rows = fields.Binary(
        attachment=True, readonly=True, copy=False, groups="base.group_system",
        help="The cleaned rows of a background import (gzipped JSON), so a resumed import does not read and "
             "clean the whole file again.")
    prepared_key = fields.Char(readonly=True, copy=False, groups="base.group_system",
                               help="File and mapping the prepared rows were made from.")
    runtime_errors = fields.Json(readonly=True, copy=False,
                                 help="Rows refused by the database while importing: [[row, column, value, error]].")
    error_report = fields.Binary(attachment=True, readonly=True, copy=False)
    error_report_name = fields.Char(readonly=True, copy=False)
    message = fields.Text(readonly=True, copy=False)
    date_done = fields.Datetime(string="Finished On", readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Imported By", required=True, default=lambda self: self.env.user,
                              index=True)

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("progress", "total_rows")
    def _compute_progress_percent(self):
        for job in self:
            job.progress_percent = 100.0 * job.progress / job.total_rows if job.total_rows else 0.0

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("file") and (not vals.get("name") or vals.get("name") == _("New Import")):
                vals["name"] = "%s %s" % (vals.get("filename") or "", fields.Date.context_today(self))
        jobs = super().create(vals_list)
        for job, vals in zip(jobs, vals_list, strict=True):
            if vals.get("file"):
                job._on_new_file(keep_columns="column_ids" in vals)
        return jobs

    def write(self, vals):
        res = super().write(vals)
        if "file" in vals:
            for job in self:
                job._on_new_file(keep_columns="column_ids" in vals)
        elif "template_id" in vals and "column_ids" not in vals and not self.env.context.get("crm_plus_keep_columns"):
            for job in self.filtered(lambda j: j.file and j.state in ("draft", "preview")):
                job._load_columns()
        if ({"column_ids", "template_id"} & set(vals)) and not self.env.context.get("crm_plus_keep_columns"):
            # a changed mapping makes the preview stale: preview again before importing
            self.filtered(lambda j: j.state == "preview").write({"state": "draft"})
        return res

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_preview(self):
        """Parse and check the whole file; nothing is written to customers."""
        for job in self:
            job._check_editable()
            job._save_template_if_asked()
            rows = job._cached_rows()  # kept for the import that follows, as cleaned here
            job._match_all(rows)
            job._write_preview(rows)
        return True

    def action_import(self):
        """Import the previewed file: at once when small, through the cron when large."""
        self.ensure_one()
        self.env["res.partner"].check_access("create")
        if self.state in ("queued", "running", "done"):
            raise UserError(_("This file is already imported or being imported."))
        previewed_now = self.state == "draft"
        if previewed_now:
            self.action_preview()
        if self.mode == "all_or_nothing" and self.error_rows:
            refusal = _(
                "%(count)s rows of %(file)s are invalid, so nothing was imported. Download the error report, "
                "correct the file and upload it again, or choose the mode 'Skip Invalid Rows'.",
                count=self.error_rows, file=self.filename)
            if previewed_now:
                # keep the preview and its error report: an exception would roll them back
                self.message = "%s\n%s" % (self.message, refusal)
                return True
            raise UserError(refusal)
        if self.total_rows > SYNC_ROW_LIMIT:
            self.write({"state": "queued", "message": _(
                "Queued: %(count)s rows are imported in the background. This page shows the progress.",
                count=self.total_rows)})
            self._trigger_import_cron()
            return True
        self._run_import(commit=False)
        return True

    def action_download_error_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s/%s/error_report/%s?download=true" % (
                self._name, self.id, self.error_report_name or "errors.xlsx"),
            "target": "self",
        }

    # ------------------------------------------------------------------------------------------------
    # file, mapping and templates
    # ------------------------------------------------------------------------------------------------

    def _check_editable(self):
        if self.state not in ("draft", "preview", "failed"):
            raise UserError(_("The import %(name)s has started; its file and mapping can no longer change.",
                              name=self.name))
        if not self.file:
            raise UserError(_("Upload a customer file (.xlsx or .csv) first."))

    def _file_bytes(self):
        self.ensure_one()
        return base64.b64decode(self.with_context(bin_size=False).file or b"")

    def _tabular_message(self, error):
        name = self.filename or _("the file")
        messages = {
            "unsupported": _("The file %(name)s is neither an Excel workbook (.xlsx) nor a CSV file. "
                             "Save it as .xlsx or .csv and upload it again.", name=name),
            "empty": _("The file %(name)s is empty: it has no rows.", name=name),
            "encoding": _("The CSV file %(name)s could not be decoded (UTF-8, GBK/GB18030 and Big5 were tried). "
                          "Save it from Excel as 'CSV UTF-8' and upload it again.", name=name),
            "corrupted": _("The file %(name)s cannot be read as an Excel workbook: it is damaged, protected "
                           "by a password or not really an .xlsx file. Open it in Excel, save it as .xlsx and "
                           "upload it again.", name=name),
            "no_header": _("The file %(name)s has no header row: the first row must hold the column titles.",
                           name=name),
            "too_many_rows": _("The file %(name)s has more than %(limit)s rows. Split it into smaller files.",
                               name=name, limit=error.detail),
        }
        return messages.get(error.code) or _("The file %(name)s cannot be read.", name=name)

    def _read_file(self):
        """``(headers, rows)`` of the job's file; read errors become translated ``UserError``."""
        self.ensure_one()
        try:
            headers, rows = tabular.read_rows(self._file_bytes(), self.filename)
        except tabular.TabularError as exc:
            raise UserError(self._tabular_message(exc)) from exc

        def checked(rows):
            try:
                yield from rows
            except tabular.TabularError as exc:
                raise UserError(self._tabular_message(exc)) from exc

        return headers, checked(rows)

    def _on_new_file(self, keep_columns=False):
        self.ensure_one()
        data = self._file_bytes()
        self.line_ids.unlink()
        self.write({
            "file_hash": hashlib.sha256(data).hexdigest() if data else False,
            "state": "draft", "next_row": 0, "progress": 0, "total_rows": 0, "valid_rows": 0, "error_rows": 0,
            "duplicate_in_file": 0, "duplicate_in_db": 0, "created_count": 0, "updated_count": 0,
            "skipped_count": 0, "runtime_errors": False, "error_report": False, "error_report_name": False,
            "message": False,
        })
        if data and not keep_columns:
            self._load_columns()

    def _load_columns(self):
        """Map the file's headers: the template's choices first, then the usual Chinese/English headers."""
        self.ensure_one()
        headers, rows = self._read_file()
        first = next(rows, (0, []))[1]
        known = self.template_id._known_targets() if self.template_id else None
        targets = import_columns.guess_mapping(headers, known=known)
        self.column_ids.unlink()
        self.env["crm_plus.import.template.column"].create([{
            "job_id": self.id,
            "sequence": index,
            "column_index": index,
            "header": header or _("Column %(number)s", number=index + 1),
            "target": target or False,
            "sample": (first[index] if index < len(first) else "")[:200],
        } for index, (header, target) in enumerate(zip(headers, targets, strict=True))])

    def _save_template_if_asked(self):
        self.ensure_one()
        if not self.save_template:
            return
        name = self.template_name or self.filename or _("Customer Import")
        template = self.env["crm_plus.import.template"].create({
            "name": name,
            "column_ids": [(0, 0, {"sequence": column.sequence, "column_index": column.column_index,
                                   "header": column.header, "target": column.target})
                           for column in self.column_ids],
        })
        self.with_context(crm_plus_keep_columns=True).write({
            "template_id": template.id, "save_template": False, "template_name": False})

    def _column_mapping(self):
        """{target: (column index, header)}; the name column is required and a target is used once."""
        self.ensure_one()
        mapping = {}
        for column in self.column_ids.filtered("target"):
            if column.target in mapping:
                label = dict(column._fields["target"]._description_selection(self.env))[column.target]
                raise UserError(_("The columns %(first)s and %(second)s are both imported as %(field)s; "
                                  "keep one of them.", first=mapping[column.target][1], second=column.header,
                                  field=label))
            mapping[column.target] = (column.column_index, column.header)
        if "name" not in mapping:
            raise UserError(_("Choose the column holding the customer name (客户名称) in the mapping."))
        return mapping

    # ------------------------------------------------------------------------------------------------
    # rows: normalise, check, find duplicates
    # ------------------------------------------------------------------------------------------------

    def _prepare_rows(self):
        """Read, normalise and check every row of the file; returns a list of row dicts (see ``_prepare_row``).

        Invalid rows get ``status='error'``; a row sharing an identity key with an earlier row gets
        ``status='duplicate_in_file'`` and its values complete the first row's. No database write.
        """
        self.ensure_one()
        mapping = self._column_mapping()
        headers, rows = self._read_file()
        raw_rows = []
        for row_number, values in rows:
            raw = {target: values[index] if index < len(values) else "" for target, (index, _h) in mapping.items()}
            raw_rows.append((row_number, raw, values))
        if not raw_rows:
            raise UserError(_("The file %(name)s has a header but no customer rows.", name=self.filename))
        refs = self._resolve_references(raw_rows)
        prepared = [self._prepare_row(number, raw, values, mapping, refs) for number, raw, values in raw_rows]
        self._mark_file_duplicates(prepared)
        self._check_parents(prepared, mapping)
        return prepared

    def _resolve_references(self, raw_rows):
        """Look up every distinct country, state, level and salesperson of the file at once."""
        def distinct(target):
            return {raw[target].strip() for _n, raw, _v in raw_rows if raw.get(target, "").strip()}

        refs = {"country": {}, "state": {}, "customer_level": {}, "salesperson": {}}
        langs = {"en_US", "zh_CN", self.env.lang or "en_US"}
        countries = distinct("country")
        if countries:
            folded = {fold(value) for value in countries}
            codes = {value.upper() for value in countries}
            codes |= {code for alias, code in _COUNTRY_ALIASES.items() if fold(alias) in folded}
            domain = expression.OR([[("code", "in", list(codes))]]
                                   + [[("name", "=ilike", value)] for value in countries])
            for lang in langs:
                for country in self.env["res.country"].with_context(lang=lang).search(domain):
                    refs["country"].setdefault(fold(country.name), country.id)
                    refs["country"].setdefault(fold(country.code), country.id)
            for alias, code in _COUNTRY_ALIASES.items():
                if fold(code) in refs["country"]:
                    refs["country"].setdefault(fold(alias), refs["country"][fold(code)])
        if distinct("state"):
            country_ids = set(refs["country"].values()) | {self.company_id.country_id.id, self.env.ref("base.cn").id}
            for state in self.env["res.country.state"].search([("country_id", "in", list(country_ids - {False}))]):
                for key in (_state_key(state.name), fold(state.code)):
                    refs["state"].setdefault((state.country_id.id, key), state.id)
        if distinct("customer_level"):
            Level = self.env["crm_plus.customer.level"]
            for lang in langs:
                for level in Level.with_context(lang=lang).search([("active", "=", True)]):
                    refs["customer_level"].setdefault(fold(level.name), level.id)
                    if level.code:
                        refs["customer_level"].setdefault(fold(level.code), level.id)
        names = distinct("salesperson")
        if names:
            users = self.env["res.users"].search(["|", ("login", "in", list(names)), ("name", "in", list(names))])
            for user in users:
                refs["salesperson"].setdefault(fold(user.login), user.id)
                refs["salesperson"].setdefault(fold(user.name), user.id)
        return refs

    def _prepare_row(self, number, raw, values, mapping, refs):
        """One row as a dict: partner ``vals``, identity ``keys``, ``errors`` [(header, value, message)]."""
        def header(target):
            return mapping[target][1]

        def text(target):
            return " ".join(nfkc(raw.get(target, "")).split())

        errors = []
        vals = {}
        name = " ".join((raw.get("name") or "").split())
        if not name:
            errors.append((header("name"), "", _("The name is empty.")))
        vals["name"] = name
        parent_name = text("parent")

        # country first: it is the region of the phone numbers
        country_id = False
        if text("country"):
            country_id = refs["country"].get(fold(text("country")))
            if not country_id:
                errors.append((header("country"), raw["country"], _("Unknown country.")))
        vals["country_id"] = country_id
        if text("state"):
            country = country_id or self.company_id.country_id.id or self.env.ref("base.cn").id
            state_id = refs["state"].get((country, _state_key(text("state"))))
            if state_id:
                vals["state_id"] = state_id
            else:
                errors.append((header("state"), raw["state"], _("Unknown state or province.")))

        # the same regions, in the same order, as the partners' own keys (res.partner._phone_regions)
        regions = phone.reading_regions(self.env["res.country"].browse(country_id).code if country_id else None,
                                        self.company_id.country_id.code)

        uscc_code = False
        if text("uscc"):
            ok, cleaned, error = uscc.check_uscc(raw["uscc"])
            if ok:
                uscc_code = cleaned
            else:
                errors.append((header("uscc"), raw["uscc"], self._uscc_message(error)))
        vals["uscc"] = uscc_code
        vals["vat"] = text("vat").replace(" ", "").upper() or False

        is_company = None
        if text("is_company"):
            is_company = import_columns.parse_bool_company(raw["is_company"])
            if is_company is None:
                errors.append((header("is_company"), raw["is_company"],
                               _("Write 公司 (company) or 个人 (individual).")))
        if is_company is None:
            is_company = bool(not parent_name and name and (uscc_code or company_name.is_probably_company(name)))
        vals["is_company"] = is_company

        phone_keys = []
        for target in ("phone", "mobile"):
            if not text(target):
                vals[target] = False
                continue
            numbers = []
            for part in phone.split_phones(raw[target]):
                key = self.env["res.partner"]._crm_plus_normalize_phone(part, regions)
                if key is None:
                    errors.append((header(target), raw[target],
                                   _("%(number)s is not a complete phone number (area code missing, too short "
                                     "or letters inside).", number=part)))
                    continue
                numbers.append(key.e164 + (" 转 %s" % key.extension if key.extension else ""))
                phone_keys.append(key.e164)
            vals[target] = " / ".join(numbers) or False

        email_list = []
        if text("email"):
            email_list = emails.normalize_emails(raw["email"])
            if not email_list:
                errors.append((header("email"), raw["email"], _("Not a valid e-mail address.")))
        vals["email"] = ",".join(email_list) or False

        for target, field in TEXT_TARGETS.items():
            vals[field] = (raw.get(target) or "").strip() if target == "comment" else text(target)
            vals[field] = vals[field] or False

        for target, field, message in (
            ("customer_level", "customer_level_id", _("Unknown customer level (write its code or name).")),
            ("salesperson", "user_id", _("Unknown salesperson (write the login or the name of a user).")),
        ):
            if text(target):
                record_id = refs[target].get(fold(text(target)))
                if record_id:
                    vals[field] = record_id
                else:
                    errors.append((header(target), raw[target], message))

        core = company_name.canonical_company_name(name).core if is_company and name else ""
        city_key = fold(vals.get("city") or "")
        keys = []
        if uscc_code:
            keys.append(("uscc", uscc_code))
        if vals["vat"]:
            keys.append(("vat", vals["vat"]))
        keys += [("phone", number) for number in dict.fromkeys(phone_keys)]
        keys += [("email", address) for address in email_list]
        if core:
            keys.append(("name", core))
        return {
            "number": number,
            "values": values,
            "vals": vals,
            "errors": errors,
            "status": "error" if errors else "new",
            "keys": keys,
            "core": core,
            "city_key": city_key,
            "parent_core": company_name.canonical_company_name(parent_name).core if parent_name else "",
            "parent_name": parent_name,
            "contact_name": text("contact_name"),
            "partner_id": False,
            "fill": {},
            "message": "",
        }

    def _uscc_message(self, error):
        return {
            "length": _("A USCC has 18 characters."),
            "format": _("This USCC contains characters a USCC cannot have."),
            "checksum": _("This USCC is not valid: its check character does not match."),
        }.get(error) or _("This USCC is not valid.")

    @api.model
    def _file_keys(self, row):
        """Keys that make two rows of one file the same customer (the name counts only within a city)."""
        keys = [key for key in row["keys"] if key[0] != "name"]
        if row["core"]:
            keys.append(("name_city", row["core"], row["city_key"]))
        if not keys and row["vals"]["name"]:
            keys.append(("person", fold(row["vals"]["name"]), row["parent_core"], row["city_key"]))
        return keys

    @api.model
    def _mark_file_duplicates(self, rows):
        """Flag later rows sharing a key with an earlier one; their values fill the first row's gaps."""
        first_by_key = {}
        for row in rows:
            if row["status"] == "error":
                continue
            keys = self._file_keys(row)
            first = next((first_by_key[key] for key in keys if key in first_by_key), None)
            if first is None:
                for key in keys:
                    first_by_key[key] = row
                continue
            row["status"] = "duplicate_in_file"
            row["master_number"] = first["number"]
            row["message"] = _("Same customer as row %(row)s; its values complete that row.", row=first["number"])
            for field, value in row["vals"].items():
                if value and not first["vals"].get(field):
                    first["vals"][field] = value
            for key in row["keys"]:
                if key not in first["keys"]:
                    first["keys"].append(key)
            for key in keys:
                first_by_key.setdefault(key, first)

    def _check_parents(self, rows, mapping):
        """A contact's parent company must be a company row of the file or an existing customer."""
        wanted = {row["parent_core"] for row in rows if row["parent_core"] and row["status"] != "error"}
        if not wanted:
            return
        in_file = {row["core"] for row in rows if row["core"] and row["status"] != "error"}
        missing = wanted - in_file
        found = self.env["crm_plus.partner.key"]._lookup([("name", core) for core in missing]) if missing else {}
        for row in rows:
            core = row["parent_core"]
            if core and row["status"] != "error" and core not in in_file and ("name", core) not in found:
                row["status"] = "error"
                row["errors"].append((mapping["parent"][1], row["parent_name"],
                                      _("No company of this name in the file or among the customers.")))

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
        matched.fetch(list(FILLABLE_FIELDS))
        for row in rows:
            if not row["partner_id"]:
                row["status"], row["fill"] = "new", {}
                continue
            partner = Partner.browse(row["partner_id"])
            row["fill"] = {field: row["vals"][field] for field in FILLABLE_FIELDS
                           if row["vals"].get(field) and not partner[field]}
            row["status"] = "update" if row["fill"] else "skip"

    # ------------------------------------------------------------------------------------------------
    # preview and error report
    # ------------------------------------------------------------------------------------------------

    def _row_counts(self, rows):
        statuses = [row["status"] for row in rows]
        return {
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
            if row["status"] == "update":
                labels = [Partner._fields[field].get_description(self.env)["string"] for field in row["fill"]]
                message = _("Completes: %(fields)s", fields=", ".join(labels))
            elif row["status"] == "skip":
                message = _("Already known, nothing to complete.")
            lines.append({
                "job_id": self.id, "row_number": row["number"], "name": vals["name"],
                "is_company": vals["is_company"], "phone": vals.get("phone"), "mobile": vals.get("mobile"),
                "email": vals.get("email"), "uscc": vals.get("uscc"), "company_core": row["core"],
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
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
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
    # import
    # ------------------------------------------------------------------------------------------------

    def _trigger_import_cron(self):
        # the cron record is readable by administrators only; triggering it is what every importer needs
        cron = self.env.ref("crm_plus.ir_cron_crm_plus_import", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _processing_order(self, rows):
        """Companies and standalone customers first, so contacts find their parent company in the database."""
        return sorted(rows, key=lambda row: (bool(row["parent_core"]), row["number"]))

    def _run_import(self, commit=False, deadline=None):
        """Import the rows from ``next_row``; with ``commit`` (cron) each batch is committed.

        Returns False when the cron must stop (another worker took the job, or time is up).
        """
        self.ensure_one()
        rows = self._cached_rows()
        counts = self._row_counts(rows)
        if self.mode == "all_or_nothing" and counts["error_rows"]:
            self.write(dict(counts, state="failed", **self._error_report_vals(rows), message=_(
                "%(count)s rows are invalid, so nothing was imported. Download the error report.",
                count=counts["error_rows"])))
            return True
        order = self._processing_order(rows)
        counts.pop("duplicate_in_db")  # known per batch only; the preview's count stays
        self.write(dict(counts, state="running", progress=self.next_row))
        start = self.next_row
        while start < len(order):
            batch = order[start:start + BATCH_SIZE]
            result = self._import_batch(batch)
            start += len(batch)
            runtime = list(self.runtime_errors or []) + result.pop("runtime_errors")
            self.write({
                "next_row": start, "progress": start, "runtime_errors": runtime or False,
                "created_count": self.created_count + result["created"],
                "updated_count": self.updated_count + result["updated"],
                "skipped_count": self.skipped_count + result["skipped"],
            })
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                _logger.info("crm_plus import %s: %s/%s rows", self.id, start, len(order))
                if not self._lock():
                    return False
                self.env["ir.cron"]._notify_progress(done=start, remaining=len(order) - start)
                if deadline and time.monotonic() > deadline and start < len(order):
                    return False
        self._finish(rows)
        return True

    def _prepared_cache_key(self):
        """What the prepared rows depend on: the file, the mapping, the company and the language."""
        mapping = sorted((target, index) for target, (index, _header) in self._column_mapping().items())
        source = json.dumps([self.file_hash, mapping, self.company_id.id, self.env.lang])
        return hashlib.sha256(source.encode()).hexdigest()

    def _cached_rows(self):
        """The prepared rows of a file bigger than one batch, cleaned once and kept with the job.

        The preview keeps them; the import and a resumed background import read them back while the file
        and the mapping are unchanged (the rows imported are the rows previewed): 3 s instead of 11 s at
        50,000 rows (docs/benchmarks.md). A file of one batch is simply prepared.
        """
        self.ensure_one()
        key = self._prepared_cache_key()
        # the cache fields are technical (system only); the job itself was checked readable by the caller
        job = self.sudo()
        if job.prepared_key == key and job.prepared_rows:
            return self._decode_rows(base64.b64decode(job.prepared_rows))
        rows = self._prepare_rows()
        if len(rows) > BATCH_SIZE:
            job.write({"prepared_rows": base64.b64encode(self._encode_rows(rows)), "prepared_key": key})
        return rows

    @api.model
    def _encode_rows(self, rows):
        return gzip.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=3)

    @api.model
    def _decode_rows(self, data):
        """Rows as ``_prepare_rows`` made them: keys and errors back to tuples (keys are dict keys)."""
        rows = json.loads(gzip.decompress(data))
        for row in rows:
            row["keys"] = [tuple(key) for key in row["keys"]]
            row["errors"] = [tuple(error) for error in row["errors"]]
        return rows

    def _finish(self, rows):
        runtime = [tuple(error) for error in self.runtime_errors or []]
        errors = self._row_counts(rows)["error_rows"] + len({error[0] for error in runtime})
        message = _("%(created)s customers created, %(updated)s completed, %(skipped)s skipped "
                    "(unchanged or invalid), %(dup)s duplicates merged inside the file.",
                    created=self.created_count, updated=self.updated_count, skipped=self.skipped_count,
                    dup=self.duplicate_in_file)
        if errors:
            message += "\n" + _("%(count)s rows were not imported; see the error report.", count=errors)
        self.write(dict(self._error_report_vals(rows, runtime), state="done", date_done=fields.Datetime.now(),
                        message=message, error_rows=errors, progress=len(rows), next_row=len(rows)))
        # the prepared rows served their purpose; don't keep a second copy of the file around
        self.sudo().write({"prepared_rows": False, "prepared_key": False})
        self.message_post(body=message)

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
                partners = self._create_partners([dict(row["vals"]) for row in create_rows])
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

    def _create_partners(self, vals_list):
        """Create the customers of a batch, without the per-record duplicate check.

        The import matched every row against the database and the file itself, so the check that
        blocks a duplicate at save would only repeat it row by row. That check is skipped for data
        stewards and the superuser only; hence the narrow ``sudo`` after the explicit access check.
        """
        Partner = self.env["res.partner"]
        Partner.check_access("create")
        return Partner.sudo().with_context(
            crm_plus_skip_duplicate_check=True, mail_create_nolog=True, mail_create_nosubscribe=True,
        ).create(vals_list)

    def _update_partner(self, partner_id, fill):
        """Complete the empty fields of an existing customer found by its keys (write access checked by
        ``_apply_rows`` for the whole batch)."""
        # same reason as in _create_partners: the keys written here were matched to this very partner
        self.env["res.partner"].sudo().browse(partner_id).with_context(crm_plus_skip_duplicate_check=True).write(fill)

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

    def _lock(self):
        """Lock this job's row for the current transaction; False when another worker holds it."""
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                                SQL.identifier(self._table), self.id))
        return bool(self.env.cr.fetchone())

    # ------------------------------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_process_imports(self):
        """Import the queued files, oldest first; two cron workers never take the same job."""
        # no commit inside tests: HttpCase runs in "test mode", TransactionCase marks the thread
        in_test = getattr(threading.current_thread(), "testing", False)
        deadline = None if in_test else time.monotonic() + CRON_TIME_BUDGET
        done_ids = set()
        self.env.flush_all()
        while True:
            self.env.cr.execute(SQL(
                """SELECT id FROM %s WHERE state IN ('queued', 'running') AND NOT id = ANY(%s)
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""",
                SQL.identifier(self._table), list(done_ids) or [0]))
            fetched = self.env.cr.fetchone()
            if not fetched:
                break
            job = self.browse(fetched[0])
            done_ids.add(job.id)
            # the cron runs as superuser: act in the name of the person who asked for the import
            job = job.with_user(job.user_id).sudo().with_company(job.company_id)
            try:
                finished = job._run_import(commit=not in_test, deadline=deadline)
            except Exception as exc:  # any failure is reported on the job, never lost
                if in_test:
                    raise
                self.env.cr.rollback()
                _logger.exception("crm_plus import %s failed", job.id)
                job.write({"state": "failed", "message": _(
                    "The import stopped at row %(row)s: %(error)s. Rows before it are saved; "
                    "'Import' resumes from there.", row=job.next_row, error=exc)})
                self.env.cr.commit()  # pylint: disable=invalid-commit
                continue
            if not finished:
                break
        [(total, progress)] = self._read_group([("state", "in", ("queued", "running"))], [],
                                               ["total_rows:sum", "progress:sum"])
        [(done,)] = self._read_group([("id", "in", list(done_ids))], [], ["progress:sum"])
        self.env["ir.cron"]._notify_progress(done=done or 0, remaining=max((total or 0) - (progress or 0), 0))
