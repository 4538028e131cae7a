"""Satisfaction: a solved ticket asks its contact for a rating once (e-mail and portal); a low score makes a
to-do for the service manager and flags the customer at churn risk; teams and agents show their satisfaction."""

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .test_portal import PortalCaseMixin


@tagged("post_install", "-at_install", "crm_plus_portal")
class TestSatisfaction(PortalCaseMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal()
        cls.leader = new_test_user(cls.env, login="sat_leader", name="Satisfaction Leader", lang="en_US",
                                   groups="crm_plus_service.group_crm_plus_service_manager")
        cls.agent = new_test_user(cls.env, login="sat_agent", groups="crm_plus_service.group_crm_plus_service_agent",
                                  name="Satisfaction Agent")
        cls.team = cls.env["crm_plus.ticket.team"].create({
            "name": "Rated team", "leader_id": cls.leader.id, "member_ids": [(6, 0, cls.agent.ids)]})
        cls.ticket = cls.tickets["a"]
        cls.ticket.write({"team_id": cls.team.id, "user_id": cls.agent.id})

    def _requests(self, ticket):
        return ticket.message_ids.filtered(lambda m: "how did we do" in (m.subject or ""))

    def test_solved_ticket_asks_once(self):
        ticket = self.ticket
        self.assertFalse(ticket.rating_ids)
        ticket.with_user(self.agent).action_solve()
        self.assertEqual(len(self._requests(ticket)), 1)
        rating = ticket.rating_ids
        self.assertEqual((len(rating), rating.partner_id, rating.consumed),
                         (1, self.users["portal_a"].partner_id, False))
        self.assertEqual(rating.rated_partner_id, self.agent.partner_id)
        # reopened and solved again: not asked twice
        ticket.write({"stage_id": self.stage_new.id})
        ticket.action_solve()
        self.assertEqual(len(self._requests(ticket)), 1)
        self.assertEqual(len(ticket.rating_ids), 1)

    def test_portal_offers_rating_once_solved(self):
        self._login("portal_a")
        url = "/my/tickets/%s" % self.ticket.id
        self.assertNotIn("o_crm_plus_portal_rating", self._get(url).text)
        self.ticket.action_solve()
        token = self.ticket.rating_ids.access_token
        page = self._get(url).text
        self.assertIn("/rate/%s/5" % token, page)
        # B never gets A's rating link
        self.assertNotIn(token, self._get("/my/tickets/%s" % self.tickets["b"].id).text)

    def test_low_rating_follow_up_and_churn_signal(self):
        ticket = self.ticket
        ticket.action_solve()
        token = ticket.rating_ids.access_token
        self._login("portal_a")
        response = self.url_open("/rate/%s/submit_feedback" % token, data={
            "rate": "1", "feedback": "太慢了 too slow", "csrf_token": http.Request.csrf_token(self)})
        self.assertEqual(response.status_code, 200)
        rating = ticket.rating_ids
        self.assertEqual((rating.rating, rating.consumed), (1.0, True))
        todo = ticket.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(len(todo), 1)
        self.assertIn("Low satisfaction (1/5)", todo.summary)
        self.assertIn("too slow", str(todo.note))
        # the customer's lifecycle: active by interaction, at churn risk by the rating
        company = self.company_a
        self.assertEqual(ticket.customer_id, company)
        self.env["res.partner"]._cron_compute_lifecycle()
        self.assertEqual(company.lifecycle_state, "churn_risk")
        self.assertEqual(self.company_b.lifecycle_state, "active")
        # satisfaction shown on the team and on the agent
        self.team.invalidate_recordset()
        self.assertEqual((self.team.rating_count, self.team.rating_percentage_satisfaction), (1, 0))
        self.assertEqual(self.agent.crm_plus_service_rating_count, 1)
        self.assertEqual(self.agent.crm_plus_service_satisfaction, 0)

    def test_good_rating_no_follow_up(self):
        ticket = self.ticket
        ticket.action_solve()
        ticket.sudo().rating_apply(5, token=ticket.rating_ids.access_token)
        self.assertFalse(ticket.activity_ids)
        self.env["res.partner"]._cron_compute_lifecycle()
        self.assertEqual(self.company_a.lifecycle_state, "active")
        self.agent.invalidate_recordset()
        self.assertEqual(self.agent.crm_plus_service_satisfaction, 100)
