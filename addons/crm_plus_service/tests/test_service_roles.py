from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmPlusServiceCase

TICKETS = "crm_plus_service.menu_crm_plus_tickets"
STAGES = "crm_plus_service.menu_crm_plus_ticket_stages"
ROOT = "crm_plus.menu_crm_plus_root"
PIPELINE = "crm_plus.menu_crm_plus_pipeline"
LEVELS_CONFIG = "crm_plus.menu_crm_plus_config_levels"


@tagged("post_install", "-at_install")
class TestServiceRoles(CrmPlusServiceCase):
    def visible(self, user):
        return self.env["crm_plus.ticket"].with_user(user).search([("id", "in", self.tickets.ids)])

    def test_agent_sees_own_and_unassigned(self):
        self.assertEqual(self.visible(self.user_agent), self.ticket_agent | self.ticket_unassigned)
        with self.assertRaises(AccessError):
            self.ticket_agent2.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_agent2.with_user(self.user_agent).write({"name": "hijack"})

    def test_agent_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.ticket_agent.with_user(self.user_agent).unlink()

    def test_manager_sees_all(self):
        self.assertEqual(self.visible(self.user_service_manager), self.tickets)
        self.ticket_agent2.with_user(self.user_service_manager).unlink()

    def test_sales_user_reads_own_customers_tickets_only(self):
        self.assertEqual(self.visible(self.user_sales), self.ticket_agent)
        with self.assertRaises(AccessError):
            self.ticket_agent.with_user(self.user_sales).write({"name": "x"})

    def test_finance_and_steward_see_no_ticket(self):
        for user in (self.user_finance, self.user_steward):
            with self.assertRaises(AccessError):
                self.env["crm_plus.ticket"].with_user(user).search([])

    def test_menus(self):
        agent_menus = self.visible_menu_xmlids(self.user_agent, prefix="crm_plus")
        self.assertTrue({ROOT, TICKETS} <= agent_menus)
        self.assertFalse({PIPELINE, STAGES, LEVELS_CONFIG} & agent_menus)
        manager_menus = self.visible_menu_xmlids(self.user_service_manager, prefix="crm_plus")
        self.assertTrue({ROOT, TICKETS, STAGES} <= manager_menus)
        self.assertNotIn(LEVELS_CONFIG, manager_menus)
        sales_menus = self.visible_menu_xmlids(self.user_sales, prefix="crm_plus")
        self.assertNotIn(TICKETS, sales_menus)
