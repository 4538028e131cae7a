import base64
import io
import zipfile
from datetime import date, timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools.period import period_domain
from .common import CrmPlusReportsCase


@tagged("post_install", "-at_install")
class TestReportCustomer360(CrmPlusReportsCase):
    """The customer 360 workbook: every subject read as the user (rules, field groups, contact masking)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.env["crm_plus.pool"].create({"name": "360 Pool"})
        cls.pool_customer = cls.env["res.partner"].create({
            "name": "公海测试有限公司", "is_company": True, "pool_id": cls.pool.id, "phone": "139 7100 0004",
            "email": "sales@pool-360.example"})
        cls.pool_contact = cls.env["res.partner"].create({
            "name": "王五", "parent_id": cls.pool_customer.id, "mobile": "139 7100 0006"})

    def _workbook(self, user, partner):
        wizard = self.env["crm_plus.report.customer360"].with_user(user).with_context(
            active_model="res.partner", active_id=partner.id).create({})
        self.assertEqual(wizard.partner_id, partner)
        wizard.action_export()
        content = base64.b64decode(wizard.file_data)
        book = openpyxl.load_workbook(io.BytesIO(content))
        values = {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book}
        return content, values

    def test_every_subject(self):
        _content, sheets = self._workbook(self.user_manager, self.customer)
        self.assertEqual(list(sheets), ["Profile", "Contacts", "Pipeline", "Contracts", "Invoices", "Payments",
                                        "Tickets"])
        self.assertEqual(sheets["Profile"][1][0], self.customer.name)
        self.assertIn("Sales' deal", [row[0] for row in sheets["Pipeline"]])
        self.assertIn(self.contract_sales.name, [row[0] for row in sheets["Contracts"]])
        self.assertEqual({row[0] for row in sheets["Invoices"][1:]},
                         {self.invoice_sales_due.name, self.invoice_sales_late.name})
        self.assertIn(self.ticket_agent.name, [row[1] for row in sheets["Tickets"]])

    def test_period_includes_its_last_day(self):
        """A lead created today (a datetime) is in a period ending today; one ending yesterday leaves it out."""
        # periods are whole UTC days, as Odoo compares a datetime field with a date
        today = fields.Date.today()
        lead = self.env["crm.lead"].create({"name": "Created today", "partner_id": self.customer.id})
        for date_to, expected in ((today, True), (today - timedelta(days=1), False)):
            wizard = self.env["crm_plus.report.customer360"].with_user(self.user_manager).create({
                "partner_id": self.customer.id, "date_from": today - timedelta(days=30), "date_to": date_to})
            wizard.action_export()
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
            names = [row[0].value for row in book["Pipeline"].iter_rows()]
            self.assertEqual(lead.name in names, expected, date_to)

    def test_period_domain(self):
        day = date(2026, 11, 30)
        self.assertEqual(period_domain("d", "date", day, day), [("d", ">=", day), ("d", "<=", day)])
        self.assertEqual(period_domain("dt", "datetime", None, day), [("dt", "<", date(2026, 12, 1))])
        self.assertEqual(period_domain("dt", "datetime"), [])

    def test_masked_contact_details(self):
        _content, sheets = self._workbook(self.user_sales, self.pool_customer)
        text = repr(sheets)
        self.assertNotIn("7100 0004", text)
        self.assertNotIn("7100 0006", text)
        self.assertNotIn("sales@pool-360.example", text)
        profile = dict(zip(sheets["Profile"][0], sheets["Profile"][1], strict=True))
        self.assertEqual(profile["Phone"], "139 **** 0004")
        _content, sheets = self._workbook(self.user_manager, self.pool_customer)
        self.assertIn("139 7100 0004", repr(sheets), "managers are never masked")

    def test_role_without_leads(self):
        _content, sheets = self._workbook(self.user_finance, self.customer)
        self.assertEqual(sheets["Pipeline"], [["Not available to you"]])
        self.assertEqual(len(sheets["Invoices"]), 3)

    def test_out_of_scope_customer(self):
        with self.assertRaises(AccessError):
            self._workbook(self.user_sales, self.outsider_customer)

    def test_formula_stays_text(self):
        self.customer.name = '=HYPERLINK("http://x","y")'
        content, sheets = self._workbook(self.user_sales, self.customer)
        self.assertEqual(sheets["Profile"][1][0], '=HYPERLINK("http://x","y")')
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    self.assertNotIn("<f>", archive.read(name).decode(), name)
