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

    def test_agent_sees_team_tickets(self):
        team = self.env["crm_plus.ticket.team"].create({"name": "Team", "member_ids": [(6, 0, self.user_agent.ids)]})
        self.ticket_agent2.team_id = team
        self.assertIn(self.ticket_agent2, self.visible(self.user_agent))
        self.assertNotIn(self.ticket_agent2, self.visible(self.user_agent2.browse(self.user_sales.id)))
        team.member_ids = [(3, self.user_agent.id)]
        self.assertNotIn(self.ticket_agent2, self.visible(self.user_agent))

    def test_sales_scope_follows_customer_owner(self):
        """A salesperson reads tickets of the customers in their data scope (crm_plus.scope.mixin)."""
        self.assertNotIn(self.ticket_agent2, self.visible(self.user_sales))
        self.other_customer.user_id = self.user_sales
        self.assertIn(self.ticket_agent2, self.visible(self.user_sales))
        # a contact's ticket follows its company's owner
        contact = self.env["res.partner"].create({"name": "Li", "parent_id": self.customer.id})
        ticket = self.env["crm_plus.ticket"].create({"name": "contact's", "partner_id": contact.id})
        self.assertEqual(ticket.with_user(self.user_sales).search([("id", "=", ticket.id)]), ticket)

    def test_masking_reuses_the_mixin(self):
        """Tickets mask their contact fields through crm_plus.contact.mask.mixin, by their customer."""
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.mask_sales_user", "True")
        self.other_customer.write({"email": "boss@other.cn", "user_id": self.user_manager.id})
        Ticket = self.env["crm_plus.ticket"]
        self.assertEqual(Ticket.with_user(self.user_sales).browse(self.tickets.ids)._crm_plus_masked_ids(),
                         {self.ticket_agent2.id, self.ticket_unassigned.id})
        self.assertFalse(Ticket.with_user(self.user_agent).browse(self.tickets.ids)._crm_plus_masked_ids(),
                         "agents call and write to the customers of their tickets")
        values = self.ticket_agent2.with_user(self.user_service_manager).read(["partner_email"])[0]
        self.assertEqual(values["partner_email"], "boss@other.cn")

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
