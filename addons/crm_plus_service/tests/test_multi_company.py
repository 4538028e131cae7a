from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusServiceCase


@tagged("post_install", "-at_install")
class TestServiceMultiCompany(CrmPlusServiceCase):
    """Tickets, teams and SLA policies stay in their company: what a user sees follows the companies they
    are allowed and have selected, and no record links across companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "乙公司 Company B"})
        Team = cls.env["crm_plus.ticket.team"]
        cls.team_a = Team.create({"name": "Team A", "member_ids": [(6, 0, cls.user_agent.ids)]})
        cls.team_b = Team.with_company(cls.company_b).create({
            "name": "Team B", "company_id": cls.company_b.id,
            "resource_calendar_id": cls.company_b.resource_calendar_id.id})
        Policy = cls.env["crm_plus.sla.policy"]
        cls.policy_b = Policy.create({"name": "B only", "sequence": 1, "company_id": cls.company_b.id})
        cls.policy_shared = Policy.create({"name": "Every company", "sequence": 2, "company_id": False})
        # an agent and a service manager of A and B; an agent of A only
        cls.agent_ab = new_test_user(
            cls.env, login="cp_agent_ab", groups="crm_plus_service.group_crm_plus_service_agent",
            company_id=cls.company_a.id, company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)])
        cls.manager_ab = new_test_user(
            cls.env, login="cp_sm_ab", groups="crm_plus_service.group_crm_plus_service_manager",
            company_id=cls.company_a.id, company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)])
        cls.team_b.member_ids = cls.agent_ab
        cls.ticket_b = cls.env["crm_plus.ticket"].create({"name": "B's ticket", "team_id": cls.team_b.id,
                                                          "user_id": False})

    def test_ticket_takes_its_team_company(self):
        """A ticket made for a team (by its e-mail alias, the API or a form of another company) belongs to the
        team's company, and its SLA policy is one of that company or a shared one."""
        self.assertEqual(self.ticket_b.company_id, self.company_b)
        self.assertEqual(self.ticket_b.sla_policy_id, self.policy_b)
        ticket_a = self.env["crm_plus.ticket"].create({"name": "A's ticket", "team_id": self.team_a.id})
        self.assertEqual(ticket_a.company_id, self.company_a)
        self.assertEqual(ticket_a.sla_policy_id, self.policy_shared, "B's policy never applies to A's ticket")

    def test_alias_of_another_company_team(self):
        """An e-mail to company B's team alias opens a ticket in company B, although the mail gateway runs in
        the main company."""
        self.team_b.alias_name = "service-b"
        domain = self.team_b.alias_domain_id.name or self.env.company.alias_domain_id.name
        raw = ("From: Zhang Wei <zhang.wei@example.cn>\r\nTo: service-b@%s\r\nSubject: 打印机故障\r\n"
               "Message-ID: <mc-b-1@example.cn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n打印机不能用了\r\n"
               % domain)
        ticket_id = self.env["mail.thread"].message_process("crm_plus.ticket", raw.encode(),
                                                            custom_values={"team_id": self.team_b.id})
        ticket = self.env["crm_plus.ticket"].browse(ticket_id)
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.company_id, self.company_b)

    def test_no_link_across_companies(self):
        ticket_a = self.env["crm_plus.ticket"].create({"name": "A's ticket", "team_id": self.team_a.id})
        with self.assertRaises(UserError):
            ticket_a.team_id = self.team_b
        with self.assertRaises(UserError):
            self.policy_b.team_ids = self.team_a
        calendar_b = self.env["resource.calendar"].create({"name": "B hours", "company_id": self.company_b.id})
        with self.assertRaises(UserError):
            self.team_a.resource_calendar_id = calendar_b
        with self.assertRaises(UserError):
            self.team_b.member_ids = self.user_agent  # an agent of A only cannot join B's team

    def test_agent_of_one_company_sees_only_its_records(self):
        env = self.env(user=self.user_agent)
        self.assertNotIn(self.ticket_b, env["crm_plus.ticket"].search([]))
        self.assertNotIn(self.team_b, env["crm_plus.ticket.team"].search([]))
        policies = env["crm_plus.sla.policy"].search([])
        self.assertIn(self.policy_shared, policies)
        self.assertNotIn(self.policy_b, policies)
        # nor through a grouped read or a name search
        counts = dict(env["crm_plus.ticket"]._read_group([], ["company_id"], ["__count"]))
        self.assertNotIn(self.company_b, counts)
        self.assertFalse(env["crm_plus.ticket"].name_search(self.ticket_b.number))

    def test_selected_companies_decide(self):
        """A user allowed in A and B sees B's records only while B is among the selected companies."""
        for user in (self.agent_ab, self.manager_ab):
            only_a = self.env(user=user, context={"allowed_company_ids": [self.company_a.id]})
            self.assertNotIn(self.ticket_b, only_a["crm_plus.ticket"].search([]), user.login)
            self.assertNotIn(self.team_b, only_a["crm_plus.ticket.team"].search([]), user.login)
            both = self.env(user=user, context={"allowed_company_ids": (self.company_a | self.company_b).ids})
            self.assertIn(self.ticket_b, both["crm_plus.ticket"].search([]), user.login)
            self.assertIn(self.team_b, both["crm_plus.ticket.team"].search([]), user.login)
            self.assertIn(self.policy_b, both["crm_plus.sla.policy"].search([]), user.login)
