"""Data scopes (who sees which customers, leads and contracts) and contact masking, per role and model."""

from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.masking import mask_email, mask_phone, mask_value
from .common import CrmPlusCase

PHONES = {
    "own": "139 7100 0001", "mate": "139 7100 0002", "out": "139 7100 0003", "pool": "139 7100 0004",
    "free": "139 7100 0005", "contact": "139 7100 0006",
}


def _setup_scope_data(cls):
    """Users, teams, hr departments (when hr is installed), customers, leads and contracts of the tests.

    Team A: led by cp_leader, with cp_sales and a second seller; team B: an outsider. With hr, the sales
    manager heads "Scope Sales" whose sub-department "Scope East" holds team A; the outsider works in
    "Scope West", outside it.
    """
    env = cls.env
    cls.has_hr = "hr.employee" in env
    user_groups = "crm_plus.group_crm_plus_user"
    cls.seller2 = new_test_user(env, login="cp_scope_seller2", name="Scope Seller Two", groups=user_groups,
                                lang="en_US")
    cls.outsider = new_test_user(env, login="cp_scope_outsider", name="Scope Outsider", groups=user_groups,
                                 lang="en_US")
    cls.manager_nodep = new_test_user(env, login="cp_scope_manager2", name="Scope Manager Two",
                                      groups="crm_plus.group_crm_plus_manager", lang="en_US")
    cls.admin = new_test_user(env, login="cp_scope_admin", name="Scope Admin", groups="base.group_system",
                              lang="en_US")
    Team = env["crm.team"]
    cls.team_a = Team.create({"name": "Scope Team A", "user_id": cls.user_leader.id,
                              "member_ids": [Command.link(cls.user_sales.id), Command.link(cls.seller2.id)]})
    cls.team_b = Team.create({"name": "Scope Team B", "member_ids": [Command.link(cls.outsider.id)]})
    if cls.has_hr:
        Department = env["hr.department"]
        sales = Department.create({"name": "Scope Sales"})
        east = Department.create({"name": "Scope East", "parent_id": sales.id})
        west = Department.create({"name": "Scope West"})
        env["hr.employee"].create([
            {"name": "Scope Manager", "user_id": cls.user_manager.id, "department_id": sales.id},
            {"name": "Scope Leader", "user_id": cls.user_leader.id, "department_id": east.id},
            {"name": "Scope Seller", "user_id": cls.user_sales.id, "department_id": east.id},
            {"name": "Scope Seller Two", "user_id": cls.seller2.id, "department_id": east.id},
            {"name": "Scope Outsider", "user_id": cls.outsider.id, "department_id": west.id},
        ])
    cls.pool = env["crm_plus.pool"].create({"name": "Scope Pool"})
    Partner = env["res.partner"]

    def customer(key, user, team, **vals):
        return Partner.create({
            "name": "作用域测试 %s 有限公司" % key, "is_company": True, "user_id": user.id, "team_id": team.id,
            "phone": PHONES[key], "email": "scope.%s@scope-test.example" % key, **vals})

    no_team = env["crm.team"]
    cls.p_own = customer("own", cls.user_sales, cls.team_a)
    cls.p_mate = customer("mate", cls.seller2, cls.team_a)
    cls.p_out = customer("out", cls.outsider, cls.team_b)
    cls.p_pool = customer("pool", env["res.users"], no_team, pool_id=cls.pool.id)
    cls.p_free = customer("free", env["res.users"], no_team)
    # a contact without a salesperson of the outsider's customer: readable by all, its details masked
    cls.c_out = Partner.create({"name": "Scope Contact Wang", "parent_id": cls.p_out.id, "user_id": False,
                                "phone": PHONES["contact"], "email": "wang@scope-test.example"})
    cls.partners = cls.p_own | cls.p_mate | cls.p_out | cls.p_pool | cls.p_free | cls.c_out

    Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
    cls.l_own = Lead.create({"name": "Scope lead own", "user_id": cls.user_sales.id, "team_id": cls.team_a.id})
    cls.l_mate = Lead.create({"name": "Scope lead mate", "user_id": cls.seller2.id, "team_id": cls.team_a.id})
    cls.l_out = Lead.create({"name": "Scope lead out", "user_id": cls.outsider.id, "team_id": cls.team_b.id})
    cls.l_free = Lead.create({"name": "Scope lead free", "user_id": False, "team_id": False})
    cls.leads = cls.l_own | cls.l_mate | cls.l_out | cls.l_free

    Contract = env["crm_plus.contract"]
    cls.k_own = Contract.create({"partner_id": cls.p_own.id, "user_id": cls.user_sales.id, "team_id": cls.team_a.id,
                                 "line_ids": [Command.create({"name": "Scope service", "price_unit": 100.0})]})
    cls.k_mate = Contract.create({"partner_id": cls.p_mate.id, "user_id": cls.seller2.id, "team_id": cls.team_a.id})
    cls.k_out = Contract.create({"partner_id": cls.p_out.id, "user_id": cls.outsider.id, "team_id": cls.team_b.id,
                                 "line_ids": [Command.create({"name": "Scope service", "price_unit": 100.0})]})
    cls.contracts = cls.k_own | cls.k_mate | cls.k_out


@tagged("post_install", "-at_install", "crm_plus_scope")
class TestMaskingTools(BaseCase):
    def test_mask_phone(self):
        self.assertEqual(mask_phone("13812345678"), "138****5678")
        self.assertEqual(mask_phone("021-6288 1234"), "021-**** 1234")
        self.assertEqual(mask_phone("+86 138 1234 5678"), "+86 1** **** 5678")
        self.assertEqual(mask_phone("12345"), "***45")
        self.assertEqual(mask_phone(""), "")
        self.assertIs(mask_phone(False), False)

    def test_mask_email(self):
        self.assertEqual(mask_email("zhang.wei@example.com"), "z***@example.com")
        self.assertEqual(mask_email("a@b.cn, bob@x.com"), "a***@b.cn, b***@x.com")
        self.assertEqual(mask_email('"张三" <zhang@qq.com>'), '"张三" <z***@qq.com>')
        self.assertEqual(mask_email("not an address"), "n***")
        self.assertIs(mask_email(False), False)

    def test_mask_value(self):
        self.assertEqual(mask_value("phone", "13812345678"), "138****5678")
        self.assertEqual(mask_value("email", "li@163.com"), "l***@163.com")
        self.assertEqual(mask_value("other", "13812345678"), "13812345678")
        self.assertIs(mask_value("phone", False), False)


@tagged("post_install", "-at_install", "crm_plus_scope")
class TestDataScope(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_scope_data(cls)

    def _set_mask(self, **flags):
        params = self.env["ir.config_parameter"].sudo()
        for name, value in flags.items():
            params.set_param("crm_plus.mask_%s" % name, str(value))

    def assertSees(self, user, records, expected, msg=""):
        """``user`` finds exactly ``expected`` among ``records`` and may read each of them; reading one of
        the others raises AccessError."""
        Model = self.env[records._name].with_user(user)
        found = Model.search([("id", "in", records.ids)])
        self.assertEqual(found, expected.with_user(user), "%s: %s" % (user.login, msg))
        found.read(["display_name"])
        for record in records - expected:
            with self.assertRaises(AccessError, msg="%s reads %s" % (user.login, record.display_name)):
                record.with_user(user).read(["display_name"])

    def assertNoAccess(self, user, records):
        with self.assertRaises(AccessError):
            self.env[records._name].with_user(user).search([("id", "in", records.ids)])
        with self.assertRaises(AccessError):
            records[:1].with_user(user).read(["display_name"])

    # --- scope per role -------------------------------------------------------------------------------

    def test_scope_kinds(self):
        self.assertEqual(self.user_sales._crm_plus_scope().kind, "own")
        leader = self.user_leader._crm_plus_scope()
        self.assertEqual(leader.kind, "team")
        self.assertEqual(leader.user_ids, {self.user_leader.id, self.user_sales.id, self.seller2.id})
        self.assertIn(self.team_a.id, leader.team_ids)
        self.assertEqual(self.user_manager._crm_plus_scope().kind, "department" if self.has_hr else "all")
        self.assertEqual(self.manager_nodep._crm_plus_scope().kind, "all")
        for user in (self.user_finance, self.user_steward, self.admin, self.user_employee):
            self.assertEqual(user._crm_plus_scope().kind, "all", user.login)
        # finance reads everything, but writes only within its sales role (none here: ACLs decide)
        finance_seller = new_test_user(self.env, login="cp_scope_fin_seller",
                                       groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance")
        self.assertEqual(finance_seller._crm_plus_scope("read").kind, "all")
        self.assertEqual(finance_seller._crm_plus_scope("write").kind, "own")

    def test_sales_user(self):
        user = self.user_sales
        self.assertSees(user, self.partners, self.p_own | self.p_pool | self.p_free | self.c_out)
        self.assertSees(user, self.leads, self.l_own | self.l_free)
        self.assertSees(user, self.contracts, self.k_own)
        lines = self.env["crm_plus.contract.line"].with_user(user).search([("contract_id", "in", self.contracts.ids)])
        self.assertEqual(lines.contract_id, self.k_own.with_user(user))
        with self.assertRaises(AccessError):
            self.p_mate.with_user(user).write({"comment": "not mine"})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(user).create({"name": "For a colleague", "user_id": self.seller2.id})

    def test_team_leader(self):
        user = self.user_leader
        self.assertSees(user, self.partners, self.p_own | self.p_mate | self.p_pool | self.p_free | self.c_out)
        self.assertSees(user, self.leads, self.l_own | self.l_mate | self.l_free)
        self.assertSees(user, self.contracts, self.k_own | self.k_mate)
        self.l_mate.with_user(user).write({"priority": "2"})

    def test_team_change_applies_at_once(self):
        """Scopes are computed at query time: no cache to clear when a team changes."""
        self.assertSees(self.user_leader, self.leads, self.l_own | self.l_mate | self.l_free)
        self.team_b.user_id = self.user_leader
        self.assertSees(self.user_leader, self.leads, self.leads)

    def test_sales_manager_with_department(self):
        if not self.has_hr:
            # the test command installs hr in its database; without hr a manager sees all
            self.assertSees(self.user_manager, self.partners, self.partners)
            return
        user = self.user_manager
        self.assertSees(user, self.partners, self.p_own | self.p_mate | self.p_pool | self.p_free | self.c_out)
        self.assertSees(user, self.leads, self.l_own | self.l_mate | self.l_free)
        self.assertSees(user, self.contracts, self.k_own | self.k_mate)
        # Odoo's "All Leads" group rule of sales managers does not widen the department scope
        self.assertTrue(user.has_group("sales_team.group_sale_salesman_all_leads"))
        # the outsider moves into the sub-department: the manager sees their records
        self.env["hr.employee"].search([("user_id", "=", self.outsider.id)]).department_id = (
            self.env["hr.department"].search([("name", "=", "Scope East")]))
        self.assertSees(user, self.leads, self.leads)

    def test_sales_manager_without_department(self):
        user = self.manager_nodep
        self.assertSees(user, self.partners, self.partners)
        self.assertSees(user, self.leads, self.leads)
        self.assertSees(user, self.contracts, self.contracts)
        self.k_out.with_user(user).write({"terms": "<p>checked</p>"})

    def test_finance(self):
        user = self.user_finance
        self.assertSees(user, self.partners, self.partners)
        self.assertSees(user, self.contracts, self.contracts)
        # money fields of customers: yes; pipeline (leads and their notes): no
        self.p_out.with_user(user).read(["open_receivable", "overdue_amount", "contract_value"])
        self.assertNoAccess(user, self.leads)
        with self.assertRaises(AccessError):
            self.k_out.with_user(user).write({"terms": "<p>no</p>"})

    def test_data_steward(self):
        user = self.user_steward
        self.assertSees(user, self.partners, self.partners)
        self.p_out.with_user(user).write({"city": "苏州"})
        self.assertNoAccess(user, self.leads)
        self.assertNoAccess(user, self.contracts)

    def test_administrator(self):
        for model_records in (self.partners, self.leads, self.contracts):
            self.assertSees(self.admin, model_records, model_records)

    def test_plain_employee(self):
        user = self.user_employee
        self.assertSees(user, self.partners, self.partners)
        self.assertNoAccess(user, self.leads)
        self.assertNoAccess(user, self.contracts)

    def test_integration_user(self):
        """An API client's user reads the customers and leads it created, nothing else, and cannot log in."""
        user = self.user_api
        self.assertEqual(user._crm_plus_scope().kind, "created")
        self.assertSees(user, self.partners, self.partners.browse())
        # the API creates in its name (as the system after the client's scope check)
        mine = self.env["res.partner"].with_user(user).sudo().create({"name": "集成创建客户", "phone": "139 7100 0099"})
        self.assertEqual(mine.create_uid, user)
        self.assertSees(user, self.partners | mine, mine)
        self.assertTrue(self.seller2.partner_id.with_user(user).read(["name"]), "colleagues stay visible")
        self.assertNoAccess(user, self.leads)
        self.assertNoAccess(user, self.contracts)
        self.assertTrue(user._rpc_api_keys_only())

    def test_colleagues_stay_visible(self):
        """Internal users' partners are everyone's, even with a salesperson set on them."""
        self.seller2.partner_id.user_id = self.outsider
        self.assertTrue(self.seller2.with_user(self.user_sales).read(["name"]))
        self.assertIn(self.seller2.partner_id, self.env["res.partner"].with_user(self.user_sales).search(
            [("id", "=", self.seller2.partner_id.id)]))

    def test_in_scope_field(self):
        partners = self.partners.with_user(self.user_sales)
        self.assertEqual(partners.search([("id", "in", self.partners.ids), ("crm_plus_in_scope", "=", True)]),
                         (self.p_own | self.p_pool | self.p_free | self.c_out).with_user(self.user_sales))
        visible = partners.search([("id", "in", self.partners.ids)])
        self.assertTrue(all(visible.mapped("crm_plus_in_scope")))
        self.assertEqual(self.partners.filtered("crm_plus_in_scope"), self.partners, "the system sees all")

    # --- contact masking ------------------------------------------------------------------------------

    def test_sales_user_masking(self):
        user = self.user_sales
        rows = {r["id"]: r for r in self.partners.with_user(user).search_read(
            [("id", "in", self.partners.ids)], ["phone", "email", "phone_e164", "email_keys", "email_normalized"])}
        self.assertEqual(rows[self.p_own.id]["phone"], PHONES["own"])
        self.assertEqual(rows[self.p_free.id]["phone"], PHONES["free"], "nobody's customer, no pool: not hidden")
        self.assertEqual(rows[self.p_pool.id]["phone"], "139 **** 0004")
        self.assertEqual(rows[self.p_pool.id]["email"], "s***@scope-test.example")
        self.assertEqual(rows[self.p_pool.id]["phone_e164"], "+861******0004")
        self.assertEqual(rows[self.p_pool.id]["email_keys"], "s***@scope-test.example")
        self.assertEqual(rows[self.p_pool.id]["email_normalized"], "s***@scope-test.example")
        self.assertEqual(rows[self.c_out.id]["phone"], "139 **** 0006", "contact of another's customer")
        self.assertEqual(rows[self.c_out.id]["email"], "w***@scope-test.example")
        # read, web_read, web_search_read, flag, export
        self.assertEqual(self.p_pool.with_user(user).read(["mobile", "phone"])[0]["phone"], "139 **** 0004")
        self.assertEqual(self.p_pool.with_user(user).web_read({"phone": {}})[0]["phone"], "139 **** 0004")
        result = self.env["res.partner"].with_user(user).web_search_read(
            [("id", "in", (self.p_own | self.p_pool).ids)], {"phone": {}, "email": {}})
        phones = {r["id"]: r["phone"] for r in result["records"]}
        self.assertEqual(phones, {self.p_own.id: PHONES["own"], self.p_pool.id: "139 **** 0004"})
        self.assertTrue(self.p_pool.with_user(user).crm_plus_contact_masked)
        self.assertFalse(self.p_own.with_user(user).crm_plus_contact_masked)
        export = self.env.ref("base.group_allow_export")
        (user | self.user_leader | self.manager_nodep).write({"groups_id": [Command.link(export.id)]})
        records = (self.p_own | self.p_pool | self.p_free).with_user(user)
        exported = records.export_data(["name", "phone", "email", "child_ids/phone"])["datas"]
        self.assertEqual([row[1] for row in exported], [PHONES["own"], "139 **** 0004", PHONES["free"]])
        self.assertEqual(exported[1][2], "s***@scope-test.example")
        exported = self.p_out.with_user(self.manager_nodep).export_data(["name", "child_ids/phone"])["datas"]
        self.assertEqual(exported[0][1], PHONES["contact"], "managers are never masked")
        exported = self.p_own.with_user(self.user_leader).export_data(["name", "phone"])["datas"]
        self.assertEqual(exported[0][1], PHONES["own"])
        # the server keeps the real values
        self.assertEqual(self.p_pool.with_user(user).phone, PHONES["pool"])

    def test_display_name_with_email_masked(self):
        """Mail dialogs show partners as "Name <e-mail>" (context show_email): a masked e-mail stays masked."""
        Partner = self.env["res.partner"].with_user(self.user_sales).with_context(show_email=True)
        names = dict(Partner.name_search("作用域测试 pool"))
        self.assertIn("<s***@scope-test.example>", names[self.p_pool.id])
        self.assertNotIn("scope.pool@", names[self.p_pool.id])
        self.assertIn("<scope.own@scope-test.example>", dict(Partner.name_search("作用域测试 own"))[self.p_own.id])
        shown = Partner.browse(self.p_pool.id).web_read({"display_name": {}})[0]["display_name"]
        self.assertIn("<s***@scope-test.example>", shown)
        manager = self.env["res.partner"].with_user(self.manager_nodep).with_context(show_email=True)
        self.assertIn("scope.pool@", dict(manager.name_search("作用域测试 pool"))[self.p_pool.id])

    def test_chatter_tracking_masked(self):
        # a phone change as the chatter tracks it (the test environment disables tracking)
        message = self.p_pool._message_log(body="tracked")
        trackings = self.env["mail.tracking.value"].sudo().create({
            "field_id": self.env["ir.model.fields"]._get("res.partner", "phone").id,
            "old_value_char": PHONES["pool"], "new_value_char": "139 7100 0044", "mail_message_id": message.id})
        # the chatter formats tracking values as the system for the reading user
        shown = trackings.with_user(self.user_sales).sudo()._tracking_value_format()
        self.assertEqual((shown[0]["oldValue"]["value"], shown[0]["newValue"]["value"]),
                         ("139 **** 0004", "139 **** 0044"))
        shown = trackings.with_user(self.manager_nodep).sudo()._tracking_value_format()
        self.assertEqual(shown[0]["newValue"]["value"], "139 7100 0044")

    def test_masked_values_are_never_written(self):
        with self.assertRaisesRegex(UserError, "hidden from you"):
            self.p_pool.with_user(self.user_sales).write({"phone": "139 **** 0004"})
        self.assertEqual(self.p_pool.phone, PHONES["pool"])
        self.p_pool.with_user(self.user_sales).write({"comment": "<p>called, no answer</p>"})
        self.p_own.with_user(self.user_sales).write({"phone": "139 7100 0011"})

    def test_masking_settings(self):
        self.assertEqual(self.p_pool.with_user(self.user_leader).read(["phone"])[0]["phone"], PHONES["pool"])
        self.assertEqual(self.p_own.with_user(self.user_finance).read(["phone"])[0]["phone"], PHONES["own"])
        self._set_mask(sales_user=False, team_leader=True, finance=True)
        self.assertEqual(self.p_pool.with_user(self.user_sales).read(["phone"])[0]["phone"], PHONES["pool"])
        self.assertEqual(self.p_pool.with_user(self.user_leader).read(["phone"])[0]["phone"], "139 **** 0004")
        self.assertEqual(self.p_mate.with_user(self.user_leader).read(["phone"])[0]["phone"], PHONES["mate"],
                         "a team leader sees their team's customers")
        self.assertEqual(self.p_own.with_user(self.user_finance).read(["phone"])[0]["phone"], "139 **** 0001")
        for user in (self.manager_nodep, self.user_steward, self.admin):
            self.assertEqual(self.p_out.with_user(user).read(["phone"])[0]["phone"], PHONES["out"], user.login)
        self.assertEqual(self.p_pool.with_user(self.user_manager).read(["phone"])[0]["phone"], PHONES["pool"])

    def test_masking_settings_form(self):
        settings = self.env["res.config.settings"]
        self.assertTrue(settings._crm_plus_param("mask_sales_user"))
        config = settings.create({})
        self.assertTrue(config.crm_plus_mask_sales_user)
        config.crm_plus_mask_sales_user = False
        config.set_values()
        self.assertFalse(settings._crm_plus_param("mask_sales_user"))
        self.assertFalse(settings.create({}).crm_plus_mask_sales_user, "an unticked default-on box stays off")
        self.assertEqual(self.p_pool.with_user(self.user_sales).read(["phone"])[0]["phone"], PHONES["pool"])

    def test_duplicate_banner_names_the_owner(self):
        form = Form(self.env["res.partner"].with_user(self.user_sales))
        form.company_type = "company"
        form.name = "作用域测试 新客户"
        form.phone = PHONES["out"]
        self.assertIn("作用域测试 out 有限公司", form.duplicate_summary)
        self.assertIn("salesperson Scope Outsider", form.duplicate_summary)
        self.assertNotIn("7100", form.duplicate_summary)
        form.phone = PHONES["pool"]
        self.assertIn("customer pool Scope Pool", form.duplicate_summary)


@tagged("post_install", "-at_install", "crm_plus_scope")
class TestDataScopeRpc(HttpCase):
    """Scopes and masking through the RPC entry points, with real logins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        cls.user_sales = new_test_user(cls.env, login="cp_rpc_sales", groups="crm_plus.group_crm_plus_user",
                                       lang="en_US")
        cls.user_leader = new_test_user(cls.env, login="cp_rpc_leader",
                                        groups="crm_plus.group_crm_plus_team_leader", lang="en_US")
        cls.user_manager = new_test_user(cls.env, login="cp_rpc_manager", groups="crm_plus.group_crm_plus_manager",
                                         lang="en_US")
        cls.user_finance = new_test_user(cls.env, login="cp_rpc_finance",
                                         groups="crm_plus.group_crm_plus_finance", lang="en_US")
        _setup_scope_data(cls)

    def _xmlrpc(self, user, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, user.login, user.login, {})
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, user.login, model, method, list(args), kwargs)

    def test_xmlrpc_sales_user(self):
        rows = self._xmlrpc(self.user_sales, "res.partner", "search_read", [("id", "in", self.partners.ids)],
                            fields=["phone", "email"])
        phones = {r["id"]: r["phone"] for r in rows}
        self.assertEqual(phones, {self.p_own.id: PHONES["own"], self.p_pool.id: "139 **** 0004",
                                  self.p_free.id: PHONES["free"], self.c_out.id: "139 **** 0006"})
        with self.assertRaises(Fault), mute_logger("odoo.http"):
            self._xmlrpc(self.user_sales, "res.partner", "read", [self.p_out.id], fields=["phone"])
        lead_ids = self._xmlrpc(self.user_sales, "crm.lead", "search", [("id", "in", self.leads.ids)])
        self.assertEqual(set(lead_ids), {self.l_own.id, self.l_free.id})
        with self.assertRaises(Fault), mute_logger("odoo.http"):
            self._xmlrpc(self.user_sales, "crm.lead", "read", [self.l_mate.id], fields=["name"])
        contract_ids = self._xmlrpc(self.user_sales, "crm_plus.contract", "search",
                                    [("id", "in", self.contracts.ids)])
        self.assertEqual(contract_ids, [self.k_own.id])

    def test_xmlrpc_finance_and_manager(self):
        rows = self._xmlrpc(self.user_finance, "res.partner", "read", self.partners.ids, fields=["phone"])
        self.assertEqual(len(rows), len(self.partners))
        with self.assertRaises(Fault), mute_logger("odoo.http"):
            self._xmlrpc(self.user_finance, "crm.lead", "search_read", [("id", "in", self.leads.ids)],
                         fields=["description"])
        contract_ids = self._xmlrpc(self.user_manager, "crm_plus.contract", "search",
                                    [("id", "in", self.contracts.ids)])
        expected = (self.k_own | self.k_mate) if self.has_hr else self.contracts
        self.assertEqual(set(contract_ids), set(expected.ids))

    def test_jsonrpc_web_search_read(self):
        self.authenticate(self.user_leader.login, self.user_leader.login)
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.mask_team_leader", "True")
        result = self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "res.partner", "method": "web_search_read", "args": [],
            "kwargs": {"domain": [("id", "in", self.partners.ids)],
                       "specification": {"phone": {}, "user_id": {"fields": {"display_name": {}}}}},
        })
        phones = {r["id"]: r["phone"] for r in result["records"]}
        self.assertEqual(phones, {self.p_own.id: PHONES["own"], self.p_mate.id: PHONES["mate"],
                                  self.p_pool.id: "139 **** 0004", self.p_free.id: PHONES["free"],
                                  self.c_out.id: "139 **** 0006"})
