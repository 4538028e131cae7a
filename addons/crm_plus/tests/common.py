from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# login -> groups (xmlids), one per role of crm_plus
ROLE_GROUPS = {
    "cp_sales": "crm_plus.group_crm_plus_user",
    "cp_leader": "crm_plus.group_crm_plus_team_leader",
    "cp_manager": "crm_plus.group_crm_plus_manager",
    "cp_finance": "crm_plus.group_crm_plus_finance",
    "cp_steward": "crm_plus.group_crm_plus_data_steward",
    "cp_employee": "base.group_user",
    "cp_api_user": "crm_plus.group_crm_plus_integration",
}


class CrmPlusCase(TransactionCase):
    """Users for every role and a small customer base; no reliance on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # messages are asserted in English; the test database also has zh_CN loaded
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        cls.users = {
            login: new_test_user(cls.env, login=login, groups=groups, name=login.replace("_", " ").title(),
                                 lang="en_US")
            for login, groups in ROLE_GROUPS.items()
        }
        cls.user_sales = cls.users["cp_sales"]
        cls.user_leader = cls.users["cp_leader"]
        cls.user_manager = cls.users["cp_manager"]
        cls.user_finance = cls.users["cp_finance"]
        cls.user_steward = cls.users["cp_steward"]
        cls.user_employee = cls.users["cp_employee"]
        cls.user_api = cls.users["cp_api_user"]
        cls.level_a = cls.env.ref("crm_plus.customer_level_strategic")
        cls.level_c = cls.env.ref("crm_plus.customer_level_ordinary")
        cls.customer = cls.env["res.partner"].create({
            "name": "上海测试科技有限公司",
            "is_company": True,
            "customer_level_id": cls.level_a.id,
            "user_id": cls.user_sales.id,
        })

    def visible_menu_xmlids(self, user, prefix="crm_plus."):
        """xmlids of the menus a user can reach: visible themselves and through every ancestor."""
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible_ids = Menu._visible_menu_ids()
        reachable = Menu.browse(
            menu.id for menu in Menu.sudo().browse(visible_ids)
            if all(int(pid) in visible_ids for pid in menu.parent_path.split("/")[:-1] if pid)
        )
        return {x for x in reachable.sudo().get_external_id().values() if x.startswith(prefix)}

    @classmethod
    def _setup_invoicing(cls, product_name, **product_vals):
        """A chart of accounts on the company (when the database has none) and a tax-free service product."""
        company = cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        return cls.env["product.product"].create({
            "name": product_name, "list_price": 1000.0, "type": "service", "taxes_id": [Command.clear()],
            **product_vals,
        })

