import base64
import datetime
import io
import zipfile
from datetime import timedelta

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from odoo.addons.crm_plus.tools.workbook import new_workbook

from ..tools import xlsx_sheet
from ..wizards import crm_plus_report_export
from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportExport(CrmPlusReportsCase):
    """XLSX exports of the analyses: values only, the user's scope, the user's language, amounts in 万."""

    def _export(self, user, **vals):
        wizard = self.env["crm_plus.report.export"].with_user(user).create(vals)
        action = wizard.action_export()
        self.assertIn("/file_data/", action["url"])
        return wizard

    @staticmethod
    def _sheet(wizard):
        content = base64.b64decode(wizard.file_data)
        return content, openpyxl.load_workbook(io.BytesIO(content)).active

    def test_every_analysis_exports(self):
        Export = self.env["crm_plus.report.export"]
        models = [name for name, _label in Export._selection_report_model()]
        self.assertIn("crm_plus.report.pipeline", models)
        self.assertIn("crm_plus.report.receivable", models)
        for model in models:
            with self.subTest(model=model):
                if model == "crm_plus.report.adoption":
                    self.customer.message_post(body="Note", subtype_xmlid="mail.mt_note")
                user = self.user_service_manager if model == "crm_plus.report.ticket" else self.user_admin
                _content, sheet = self._sheet(self._export(user, report_model=model))
                headers = [cell.value for cell in sheet[1]]
                # in the user's language (the administrator of the test database may read Chinese)
                expected = self.env[model].with_user(user).with_context(lang=user.lang)._crm_plus_export_headers()
                self.assertEqual(headers, expected)
                self.assertGreater(sheet.max_row, 1)

    def test_formula_in_a_name_stays_text(self):
        names = ['=HYPERLINK("http://x","y")', '{=HYPERLINK("http://x","y")}',
                 # xlsxwriter would copy a text shaped <r>...</r> into the sheet's XML as is (a "rich string")
                 '<r><t>a</t></r></is><f>HYPERLINK("http://x","y")</f><is><r><t>b</t></r>']
        customers = self.customer | self.outsider_customer | self.other_customer
        for customer, name in zip(customers, names, strict=True):
            customer.name = name
        self.env.flush_all()
        for constant_memory_rows in (5000, 1):  # in memory (shared strings), then constant memory (inline)
            self.patch(crm_plus_report_export, "CONSTANT_MEMORY_ROWS", constant_memory_rows)
            content, sheet = self._sheet(self._export(self.user_manager, report_model="crm_plus.report.receivable"))
            exported = {row[1].value for row in sheet.iter_rows(min_row=2)}
            self.assertLessEqual(set(names), exported)
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
            self.assertNotIn("<f>", xml, "no cell is a formula")

    def test_scope_and_filters(self):
        _content, rows = self._export_rows(self.user_sales, "crm_plus.report.pipeline")
        mine = {"Sales' deal", "Sales' won deal", "Sales' lost deal", "Nobody's lead"}
        self.assertEqual(set(rows) & set(self.leads.mapped("name")), mine)
        readable = self.env["crm.lead"].with_user(self.user_sales).with_context(active_test=False).search([])
        self.assertEqual(sorted(rows), sorted(readable.mapped("name")), "exactly what the salesperson reads")
        _content, rows = self._export_rows(self.user_manager, "crm_plus.report.pipeline", user_ids=self.user_leader)
        self.assertEqual(set(rows), {"Leader's deal"})

    def _export_rows(self, user, model, user_ids=None):
        vals = {"report_model": model}
        if user_ids:
            vals["user_ids"] = [Command.set(user_ids.ids)]
        content, sheet = self._sheet(self._export(user, **vals))
        return content, [row[0].value for row in sheet.iter_rows(min_row=2)]

    def test_amounts_in_wan_and_chinese_headers(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_manager.lang = "zh_CN"
        _content, sheet = self._sheet(self._export(self.user_manager, report_model="crm_plus.report.receivable",
                                                   in_wan=True))
        headers = [cell.value for cell in sheet[1]]
        residual = self.env["crm_plus.report.receivable"].with_context(lang="zh_CN")._fields["amount_residual"]
        label = residual.get_description(self.env(context={"lang": "zh_CN"}))["string"]
        self.assertIn(label, headers[-1])
        self.assertIn("万", headers[-1])
        amounts = {row[0].value: row[-1].value for row in sheet.iter_rows(min_row=2)}
        self.assertAlmostEqual(amounts[self.invoice_outsider.name], 0.04)

    def test_period(self):
        due = self.invoice_sales_late.invoice_date_due
        _content, rows = self._export_rows(self.user_manager, "crm_plus.report.receivable")
        self.assertLessEqual(set(self.invoices.mapped("name")), set(rows))
        wizard = self._export(self.user_manager, report_model="crm_plus.report.receivable", date_from=due,
                              date_to=due)
        rows = [r[0].value for r in self._sheet(wizard)[1].iter_rows(min_row=2)]
        self.assertIn(self.invoice_sales_late.name, rows)
        self.assertFalse(set(rows) & set((self.invoices - self.invoice_sales_late).mapped("name")))

    def test_bad_periods(self):
        with self.assertRaisesRegex(UserError, "Nothing to export"):
            self._export(self.user_manager, report_model="crm_plus.report.receivable",
                         date_from=self.today - timedelta(days=9000), date_to=self.today - timedelta(days=8000))
        with self.assertRaisesRegex(UserError, "before it starts"):
            self._export(self.user_manager, report_model="crm_plus.report.receivable",
                         date_from=self.today, date_to=self.today - timedelta(days=1))
        wizard = self._export(self.user_manager, report_model="crm_plus.report.receivable",
                              date_from=self.today - timedelta(days=3653), date_to=self.today + timedelta(days=30))
        rows = [r[0].value for r in self._sheet(wizard)[1].iter_rows(min_row=2)]
        self.assertLessEqual(set(self.invoices.mapped("name")), set(rows))
        # more rows than an Excel sheet holds: said before anything is written or queued
        self.patch(crm_plus_report_export, "MAX_ROWS", 2)
        with self.assertRaisesRegex(UserError, "do not fit in one Excel sheet"):
            self._export(self.user_manager, report_model="crm_plus.report.receivable")

    def test_large_export_in_constant_memory(self):
        self.patch(crm_plus_report_export, "CONSTANT_MEMORY_ROWS", 2)
        self.patch(crm_plus_report_export, "READ_BATCH", 3)
        content, sheet = self._sheet(self._export(self.user_manager, report_model="crm_plus.report.pipeline"))
        # every row the manager reads (their data scope), not every row of the database
        readable = self.env["crm_plus.report.pipeline"].with_user(self.user_manager).search_count([])
        self.assertEqual(sheet.max_row, 1 + readable)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("inlineStr", sheet_xml, "constant-memory mode writes strings inline")


@tagged("post_install", "-at_install")
class TestReportExportJob(CrmPlusReportsCase):
    """Large exports: queued by the wizard, written by the cron as the user, announced with a download link."""

    def setUp(self):
        super().setUp()
        self.patch(crm_plus_report_export, "BACKGROUND_ROWS", 1)

    def test_queued_written_and_announced(self):
        wizard = self.env["crm_plus.report.export"].with_user(self.user_sales).create(
            {"report_model": "crm_plus.report.pipeline"})
        action = wizard.action_export()
        self.assertEqual(action["tag"], "display_notification")
        Job = self.env["crm_plus.report.export.job"]
        job = Job.with_user(self.user_sales).search([])
        self.assertEqual((job.state, job.user_id), ("queued", self.user_sales))
        self.assertEqual(Job._cron_run_exports(), 1)
        self.assertEqual(job.state, "done")
        readable = self.env["crm.lead"].with_user(self.user_sales).with_context(active_test=False).search_count([])
        self.assertEqual(job.row_count, readable, "written as the salesperson: their scope only")
        content = base64.b64decode(job.with_user(self.user_sales).attachment_id.datas)
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), readable)
        message = self.env["mail.message"].search([("model", "=", Job._name), ("res_id", "=", job.id)])
        self.assertIn(self.user_sales.partner_id, message.partner_ids)
        self.assertIn("/web/content/%s" % job.attachment_id.id, str(message.body))
        # a second run finds nothing to do; another user does not see the job
        self.assertEqual(Job._cron_run_exports(), 0)
        self.assertFalse(Job.with_user(self.user_leader).search([]))

    def test_failure_is_reported_once(self):
        job = self.env["crm_plus.report.export.job"].create({
            "name": "Broken", "user_id": self.user_sales.id, "report_model": "crm_plus.report.receivable",
            "domain": "[('no_such_field', '=', 1)]"})
        self.env["crm_plus.report.export.job"]._cron_run_exports()
        self.assertEqual(job.state, "failed")
        self.assertTrue(job.error)
        self.assertEqual(self.env["crm_plus.report.export.job"]._cron_run_exports(), 0)

    def test_amounts_in_wan_over_several_batches(self):
        self.patch(crm_plus_report_export, "READ_BATCH", 2)
        job = self.env["crm_plus.report.export.job"].create({
            "name": "Receivables", "user_id": self.user_manager.id, "report_model": "crm_plus.report.receivable",
            "domain": repr([("move_id", "in", self.invoices.ids)]), "in_wan": True})
        self.env["crm_plus.report.export.job"]._cron_run_exports()
        content = base64.b64decode(job.attachment_id.datas)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        amounts = sorted(row[-1] for row in sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(amounts, [0.01, 0.02, 0.04, 0.08])


@tagged("post_install", "-at_install")
class TestReportExportSql(CrmPlusReportsCase):
    """The export reads each batch with one SQL query: the same cells as the ORM read of the same rows."""

    @staticmethod
    def _normalized(rows):
        empty = (None, False, "")
        return [[None if cell in empty else round(cell, 6) if isinstance(cell, float) else cell for cell in row]
                for row in rows]

    def test_same_cells_as_the_orm(self):
        self.customer.message_post(body="Note", subtype_xmlid="mail.mt_note")
        self.env.flush_all()
        Export = self.env["crm_plus.report.export"]
        for model, _label in Export._selection_report_model():
            user = self.user_service_manager if model == "crm_plus.report.ticket" else self.user_manager
            Report = self.env[model].with_user(user).with_context(lang="en_US")
            records = Report.search([])
            with self.subTest(model=model):
                self.assertTrue(records)
                for in_wan in (False, True):
                    batches = list(records._crm_plus_export_batches(in_wan, 3))
                    self.assertTrue(all(len(batch) <= 3 for batch in batches))
                    sql_rows = [row for batch in batches for row in batch]
                    orm_rows = list(records._crm_plus_export_rows(in_wan))
                    self.assertEqual(len(sql_rows), len(records))
                    self.assertEqual(self._normalized(sql_rows), self._normalized(orm_rows))

    def test_empty_number_is_an_empty_cell(self):
        """A lead nobody touched yet has no hours to first touch (NULL in the view): its cell is empty in both
        paths, not 0 (an average in the spreadsheet would count it as an instant answer)."""
        Report = self.env["crm_plus.report.pipeline"].with_context(lang="en_US")
        index = list(Report._crm_plus_export_fields).index("hours_to_first_touch")
        untouched = Report.search([("first_touch_date", "=", False)])
        self.assertTrue(untouched)
        for rows in ([row for batch in untouched._crm_plus_export_batches(False, 100) for row in batch],
                     list(untouched._crm_plus_export_rows(False))):
            self.assertEqual({row[index] for row in rows}, {None})
        lead = untouched[0].lead_id
        lead.message_post(body="Called", message_type="comment", subtype_xmlid="mail.mt_comment",
                          author_id=self.user_manager.partner_id.id)
        self.env.flush_all()
        self.env.invalidate_all()  # the view's rows read above are cached
        touched = Report.search([("lead_id", "=", lead.id)])
        for rows in (next(touched._crm_plus_export_batches(False, 100)), list(touched._crm_plus_export_rows(False))):
            self.assertIsInstance(rows[0][index], float)

    def test_rules_apply_to_the_query(self):
        """Ids the user may not read are not exported, even when asked for."""
        Report = self.env["crm_plus.report.pipeline"]
        every = Report.search([])
        mine = Report.with_user(self.user_sales).search([])
        self.assertLess(len(mine), len(every))
        rows = [row for batch in every.with_user(self.user_sales)._crm_plus_export_batches(False, 100)
                for row in batch]
        self.assertEqual(len(rows), len(mine))


@tagged("post_install", "-at_install")
class TestXlsxRows(BaseCase):
    """Rows of a large export written in one go per batch: the same sheet as xlsxwriter's cell by cell writing."""

    def test_local_time(self):
        utc = datetime.datetime(2026, 11, 30, 18, 30)
        self.assertEqual(xlsx_sheet.local_time("Asia/Shanghai")(utc), datetime.datetime(2026, 12, 1, 2, 30))
        self.assertEqual(xlsx_sheet.local_time("Not/AZone")(utc), utc)
        self.assertEqual(xlsx_sheet.local_time(False)(utc), utc)

    ROWS = [
        ['a & <b> "q"', " lead", "x\x01y_x0041_", '=HYPERLINK("http://x","y")', "{=1+1}", 1.5, 0, True,
         datetime.date(2026, 1, 2), datetime.datetime(2026, 3, 4, 5, 6, 7, 890000), "tail \n", "中文"],
        [None, "", False, "", None, 0.0, 7, False, "", "", "ok", "\uffff"],
        [None] * 12,
        ["z", "y", "x", "w", "v", -2.25e-7, 123456789012, True, datetime.date(1999, 12, 31),
         datetime.datetime(2030, 12, 31, 23, 59, 59), "", "42"],
    ]
    KINDS = [xlsx_sheet.TEXT] * 5 + [xlsx_sheet.FLOAT, xlsx_sheet.NUMBER, xlsx_sheet.BOOLEAN, xlsx_sheet.DATE,
                                     xlsx_sheet.DATETIME, xlsx_sheet.TEXT, xlsx_sheet.TEXT]

    def _sheet_xml(self, in_batches):
        buffer = io.BytesIO()
        workbook = new_workbook(buffer, constant_memory=True)
        writer = xlsx_sheet.SheetWriter(workbook, "Rows", ["h%d" % i for i in range(len(self.KINDS))])
        if in_batches:
            writer.write_rows(self.ROWS[:2], self.KINDS)
            writer.write_rows(self.ROWS[2:], self.KINDS)
        else:
            for row in self.ROWS:
                writer.write_row(row)
        self.assertEqual(writer.rows, len(self.ROWS))
        workbook.close()
        with zipfile.ZipFile(buffer) as archive:
            return archive.read("xl/worksheets/sheet1.xml").decode()

    def test_same_xml_as_xlsxwriter(self):
        self.assertEqual(self._sheet_xml(True), self._sheet_xml(False))

    def test_rich_text_stays_text(self):
        text = '<r><t>a</t></r></is><f>SUM(1)</f><is><r><t>b</t></r>'
        for constant_memory in (False, True):
            buffer = io.BytesIO()
            workbook = new_workbook(buffer, constant_memory=constant_memory)
            writer = xlsx_sheet.SheetWriter(workbook, "Rows", ["Name", "Other"])
            writer.write_row([text, "{=SUM(1)}"])
            writer.write_rows([[text, "{=SUM(1)}"]], [xlsx_sheet.TEXT, xlsx_sheet.TEXT])
            writer.sheet.write(3, 1, "{=SUM(1)}")
            workbook.close()
            sheet = openpyxl.load_workbook(buffer).active
            self.assertEqual([row[0] for row in sheet.iter_rows(min_row=2, max_row=3, values_only=True)],
                             [text, text])
            self.assertEqual({row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}, {"{=SUM(1)}"})
            with zipfile.ZipFile(buffer) as archive:
                self.assertNotIn("<f>", archive.read("xl/worksheets/sheet1.xml").decode())
