"""Tickets through the inbound API over real HTTP: the sender matched to the customer like an e-mail,
idempotent on the external id, validated, scoped."""

from odoo.tests import tagged

from odoo.addons.crm_plus.tests.test_api import ApiCase


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestApiTicket(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "赵敏", "email": "zhao.min@example.cn"})

    def test_ticket_matched_and_replayed(self):
        body = {"external_id": "case-1", "subject": "Printer jams", "email": "Zhao.Min@Example.cn",
                "description": "Every second page"}
        status, first, _headers = self.call("/tickets", body)
        self.assertEqual(status, 201, first)
        ticket = self.env["crm_plus.ticket"].browse(first["id"])
        self.assertEqual(ticket.partner_id, self.customer, "found by the e-mail identity key")
        self.assertEqual((ticket.name, ticket.channel), ("Printer jams", "api"))
        status, again, headers = self.call("/tickets", body)
        self.assertEqual((status, again, headers.get("Idempotent-Replay")), (200, first, "true"))
        self.assertEqual(self.env["crm_plus.ticket"].search_count([("name", "=", "Printer jams")]), 1)
        self.assertEqual(self.call("/tickets/case-1")[1], first)
        self.assertEqual(self.call("/tickets/case-1", token=self.token_b)[0], 403, "client B may not use tickets")

    def test_unknown_sender_becomes_a_contact_to_review(self):
        status, body, _headers = self.call("/tickets", {"external_id": "case-2", "subject": "Hello",
                                                        "email": "new.person@example.cn", "name": "New Person"})
        self.assertEqual(status, 201, body)
        partner = self.env["res.partner"].browse(body["partner_id"])
        self.assertEqual((partner.name, partner.email), ("New Person", "new.person@example.cn"))
        self.assertTrue(partner.crm_plus_service_to_review)

    def test_validation(self):
        status, body, _headers = self.call("/tickets", {"external_id": "case-3", "email": "nope"})
        self.assertEqual(status, 400)
        self.assertEqual(set(body["fields"]), {"subject", "email"})

    def test_tickets_namespaced_per_client(self):
        self.client_b.scope_tickets = True
        body = {"external_id": "case-9", "subject": "A's case", "email": "zhao.min@example.cn"}
        status, first, _headers = self.call("/tickets", body)
        self.assertEqual(status, 201, first)
        status, answer, _headers = self.call("/tickets/case-9", token=self.token_b)
        self.assertEqual((status, answer["error"]), (404, "not_found"), "B cannot read A's ticket")
        status, other, headers = self.call("/tickets", dict(body, subject="B's case"), token=self.token_b)
        self.assertEqual(status, 201, other)
        self.assertNotIn("Idempotent-Replay", headers)
        self.assertNotEqual(other["id"], first["id"])
        self.assertEqual(self.env["crm_plus.ticket"].browse(other["id"]).create_uid, self.user_b)
