from odoo.tests import tagged
from odoo.tools import file_open

from .common import CrmPlusServiceCase

DOMAIN = "crmplus-test.example.com"


@tagged("post_install", "-at_install")
class TestTicketMail(CrmPlusServiceCase):
    """E-mails through Odoo's gateway (message_process), shaped as Outlook, Gmail, QQ Mail and 163 send them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create({"name": DOMAIN})
        cls.env.company.alias_domain_id = alias_domain
        cls.team = cls.env["crm_plus.ticket.team"].create({
            "name": "Support", "alias_name": "support", "alias_domain_id": alias_domain.id,
            "alias_contact": "everyone", "member_ids": [(6, 0, cls.user_agent.ids)]})
        cls.contact = cls.env["res.partner"].create({
            "name": "张伟", "email": "zhang.wei@customer.cn", "parent_id": cls.customer.id})

    def process(self, fixture, **values):
        with file_open("crm_plus_service/tests/data/%s" % fixture, "rb") as f:
            raw = f.read().decode()
        for key, value in values.items():
            raw = raw.replace("{%s}" % key, value)
        return self.env["mail.thread"].message_process(None, raw.encode())

    def team_tickets(self):
        return self.env["crm_plus.ticket"].search([("team_id", "=", self.team.id)], order="id")

    def test_new_ticket_finds_customer_by_keys(self):
        ticket_id = self.process("outlook_new.eml")
        ticket = self.env["crm_plus.ticket"].browse(ticket_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.name, "打印机故障")
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.contact, "found by the normalised e-mail key, case aside")
        self.assertEqual(ticket.customer_id, self.customer)
        self.assertFalse(ticket.partner_to_review)
        self.assertIn("指示灯闪烁", ticket.message_ids[0].body)
        self.assertTrue(ticket.number.startswith("TKT-"))

    def test_reply_threads_by_token_then_tag(self):
        ticket = self.env["crm_plus.ticket"].browse(self.process("outlook_new.eml"))
        count = len(ticket.message_ids)
        token = ticket.sudo().reply_token
        # Gmail: References point to a Message-ID Odoo never saw; the reply-to token finds the ticket
        self.assertEqual(self.process("gmail_reply_token.eml", number="TKT-999999", token=token), ticket.id)
        # QQ Mail: no References, rewritten Message-ID, GBK base64 body; the subject tag finds the ticket
        self.assertEqual(self.process("qq_reply_tag.eml", number=ticket.number), ticket.id)
        self.assertEqual(len(ticket.message_ids), count + 2)
        self.assertIn("打印机还是不能用", ticket.message_ids[0].body)
        self.assertEqual(len(self.team_tickets()), 1)
        # the reply-to address of the ticket's e-mails carries the token
        self.assertIn("support+t%s@%s" % (token, DOMAIN), ticket._notify_get_reply_to()[ticket.id])

    def test_tag_from_stranger_makes_new_ticket(self):
        ticket = self.env["crm_plus.ticket"].browse(self.process("outlook_new.eml"))
        count = len(ticket.message_ids)
        other_id = self.process("163_stranger_tag.eml", number=ticket.number)
        self.assertNotEqual(other_id, ticket.id, "a tag from someone not on the ticket never lands in it")
        self.assertEqual(len(ticket.message_ids), count)
        other = self.env["crm_plus.ticket"].browse(other_id)
        self.assertEqual(other.partner_id.email, "stranger@163.com")
        self.assertTrue(other.partner_to_review, "an unknown sender becomes a contact flagged for review")

    def test_auto_reply_and_bounce_make_no_ticket(self):
        self.process("auto_reply.eml")
        self.process("bounce.eml")
        self.assertFalse(self.team_tickets())

    def test_auto_reply_to_ticket_moves_no_clock(self):
        ticket = self.env["crm_plus.ticket"].browse(self.process("outlook_new.eml"))
        token = ticket.sudo().reply_token
        raw_count = len(ticket.message_ids)
        with file_open("crm_plus_service/tests/data/auto_reply.eml", "rb") as f:
            raw = f.read().decode().replace("support@", "support+t%s@" % token)
        self.env["mail.thread"].message_process(None, raw.encode())
        self.assertEqual(len(ticket.message_ids), raw_count + 1, "kept on the ticket")
        self.assertEqual(ticket.message_ids[0].message_type, "auto_comment")
        self.assertFalse(ticket.clock_ids.filtered(lambda c: c.kind == "next_reply"))

    def test_no_sender(self):
        ticket = self.env["crm_plus.ticket"].browse(self.process("no_sender.eml"))
        self.assertTrue(ticket)
        self.assertFalse(ticket.partner_id)
        self.assertTrue(any("without a sender" in (b or "") for b in ticket.message_ids.mapped("body")))

    def test_attachments_over_cap_kept_with_note_and_archived_contract_flagged(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_plus_service.max_attachments", "2")
        contract = self.env["crm_plus.contract"].create({"partner_id": self.customer.id, "state": "expired"})
        ticket = self.env["crm_plus.ticket"].browse(self.process("attachments.eml", contract=contract.name))
        self.assertEqual(ticket.contract_id, contract)
        self.assertTrue(ticket.contract_inactive, "accepted, and flagged")
        message = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(sorted(message.attachment_ids.mapped("name")), ["a.log", "b.log"])
        kept = self.env["ir.attachment"].search([("res_model", "=", "crm_plus.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual(sorted(kept.mapped("name")), ["a.log", "b.log", "c.log"], "nothing is lost")
        self.assertTrue(any("c.log" in (b or "") for b in ticket.message_ids.mapped("body")))
