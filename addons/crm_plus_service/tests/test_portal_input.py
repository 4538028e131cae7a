"""Portal input over real HTTP: a customer's reply (with files) resumes a paused SLA; empty or oversized
replies and new tickets are refused with a clear, translated error, and the form keeps what was typed;
a new ticket only takes the customer's own contract or order."""

from odoo.tests import HttpCase, tagged

from .test_portal import BAD, REDIRECT, PortalCaseMixin


@tagged("post_install", "-at_install", "crm_plus_portal")
class TestPortalInput(PortalCaseMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal()
        env = cls.env
        calendar = env["resource.calendar"].create({"name": "Portal 24/7", "tz": "UTC", "attendance_ids": [
            (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 0, "hour_to": 24}) for d in range(7)]})
        cls.team = env["crm_plus.ticket.team"].create({"name": "Portal team", "resource_calendar_id": calendar.id})
        env["crm_plus.sla.policy"].create({"name": "Portal SLA", "sequence": 0, "team_ids": [(6, 0, cls.team.ids)]})
        params = env["ir.config_parameter"].sudo()
        params.set_param("crm_plus_service.max_attachment_mb", "1")
        params.set_param("crm_plus_service.max_attachments", "2")
        params.set_param("crm_plus_service.portal_team_id", str(cls.team.id))
        cls.contract_a = env["crm_plus.contract"].create({"partner_id": cls.company_a.id, "state": "running"})
        cls.contract_b = env["crm_plus.contract"].create({"partner_id": cls.company_b.id, "state": "running"})

    def _login(self, visitor):
        result = super()._login(visitor)
        # portal pages speak the visitor's browsing language (Odoo's frontend_lang cookie): the customer's
        self.opener.cookies["frontend_lang"] = self.users[visitor].lang
        return result

    def test_reply_with_file_resumes_paused_sla(self):
        ticket = self.tickets["a"]
        ticket.team_id = self.team
        ticket.action_wait_customer()
        self.assertTrue(ticket.is_waiting)
        self.assertTrue(ticket.sla_paused)
        self._login("portal_a")
        response = self._post("/my/tickets/%s/reply" % ticket.id, {"body": "日志在附件里 log attached"},
                              files={"attachments": ("log.txt", b"error 42\n", "text/plain")})
        self.assertEqual(response.status_code, REDIRECT)
        message = ticket.message_ids.filtered(lambda m: "log attached" in (m.body or ""))
        self.assertEqual(message.author_id, self.users["portal_a"].partner_id)
        self.assertEqual(message.attachment_ids.mapped("name"), ["log.txt"])
        self.assertFalse(message.subtype_id.internal)
        self.assertFalse(ticket.is_waiting, "the customer's reply takes the ticket back to work")
        self.assertFalse(ticket.sla_paused, "and its clocks run again")

    def test_empty_reply_refused(self):
        ticket = self.tickets["a"]
        self._login("portal_a")
        before = len(ticket.message_ids)
        response = self._post("/my/tickets/%s/reply" % ticket.id, {"body": "   "})
        self.assertEqual(response.status_code, BAD)
        self.assertIn("o_crm_plus_portal_errors", response.text)
        self.assertEqual(len(ticket.message_ids), before)

    def test_oversized_file_refused_text_kept(self):
        ticket = self.tickets["a"]
        self._login("portal_a")
        before = len(ticket.message_ids)
        response = self._post("/my/tickets/%s/reply" % ticket.id, {"body": "我写了很久的一段话"},
                              files={"attachments": ("big.bin", b"x" * (1048576 + 10), "application/octet-stream")})
        self.assertEqual(response.status_code, BAD)
        self.assertIn("big.bin", response.text.split("o_crm_plus_portal_errors", 1)[1])
        self.assertIn("我写了很久的一段话</textarea>", response.text, "what the customer typed is kept")
        self.assertEqual(len(ticket.message_ids), before)

    def test_too_many_files_and_too_long_text(self):
        ticket = self.tickets["a"]
        self._login("portal_a")
        files = [("attachments", ("%s.txt" % i, b"data", "text/plain")) for i in range(3)]
        response = self._post("/my/tickets/%s/reply" % ticket.id, {"body": "x" * 20001}, files=files)
        self.assertEqual(response.status_code, BAD)
        self.assertIn("o_crm_plus_portal_errors", response.text)

    def test_messages_are_clear_and_translated(self):
        Ticket = self.env["crm_plus.ticket"]
        problems = Ticket.with_context(lang="en_US")._crm_plus_portal_problems(
            "x" * 20001, [("a.txt", 4), ("big.bin", 1048586), ("c.txt", 0)])
        self.assertEqual(problems, ["Your text is too long (at most 20000 characters).",
                                    "Too many files: at most 2 per message.",
                                    "The file big.bin is larger than 1 MB.", "The file c.txt is empty."])
        self.assertEqual(Ticket.with_context(lang="zh_CN")._crm_plus_portal_problems("", []),
                         ["您的消息是空的：请输入内容或添加附件。"])
        self.assertEqual(Ticket.with_context(lang="en_US")._crm_plus_portal_problems("", [], subject=" "),
                         ["Please give your request a subject."])

    def test_errors_in_the_customer_language(self):
        self.users["portal_a"].lang = "zh_CN"
        self._login("portal_a")
        response = self._post("/my/tickets/%s/reply" % self.tickets["a"].id, {"body": ""})
        self.assertEqual(response.status_code, BAD)
        self.assertIn("您的消息是空的", response.text)

    def test_closed_ticket_takes_no_reply(self):
        ticket = self.tickets["a"]
        ticket.action_close()
        self._login("portal_a")
        response = self._post("/my/tickets/%s/reply" % ticket.id, {"body": "again"})
        self.assertEqual(response.status_code, BAD)
        self.assertIn("o_crm_plus_portal_errors", response.text)

    def test_new_ticket(self):
        self._login("portal_a")
        page = self.url_open("/my/tickets/new")
        self.assertIn(self.contract_a.name, page.text)
        self.assertNotIn(self.contract_b.name, page.text, "only the customer's own contracts are offered")
        Ticket = self.env["crm_plus.ticket"]
        # no subject: refused, the description is kept
        response = self._post("/my/tickets/new", {"name": " ", "description": "屏幕不亮 screen dark"})
        self.assertEqual(response.status_code, BAD)
        self.assertIn("o_crm_plus_portal_errors", response.text)
        self.assertIn("屏幕不亮 screen dark</textarea>", response.text)
        # another customer's contract: refused, nothing created
        response = self._post("/my/tickets/new", {"name": "Screen", "contract_id": str(self.contract_b.id)})
        self.assertEqual(response.status_code, BAD)
        self.assertFalse(Ticket.search([("name", "=", "Screen")]))
        response = self._post("/my/tickets/new", {"name": "Screen", "description": "屏幕不亮",
                                                  "contract_id": str(self.contract_a.id)},
                              files={"attachments": ("photo.png", b"\x89PNG....", "image/png")})
        self.assertEqual(response.status_code, REDIRECT)
        ticket = Ticket.search([("name", "=", "Screen")])
        self.assertEqual(response.headers["Location"].split("?")[0].rsplit("/", 1)[-1], str(ticket.id))
        self.assertEqual(ticket.partner_id, self.users["portal_a"].partner_id)
        self.assertEqual((ticket.channel, ticket.contract_id, ticket.team_id), ("portal", self.contract_a, self.team))
        self.assertFalse(ticket.user_id.share, "never assigned to the customer")
        self.assertIn("photo.png", ticket.message_ids.attachment_ids.mapped("name"))
        self.assertIn(self.users["portal_a"].partner_id, ticket.message_partner_ids)

    def test_home_counter(self):
        self._login("portal_a")
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["crm_plus_ticket_count"]})
        self.assertEqual(result["crm_plus_ticket_count"], 1)
