"""The eleven reproductions of issue 10, one named test each: every one is refused or masked now."""

import base64
import io
import zipfile
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import tabular
from ..tools.workbook import new_workbook
from .common import CrmPlusCase
from .test_data_scope import PHONES, _setup_scope_data
from .test_import import HEADERS, xlsx_bytes


def _scope_extras(cls):
    """A street on the outsider's customer, a pool customer who is a person, a contract to approve."""
    cls.p_out.sudo().write({"street": "Scope Road 9"})
    cls.p_pool.sudo().write({"street": "Pool Street 4"})
    cls.person_pool = cls.env["res.partner"].create({
        "name": "Scope Pool Person", "is_company": False, "pool_id": cls.pool.id, "phone": "139 7100 0009",
        "email": "pool.person@scope-test.example"})


def _text_xlsx(headers, rows, library="xlsxwriter"):
    """An .xlsx whose cells are all text, even "=..." (the safe workbook), or written by openpyxl (which,
    unlike xlsxwriter, does not cut cells at Excel's 32,767 characters)."""
    buffer = io.BytesIO()
    if library == "openpyxl":
        workbook = openpyxl.Workbook()
        for row in [headers, *rows]:
            workbook.active.append(row)
        workbook.save(buffer)
        return buffer.getvalue()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet()
    for index, row in enumerate([headers, *rows]):
        sheet.write_row(index, 0, row)
    workbook.close()
    return buffer.getvalue()


@tagged("post_install", "-at_install", "crm_plus_scope", "crm_plus_attack")
class TestAttackReproductions(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_scope_data(cls)
        _scope_extras(cls)

    # 1 -----------------------------------------------------------------------------------------------
    def test_01_read_group_refuses_masked_fields(self):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        with self.assertRaises(AccessError):
            Partner.read_group([("pool_id", "!=", False)], ["phone:array_agg", "email:array_agg"], [])
        for groupby in ("phone_sanitized", "email_normalized"):
            with self.assertRaises(AccessError):
                Partner.web_read_group([("pool_id", "!=", False)], ["__count"], [groupby])
        Lead = self.env["crm.lead"].with_user(self.user_sales)
        for groupby in ("email_from", "phone"):
            with self.assertRaises(AccessError):
                Lead.read_group([], ["__count"], [groupby])
        # others group as before; a manager (never masked) groups by phone
        Partner.read_group([("pool_id", "!=", False)], ["__count"], ["user_id"])
        self.env["res.partner"].with_user(self.manager_nodep).read_group(
            [("id", "in", self.partners.ids)], ["phone:array_agg"], [])

    # 2 -----------------------------------------------------------------------------------------------
    def test_02_lead_onchange_and_create_copy_no_hidden_values(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales)
        spec = {"partner_id": {}, "email_from": {}, "phone": {}, "street": {}}
        result = Lead.onchange({"partner_id": self.p_pool.id}, ["partner_id"], spec)
        shown = str(result.get("value"))
        self.assertNotIn("scope.pool@", shown)
        self.assertNotIn("7100 0004", shown)
        self.assertNotIn("Pool Street", shown)
        with self.assertRaises(AccessError, msg="finance has no access to leads"):
            self.env["crm.lead"].with_user(self.user_finance).onchange(
                {"partner_id": self.p_pool.id}, ["partner_id"], spec)
        lead = Lead.with_context(crm_plus_no_routing=True).create({
            "name": "mine", "partner_id": self.p_pool.id, "user_id": self.user_sales.id})
        self.assertFalse(lead.sudo().email_from)
        self.assertFalse(lead.sudo().phone)
        # own customers are copied as before
        own = Lead.with_context(crm_plus_no_routing=True).create({
            "name": "own", "partner_id": self.p_own.id, "user_id": self.user_sales.id})
        self.assertEqual(own.sudo().phone, PHONES["own"])

    # 3 -----------------------------------------------------------------------------------------------
    def test_03_links_need_read_access_and_names_stay_plain(self):
        with self.assertRaises(AccessError):
            self.env["crm_plus.contract"].with_user(self.user_sales).create({"partner_id": self.p_out.id})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_sales).create({"name": "x", "partner_id": self.p_out.id})
        with self.assertRaises(AccessError):
            self.env["crm_plus.return.visit"].with_user(self.user_sales).create({
                "partner_id": self.p_out.id, "date_planned": date(2030, 1, 1)})
        contract = self.env["crm_plus.contract"].with_user(self.user_sales).create({"partner_id": self.p_pool.id})
        for key in ("show_email", "show_address", "partner_show_db_id", "show_vat", "address_inline"):
            name = contract.with_context(**{key: True}).read(["partner_id"])[0]["partner_id"][1]
            self.assertNotIn("Pool Street", name, key)
            self.assertNotIn("scope.pool@", name, key)
            self.assertNotIn(str(self.p_pool.id), name.replace(self.p_pool.name, ""), key)

    # 4 -----------------------------------------------------------------------------------------------
    def test_04_no_pool_customer_through_parent(self):
        person = self.person_pool.with_user(self.user_sales)
        with self.assertRaises(AccessError):
            person.write({"parent_id": self.p_own.id})
        self.assertFalse(self.person_pool.user_id)
        self.assertEqual(self.person_pool.pool_id, self.pool)
        # a contact of one's own company still gets its salesperson
        contact = self.env["res.partner"].with_user(self.user_sales).create({"name": "Own Contact"})
        contact.write({"parent_id": self.p_own.id})
        self.assertEqual(contact.user_id, self.user_sales)

    # 5 -----------------------------------------------------------------------------------------------
    def test_05_contract_frozen_approved_by_others_final_by_action(self):
        contract = self.k_own.with_user(self.user_sales)
        contract.action_confirm()
        self.assertEqual(contract.state, "running")
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.line_ids.write({"discount": 90.0, "quantity": 1000})
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.write({"line_ids": [Command.create({"name": "extra", "price_unit": 1.0})]})
        contract.schedule = "50/50"
        contract.action_generate_plan()  # the first plan of a running contract
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.instalment_ids[0].write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.instalment_ids.unlink()
        with self.assertRaisesRegex(UserError, "renewal"):
            contract.action_mark_renewed()
        with self.assertRaisesRegex(UserError, "button"):
            contract.write({"state": "terminated"})
        # the amendment: lines change, then the contract is approved again, not by its owner
        contract.action_amend()
        self.assertEqual(contract.state, "amendment")
        contract.line_ids.write({"discount": 10.0})
        contract.action_confirm()
        self.assertEqual(contract.state, "pending")
        with self.assertRaises(AccessError):
            contract.action_approve()
        contract.with_user(self.user_leader).action_approve()
        self.assertEqual(contract.state, "running")
        # a team leader does not approve his own contract
        own = self.env["crm_plus.contract"].with_user(self.user_leader).create({
            "partner_id": self.p_free.id, "user_id": self.user_leader.id,
            "line_ids": [Command.create({"name": "big", "price_unit": 100.0, "discount": 50.0})]})
        own.action_confirm()
        self.assertEqual(own.state, "pending")
        with self.assertRaisesRegex(AccessError, "own it"):
            own.action_approve()

    # 6 -----------------------------------------------------------------------------------------------
    def test_06_duplicate_warning_hides_address_and_email(self):
        form = Form(self.env["res.partner"].with_user(self.user_sales).with_context(show_address=1, show_email=1))
        form.company_type = "company"
        form.name = "作用域测试 新客户"
        form.phone = PHONES["pool"]
        self.assertIn("customer pool Scope Pool", form.duplicate_summary)
        self.assertNotIn("Pool Street", form.duplicate_summary)
        self.assertNotIn("scope.pool@", form.duplicate_summary)

    # 7 -----------------------------------------------------------------------------------------------
    def test_07_change_requests(self):
        Wizard = self.env["crm_plus.partner.change.wizard"].with_user(self.user_sales)
        defaults = Wizard.with_context(active_id=self.p_pool.id).default_get(["partner_id", "phone", "email"])
        self.assertEqual(defaults["phone"], "139 **** 0004")
        self.assertEqual(defaults["email"], "s***@scope-test.example")
        Request = self.env["crm_plus.partner.change.request"].with_user(self.user_sales)
        with self.assertRaises(UserError):
            Request.create({"partner_id": self.p_own.id, "changes": {"user_id": [False, self.user_sales.id]},
                            "reason": "mine"})
        with self.assertRaises(AccessError):
            Request.create({"partner_id": self.p_out.id, "changes": {"name": ["a", "b"]}, "reason": "x"})
        # an untouched masked value is no change: only the name is proposed
        wizard = Wizard.with_context(active_id=self.p_pool.id).create({"name": "作用域测试 pool 新名", "reason": "r"})
        request = self.env["crm_plus.partner.change.request"].browse(wizard.action_submit()["res_id"])
        self.assertEqual(set(request.sudo().changes), {"name"})

    # 8 -----------------------------------------------------------------------------------------------
    def test_08_suggested_recipients_and_senders_masked(self):
        recipients = self.p_pool.with_user(self.user_sales)._message_get_suggested_recipients()
        self.assertTrue(recipients)
        self.assertNotIn("scope.pool@", str(recipients))
        message = self.p_pool.message_post(body="hello", email_from="Boss <scope.pool@scope-test.example>",
                                           message_type="email", author_id=False)
        shown = message.with_user(self.user_sales).read(["email_from"])[0]["email_from"]
        self.assertNotIn("scope.pool@", shown)
        self.assertIn("scope.pool@", message.with_user(self.manager_nodep).read(["email_from"])[0]["email_from"])

    # 11 ----------------------------------------------------------------------------------------------
    def test_11_search_on_masked_field_finds_only_visible_values(self):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        for operator, value in (("=like", "139 7100 000%"), ("ilike", "7100"), ("=", PHONES["pool"])):
            found = Partner.search([("phone", operator, value), ("id", "in", self.partners.ids)])
            self.assertNotIn(self.p_pool, found, operator)
            self.assertNotIn(self.c_out, found, operator)
        self.assertIn(self.p_own, Partner.search([("phone", "=like", "139 7100 0001")]))
        manager = self.env["res.partner"].with_user(self.manager_nodep)
        self.assertIn(self.p_pool, manager.search([("phone", "=like", "139 7100 000%")]))


@tagged("post_install", "-at_install", "crm_plus_attack")
class TestAttackImports(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.pool = cls.env["crm_plus.pool"].create({"name": "Import Pool"})
        cls.pooled = cls.env["res.partner"].create({
            "name": "上海公海测试有限公司", "is_company": True, "pool_id": cls.pool.id, "phone": "13811110000"})

    def _job(self, data, user):
        return self.env["crm_plus.import.job"].with_user(user).create({
            "file": base64.b64encode(data), "filename": "customers.xlsx", "mode": "skip_invalid"})

    # 9 -----------------------------------------------------------------------------------------------
    def test_09_error_report_writes_values_not_formulas(self):
        rows = [["=HYPERLINK(\"http://x.example\",\"x\")", "91310000MA1FL0001A", "", "", "", "", ""],
                ["=cmd|' /C calc'!A0", "BAD", "", "", "", "", ""]]
        job = self._job(_text_xlsx(HEADERS, rows), self.user_steward)
        job.action_preview()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(job.error_report)))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                 if isinstance(cell.value, str) and cell.value.startswith("=")]
        self.assertTrue(cells)
        self.assertTrue(all(cell.data_type == "s" for cell in cells), [c.data_type for c in cells])

    # 10 ----------------------------------------------------------------------------------------------
    def test_10_import_keeps_ownership_and_caps_xlsx(self):
        headers = ["客户名称", "电话", "销售员"]
        job = self._job(xlsx_bytes(headers, [["上海公海测试有限公司", "13811110000", self.user_sales.name]]),
                        self.user_steward)
        job.action_import()
        self.assertFalse(self.pooled.user_id, "a pool customer is not handed over by an import")
        self.assertEqual(self.pooled.pool_id, self.pool)
        # a 20 MB cell in a small file, and a workbook that unzips past the cap
        big = _text_xlsx(["客户名称"], [["x" * 40_000]], library="openpyxl")
        for data, name in ((big, "big.xlsx"), (("客户名称\n" + "x" * 40_000 + "\n").encode(), "big.csv")):
            with self.assertRaises(tabular.TabularError) as caught:
                _headers, rows = tabular.read_rows(data, name)
                list(rows)
            self.assertEqual(caught.exception.code, "cell_too_long", name)
        with self.assertRaisesRegex(UserError, "32,767"):
            self._job(big, self.user_steward).action_preview()
        # a small zip that unzips past the cap (the cap lowered to 1 MB so the test stays fast)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
        self.assertLess(len(buffer.getvalue()), 100_000)
        with self.assertRaises(tabular.TabularError) as caught:
            tabular.read_rows(buffer.getvalue(), "bomb.xlsx", max_uncompressed=1024 * 1024)
        self.assertEqual(caught.exception.code, "too_large")


@tagged("post_install", "-at_install", "crm_plus_scope", "crm_plus_attack")
class TestAttackRpc(HttpCase):
    """A sample of the reproductions over JSON-RPC, with real logins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        cls.user_sales = new_test_user(cls.env, login="cp_atk_sales", groups="crm_plus.group_crm_plus_user",
                                       lang="en_US")
        cls.user_leader = new_test_user(cls.env, login="cp_atk_leader", groups="crm_plus.group_crm_plus_team_leader",
                                        lang="en_US")
        cls.user_manager = new_test_user(cls.env, login="cp_atk_manager", groups="crm_plus.group_crm_plus_manager",
                                         lang="en_US")
        _setup_scope_data(cls)
        _scope_extras(cls)

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def test_rpc_read_group_search_onchange(self):
        self.authenticate(self.user_sales.login, self.user_sales.login)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call("res.partner", "read_group", [("pool_id", "!=", False)], ["phone:array_agg"], [])
        ids = self._call("res.partner", "search", [("phone", "=like", "139 7100 0004")])
        self.assertEqual(ids, [])
        result = self._call("crm.lead", "onchange", [], {"partner_id": self.p_pool.id}, ["partner_id"],
                            {"partner_id": {}, "email_from": {}, "phone": {}})
        self.assertNotIn("scope.pool@", str(result))
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call("crm_plus.contract", "create", {"partner_id": self.p_out.id})

    def test_rpc_pool_customer_through_parent(self):
        self.authenticate(self.user_sales.login, self.user_sales.login)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call("res.partner", "write", [self.person_pool.id], {"parent_id": self.p_own.id})
        self.assertFalse(self.person_pool.user_id)
