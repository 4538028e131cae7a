"""Customer import: reading the file, the column mapping, and cleaning and checking each row."""

import base64
import gzip
import hashlib
import json

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import company_name, components, emails, identity, import_columns, phone, tabular, uscc
from ..tools._text import fold, nfkc
from ..tools.import_columns import BATCH_SIZE, COUNTRY_ALIASES, TEXT_TARGETS, state_key


class CrmPlusImportJobPrepare(models.Model):
    _inherit = "crm_plus.import.job"

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
            "too_large": _("The file %(name)s holds more than %(limit)s MB of data once unzipped: it cannot be "
                           "imported. Save only the customer sheet as a new .xlsx and upload it again.",
                           name=name, limit=error.detail),
            "cell_too_long": _("Row %(row)s of the file %(name)s has a cell of 32,767 characters or more, more "
                               "than Excel itself allows. Correct the row and upload the file again.",
                               name=name, row=error.detail),
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
        self._set_cleaning_vals(prepared)
        return prepared

    def _resolve_references(self, raw_rows):
        """Look up every distinct country, state, level and salesperson of the file at once."""
        def distinct(target):
            return {raw[target].strip() for _n, raw, _v in raw_rows if raw.get(target, "").strip()}

        refs = {"country": {}, "state": {}, "customer_level": {}, "salesperson": {},
                "uscc_blocks": self.env["res.config.settings"]._crm_plus_param("dup_mode_uscc") == "block",
                # read once for the file, not per row: the company's country (the phones' last region)
                "company_country_code": self.company_id.country_id.code}
        langs = {"en_US", "zh_CN", self.env.lang or "en_US"}
        countries = distinct("country")
        if countries:
            folded = {fold(value) for value in countries}
            codes = {value.upper() for value in countries}
            codes |= {code for alias, code in COUNTRY_ALIASES.items() if fold(alias) in folded}
            domain = expression.OR([[("code", "in", list(codes))]]
                                   + [[("name", "=ilike", value)] for value in countries])
            for lang in langs:
                for country in self.env["res.country"].with_context(lang=lang).search(domain):
                    refs["country"].setdefault(fold(country.name), country.id)
                    refs["country"].setdefault(fold(country.code), country.id)
            for alias, code in COUNTRY_ALIASES.items():
                if fold(code) in refs["country"]:
                    refs["country"].setdefault(fold(alias), refs["country"][fold(code)])
        if distinct("state"):
            country_ids = set(refs["country"].values()) | {self.company_id.country_id.id, self.env.ref("base.cn").id}
            for state in self.env["res.country.state"].search([("country_id", "in", list(country_ids - {False}))]):
                for key in (state_key(state.name), fold(state.code)):
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
        """One row as a dict: partner ``vals``, identity ``keys``, ``errors`` [(header, value, message)] and
        ``warnings`` [(header, value, message, field)].

        A value that cannot be normalised (a phone the numbering plan refuses, an odd e-mail, an unknown
        country...) is a warning: the row imports, the value is kept as typed (or, for a reference, in the
        cleaning note) and the customer is flagged "needs cleaning". It is an error only in strict mode.
        Errors whatever the mode: no usable name, a value the customer would refuse anyway (an invalid USCC
        while the same-USCC setting blocks).
        """
        def header(target):
            return mapping[target][1]

        def text(target):
            return " ".join(nfkc(raw.get(target, "")).split())

        errors = []
        warnings = []
        strict = self.strict

        def unclean(target, message, field=None):
            """A value that cannot be normalised: an error in strict mode, else a warning."""
            if strict:
                errors.append((header(target), raw[target], message))
            else:
                warnings.append((header(target), raw[target], message, field or target))

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
                unclean("country", _("Unknown country."), "country_id")
        vals["country_id"] = country_id
        if text("state"):
            country = country_id or self.company_id.country_id.id or self.env.ref("base.cn").id
            state_id = refs["state"].get((country, state_key(text("state"))))
            if state_id:
                vals["state_id"] = state_id
            else:
                unclean("state", _("Unknown state or province."), "state_id")

        # the same regions, in the same order, as the partners' own keys (res.partner._phone_regions)
        regions = phone.reading_order(
            (self.env["res.country"].browse(country_id).code if country_id else None, refs["company_country_code"]),
            texts=(name, raw.get("city"), raw.get("street")), numbers=(raw.get("phone"), raw.get("mobile")))

        uscc_code = False
        if text("uscc"):
            ok, cleaned, error = uscc.check_uscc(raw["uscc"])
            if ok:
                uscc_code = cleaned
            elif strict or refs["uscc_blocks"]:
                # the customer refuses an invalid USCC anyway while the same-USCC check blocks
                errors.append((header("uscc"), raw["uscc"], self._uscc_message(error)))
            else:
                unclean("uscc", self._uscc_message(error))
        vals["uscc"] = uscc_code
        vals["vat"] = identity.normalize_vat(text("vat")) or False

        is_company = None
        if text("is_company"):
            is_company = import_columns.parse_bool_company(raw["is_company"])
            if is_company is None:
                unclean("is_company", _("Write 公司 (company) or 个人 (individual)."))
        if is_company is None:
            is_company = bool(not parent_name and name and (uscc_code or company_name.is_probably_company(name)))
        vals["is_company"] = is_company

        phone_keys = []
        known_readings = {}  # the number written -> its readings, passed to the partner's compute
        for target in ("phone", "mobile"):
            if not text(target):
                vals[target] = False
                continue
            numbers, refused = [], False
            for part in phone.split_phones(raw[target]):
                readings = phone.phone_readings(part, regions)
                key = readings[0] if readings else None
                if key is None:
                    refused = True
                    unclean(target, _("%(number)s is not a complete phone number (area code missing, too short "
                                      "or letters inside).", number=part))
                    continue
                numbers.append(key.e164 + (" 转 %s" % key.extension if key.extension else ""))
                phone_keys += [reading.e164 for reading in readings]
            # a number the numbering plan refuses is kept as typed (the readable ones still give their keys)
            vals[target] = (raw[target].strip() if refused else " / ".join(numbers)) or False
            if len(numbers) == 1 and not refused:
                # written with its country code, the number reads the same in every region: its one reading
                known_readings[numbers[0]] = [list(key)]

        email_list = []
        if text("email"):
            email_list = emails.normalize_emails(raw["email"])
            if not email_list:
                unclean("email", _("Not a valid e-mail address."))
        vals["email"] = ",".join(email_list) or (False if strict else raw.get("email", "").strip() or False)

        for target, field in TEXT_TARGETS.items():
            vals[field] = (raw.get(target) or "").strip() if target == "comment" else text(target)
            vals[field] = vals[field] or False

        for target, field in (("customer_level", "customer_level_id"), ("salesperson", "user_id")):
            if text(target):
                record_id = refs[target].get(fold(text(target)))
                if record_id:
                    vals[field] = record_id
                elif target == "customer_level":
                    unclean(target, _("Unknown customer level (write its code or name)."), field)
                else:
                    unclean(target, _("Unknown salesperson (write the login or the name of a user)."), field)

        core = company_name.canonical_company_name(name).core if is_company and name else ""
        city_key = fold(vals.get("city") or "")
        keys = identity.identity_keys(phones=phone_keys, emails=email_list, uscc=uscc_code, vat=vals["vat"],
                                      company_core=core)
        return {
            "number": number,
            "values": values,
            "vals": vals,
            "errors": errors,
            "warnings": warnings,
            "readings": known_readings,
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
        """Merge the rows of one customer: rows sharing any key are one, transitively (connected components,
        as the duplicate scan groups its pairs). The first row of a component stays; the later ones are
        flagged ``duplicate_in_file`` and complete its empty values, in file order."""
        valid = [row for row in rows if row["status"] != "error"]
        for members in components.key_components([self._file_keys(row) for row in valid]):
            first = valid[members[0]]
            for index in members[1:]:
                row = valid[index]
                row["status"] = "duplicate_in_file"
                row["master_number"] = first["number"]
                row["message"] = _("Same customer as row %(row)s; its values complete that row.",
                                   row=first["number"])
                copied = set()
                for field, value in row["vals"].items():
                    if value and not first["vals"].get(field):
                        first["vals"][field] = value
                        copied.add(field)
                # a value kept as typed that completes the first row still needs cleaning there
                first["warnings"] += [warning for warning in row["warnings"]
                                      if warning[3] in copied or not first["vals"].get(warning[3])]
                for key in row["keys"]:
                    if key not in first["keys"]:
                        first["keys"].append(key)
                first["readings"].update(row["readings"])

    @api.model
    def _set_cleaning_vals(self, rows):
        """Flag the customers of the rows holding a value kept as typed, with a note of what to clean."""
        for row in rows:
            if row["status"] == "error" or not row["warnings"]:
                continue
            notes = dict.fromkeys("%s: %s (%s)" % (column, value, message)
                                  for column, value, message, _field in row["warnings"])
            row["vals"]["needs_cleaning"] = True
            row["vals"]["cleaning_note"] = "\n".join(notes)

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
                message = _("No company of this name in the file or among the customers.")
                if self.strict:
                    row["status"] = "error"
                    row["errors"].append((mapping["parent"][1], row["parent_name"], message))
                else:  # imported on its own; the company it names is left to clean
                    row["warnings"].append((mapping["parent"][1], row["parent_name"], message, "parent_id"))
                    row["parent_core"] = ""

    # ------------------------------------------------------------------------------------------------
    # prepared rows kept with the job
    # ------------------------------------------------------------------------------------------------

    def _prepared_cache_key(self):
        """What the prepared rows depend on: the file, the mapping, the company, the language, the strict
        option and the same-USCC setting."""
        mapping = sorted((target, index) for target, (index, _header) in self._column_mapping().items())
        uscc_mode = self.env["res.config.settings"]._crm_plus_param("dup_mode_uscc")
        source = json.dumps([self.file_hash, mapping, self.company_id.id, self.env.lang, self.strict, uscc_mode])
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
            row["warnings"] = [tuple(warning) for warning in row["warnings"]]
        return rows
