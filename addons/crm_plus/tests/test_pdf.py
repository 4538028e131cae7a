import shutil
import subprocess
import unicodedata
from datetime import date

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestPdf(CrmPlusCase, HttpCase):
    """The contract and an invoice with the buyer's title card (开票信息) print as real PDFs, Chinese included.

    An HttpCase: wkhtmltopdf loads the report's assets from this server, which then answers through the
    test's own transaction (a plain TransactionCase leaves that request waiting on the test's locks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._setup_invoicing("企业版年度许可")
        cls.customer.write({
            "invoice_title": "上海测试科技有限公司",
            "invoice_bank_name": "中国工商银行上海张江支行",
            "invoice_bank_account": "1001 2345 6789 0123 456",
            "invoice_address_phone": "上海市浦东新区张江路88号 021-5080 1234",
        })
        cls.contract = cls.env["crm_plus.contract"].create({
            "partner_id": cls.customer.id,
            "user_id": cls.user_sales.id,
            "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "line_ids": [Command.create({"product_id": cls.product.id, "name": "企业版年度许可（50 用户）",
                                         "quantity": 1, "price_unit": 60000})],
        })
        cls.invoice = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": cls.customer.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": cls.product.id, "name": "企业版年度许可",
                                                 "price_unit": 60000, "tax_ids": [Command.clear()]})],
        })
        cls.invoice.action_post()

    def _pdf_text(self, report_ref, records):
        """Render ``report_ref`` to PDF bytes with wkhtmltopdf (tests render HTML unless forced) and read
        the text back with pdftotext."""
        for tool in ("wkhtmltopdf", "pdftotext"):
            self.assertTrue(shutil.which(tool), "%s is missing: `python3 scripts/crmplus.py setup` installs it" % tool)
        # the Debian build of wkhtmltopdf (unpatched Qt) warns about the header/footer switches it ignores
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
                report_ref, res_ids=records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:40])
        res = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
        # pdftotext may break lines anywhere: compare without whitespace; some CJK glyphs map back to their
        # Kangxi radical code points (⽇ for 日): NFKC folds them onto the ideographs
        return "".join(unicodedata.normalize("NFKC", res.stdout.decode()).split())

    def test_contract_pdf(self):
        # the Chinese text (the Debian wkhtmltopdf embeds the Latin web font without a text map)
        text = self._pdf_text("crm_plus.action_report_crm_plus_contract", self.contract)
        self.assertIn("上海测试科技有限公司", text)
        self.assertIn("企业版年度许可", text)

    def test_invoice_title_card_pdf(self):
        text = self._pdf_text("account.account_invoices", self.invoice)
        self.assertIn("开票信息", text)
        for value in ("上海测试科技有限公司", "中国工商银行上海张江支行", "上海市浦东新区张江路", "企业版年度许可"):
            self.assertIn(value, text)
