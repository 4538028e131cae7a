"""Merging tickets (messages, attachments and followers to the target, sources closed with a link, the target's
SLA kept), and the smart buttons from contracts, orders and invoices to their tickets."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CrmPlusServiceCase


@tagged("post_install", "-at_install")
class TestTicketMerge(CrmPlusServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls._make_calendar()
        cls.team = cls.env["crm_plus.ticket.team"].create({
            "name": "Merge team", "resource_calendar_id": calendar.id, "member_ids": [(6, 0, cls.user_agent.ids)]})
        cls.env["crm_plus.sla.policy"].create({"name": "Merge SLA", "sequence": 0, "team_ids": [(6, 0, cls.team.ids)]})
        Ticket = cls.env["crm_plus.ticket"]
        vals = {"team_id": cls.team.id, "partner_id": cls.customer.id, "user_id": cls.user_agent.id}
        cls.target = Ticket.create({"name": "打印机卡纸", **vals})
        cls.source1 = Ticket.create({"name": "打印机又卡纸了", **vals})
        cls.source2 = Ticket.create({"name": "Printer jam again", **vals})
        cls.follower = cls.env["res.partner"].create({"name": "CC'd colleague", "email": "cc@customer.example"})
        cls.source1.message_subscribe(cls.follower.ids)
        cls.source1.message_post(body="第一封邮件", message_type="comment", subtype_xmlid="mail.mt_comment")
        cls.source2.message_post(body="second mail", message_type="comment", subtype_xmlid="mail.mt_comment",
                                 attachments=[("photo.jpg", b"jpeg bytes")])

    def test_merge_wizard(self):
        clocks = {c.id: (c.kind, c.date_start, c.target_seconds) for c in self.target.clock_ids}
        tickets = self.target | self.source1 | self.source2
        wizard = Form(self.env["crm_plus.ticket.merge.wizard"].with_user(self.user_agent).with_context(
            active_model="crm_plus.ticket", active_ids=tickets.ids))
        self.assertEqual(wizard.target_id, self.target, "the oldest open ticket by default")
        wizard.save().action_merge()
        bodies = " ".join(self.target.message_ids.mapped("body"))
        self.assertIn("第一封邮件", bodies)
        self.assertIn("second mail", bodies)
        self.assertIn("photo.jpg", self.env["ir.attachment"].search(
            [("res_model", "=", "crm_plus.ticket"), ("res_id", "=", self.target.id)]).mapped("name"))
        self.assertIn(self.follower, self.target.message_partner_ids)
        for source in self.source1 | self.source2:
            self.assertTrue(source.is_closed)
            self.assertEqual(source.merged_into_id, self.target)
            self.assertIn("Merged into", source.message_ids[0].body)
            self.assertIn(self.target.display_name, source.message_ids[0].body)
        self.assertEqual(self.target.merged_ticket_count, 2)
        self.assertFalse(self.target.is_closed)
        self.assertEqual({c.id: (c.kind, c.date_start, c.target_seconds) for c in self.target.clock_ids}, clocks,
                         "the target keeps its SLA clocks")

    def test_merge_needs_write_access(self):
        other = self.ticket_agent2  # agent two's: agent one may not change it
        with self.assertRaises(AccessError):
            (self.target | other).with_user(self.user_agent)._crm_plus_merge_into(self.target)
        self.assertFalse(other.merged_into_id)

    def test_merge_refuses_closed_target_and_nothing(self):
        with self.assertRaises(UserError):
            self.target._crm_plus_merge_into(self.target)
        self.target.action_close()
        with self.assertRaises(UserError):
            (self.target | self.source1)._crm_plus_merge_into(self.target)


@tagged("post_install", "-at_install")
class TestTicketLinks(CrmPlusServiceCase):
    def test_smart_buttons_both_ways(self):
        contract = self.env["crm_plus.contract"].create({"partner_id": self.customer.id, "state": "running"})
        product = self.env["product.product"].create({"name": "Link product", "type": "service", "list_price": 1})
        order = self.env["sale.order"].create({"partner_id": self.customer.id,
                                               "order_line": [Command.create({"product_id": product.id})]})
        self.ticket_agent.write({"contract_id": contract.id, "sale_order_id": order.id})
        self.assertEqual(contract.crm_plus_ticket_count, 1)
        self.assertEqual(order.crm_plus_ticket_count, 1)
        action = contract.action_open_crm_plus_tickets()
        self.assertEqual(self.env["crm_plus.ticket"].search(action["domain"]), self.ticket_agent)
        self.assertEqual(action["context"]["default_contract_id"], contract.id)
        # counted as the user: a ticket they may not read is not counted, a user without tickets sees 0
        self.assertEqual(order.with_user(self.user_agent2).crm_plus_ticket_count, 0)
        self.assertEqual(contract.with_user(self.user_finance).crm_plus_ticket_count, 0)
        move = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.customer.id})
        self.ticket_agent.invoice_id = move
        self.assertEqual(move.crm_plus_ticket_count, 1)
