"""Tests of the pure helpers in ``crm_plus_service.tools`` (no database needed)."""

import random
from datetime import date, datetime, timedelta

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_plus_service.tools import assignment, china_calendar, mail_intake, sla, working_time

BASE = datetime(2025, 1, 6)  # a Monday


def _random_calendar(rng, days):
    """Random working intervals over ``days`` days, at minute precision: a weekly pattern of 0-3 blocks
    per weekday, some holidays removed, some extra (make-up) days added."""
    pattern = {}
    for weekday in range(7):
        blocks, minute = [], rng.randrange(0, 600)
        for _i in range(rng.randrange(0, 4)):
            length = rng.randrange(1, 300)
            if minute + length >= 1440:
                break
            blocks.append((minute, minute + length))
            minute += length + rng.randrange(0, 240)
        pattern[weekday] = blocks
    intervals = []
    for day in range(days):
        start = BASE + timedelta(days=day)
        blocks = pattern[start.weekday()]
        if rng.random() < 0.1:
            blocks = []  # a holiday
        elif not blocks and rng.random() < 0.2:
            blocks = pattern[0] or [(540, 1080)]  # a make-up day
        intervals += [(start + timedelta(minutes=a), start + timedelta(minutes=b)) for a, b in blocks]
    rng.shuffle(intervals)
    return intervals


def _minute_set(intervals):
    minutes = set()
    for start, end in intervals:
        cursor = start
        while cursor < end:
            minutes.add(cursor)
            cursor += timedelta(minutes=1)
    return minutes


@tagged("post_install", "-at_install", "crm_plus_service_tools")
class TestWorkingTime(BaseCase):
    def test_against_minute_walk(self):
        """Sums and plans agree with walking minute by minute over random calendars and intervals."""
        rng = random.Random(20251001)
        for _case in range(40):
            days = rng.randrange(3, 12)
            intervals = _random_calendar(rng, days)
            timeline = working_time.Timeline(intervals)
            minutes = _minute_set(intervals)
            for _query in range(10):
                start = BASE + timedelta(minutes=rng.randrange(0, days * 1440))
                end = start + timedelta(minutes=rng.randrange(0, 3 * 1440))
                walked = sum(1 for m in range(int((end - start).total_seconds() // 60))
                             if start + timedelta(minutes=m) in minutes)
                self.assertEqual(timeline.seconds_between(start, end), walked * 60)
                amount = rng.randrange(0, 1500)
                planned = timeline.plan(start, amount * 60)
                # walk: the instant after the amount-th working minute from start
                cursor, left, limit = start, amount, BASE + timedelta(days=days + 1)
                expected = start if amount == 0 else None
                while left and cursor < limit:
                    if cursor in minutes:
                        left -= 1
                        if not left:
                            expected = cursor + timedelta(minutes=1)
                    cursor += timedelta(minutes=1)
                self.assertEqual(planned, expected, (start, amount))

    def test_merge_and_empty(self):
        a, b = datetime(2025, 1, 1, 9), datetime(2025, 1, 1, 12)
        self.assertEqual(working_time.merge_intervals([(a, b), (b, b + timedelta(hours=1)), (b, b)]),
                         [(a, b + timedelta(hours=1))])
        self.assertIsNone(working_time.plan([], a, 60))
        self.assertEqual(working_time.working_seconds([(a, b)], b, a), 0)

    def test_nth_working_day(self):
        start = datetime(2025, 9, 30, 16, 0)
        dates = [date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 11)]
        self.assertEqual(working_time.nth_working_day(start, 1, dates), datetime(2025, 10, 9, 16, 0))
        self.assertEqual(working_time.nth_working_day(start, 3, dates), datetime(2025, 10, 11, 16, 0))
        self.assertIsNone(working_time.nth_working_day(start, 4, dates))


@tagged("post_install", "-at_install", "crm_plus_service_tools")
class TestSlaTools(BaseCase):
    def test_clock_state(self):
        self.assertEqual(sla.clock_state(100, 1000, 0.8, False), "on_track")
        self.assertEqual(sla.clock_state(800, 1000, 0.8, False), "at_risk")
        self.assertEqual(sla.clock_state(1000, 1000, 0.8, False), "breached")
        self.assertEqual(sla.clock_state(900, 1000, 0.8, True), "met")
        self.assertEqual(sla.clock_state(1200, 1000, 0.8, True), "breached")

    def test_due_steps(self):
        steps = [(1, "share", 0.5), (2, "breach", 2.0)]
        self.assertEqual(sla.due_steps(steps, 600, 1000, -10, set()), [1])
        self.assertEqual(sla.due_steps(steps, 600, 1000, -10, {1}), [])
        self.assertEqual(sla.due_steps(steps, 1000, 1000, 3600, {1}), [])
        self.assertEqual(sla.due_steps(steps, 1000, 1000, 7200, {1}), [2])


@tagged("post_install", "-at_install", "crm_plus_service_tools")
class TestIntakeTools(BaseCase):
    def test_subject_number(self):
        self.assertEqual(mail_intake.subject_number("回复：[TKT-000123] 打印机"), "TKT-000123")
        self.assertEqual(mail_intake.subject_number("RE: 【tkt-000042】"), "TKT-000042")
        self.assertIsNone(mail_intake.subject_number("TKT-000123 without brackets"))

    def test_reply_token(self):
        self.assertEqual(mail_intake.reply_token(["a@b.c", "Support+tABCDEF0123456789@example.com"]),
                         "abcdef0123456789")
        self.assertIsNone(mail_intake.reply_token(["support+x@example.com"]))

    def test_auto_reply(self):
        self.assertTrue(mail_intake.is_auto_reply({"Auto-Submitted": "auto-replied"}, "Re"))
        self.assertTrue(mail_intake.is_auto_reply({}, "自动回复: 我正在休假"))
        self.assertTrue(mail_intake.is_auto_reply({"X-Autoreply": "yes"}, ""))
        self.assertFalse(mail_intake.is_auto_reply({"Auto-Submitted": "no"}, "Re: 报修"))


@tagged("post_install", "-at_install", "crm_plus_service_tools")
class TestAssignmentTools(BaseCase):
    def test_methods(self):
        self.assertEqual(assignment.choose_agent("round_robin", [3, 1, 2], pointer=2), 3)
        self.assertEqual(assignment.choose_agent("round_robin", [3, 1, 2], pointer=3), 1)
        self.assertEqual(assignment.choose_agent("balanced", [1, 2], loads={1: 8, 2: 3}), 2)
        self.assertEqual(assignment.choose_agent("skills", [1, 2], skills={1: {7}, 2: {8}}, wanted_skills=[8]), 2)
        self.assertEqual(assignment.choose_agent("balanced", [1, 2], loads={1: 8}, usual=1), 1)
        self.assertIsNone(assignment.choose_agent("balanced", []))


@tagged("post_install", "-at_install", "crm_plus_service_tools")
class TestChinaCalendarTools(BaseCase):
    def test_2025_national_day(self):
        schedule = {day: kind for day, kind, _name in china_calendar.year_schedule(2025)}
        self.assertEqual(schedule[date(2025, 9, 28)], "workday")
        self.assertEqual(schedule[date(2025, 10, 11)], "workday")
        for day in (1, 2, 3, 6, 7, 8):
            self.assertEqual(schedule[date(2025, 10, day)], "holiday")
        self.assertNotIn(date(2025, 10, 9), schedule)

    def test_cross_checked_with_holidays(self):
        for year in (2025, 2026):
            self.assertEqual(china_calendar.cross_check(year, china_calendar.year_schedule(year)), [])
        # a wrong schedule is caught
        wrong = [(d, k, n) for d, k, n in china_calendar.year_schedule(2025) if d != date(2025, 10, 11)]
        self.assertEqual(china_calendar.cross_check(2025, wrong), [(date(2025, 10, 11), "", "workday")])

    def test_unknown_year(self):
        self.assertEqual(china_calendar.year_schedule(2031), [])
        self.assertNotIn(2031, china_calendar.known_years())
