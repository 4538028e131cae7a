from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from .test_sla import SlaCase


def _utc(*args):
    return datetime(*args) - timedelta(hours=8)


@tagged("post_install", "-at_install")
class TestAssignment(SlaCase):
    def make(self, **vals):
        return self.env["crm_plus.ticket"].create({"name": "A", "team_id": self.team.id, "user_id": False, **vals})

    def test_round_robin_persisted_pointer(self):
        self.team.assignment_method = "round_robin"
        agents = [self.make(partner_id=False).user_id for _i in range(4)]
        self.assertEqual([a.id for a in agents], [self.user_agent.id, self.user_agent2.id] * 2)
        self.assertEqual(self.team.assignment_pointer_id, self.user_agent2)

    def test_balanced_by_weighted_load(self):
        self.team.assignment_method = "balanced"
        self.make(user_id=self.user_agent.id, priority="3")  # weight 8
        for _i in range(3):
            self.make(user_id=self.user_agent2.id, priority="0")  # 3 x 1
        self.assertEqual(self.make().user_id, self.user_agent2)

    def test_skills(self):
        self.team.assignment_method = "skills"
        tag = self.env["crm_plus.ticket.tag"].create({"name": "ERP"})
        self.user_agent2.crm_plus_ticket_tag_ids = tag
        self.make(user_id=self.user_agent2.id, priority="3")
        self.assertEqual(self.make(tag_ids=[(6, 0, tag.ids)]).user_id, self.user_agent2)

    def test_usual_agent_first_and_time_off_skipped(self):
        self.team.assignment_method = "round_robin"
        self.make(partner_id=self.customer.id, user_id=self.user_agent2.id)
        self.assertEqual(self.make(partner_id=self.customer.id).user_id, self.user_agent2)
        # agent two is on time off now: skipped, even for their usual customer
        resource = self.env["resource.resource"].create({
            "name": "Agent Two", "user_id": self.user_agent2.id, "calendar_id": self.calendar.id})
        self.env["resource.calendar.leaves"].create({
            "name": "Leave", "resource_id": resource.id, "calendar_id": self.calendar.id,
            "date_from": datetime.now() - timedelta(days=1), "date_to": datetime.now() + timedelta(days=1)})
        self.assertEqual(self.make(partner_id=self.customer.id).user_id, self.user_agent)

    def test_locked_ticket_skipped(self):
        ticket = self.make()
        ticket.user_id = False
        # a ticket already assigned by someone else is not taken again
        ticket.user_id = self.user_agent2
        self.assertFalse(ticket._crm_plus_lock_for_assignment())


@tagged("post_install", "-at_install")
class TestEscalation(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.step_risk = cls.env["crm_plus.sla.escalation"].create({
            "policy_id": cls.policy.id, "clock_kind": "first_response", "trigger": "share", "share": 0.5,
            "notify_agent": True})
        cls.step_breach = cls.env["crm_plus.sla.escalation"].create({
            "policy_id": cls.policy.id, "clock_kind": "first_response", "trigger": "breach", "hours_after": 1,
            "notify_agent": False, "notify_manager": True, "raise_priority": True, "reassign": True})
        cls.team.assignment_method = "round_robin"

    def todos(self, ticket, user):
        return ticket.activity_ids.filtered(lambda a: a.user_id == user)

    def test_ladder_each_step_once(self):
        Clock = self.env["crm_plus.ticket.clock"]
        with freeze_time(_utc(2025, 11, 3, 10)):
            ticket = self.new_ticket()
        with freeze_time(_utc(2025, 11, 3, 11, 40)):  # 1h40 of 3h
            self.assertEqual(Clock._cron_escalate(), 1)
            self.assertEqual(Clock._cron_escalate(), 0, "a rerun does nothing")
        self.assertEqual(len(self.todos(ticket, self.user_agent)), 1)
        self.assertEqual(ticket.priority, "1")
        with freeze_time(_utc(2025, 11, 3, 15, 30)):  # breached at 14:00, 1h30 ago
            self.assertEqual(Clock._cron_escalate(), 1)
            self.assertEqual(Clock._cron_escalate(), 0)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(len(self.todos(ticket, self.user_service_manager)), 1)
        self.assertEqual(ticket.user_id, self.user_agent2, "reassigned to another agent of the team")
        self.assertEqual(len(self.todos(ticket, self.user_agent)), 1)
        done = self.env["crm_plus.ticket.escalation.done"].search([("clock_id.ticket_id", "=", ticket.id)])
        self.assertEqual(done.step_id, self.step_risk | self.step_breach)


@tagged("post_install", "-at_install")
class TestEscalationTwoWorkers(TransactionCase):
    """Two cron workers escalating the same clock at once: the step is done once.

    A second worker cannot see this test's transaction, so the data is committed from a cursor of its
    own, and removed again at the end."""

    def test_two_cursors(self):
        registry = self.registry
        now = fields.Datetime.now()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calendar = env["resource.calendar"].create({"name": "24/7 (two workers test)", "tz": "UTC",
                "attendance_ids": [(0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 0, "hour_to": 24})
                                   for d in range(7)]})
            team = env["crm_plus.ticket.team"].create({"name": "Two workers", "resource_calendar_id": calendar.id})
            policy = env["crm_plus.sla.policy"].create({"name": "Two workers", "sequence": 0,
                                                        "team_ids": [(6, 0, team.ids)]})
            env["crm_plus.sla.escalation"].create({"policy_id": policy.id, "clock_kind": "resolution",
                                                   "trigger": "share", "share": 0.0, "notify_agent": True})
            ticket = env["crm_plus.ticket"].create({"name": "Two workers", "team_id": team.id,
                                                    "user_id": env.ref("base.user_admin").id})
            clock_id = ticket.clock_ids.filtered(lambda c: c.kind == "resolution").id
            ids = (calendar.id, team.id, policy.id, ticket.id)
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with registry.cursor() as cr1, registry.cursor() as cr2:
                clock1 = api.Environment(cr1, SUPERUSER_ID, {})["crm_plus.ticket.clock"].browse(clock_id)
                clock2 = api.Environment(cr2, SUPERUSER_ID, {})["crm_plus.ticket.clock"].browse(clock_id)
                self.assertEqual(clock1._crm_plus_escalate(now), 1)  # worker 1 holds the clock's row
                self.assertEqual(clock2._crm_plus_escalate(now), 0, "worker 2 skips the locked clock")
                cr1.commit()  # pylint: disable=invalid-commit
                cr2.rollback()  # a new snapshot: worker 2 runs again after worker 1 committed
                self.assertEqual(clock2._crm_plus_escalate(now), 0, "the step is recorded as done")
                cr2.commit()  # pylint: disable=invalid-commit
                env = api.Environment(cr2, SUPERUSER_ID, {})
                ticket = env["crm_plus.ticket"].browse(ids[3])
                self.assertEqual(len(ticket.activity_ids), 1)
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["crm_plus.ticket"].browse(ids[3]).unlink()
                env["crm_plus.sla.policy"].browse(ids[2]).unlink()
                env["crm_plus.ticket.team"].browse(ids[1]).unlink()
                env["resource.calendar"].browse(ids[0]).unlink()
                cr.commit()  # pylint: disable=invalid-commit
