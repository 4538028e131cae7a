from odoo.tests import Form, tagged

from .common import CrmPlusServiceCase


@tagged("post_install", "-at_install")
class TestTicket(CrmPlusServiceCase):
    def test_number_and_default_stage(self):
        ticket = self.ticket_agent
        self.assertNotEqual(ticket.number, "/")
        self.assertTrue(ticket.number.startswith("TK"))
        self.assertFalse(ticket.stage_id.is_closed)
        self.assertIn(ticket.number, ticket.display_name)
        numbers = self.tickets.mapped("number")
        self.assertEqual(len(set(numbers)), 3)

    def test_search_by_number(self):
        found = self.env["crm_plus.ticket"].name_search(self.ticket_agent2.number)
        self.assertEqual([r[0] for r in found], [self.ticket_agent2.id])

    def test_assign_and_close(self):
        ticket = self.ticket_unassigned.with_user(self.user_agent)
        ticket.action_assign_to_me()
        self.assertEqual(ticket.user_id, self.user_agent)
        ticket.action_close()
        self.assertTrue(ticket.is_closed)

    def test_form_as_agent(self):
        with Form(self.env["crm_plus.ticket"].with_user(self.user_agent)) as form:
            form.name = "设备异响"
            form.partner_id = self.customer
        self.assertEqual(form.record.user_id, self.user_agent)
