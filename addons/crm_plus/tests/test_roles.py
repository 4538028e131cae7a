from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmPlusCase

ROOT = "crm_plus.menu_crm_plus_root"
CUSTOMERS = "crm_plus.menu_crm_plus_customers"
PIPELINE = "crm_plus.menu_crm_plus_pipeline"
FINANCE = "crm_plus.menu_crm_plus_invoices"
MASTER_DATA = "crm_plus.menu_crm_plus_master_data_levels"
CONFIG = "crm_plus.menu_crm_plus_config_levels"


@tagged("post_install", "-at_install", "crm_plus_roles")
class TestRoles(CrmPlusCase):
    def test_groups_are_graded(self):
        """sales user < team leader < sales manager, each implying the Odoo group it needs."""
        leader_groups = self.user_leader.groups_id
        self.assertIn(self.env.ref("crm_plus.group_crm_plus_user"), leader_groups)
        manager_groups = self.user_manager.groups_id
        self.assertIn(self.env.ref("crm_plus.group_crm_plus_team_leader"), manager_groups)
        self.assertIn(self.env.ref("sales_team.group_sale_manager"), manager_groups)
        self.assertIn(self.env.ref("sales_team.group_sale_salesman"), self.user_sales.groups_id)
        self.assertNotIn(self.env.ref("crm_plus.group_crm_plus_team_leader"), self.user_sales.groups_id)
        self.assertIn(self.env.ref("account.group_account_invoice"), self.user_finance.groups_id)
        self.assertIn(self.env.ref("base.group_partner_manager"), self.user_steward.groups_id)

    def test_sales_groups_form_one_selection(self):
        """The three sales roles share a category, so the user form offers them as one choice."""
        cat = self.env.ref("crm_plus.module_category_crm_plus_sales")
        groups = self.env["res.groups"].search([("category_id", "=", cat.id)])
        self.assertEqual(
            set(groups.get_external_id().values()),
            {"crm_plus.group_crm_plus_user", "crm_plus.group_crm_plus_team_leader", "crm_plus.group_crm_plus_manager"},
        )

    def _assert_menus(self, user, visible, hidden):
        menus = self.visible_menu_xmlids(user)
        for xmlid in visible:
            self.assertIn(xmlid, menus, "%s should see %s" % (user.login, xmlid))
        for xmlid in hidden:
            self.assertNotIn(xmlid, menus, "%s should not see %s" % (user.login, xmlid))

    def test_menus_sales_user(self):
        self._assert_menus(self.user_sales, {ROOT, CUSTOMERS, PIPELINE}, {FINANCE, MASTER_DATA, CONFIG})

    def test_menus_team_leader(self):
        self._assert_menus(self.user_leader, {ROOT, CUSTOMERS, PIPELINE}, {FINANCE, MASTER_DATA, CONFIG})

    def test_menus_sales_manager(self):
        self._assert_menus(self.user_manager, {ROOT, CUSTOMERS, PIPELINE, FINANCE, CONFIG}, {MASTER_DATA})

    def test_menus_finance(self):
        self._assert_menus(self.user_finance, {ROOT, CUSTOMERS, FINANCE}, {PIPELINE, MASTER_DATA, CONFIG})

    def test_menus_steward(self):
        self._assert_menus(self.user_steward, {ROOT, CUSTOMERS, MASTER_DATA}, {PIPELINE, FINANCE, CONFIG})

    def test_menus_integration_user(self):
        self._assert_menus(self.user_api, set(), {ROOT, CUSTOMERS, PIPELINE, FINANCE, MASTER_DATA, CONFIG})

    def test_menus_plain_employee(self):
        self._assert_menus(self.user_employee, set(), {ROOT, CUSTOMERS, PIPELINE, FINANCE, MASTER_DATA, CONFIG})

    def test_customer_level_access(self):
        """Everyone reads levels; only managers and stewards maintain them."""
        Level = self.env["crm_plus.customer.level"]
        for user in (self.user_sales, self.user_leader, self.user_finance, self.user_employee):
            self.assertTrue(Level.with_user(user).search([("id", "=", self.level_a.id)]))
            with self.assertRaises(AccessError):
                Level.with_user(user).create({"name": "X", "code": "X1"})
            with self.assertRaises(AccessError):
                self.level_a.with_user(user).write({"name": "Y"})
        for user in (self.user_manager, self.user_steward):
            level = Level.with_user(user).create({"name": "Z %s" % user.login, "code": "Z-%s" % user.login})
            level.write({"sequence": 99})
            level.unlink()
