import re

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


@tagged("post_install", "-at_install")
class TestTicketListQueries(CrmPlusServiceCase):
    """An agent's ticket list costs the same queries whatever the number of tickets: the first page of the
    list view (every field of its arch, related records' names included) is read in grouped queries."""

    def _list_spec(self):
        arch = self.env["crm_plus.ticket"].get_views([(False, "list")])["views"]["list"]["arch"]
        fields = self.env["crm_plus.ticket"]._fields
        spec = {}
        for name in re.findall(r'<field name="(\w+)"', arch):
            relational = fields[name].type in ("many2one", "one2many", "many2many")
            spec[name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    def _load_page(self, env, spec):
        return env["crm_plus.ticket"].web_search_read([], spec, limit=80, order="priority desc, id desc")

    def test_agent_list_queries_do_not_grow(self):
        team = self.env["crm_plus.ticket.team"].create({"name": "Queue", "member_ids": [(6, 0, self.user_agent.ids)]})
        customers = self.env["res.partner"].create([{"name": "客户 %d" % i, "is_company": True} for i in range(30)])

        def add_tickets(count):
            self.env["crm_plus.ticket"].create([
                {"name": "Ticket %d" % i, "team_id": team.id, "partner_id": customers[i % 30].id,
                 "user_id": self.user_agent.id if i % 2 else False} for i in range(count)])
            self.env.flush_all()
            self.env.invalidate_all()

        env = self.env(user=self.user_agent)
        spec = self._list_spec()
        self.assertIn("activity_ids", spec, "the list's fields are read from its view")
        add_tickets(5)
        self._load_page(env, spec)  # warm the caches of views, rules and translations
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        small = self._load_page(env, spec)
        few = self.cr.sql_log_count - count0
        add_tickets(70)
        with self.assertQueryCount(few):
            large = self._load_page(env, spec)
        self.assertGreater(large["length"], small["length"] + 60)
        self.assertLessEqual(few, 15)
