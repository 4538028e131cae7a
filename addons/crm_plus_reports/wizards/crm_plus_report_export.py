"""Export an analysis to XLSX: period, salespeople, amounts optionally in 万."""

import base64
import io
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_plus.tools.workbook import new_workbook

from ..tools.period import period_domain
from ..tools.xlsx_sheet import SheetWriter

# above this many rows the workbook is written in constant-memory mode (rows flushed as they are written)
CONSTANT_MEMORY_ROWS = 5000
# rows read (and their cache dropped) at a time
READ_BATCH = 2000
# above this many rows the export is written in the background (crm_plus.report.export.job) and announced
BACKGROUND_ROWS = 50000
# rows of an Excel sheet, the headers' row left out
MAX_ROWS = 1048575


class CrmPlusReportExport(models.TransientModel):
    """The export wizard of the analyses: the rows the user reads in the analysis, as values (never
    formulas), headers in the user's language."""

    _name = "crm_plus.report.export"
    _description = "Export an Analysis"

    report_model = fields.Selection(selection="_selection_report_model", string="Analysis", required=True,
                                    default="crm_plus.report.pipeline")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    user_ids = fields.Many2many("res.users", string="Salespeople", help="Leave empty for everyone you may see.")
    in_wan = fields.Boolean(string="Amounts in 万", help="Divide money amounts by 10,000 (万).")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _selection_report_model(self):
        return [(name, self._analysis_label(name)) for name in sorted(self.env.registry)
                if name.startswith("crm_plus.report.") and getattr(self.env[name], "_crm_plus_export_fields", None)]

    @api.model
    def _analysis_label(self, model):
        """The analysis' name in the user's language."""
        return self.env["ir.model"]._get(model).name or self.env[model]._description

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise UserError(_("The period ends (%(end)s) before it starts (%(start)s).",
                                  start=wizard.date_from, end=wizard.date_to))

    def action_export(self):
        self.ensure_one()
        # headers, labels and sheet names in the user's language, whatever language the caller's context says
        return self.with_context(lang=self.env.user.lang or self.env.lang)._export()

    def _export(self):
        Report = self.env[self.report_model]
        if not Report.has_access("read"):
            raise AccessError(_("You may not read the %(analysis)s.", analysis=self._analysis_label(Report._name)))
        domain = self._domain()
        count = Report.search_count(domain)
        if not count:
            raise UserError(_("Nothing to export: the %(analysis)s has no rows for this period and these "
                              "filters.", analysis=self._analysis_label(Report._name)))
        if count > MAX_ROWS:
            raise UserError(_("%(count)s rows do not fit in one Excel sheet (at most %(max)s): choose a shorter "
                              "period or fewer salespeople.", count=count, max=MAX_ROWS))
        if count > BACKGROUND_ROWS:
            return self._queue(Report, domain, count)
        records = Report.search(domain)
        self.write({"file_data": base64.b64encode(self._workbook(records)), "file_name": self._file_name(Report)})
        return {
            "type": "ir.actions.act_url", "target": "self",
            "url": "/web/content/%s/%s/file_data/%s?download=true" % (
                self._name, self.id, quote(self.file_name)),
        }

    def _queue(self, Report, domain, count):
        """Queue a background export of ``count`` rows; the user is notified with a link when it is written."""
        job = self.env["crm_plus.report.export.job"].create({
            "name": self._file_name(Report).removesuffix(".xlsx"), "report_model": self.report_model,
            "domain": repr(domain), "in_wan": self.in_wan,
        })
        self.env.ref("crm_plus_reports.ir_cron_crm_plus_report_exports")._trigger()
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "info", "sticky": False, "title": job.name,
                "message": _("%(count)s rows: the export runs in the background. You will get a message with "
                             "the download link when it is ready.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _domain(self):
        Report = self.env[self.report_model]
        domain = []
        date_field = Report._crm_plus_date_field
        if date_field:
            domain += period_domain(date_field, Report._fields[date_field].type, self.date_from, self.date_to)
        owner = Report._crm_plus_source.get("owner") or "user_id"
        if self.user_ids and owner in Report._fields:
            domain.append((owner, "in", self.user_ids.ids))
        return domain

    def _file_name(self, Report):
        period = "-".join(str(d) for d in (self.date_from, self.date_to) if d)
        return "%s%s.xlsx" % (self._analysis_label(Report._name), " %s" % period if period else "")

    def _workbook(self, records):
        """The .xlsx bytes of ``records`` (read by batches; constant memory for large exports)."""
        buffer = io.BytesIO()
        workbook = new_workbook(buffer, constant_memory=len(records) > CONSTANT_MEMORY_ROWS)
        self._write_sheet(workbook, records)
        workbook.close()
        return buffer.getvalue()

    def _write_sheet(self, workbook, records):
        # read once: the cache is dropped after each batch (a background job's wizard is a new record)
        in_wan, label = self.in_wan, self._analysis_label(records._name)
        writer = SheetWriter(workbook, label, records._crm_plus_export_headers(in_wan))
        kinds = records._crm_plus_export_kinds()
        # constant memory: rows are fetched by batches and written as they come, nothing stays in the cache
        for rows in records._crm_plus_export_batches(in_wan, READ_BATCH):
            writer.write_rows(rows, kinds)
        return writer.rows
