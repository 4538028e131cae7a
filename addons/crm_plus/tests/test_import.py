import base64
import io
import os
import threading
from unittest.mock import patch

import openpyxl

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..tools.workbook import new_workbook
from .common import CrmPlusCase

HEADERS = ["客户名称", "统一社会信用代码", "电话", "手机", "邮箱", "城市", "备注"]
USCC_OK = "91310000MA1FL0001R"
USCC_OK_2 = "91110108MA01ABCD1E"
USCC_BAD = "91310000MA1FL0001A"  # check character does not match


def xlsx_bytes(headers, rows):
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet("客户")
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(headers, rows, encoding="utf-8"):
    lines = [",".join(headers)] + [",".join(str(value) for value in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@tagged("post_install", "-at_install")
class TestImport(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # numbers without a country code are read as Chinese numbers, like in res.partner
        cls.env.company.country_id = cls.env.ref("base.cn")
        # messages are asserted in English, whatever language the test database loaded
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.Job = cls.env["crm_plus.import.job"].with_user(cls.user_steward)
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def make_job(self, data, filename="customers.xlsx", user=None, **vals):
        Job = self.Job.with_user(user) if user else self.Job
        return Job.create(dict(vals, file=base64.b64encode(data), filename=filename))

    def partner_count(self):
        return self.Partner.search_count([])

    # --- mapping and preview ------------------------------------------------------------------------

    def test_auto_mapping_chinese_headers(self):
        headers = ["客户名称", "统一社会信用代码", "座机", "手机号", "电子邮件", "城市", "省份", "客户等级",
                   "负责人", "备注", "职位", "联系人", "无关的列"]
        job = self.make_job(xlsx_bytes(headers, [["上海栖云测绘有限公司"] + [""] * 12]))
        self.assertEqual(job.state, "draft")
        self.assertEqual(job.column_ids.mapped("target"), [
            "name", "uscc", "phone", "mobile", "email", "city", "state", "customer_level", "salesperson",
            "comment", "function", "contact_name", False])
        self.assertEqual(job.column_ids[0].sample, "上海栖云测绘有限公司")
        self.assertEqual(len(job.file_hash), 64)

    def test_preview_counts_and_normalised_values(self):
        before = self.partner_count()
        rows = [
            ["上海栖云测绘有限公司", " 9131 0000 ma1fl0001r ", "021-5436 7788", "138 1234 5678", "Sales@HuaXin.CN",
             "上海", "老客户"],
            ["北京岚山贸易有限公司", USCC_OK_2, "", "+86 139-1234-5678", "", "北京", ""],
            ["", "", "", "13712345678", "", "", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_preview()
        self.assertEqual(job.state, "preview")
        self.assertEqual((job.total_rows, job.valid_rows, job.error_rows), (3, 2, 1))
        self.assertEqual(self.partner_count(), before, "the preview writes no customer")
        first = job.line_ids.filtered(lambda line: line.row_number == 2)
        self.assertEqual(first.status, "new")
        self.assertEqual(first.uscc, USCC_OK)
        self.assertEqual(first.phone, "+862154367788")
        self.assertEqual(first.mobile, "+8613812345678")
        self.assertEqual(first.email, "sales@huaxin.cn")
        self.assertTrue(first.company_core)
        empty = job.line_ids.filtered(lambda line: line.row_number == 4)
        self.assertEqual(empty.status, "error")
        self.assertIn("name", empty.message.lower())

    def test_template_saved_and_reused(self):
        headers = ["客户全称", "联系手机"]
        job = self.make_job(xlsx_bytes(headers, [["上海恒通物流有限公司", "13812340000"]]))
        self.assertFalse(any(job.column_ids.mapped("target")))
        job.column_ids[0].target = "name"
        job.column_ids[1].target = "mobile"
        job.write({"save_template": True, "template_name": "展会名单"})
        job.action_preview()
        template = job.template_id
        self.assertEqual(template.name, "展会名单")
        other = self.make_job(xlsx_bytes(headers, [["上海瑞丰软件有限公司", "13812340001"]]),
                              template_id=template.id)
        self.assertEqual(other.column_ids.mapped("target"), ["name", "mobile"])

    def test_references_parent_and_contact_person(self):
        headers = ["客户名称", "所属公司", "手机", "省份", "国家", "客户等级", "销售员", "联系人", "职位", "客户类型"]
        rows = [
            ["钱多多", "上海栖云测绘有限公司", "13512340001", "", "", "", "", "", "采购经理", "个人"],
            ["上海栖云测绘有限公司", "", "", "上海", "中国", "A", "cp_sales", "赵晓峰", "总经理", "公司"],
            ["孙小美", "不存在的公司", "13512340002", "", "", "", "", "", "", "个人"],
            ["南京云帆机械有限公司", "", "", "江苏", "CN", "Key", "nobody", "", "", "公司"],
        ]
        job = self.make_job(xlsx_bytes(headers, rows), mode="skip_invalid", strict=True)
        self.assertEqual(job.column_ids.mapped("target"), [
            "name", "parent", "mobile", "state", "country", "customer_level", "salesperson", "contact_name",
            "function", "is_company"])
        job.action_import()
        self.assertEqual((job.created_count, job.error_rows), (2, 2))
        company = self.Partner.search([("name", "=", "上海栖云测绘有限公司")])
        self.assertTrue(company.is_company)
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_SH"))
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.customer_level_id, self.level_a)
        self.assertEqual(company.user_id, self.user_sales)
        person = self.Partner.search([("name", "=", "钱多多")])
        self.assertEqual(person.parent_id, company, "the contact row finds its company created from the same file")
        self.assertEqual(person.function, "采购经理")
        contact = company.child_ids.filtered(lambda child: child.name == "赵晓峰")
        self.assertEqual(contact.function, "总经理")
        errors = {line.row_number: line.message for line in job.line_ids if line.status == "error"}
        self.assertEqual(sorted(errors), [4, 5])
        self.assertIn("salesperson", errors[5].lower())
        # a rerun creates neither the company, the contact row nor the contact person again
        before = self.partner_count()
        self.make_job(xlsx_bytes(headers, rows), mode="skip_invalid", strict=True).action_import()
        self.assertEqual(self.partner_count(), before)

    # --- duplicates -----------------------------------------------------------------------------------

    def test_duplicate_inside_file_merged(self):
        rows = [
            ["上海恒通物流有限公司", "", "", "13811112222", "", "上海", ""],
            ["恒通物流", "", "", "+86 138 1111 2222", "info@hengtong.cn", "上海", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_preview()
        self.assertEqual(job.duplicate_in_file, 1)
        self.assertEqual(job.line_ids.sorted("row_number").mapped("status"), ["new", "duplicate_in_file"])
        job.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.created_count, 1)
        partner = self.Partner.search([("mobile_e164", "=", "+8613811112222")])
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.email, "info@hengtong.cn", "the duplicate row completes the first one")

    def test_duplicate_inside_file_connected_components(self):
        """Row 2 and row 4 share nothing; row 3 shares the phone of one and the e-mail of the other. Row 3
        coming after both, a first-match merge kept rows 2 and 4 apart: they are one customer."""
        rows = [
            ["宁波海纳物流有限公司", "", "", "13811113333", "", "宁波", ""],
            ["海纳国际物流", "", "", "", "ops@haina.cn", "上海", ""],
            ["宁波海纳", "", "", "+86 138 1111 3333", "OPS@haina.cn", "", ""],
            ["无关贸易有限公司", "", "", "13700000000", "", "宁波", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_preview()
        self.assertEqual(job.duplicate_in_file, 2)
        self.assertEqual(job.line_ids.sorted("row_number").mapped("status"),
                         ["new", "duplicate_in_file", "duplicate_in_file", "new"])
        job.action_import()
        self.assertEqual(job.created_count, 2)
        partner = self.Partner.search([("mobile_e164", "=", "+8613811113333")])
        self.assertEqual((partner.name, partner.email), ("宁波海纳物流有限公司", "ops@haina.cn"))

    def test_phone_keys_passed_to_create_same_as_computed(self):
        """The import hands the readings of the numbers it normalised to the partner's compute, which then
        does not parse them again: the stored keys are exactly what the compute gives on its own."""
        rows = [
            ["上海读数一有限公司", "", "021-62397781-808", "138 2231 9001", "", "上海", ""],
            ["北京读数二有限公司", "", "86 10 6544 9172", "", "", "北京", ""],
            ["深圳读数三有限公司", "", "0755-8731 5526 转 12", "+86 154 1292 3434", "", "深圳", ""],
            ["Reading Four Trading Ltd.", "", "+1 650 253 7719", "", "", "Palo Alto", ""],
            # a number kept as typed (the numbering plan refuses it), then only a landline
            ["杭州读数五有限公司", "", "0571-6543 2109", "+86 571 0098171", "", "杭州", ""],
            ["广州读数六有限公司", "", "020-8888 1234", "", "", "广州", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_import()
        self.assertEqual(job.created_count, 6)
        # Odoo's sanitized number too: taken from the readings where they give Odoo's answer
        fnames = ["phone_e164", "mobile_e164", "phone_extension", "phone_keys", "phone_unverified",
                  "phone_key_invalid", "phone_sanitized"]
        for partner in self.Partner.search([("name", "in", [row[0] for row in rows])]):
            fresh = self.env["res.partner"].new({fname: partner[fname] for fname in (
                "name", "phone", "mobile", "city", "street", "country_id", "company_id")})
            self.assertEqual([partner[fname] for fname in fnames], [fresh[fname] for fname in fnames],
                             partner.name)
            self.assertTrue(partner.phone_keys)

    def test_precomputed_owner_same_as_create(self):
        """The import computes the salesperson and the team once for rows alike but for their texts, where
        Odoo's create computes them row by row: every customer gets what a plain create gives it."""
        other = self.users["cp_leader"]
        self.env["crm.team"].create({"name": "Import Team", "member_ids": [(4, self.user_sales.id)]})
        headers = ["客户名称", "所属公司", "手机", "销售员", "客户类型"]
        rows = [
            ["上海归属一有限公司", "", "13512340011", "cp_sales", "公司"],
            ["上海归属二有限公司", "", "13512340012", "", "公司"],
            ["上海归属三有限公司", "", "13512340013", "cp_leader", "公司"],
            ["上海归属四有限公司", "", "13512340014", "cp_sales", "公司"],
            ["周归属", "上海归属一有限公司", "13512340015", "", "个人"],
            ["吴归属", "上海归属二有限公司", "13512340016", "", "个人"],
            ["郑归属", "上海归属三有限公司", "13512340017", "cp_sales", "个人"],
        ]
        job = self.make_job(xlsx_bytes(headers, rows), mode="skip_invalid")
        job.action_import()
        self.assertEqual(job.created_count, 7)
        imported = {partner.name: partner for partner in self.Partner.search([("name", "in", [r[0] for r in rows])])}
        users = {"cp_sales": self.user_sales, "cp_leader": other, "": self.env["res.users"]}
        for name, parent, _mobile, login, _kind in rows:
            vals = {"name": name, "is_company": not parent}
            if parent:
                vals["parent_id"] = imported[parent].id
            if login:
                vals["user_id"] = users[login].id
            fresh = self.env["res.partner"].with_user(self.user_steward).create(vals)
            self.assertEqual((imported[name].user_id, imported[name].team_id), (fresh.user_id, fresh.team_id), name)
        self.assertTrue(imported["上海归属一有限公司"].team_id)
        self.assertEqual(imported["上海归属一有限公司"].team_id, self.user_sales.sale_team_id)
        self.assertEqual(imported["周归属"].user_id, self.user_sales, "a contact takes its company's salesperson")
        self.assertEqual(imported["郑归属"].user_id, self.user_sales, "unless the row names one")

    def test_duplicate_against_database_updates(self):
        existing = self.env["res.partner"].create({"name": "上官明月", "mobile": "13900001111"})
        before = self.partner_count()
        rows = [["上官明月", "", "", "+86 139 0000 1111", "wangwei@example.com", "杭州", ""]]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_preview()
        self.assertEqual(job.duplicate_in_db, 1)
        self.assertEqual(job.line_ids.status, "update")
        self.assertEqual(job.line_ids.matched_partner_id, existing)
        job.action_import()
        self.assertEqual(self.partner_count(), before)
        self.assertEqual((job.created_count, job.updated_count), (0, 1))
        self.assertEqual(existing.email, "wangwei@example.com")
        self.assertEqual(existing.city, "杭州")
        self.assertEqual(existing.mobile, "13900001111", "a filled field is never overwritten")

    def test_rerun_same_file_creates_nothing(self):
        rows = [
            ["上海栖云测绘有限公司", USCC_OK, "021-54367788", "", "", "上海", ""],
            ["司马青禾", "", "", "13700001234", "lina@example.com", "上海", ""],
            ["欧阳远帆", "", "", "", "", "南京", ""],
        ]
        data = xlsx_bytes(HEADERS, rows)
        first = self.make_job(data, user=self.user_manager)
        first.action_import()
        self.assertEqual(first.created_count, 3)
        before = self.partner_count()
        second = self.make_job(data, user=self.user_manager)
        second.action_preview()
        self.assertIn(first.name, second.message, "the preview says the file was imported before")
        second.action_import()
        self.assertEqual(self.partner_count(), before)
        self.assertEqual((second.created_count, second.updated_count, second.skipped_count), (0, 0, 3))

    # --- invalid rows ---------------------------------------------------------------------------------

    def test_all_or_nothing_refuses_bad_uscc(self):
        before = self.partner_count()
        rows = [
            ["上海栖云测绘有限公司", USCC_OK, "", "13812345678", "", "上海", ""],
            ["北京岚山贸易有限公司", USCC_BAD, "", "13912345678", "", "北京", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        job.action_preview()
        self.assertEqual(job.error_rows, 1)
        self.assertTrue(job.error_report)
        with self.assertRaisesRegex(UserError, "error report"):
            job.action_import()
        self.assertEqual(self.partner_count(), before)
        # importing straight from the upload keeps the preview and its report instead of raising
        direct = self.make_job(xlsx_bytes(HEADERS, rows))
        direct.action_import()
        self.assertEqual(direct.state, "preview")
        self.assertTrue(direct.error_report)
        self.assertIn("nothing was imported", direct.message)
        self.assertEqual(self.partner_count(), before)

    def test_skip_invalid_imports_valid_rows_with_report(self):
        rows = [
            ["上海栖云测绘有限公司", USCC_OK, "", "13812345678", "", "上海", ""],
            ["北京岚山贸易有限公司", USCC_BAD, "", "13912345678", "", "北京", ""],
            ["", "", "", "13612345678", "", "上海", ""],
            ["广州新元机械有限公司", "", "12345", "", "", "广州", ""],
            ["深圳海纳医药有限公司", "", "", "", "not-an-email", "深圳", ""],
        ]
        job = self.make_job(xlsx_bytes(HEADERS, rows), mode="skip_invalid", strict=True)
        job.action_import()
        self.assertEqual(job.state, "done")
        self.assertEqual((job.created_count, job.error_rows), (1, 4))
        self.assertTrue(self.Partner.search([("uscc", "=", USCC_OK)]))
        self.assertFalse(self.Partner.search([("name", "=", "北京岚山贸易有限公司")]))
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.error_report)), read_only=True)
        lines = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
        self.assertEqual(sorted({line[0] for line in lines}), [3, 4, 5, 6])
        bad_uscc = next(line for line in lines if line[0] == 3)
        self.assertEqual((bad_uscc[1], bad_uscc[2]), ("统一社会信用代码", USCC_BAD))
        self.assertIn("check character", bad_uscc[3])
        self.assertTrue(job.error_report_name.endswith(".xlsx"))

    # --- values that cannot be normalised: warnings, not errors ---------------------------------------

    def test_unclean_values_import_flagged(self):
        """Phones the numbering plan refuses, an odd e-mail, an unknown reference: the row imports, the value is
        kept as typed and the customer flagged; only the row without a name and the bad USCC are refused."""
        headers = [*HEADERS, "国家", "销售员"]
        rows = [
            ["深圳短号电子有限公司", "", "021-1234", "13812345678", "", "深圳", "", "", ""],
            ["杭州怪邮贸易有限公司", "", "", "", "sales at hz dot cn", "杭州", "", "", ""],
            ["北京未知国家咨询有限公司", "", "", "", "", "北京", "", "Atlantis", "nobody"],
            ["", "", "", "13612345678", "", "上海", "", "", ""],
            ["北京岚山贸易有限公司", USCC_BAD, "", "13912345678", "", "北京", "", "", ""],
        ]
        job = self.make_job(xlsx_bytes(headers, rows))
        job.action_preview()
        self.assertEqual((job.total_rows, job.valid_rows, job.error_rows, job.warning_rows), (5, 3, 2, 3))
        self.assertIn("3 rows hold a value that cannot be normalised", job.message)
        lines = {line.row_number: line for line in job.line_ids}
        self.assertEqual([lines[n].status for n in (2, 3, 4, 5, 6)], ["new", "new", "new", "error", "error"])
        self.assertEqual([lines[n].needs_cleaning for n in (2, 3, 4, 5, 6)], [True, True, True, False, False])
        self.assertIn("021-1234", lines[2].message)
        self.assertIn("check character", lines[6].message, "an invalid USCC is refused while the setting blocks")
        with self.assertRaisesRegex(UserError, "2 rows"):
            job.action_import()  # all or nothing: the two real errors still stop it
        job.mode = "skip_invalid"
        job.action_import()
        self.assertEqual((job.state, job.created_count), ("done", 3))
        self.assertIn("Needs Cleaning", job.message)
        short = self.Partner.search([("name", "=", "深圳短号电子有限公司")])
        self.assertEqual(short.phone, "021-1234", "kept as typed")
        self.assertEqual(short.mobile_e164, "+8613812345678", "the readable number of the row is still normalised")
        self.assertTrue(short.needs_cleaning)
        self.assertIn("021-1234", short.cleaning_note)
        odd = self.Partner.search([("name", "=", "杭州怪邮贸易有限公司")])
        self.assertEqual((odd.email, odd.needs_cleaning), ("sales at hz dot cn", True))
        unknown = self.Partner.search([("name", "=", "北京未知国家咨询有限公司")])
        self.assertFalse(unknown.country_id)
        self.assertIn("Atlantis", unknown.cleaning_note)
        self.assertIn("nobody", unknown.cleaning_note)
        flagged = self.Partner.search([("needs_cleaning", "=", True)])
        self.assertEqual(flagged, short | odd | unknown, "the 'Needs Cleaning' filter finds them")
        # strict mode keeps the former behaviour: such rows are errors
        strict = self.make_job(xlsx_bytes(headers, rows), strict=True)
        strict.action_preview()
        self.assertEqual((strict.error_rows, strict.warning_rows), (5, 0))

    def test_invalid_uscc_warning_when_not_blocking(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.dup_mode_uscc", "warn")
        job = self.make_job(xlsx_bytes(HEADERS, [["北京岚山贸易有限公司", USCC_BAD, "", "", "", "北京", ""]]))
        job.action_import()
        partner = self.Partner.search([("name", "=", "北京岚山贸易有限公司")])
        self.assertFalse(partner.uscc)
        self.assertIn(USCC_BAD, partner.cleaning_note)

    def test_unclean_value_completes_existing_customer_flagged(self):
        existing = self.env["res.partner"].create({"name": "上官明月", "mobile": "13900001111"})
        job = self.make_job(xlsx_bytes(HEADERS, [["上官明月", "", "12345", "13900001111", "", "", ""]]))
        job.action_import()
        self.assertEqual((job.updated_count, existing.phone), (1, "12345"))
        self.assertTrue(existing.needs_cleaning)

    def test_filter_needs_cleaning_in_customer_search(self):
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="needs_cleaning"', arch)

    # --- files ----------------------------------------------------------------------------------------

    def test_gbk_csv_decoded(self):
        rows = [["杭州博远咨询有限公司", "", "0571-88886666", "", "", "杭州", "重要客户"]]
        job = self.make_job(csv_bytes(HEADERS, rows, "gbk"), filename="客户.csv")
        self.assertEqual(job.column_ids[0].target, "name")
        job.action_preview()
        self.assertEqual(job.line_ids.name, "杭州博远咨询有限公司")
        self.assertEqual(job.line_ids.phone, "+8657188886666")
        self.assertEqual(job.line_ids.status, "new")

    def test_semicolon_utf8_csv(self):
        data = "Name;Mobile;City\nNorth Wind Trading Ltd.;+86 138 0000 9999;Shanghai\n".encode("utf-8-sig")
        job = self.make_job(data, filename="customers.csv")
        self.assertEqual(job.column_ids.mapped("target"), ["name", "mobile", "city"])
        job.action_preview()
        self.assertEqual(job.line_ids.mobile, "+8613800009999")

    def test_malformed_files(self):
        with self.assertRaisesRegex(UserError, "cannot be read as an Excel workbook"):
            self.make_job(os.urandom(4096), filename="customers.xlsx")
        with self.assertRaisesRegex(UserError, "empty"):
            self.make_job(b"\r\n\r\n", filename="customers.csv")
        with self.assertRaisesRegex(UserError, "neither an Excel workbook"):
            self.make_job(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), filename="customers.xls")
        job = self.make_job(xlsx_bytes(HEADERS, []))
        with self.assertRaisesRegex(UserError, "no customer rows"):
            job.action_preview()

    # --- background import --------------------------------------------------------------------------

    def test_large_file_runs_in_background(self):
        rows = [["测试%04d科技有限公司" % index, "", "", "1380000%04d" % index, "", "上海", ""]
                for index in range(3000)]
        job = self.make_job(xlsx_bytes(HEADERS, rows))
        before = self.partner_count()
        job.action_preview()
        self.assertTrue(job.is_background)
        self.assertIn("not all-or-nothing", job.message, "the preview says the batches are saved one by one")
        job.action_import()
        self.assertEqual(job.state, "queued")
        self.assertEqual(self.partner_count(), before)
        self.env["crm_plus.import.job"]._cron_process_imports()
        self.assertEqual(job.state, "done")
        self.assertEqual((job.progress, job.progress_percent, job.created_count), (3000, 100.0, 3000))
        self.assertIn("3 batches, each saved on its own (not all-or-nothing)", job.message)
        self.assertEqual(self.partner_count(), before + 3000)
        self.env["crm_plus.import.job"]._cron_process_imports()
        self.assertEqual(self.partner_count(), before + 3000)
        self.assertEqual((job.state, job.created_count), ("done", 3000))
        self.assertFalse(job.sudo().prepared_rows, "the prepared rows are dropped once the import is done")

    def test_resume_reads_prepared_rows(self):
        """A resumed import reads back the cleaned rows, exactly as cleaning the file gives them."""
        rows = [["测试续传%04d贸易有限公司" % index, USCC_OK if index == 7 else "", "021-5555 %04d" % index,
                 "", "Buyer%04d@Example.COM" % index, "杭州", ""] for index in range(1200)]
        rows.append(["测试续传坏码有限公司", USCC_BAD, "", "", "", "杭州", ""])  # its errors survive the round trip
        rows.append(["测试续传0001贸易有限公司", "", "", "", "", "杭州", ""])  # a duplicate inside the file
        job = self.make_job(xlsx_bytes(HEADERS, rows), mode="skip_invalid")
        fresh = job._prepare_rows()
        self.assertEqual(job._cached_rows(), fresh)
        key = job.sudo().prepared_key
        self.assertTrue(key and job.sudo().prepared_rows)
        self.assertEqual(job._cached_rows(), fresh, "read back from the cache")
        self.assertEqual(job.sudo().prepared_key, key)
        self.assertTrue(any(row["errors"] for row in fresh))
        self.assertTrue(any(row["status"] == "duplicate_in_file" for row in fresh))
        # another mapping makes the cache stale: the rows are cleaned again
        job.column_ids.filtered(lambda c: c.target == "email").target = False
        self.assertNotEqual(job._prepared_cache_key(), key)
        self.assertFalse(job._cached_rows()[0]["vals"].get("email"))

    # --- access ---------------------------------------------------------------------------------------

    def test_access(self):
        data = base64.b64encode(xlsx_bytes(HEADERS, [["上海栖云测绘有限公司"] + [""] * 6]))
        with self.assertRaises(AccessError):
            self.env["crm_plus.import.job"].with_user(self.user_sales).create({"file": data, "filename": "a.xlsx"})
        steward_job = self.make_job(base64.b64decode(data))
        manager_job = self.make_job(base64.b64decode(data), user=self.user_manager)
        visible = self.env["crm_plus.import.job"].with_user(self.user_manager).search([])
        self.assertIn(manager_job, visible)
        self.assertNotIn(steward_job, visible, "managers see only their own imports")
        self.assertIn(manager_job, self.Job.search([]), "stewards see every import")


class Crash(BaseException):
    """The worker dies (killed, out of memory): nothing of the running batch is committed."""


@tagged("post_install", "-at_install")
class TestImportCrashResume(TransactionCase):
    """A background import killed between two batches resumes at the next row and creates no row twice.

    The cron commits batch by batch: this runs it on cursors of its own with real commits (the test's own
    transaction would hide them), with batches of 5 rows, and removes what it committed at the end."""

    PREFIX = "崩溃续传测试"
    ROWS = 12

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})

    def _partners(self, env):
        return env["res.partner"].with_context(active_test=False).search([("name", "=like", self.PREFIX + "%")])

    def test_crash_between_batches_then_resume(self):
        registry = self.registry
        rows = [["%s%02d科技有限公司" % (self.PREFIX, index), "", "", "1390000%04d" % index, "", "上海", ""]
                for index in range(self.ROWS)]
        module = "odoo.addons.crm_plus.models."
        small_batches = [
            patch(module + "crm_plus_import_job.BATCH_SIZE", 5),
            patch(module + "crm_plus_import_job_prepare.BATCH_SIZE", 5),
            patch(module + "crm_plus_import_job_apply.BATCH_SIZE", 5),
            patch(module + "crm_plus_import_job.SYNC_ROW_LIMIT", 4),
            patch(module + "crm_plus_import_job_apply.SYNC_ROW_LIMIT", 4),
            # as in a cron worker: the batched loop commits (it never does inside a test)
            patch.object(threading.current_thread(), "testing", False),
        ]
        for patcher in small_batches:
            patcher.start()
            self.addCleanup(patcher.stop)
        Job = registry["crm_plus.import.job"]
        import_batch = Job._import_batch
        calls = []

        def crash_on_second_batch(job, batch):
            calls.append(len(batch))
            result = import_batch(job, batch)
            if len(calls) == 2:
                raise Crash()  # after the second batch's work, before its commit
            return result

        job_id = None
        try:
            with registry.cursor() as cr:
                env = self._env(cr)
                job = env["crm_plus.import.job"].with_user(env.ref("base.user_admin")).create({
                    "file": base64.b64encode(xlsx_bytes(HEADERS, rows)), "filename": "crash.xlsx",
                    "mode": "skip_invalid"})
                job_id = job.id
                job.action_preview()
                self.assertIn("not all-or-nothing", job.message)
                job.action_import()
                self.assertEqual(job.state, "queued")
            with patch.object(Job, "_import_batch", crash_on_second_batch), self.assertRaises(Crash):
                with registry.cursor() as cr:
                    self._env(cr)["crm_plus.import.job"]._cron_process_imports()
            self.assertEqual(calls, [5, 5])
            with registry.cursor() as cr:
                env = self._env(cr)
                job = env["crm_plus.import.job"].browse(job_id)
                self.assertEqual((job.state, job.next_row, job.created_count), ("running", 5, 5),
                                 "the first batch is saved, the second is not")
                self.assertEqual(len(self._partners(env)), 5)
            # the next cron run resumes at row 6
            with registry.cursor() as cr:
                env = self._env(cr)
                env["crm_plus.import.job"]._cron_process_imports()
                job = env["crm_plus.import.job"].browse(job_id)
                self.assertEqual((job.state, job.created_count, job.progress), ("done", self.ROWS, self.ROWS))
                partners = self._partners(env)
                self.assertEqual(sorted(partners.mapped("name")), sorted(row[0] for row in rows),
                                 "every row created once, none twice")
                self.assertIn("each saved on its own (not all-or-nothing)", job.message)
        finally:
            with registry.cursor() as cr:
                env = self._env(cr)
                self._partners(env).unlink()
                env["crm_plus.import.job"].browse(job_id).exists().unlink()
