from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmPlusServiceCase


def _shanghai_to_utc(local):
    """Naive UTC of a Shanghai wall-clock time (UTC+8, no daylight saving)."""
    return local - timedelta(hours=8)


class SlaCase(CrmPlusServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm_plus.china.day"]._crm_plus_load_year(2025)
        cls.env["crm_plus.china.day"]._crm_plus_load_year(2026)
        cls.calendar = cls._make_calendar()
        cls.calendar.crm_plus_china = True
        cls.team = cls.env["crm_plus.ticket.team"].create({
            "name": "After-sales", "resource_calendar_id": cls.calendar.id,
            "member_ids": [(6, 0, (cls.user_agent | cls.user_agent2).ids)], "leader_id": cls.user_service_manager.id,
        })
        cls.policy = cls.env["crm_plus.sla.policy"].create({
            "name": "Standard", "sequence": 20, "team_ids": [(6, 0, cls.team.ids)],
            "first_response_time": 3, "first_response_unit": "hours",
            "next_reply_time": 4, "next_reply_unit": "hours",
            "resolution_time": 1, "resolution_unit": "days",
        })
        cls.stage_progress = cls.env.ref("crm_plus_service.ticket_stage_in_progress")
        cls.stage_waiting = cls.env.ref("crm_plus_service.ticket_stage_waiting")
        cls.stage_solved = cls.env.ref("crm_plus_service.ticket_stage_solved")

    def new_ticket(self, **vals):
        return self.env["crm_plus.ticket"].create({
            "name": "SLA", "team_id": self.team.id, "partner_id": self.customer.id, "user_id": self.user_agent.id,
            **vals})

    def clock(self, ticket, kind):
        return ticket.clock_ids.filtered(lambda c: c.kind == kind).sorted("id")[-1:]


@tagged("post_install", "-at_install")
class TestSlaChinaCalendar(SlaCase):
    """Known-correct deadlines on the China business calendar (9-12, 13-18, Asia/Shanghai)."""

    def assertDeadlines(self, created, first_response, resolution):
        with freeze_time(_shanghai_to_utc(created)):
            ticket = self.new_ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertEqual(self.clock(ticket, "first_response").deadline, _shanghai_to_utc(first_response))
        self.assertEqual(self.clock(ticket, "resolution").deadline, _shanghai_to_utc(resolution))
        return ticket

    def test_national_day_2025_makeup_sunday(self):
        # Friday 17:00: one hour that day, Saturday off, Sunday 2025-09-28 is a make-up working day
        self.assertDeadlines(datetime(2025, 9, 26, 17), datetime(2025, 9, 28, 11), datetime(2025, 9, 28, 17))

    def test_national_day_2025_holiday(self):
        # Tuesday 30 September 16:00: two hours, then 1-8 October are off; one working day = 9 October
        self.assertDeadlines(datetime(2025, 9, 30, 16), datetime(2025, 10, 9, 10), datetime(2025, 10, 9, 16))

    def test_national_day_2025_makeup_saturday(self):
        # Friday 10 October 17:00: Saturday 11 October is a make-up working day
        self.assertDeadlines(datetime(2025, 10, 10, 17), datetime(2025, 10, 11, 11), datetime(2025, 10, 11, 17))

    def test_spring_festival_2026(self):
        # Saturday 14 February 2026 is worked; 15-23 February are off
        self.assertDeadlines(datetime(2026, 2, 13, 17), datetime(2026, 2, 14, 11), datetime(2026, 2, 14, 17))
        self.assertDeadlines(datetime(2026, 2, 14, 17), datetime(2026, 2, 24, 11), datetime(2026, 2, 24, 17))

    def test_calendar_is_odoo_own(self):
        """The schedule is in the resource calendar itself: Odoo's own planning sees it."""
        hours = self.calendar.get_work_hours_count(_shanghai_to_utc(datetime(2025, 9, 27)),
                                                   _shanghai_to_utc(datetime(2025, 10, 12)), compute_leaves=True)
        # 26-27: weekend except Sunday 28 (8h), 29-30 (16h), 1-8 off, 9-10 (16h), Saturday 11 (8h)
        self.assertEqual(hours, 48)

    def test_missing_year_flagged(self):
        with freeze_time("2026-11-30 10:00:00"):
            self.calendar.invalidate_recordset(["crm_plus_china_missing"])
            self.assertEqual(self.calendar.crm_plus_china_missing, "2027")
            settings = self.env["res.config.settings"].create({})
            self.assertEqual(settings.china_schedule_missing_years, "2027")
        with freeze_time("2025-11-30 10:00:00"):
            self.calendar.invalidate_recordset(["crm_plus_china_missing"])
            self.assertFalse(self.calendar.crm_plus_china_missing)

    def test_admin_enters_next_year_and_tickets_recompute(self):
        """A year entered by hand (the State Council's new schedule) is written into the calendar and open
        tickets' deadlines move with it."""
        with freeze_time(_shanghai_to_utc(datetime(2026, 12, 31, 17))):
            ticket = self.new_ticket()
            clock = self.clock(ticket, "first_response")
            # no 2027 data: 1 January 2027 (a Friday) counts as a working day
            self.assertEqual(clock.deadline, _shanghai_to_utc(datetime(2027, 1, 1, 11)))
            self.env["crm_plus.china.day"].create({"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
            self.calendar._crm_plus_china_rebuild()
            self.assertTrue(clock.needs_recompute)
            self.env["crm_plus.ticket.clock"]._cron_recompute()
        self.assertFalse(clock.needs_recompute)
        self.assertEqual(clock.deadline, _shanghai_to_utc(datetime(2027, 1, 4, 11)))


@tagged("post_install", "-at_install")
class TestSlaClocks(SlaCase):
    START = datetime(2025, 11, 3, 10)  # a Monday, no holiday near

    def at(self, hour, minute=0, day=3):
        return freeze_time(_shanghai_to_utc(datetime(2025, 11, day, hour, minute)))

    def test_first_response_public_reply_only(self):
        with self.at(10):
            ticket = self.new_ticket()
        first = self.clock(ticket, "first_response")
        with self.at(11):
            ticket.with_user(self.user_agent).message_post(body="internal", subtype_xmlid="mail.mt_note",
                                                           message_type="comment")
            ticket.with_context(crm_plus_automatic=True).message_post(
                body="We received your request", subtype_xmlid="mail.mt_comment", message_type="comment")
        self.assertFalse(first.done, "notes and automatic acknowledgements do not answer the customer")
        with self.at(11, 30):
            ticket.with_user(self.user_agent).message_post(body="On it", subtype_xmlid="mail.mt_comment",
                                                           message_type="comment")
        self.assertTrue(first.done)
        self.assertEqual(first.state, "met")
        self.assertEqual(first.consumed_seconds, 5400)
        self.assertEqual(ticket.date_first_response, _shanghai_to_utc(datetime(2025, 11, 3, 11, 30)))

    def test_pause_resume_by_customer_reply(self):
        with self.at(10):
            ticket = self.new_ticket()
        resolution = self.clock(ticket, "resolution")
        self.assertEqual(resolution.target_seconds, 8 * 3600)  # Monday 10:00 -> Tuesday 10:00
        with self.at(10, 30):
            ticket.message_post(body="Before any answer", author_id=self.customer.id, email_from="buyer@customer.cn",
                                message_type="email", subtype_xmlid="mail.mt_comment")
        self.assertFalse(self.clock(ticket, "next_reply"), "the first response covers the customer's first words")
        with self.at(11):
            ticket.with_user(self.user_agent).message_post(body="Send a photo?", subtype_xmlid="mail.mt_comment",
                                                           message_type="comment")
        with self.at(12):
            ticket.with_user(self.user_agent).action_wait_customer()
        self.assertTrue(ticket.is_waiting)
        self.assertTrue(resolution.paused)
        self.assertFalse(resolution.deadline)
        self.assertEqual(resolution.consumed_seconds, 2 * 3600)
        self.assertTrue(ticket.sla_paused)
        first = self.clock(ticket, "first_response")
        self.assertEqual(first.state, "met")
        self.assertFalse(first.paused, "the first response never pauses")
        with self.at(16):
            self.env["crm_plus.ticket"].browse(ticket.id).message_post(
                body="Here is the photo", author_id=self.customer.id, email_from="buyer@customer.cn",
                message_type="email",
                subtype_xmlid="mail.mt_comment")
        self.assertFalse(ticket.is_waiting, "the customer's reply takes the ticket out of waiting")
        self.assertFalse(resolution.paused)
        # 6 hours left from Monday 16:00: 16-18, Tuesday 9-12, 13-14
        self.assertEqual(resolution.deadline, _shanghai_to_utc(datetime(2025, 11, 4, 14)))
        next_reply = self.clock(ticket, "next_reply")
        self.assertEqual(next_reply.deadline, _shanghai_to_utc(datetime(2025, 11, 4, 11)))
        notes = ticket.message_ids.mapped("body")
        self.assertTrue(any("SLA paused" in (b or "") for b in notes))
        self.assertTrue(any("SLA resumed" in (b or "") for b in notes))
        with self.at(17):
            ticket.with_user(self.user_agent).message_post(body="Thanks", subtype_xmlid="mail.mt_comment",
                                                           message_type="comment")
        self.assertTrue(next_reply.done)
        self.assertEqual(next_reply.state, "met")

    def test_solve_and_reopen(self):
        """Solving stops the resolution clock; a reopen resumes it from the working time already used."""
        with self.at(10):
            ticket = self.new_ticket()
        resolution = self.clock(ticket, "resolution")
        with self.at(10, 30):
            ticket.with_user(self.user_agent).message_post(body="Fixed?", subtype_xmlid="mail.mt_comment",
                                                           message_type="comment")
        with self.at(15):
            ticket.action_solve()
        self.assertTrue(resolution.done)
        self.assertEqual(resolution.state, "met")
        self.assertEqual(ticket.sla_state, "met")
        with self.at(9, day=4):
            ticket.stage_id = self.stage_progress
        self.assertFalse(resolution.done)
        self.assertEqual(resolution.consumed_seconds, 4 * 3600)
        # 4 hours left from Tuesday 9:00
        self.assertEqual(resolution.deadline, _shanghai_to_utc(datetime(2025, 11, 4, 14)))

    def test_breach_and_states_searchable(self):
        with self.at(10):
            ticket = self.new_ticket()
        with self.at(12, 30):
            self.env["crm_plus.ticket.clock"]._cron_refresh()
        self.assertEqual(self.clock(ticket, "first_response").state, "on_track")  # 2 h of 3 h (lunch break)
        with self.at(13, 30):
            self.env["crm_plus.ticket.clock"]._cron_refresh()
        self.assertEqual(self.clock(ticket, "first_response").state, "at_risk")  # 2.5 h of 3 h
        with self.at(14, 30):
            self.env["crm_plus.ticket.clock"]._cron_refresh()
        self.assertEqual(ticket.sla_state, "breached")
        found = self.env["crm_plus.ticket"].search([("sla_state", "=", "breached"), ("id", "=", ticket.id)])
        self.assertEqual(found, ticket)

    def test_entitlement_and_fallback(self):
        gold = self.env["crm_plus.sla.policy"].create({
            "name": "Gold", "sequence": 1, "contract_only": True, "first_response_time": 30,
            "first_response_unit": "minutes", "resolution_time": 4, "resolution_unit": "hours"})
        contract = self.env["crm_plus.contract"].create({
            "partner_id": self.customer.id, "crm_plus_sla_policy_id": gold.id, "state": "running"})
        with self.at(10):
            ticket = self.new_ticket()
        self.assertEqual(ticket.sla_policy_id, gold)
        self.assertEqual(self.clock(ticket, "first_response").deadline, _shanghai_to_utc(datetime(2025, 11, 3, 10, 30)))
        contract.state = "expired"
        with self.at(10):
            other = self.new_ticket()
        self.assertEqual(other.sla_policy_id, self.policy, "an expired contract falls back to the default")

    def test_policy_change_recomputes(self):
        with self.at(10):
            ticket = self.new_ticket()
        with self.at(10):
            self.policy.first_response_time = 1
            self.env["crm_plus.ticket.clock"]._cron_recompute()
        self.assertEqual(self.clock(ticket, "first_response").deadline, _shanghai_to_utc(datetime(2025, 11, 3, 11)))
