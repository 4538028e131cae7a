"""Browser tours, at desktop and phone width: an agent answers a ticket (first response met), sets it
waiting, the customer replies by e-mail, the agent solves it."""

from odoo.tests import HttpCase, new_test_user, tagged

TICKET = "巡游工单打印机故障"
DOMAIN = "tour-service.example.com"

REPLY = """From: Tour Customer <tour.customer@tour-customer.cn>
To: support+t{token}@{domain}
Subject: Re: [{number}] {name}
Message-ID: <tour-reply-{number}@tour-customer.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Printer OK now. 打印机已经好了，谢谢！
"""


class TicketTourMixin:
    def _setup_ticket_tour(self):
        self.agent = new_test_user(self.env, login="tour_service_agent", password="tour_service_agent",
                                   groups="crm_plus_service.group_crm_plus_service_agent", name="Tour Agent",
                                   lang="en_US")
        domain = self.env["mail.alias.domain"].create({"name": DOMAIN})
        calendar = self.env["resource.calendar"].create({"name": "Tour 24/7", "tz": "UTC", "attendance_ids": [
            (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 0, "hour_to": 24}) for d in range(7)]})
        self.team = self.env["crm_plus.ticket.team"].create({
            "name": "Tour team", "alias_name": "support", "alias_domain_id": domain.id, "alias_contact": "everyone",
            "member_ids": [(6, 0, self.agent.ids)], "resource_calendar_id": calendar.id})
        self.env["crm_plus.sla.policy"].create({"name": "Tour", "sequence": 0, "team_ids": [(6, 0, self.team.ids)]})
        customer = self.env["res.partner"].create({"name": "Tour Customer", "email": "tour.customer@tour-customer.cn"})
        self.ticket = self.env["crm_plus.ticket"].create({
            "name": TICKET, "team_id": self.team.id, "partner_id": customer.id, "user_id": self.agent.id})
        self.ticket.message_subscribe(customer.ids)

    def _run_ticket_tours(self):
        self._setup_ticket_tour()
        self.start_tour("/odoo/action-crm_plus_service.action_crm_plus_ticket", "crm_plus_service_answer_and_wait",
                        login="tour_service_agent")
        first = self.ticket.clock_ids.filtered(lambda c: c.kind == "first_response")
        self.assertEqual(first.state, "met")
        self.assertTrue(self.ticket.is_waiting)
        self.env["mail.thread"].message_process(None, REPLY.format(
            token=self.ticket.sudo().reply_token, domain=DOMAIN, number=self.ticket.number, name=TICKET).encode())
        self.assertFalse(self.ticket.is_waiting, "the customer's e-mail resumed the ticket")
        reply = self.ticket.message_ids.filtered(lambda m: "Printer OK now" in (m.body or ""))
        self.assertEqual(reply.author_id.email, "tour.customer@tour-customer.cn")
        self.assertEqual(reply.message_type, "email")
        self.start_tour("/odoo/action-crm_plus_service.action_crm_plus_ticket", "crm_plus_service_solve",
                        login="tour_service_agent")
        self.assertTrue(self.ticket.is_solved)
        self.assertEqual(self.ticket.clock_ids.filtered(lambda c: c.kind == "resolution").state, "met")


@tagged("post_install", "-at_install")
class TestTicketUiDesktop(TicketTourMixin, HttpCase):
    def test_answer_wait_solve(self):
        self._run_ticket_tours()


@tagged("post_install", "-at_install")
class TestTicketUiMobile(TicketTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_answer_wait_solve_on_phone(self):
        self._run_ticket_tours()
