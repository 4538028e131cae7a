"""Customer import job: the upload, its states, the actions and the background cron."""

import logging
import threading
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.import_columns import BATCH_SIZE

_logger = logging.getLogger(__name__)

# files with more rows than this are imported by the cron, in the background
SYNC_ROW_LIMIT = 2000
# seconds a cron call works before handing back (the cron calls again while rows remain)
CRON_TIME_BUDGET = 60


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
    strict = fields.Boolean(
        string="Strict Cleaning", tracking=True,
        help="Refuse a row holding a value that cannot be normalised (a phone number the numbering plan does "
             "not accept, an odd e-mail address, an unknown country...). Without it such a row is imported, the "
             "value kept as typed and the customer flagged 'Needs Cleaning'.")
    state = fields.Selection(
        [("draft", "Uploaded"), ("preview", "Previewed"), ("queued", "Queued"), ("running", "Running"),
         ("done", "Done"), ("failed", "Failed")],
        default="draft", required=True, index=True, tracking=True, copy=False, string="Status")
    line_ids = fields.One2many("crm_plus.import.job.line", "job_id", string="Preview", copy=False)
    total_rows = fields.Integer(readonly=True, copy=False)
    valid_rows = fields.Integer(readonly=True, copy=False)
    error_rows = fields.Integer(readonly=True, copy=False)
    warning_rows = fields.Integer(
        string="To Clean", readonly=True, copy=False,
        help="Rows imported with a value kept as typed: their customers are flagged 'Needs Cleaning'.")
    is_background = fields.Boolean(
        compute="_compute_is_background",
        help="The file is imported in the background, in batches each saved on its own.")
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

    @api.depends("total_rows")
    def _compute_is_background(self):
        for job in self:
            job.is_background = job.total_rows > SYNC_ROW_LIMIT

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
            self.write({"state": "queued", "message": "%s\n%s" % (_(
                "Queued: %(count)s rows are imported in the background. This page shows the progress.",
                count=self.total_rows), self._batches_message())})
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
    # import
    # ------------------------------------------------------------------------------------------------

    def _batches_message(self):
        """What a background import is and is not: said in its preview and in its result."""
        return _("This import is not all-or-nothing: it runs in batches of %(size)s rows and each batch is saved "
                 "on its own. If it stops, the rows already saved stay, and 'Resume Import' continues with the "
                 "next row without creating any customer twice.", size=BATCH_SIZE)

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
        locked = [True]

        def import_batch(batch):
            result = self._import_batch(batch)
            done = self.next_row + len(batch)
            runtime = list(self.runtime_errors or []) + result.pop("runtime_errors")
            self.write({
                "next_row": done, "progress": done, "runtime_errors": runtime or False,
                "created_count": self.created_count + result["created"],
                "updated_count": self.updated_count + result["updated"],
                "skipped_count": self.skipped_count + result["skipped"],
            })
            return len(batch)

        def keep_going():
            # the job's row lock ends with each commit: take it again, or let the worker holding it go on
            locked[0] = self._lock()
            return locked[0]

        self.env["ir.cron"]._crm_plus_run_batches(
            "import %s" % self.id, order[start:], import_batch, batch_size=BATCH_SIZE, deadline=deadline,
            commit=commit, keep_going=keep_going if commit else None)
        if not locked[0] or self.next_row < len(order):
            return False
        self._finish(rows)
        return True

    def _finish(self, rows):
        runtime = [tuple(error) for error in self.runtime_errors or []]
        errors = self._row_counts(rows)["error_rows"] + len({error[0] for error in runtime})
        message = _("%(created)s customers created, %(updated)s completed, %(skipped)s skipped "
                    "(unchanged or invalid), %(dup)s duplicates merged inside the file.",
                    created=self.created_count, updated=self.updated_count, skipped=self.skipped_count,
                    dup=self.duplicate_in_file)
        if self.warning_rows:
            message += "\n" + _("%(count)s customers hold a value kept as typed: see the filter 'Needs Cleaning' "
                                "on the customers.", count=self.warning_rows)
        if errors:
            message += "\n" + _("%(count)s rows were not imported; see the error report.", count=errors)
        if self.is_background:
            message += "\n" + _("Imported in %(count)s batches, each saved on its own (not all-or-nothing).",
                                count=-(-len(rows) // BATCH_SIZE))
        self.write(dict(self._error_report_vals(rows, runtime), state="done", date_done=fields.Datetime.now(),
                        message=message, error_rows=errors, progress=len(rows), next_row=len(rows)))
        # the prepared rows served their purpose; don't keep a second copy of the file around
        self.sudo().write({"prepared_rows": False, "prepared_key": False})
        self.message_post(body=message)

    def _lock(self):
        """Lock this job's row for the current transaction (the crons' one claim); False when another
        worker holds it or has changed it since this transaction's snapshot."""
        return bool(self.env["ir.cron"]._crm_plus_claim(self))

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
        Cron = self.env["ir.cron"]
        # oldest first; a job queued meanwhile triggers the cron again
        for waiting in self.search([("state", "in", ("queued", "running"))], order="id"):
            # claimed one by one (the lock is kept on it only); a job another worker holds is left to it
            if not Cron._crm_plus_claim(waiting, SQL("state IN ('queued', 'running')")):
                continue
            done_ids.add(waiting.id)
            # the cron runs as superuser: act in the name of the person who asked for the import
            job = waiting.with_user(waiting.user_id).sudo().with_company(waiting.company_id)
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
