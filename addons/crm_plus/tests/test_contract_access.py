from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_contract import ContractCase


@tagged("post_install", "-at_install")
class TestContractAccess(ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other = new_test_user(cls.env, login="cp_sales_other", groups="crm_plus.group_crm_plus_user",
                                       lang="en_US")
        cls.mine = cls._contract()
        cls.mine.action_confirm()
        cls.mine.schedule = "50/50"
        cls.mine.action_generate_plan()
        cls.foreign = cls._contract(user_id=cls.user_other.id, team_id=False)

    def test_sales_user_sees_own(self):
        Contract = self.env["crm_plus.contract"].with_user(self.user_sales)
        self.assertEqual(Contract.search([("id", "in", (self.mine | self.foreign).ids)]), self.mine)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.user_sales).read(["name"])
        self.assertEqual(len(self.mine.with_user(self.user_sales).instalment_ids), 2)
        with self.assertRaises(AccessError):
            self.foreign.line_ids.with_user(self.user_sales).read(["name"])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_sales).unlink()

    def test_team_leader_sees_team(self):
        Contract = self.env["crm_plus.contract"].with_user(self.user_leader)
        self.assertEqual(Contract.search([("id", "in", (self.mine | self.foreign).ids)]), self.mine)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.user_leader).read(["name"])

    def test_manager_sees_all(self):
        Contract = self.env["crm_plus.contract"].with_user(self.user_manager)
        self.assertEqual(Contract.search([("id", "in", (self.mine | self.foreign).ids)]), self.mine | self.foreign)
        self.foreign.with_user(self.user_manager).write({"terms": "<p>ok</p>"})

    def test_finance_reads_only(self):
        Contract = self.env["crm_plus.contract"].with_user(self.user_finance)
        self.assertEqual(Contract.search([("id", "in", (self.mine | self.foreign).ids)]), self.mine | self.foreign)
        self.assertEqual(len(self.mine.instalment_ids.with_user(self.user_finance).read(["amount"])), 2)
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_finance).write({"terms": "<p>no</p>"})
        with self.assertRaises(AccessError):
            self.mine.instalment_ids.with_user(self.user_finance).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            Contract.create({"partner_id": self.customer.id})

    def test_employee_has_no_access(self):
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["crm_plus.contract.instalment"].with_user(self.user_employee).search([])

    def test_menus(self):
        self.assertIn("crm_plus.menu_crm_plus_contracts", self.visible_menu_xmlids(self.user_sales))
        self.assertNotIn("crm_plus.menu_crm_plus_receivable_plans", self.visible_menu_xmlids(self.user_sales))
        self.assertIn("crm_plus.menu_crm_plus_overdue_instalments", self.visible_menu_xmlids(self.user_finance))
        self.assertIn("crm_plus.menu_crm_plus_receivable_plans", self.visible_menu_xmlids(self.user_manager))
