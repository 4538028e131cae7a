"""After-sale surveys of tickets: sent once when solved (the team's survey, else the global one), never to an
opted-out contact; tickets in the customer timeline, per role."""

from odoo import Command
from odoo.tests import tagged

from .common import CrmPlusServiceCase


@tagged("post_install", "-at_install", "crm_plus_service_survey")
class TestTicketSurvey(CrmPlusServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        scale = [Command.create({"title": "满意吗？", "question_type": "scale", "scale_min": 1, "scale_max": 5})]
        Survey = env["survey.survey"]
        cls.survey_global = Survey.create({"title": "服务满意度 (global)", "access_mode": "token",
                                           "question_and_page_ids": scale})
        cls.survey_team = Survey.create({"title": "服务满意度 (team)", "access_mode": "token",
                                         "question_and_page_ids": scale})
        env["ir.config_parameter"].sudo().set_param("crm_plus_service.survey_solved_id", str(cls.survey_global.id))
        cls.contact = env["res.partner"].create({"name": "工单联系人 赵六", "parent_id": cls.customer.id,
                                                 "email": "zhaoliu@ticket-survey.example"})
        cls.team = env["crm_plus.ticket.team"].create({"name": "Survey service team"})
        cls.stage_new = env["crm_plus.ticket.stage"].search(
            [("is_closed", "=", False), ("is_solved", "=", False), ("is_waiting", "=", False)], limit=1)

    def _ticket(self, **vals):
        return self.env["crm_plus.ticket"].create({"name": "打印机卡纸", "partner_id": self.contact.id, **vals})

    def _requests(self, tickets):
        return self.env["crm_plus.survey.request"].search(
            [("res_model", "=", "crm_plus.ticket"), ("res_id", "in", tickets.ids)])

    def test_sent_once_when_solved(self):
        ticket = self._ticket()
        self.assertFalse(self._requests(ticket))
        ticket.action_solve()
        request = self._requests(ticket)
        self.assertEqual(len(request), 1)
        self.assertEqual((request.survey_id, request.state), (self.survey_global, "sent"))
        self.assertEqual((request.partner_id, request.contact_id, request.user_id),
                         (self.customer, self.contact, self.user_sales))
        # reopened and solved again: not sent twice
        ticket.write({"stage_id": self.stage_new.id})
        ticket.action_solve()
        self.assertEqual(self._requests(ticket), request)
        self.assertEqual(self.env["mail.mail"].search_count(
            [("model", "=", request._name), ("res_id", "=", request.id)]), 1)

    def test_team_survey_first(self):
        self.team.crm_plus_survey_id = self.survey_team
        ticket = self._ticket(team_id=self.team.id)
        other = self._ticket()
        (ticket | other).action_solve()
        self.assertEqual(self._requests(ticket).survey_id, self.survey_team)
        self.assertEqual(self._requests(other).survey_id, self.survey_global)

    def test_blacklisted_contact(self):
        self.env["mail.blacklist"].sudo()._add(self.contact.email)
        ticket = self._ticket()
        ticket.action_solve()
        self.assertEqual(self._requests(ticket).skip_reason, "blacklisted")
        self.assertFalse(self._requests(ticket).user_input_id)

    def test_no_survey_no_request(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_plus_service.survey_solved_id", "")
        ticket = self._ticket()
        ticket.action_solve()
        self.assertFalse(self._requests(ticket))

    def test_tickets_in_timeline(self):
        """The customer's tickets are in its timeline: for its salesperson, the service agent and manager."""
        for user in (self.user_sales, self.user_agent, self.user_service_manager):
            page = self.customer.with_user(user).crm_plus_timeline_page(kinds=["ticket"])
            self.assertEqual({item["id"] for item in page["items"]}, set(self.ticket_agent.ids), user.login)
            self.assertEqual(page["items"][0]["model"], "crm_plus.ticket")
        self.assertEqual(
            {item["id"] for item in self.other_customer.crm_plus_timeline_page(kinds=["ticket"])["items"]},
            set((self.ticket_agent2 | self.ticket_unassigned).ids))
