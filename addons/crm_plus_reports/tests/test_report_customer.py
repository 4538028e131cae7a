from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_plus_service.tests.common import CrmPlusServiceCase

REPORT_MENU = "crm_plus_reports.menu_crm_plus_report_customer"


@tagged("post_install", "-at_install")
class TestReportCustomer(CrmPlusServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Leader's team", "user_id": cls.user_leader.id})
        cls.customer.team_id = cls.team
        cls.other_customer.user_id = cls.user_manager
        Lead = cls.env["crm.lead"]
        cls.opp1 = Lead.create({"name": "Opp 1", "type": "opportunity", "partner_id": cls.customer.id,
                                "expected_revenue": 1000})
        cls.opp2 = Lead.create({"name": "Opp 2", "type": "opportunity", "partner_id": cls.customer.id,
                                "expected_revenue": 500})
        cls.env.flush_all()

    def row(self, partner, user=None):
        Report = self.env["crm_plus.report.customer"]
        if user:
            Report = Report.with_user(user)
        return Report.search([("partner_id", "=", partner.id)])

    def test_figures(self):
        row = self.row(self.customer)
        self.assertEqual(row.open_opportunity_count, 2)
        self.assertEqual(row.expected_revenue, 1500)
        self.assertEqual(row.ticket_count, 1)
        self.assertEqual(row.open_ticket_count, 1)
        self.assertEqual(row.customer_level_id, self.level_a)
        self.opp2.action_set_won()
        self.env.flush_all()
        row.invalidate_recordset()
        self.assertEqual(row.open_opportunity_count, 1)
        self.assertEqual(row.won_opportunity_count, 1)
        self.assertEqual(row.expected_revenue, 1000)

    def test_aggregate_with_read_group(self):
        groups = self.env["crm_plus.report.customer"]._read_group(
            [("partner_id", "in", (self.customer | self.other_customer).ids)], ["customer_level_id"],
            ["customer_count:sum", "expected_revenue:sum"])
        totals = {level: (count, revenue) for level, count, revenue in groups}
        self.assertEqual(totals[self.level_a], (1, 1500))

    def test_leader_sees_team_customers_only(self):
        self.assertTrue(self.row(self.customer, self.user_leader))
        self.assertFalse(self.row(self.other_customer, self.user_leader))

    def test_managers_see_all(self):
        for user in (self.user_manager, self.user_service_manager):
            self.assertTrue(self.row(self.customer, user))
            self.assertTrue(self.row(self.other_customer, user))

    def test_department_scope_of_managers(self):
        """A sales manager with an hr department sees its customers only (all without hr)."""
        outsider = new_test_user(self.env, login="cp_report_outsider", groups="crm_plus.group_crm_plus_user")
        far_customer = self.env["res.partner"].create({
            "name": "报表范围外测试有限公司", "is_company": True, "user_id": outsider.id})
        self.env.flush_all()
        if "hr.employee" in self.env:
            Department = self.env["hr.department"]
            mine, other = Department.create([{"name": "Report Sales"}, {"name": "Report Elsewhere"}])
            self.env["hr.employee"].create([
                {"name": "Report Manager", "user_id": self.user_manager.id, "department_id": mine.id},
                {"name": "Report Outsider", "user_id": outsider.id, "department_id": other.id},
            ])
            self.assertTrue(self.row(self.other_customer, self.user_manager), "their own customer")
            self.assertFalse(self.row(far_customer, self.user_manager), "another department's customer")
        else:
            self.assertTrue(self.row(far_customer, self.user_manager))
        self.assertTrue(self.row(far_customer, self.user_service_manager), "service managers see every customer")

    def test_no_access_for_others(self):
        for user in (self.user_sales, self.user_finance, self.user_steward, self.user_agent):
            with self.assertRaises(AccessError):
                self.row(self.customer, user)

    def test_menu(self):
        self.assertIn(REPORT_MENU, self.visible_menu_xmlids(self.user_leader, prefix="crm_plus"))
        self.assertIn(REPORT_MENU, self.visible_menu_xmlids(self.user_service_manager, prefix="crm_plus"))
        self.assertNotIn(REPORT_MENU, self.visible_menu_xmlids(self.user_sales, prefix="crm_plus"))
        self.assertNotIn(REPORT_MENU, self.visible_menu_xmlids(self.user_agent, prefix="crm_plus"))
