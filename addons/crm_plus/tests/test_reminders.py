"""Reminders: next follow-up and birthday to-dos, created once."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_plus.tools.reminders import anniversary, months_between, upcoming_anniversary

from .common import CrmPlusCase

# noon: the same day in every time zone of the test users
START = datetime(2031, 3, 10, 12, 0)


@tagged("post_install", "-at_install", "crm_plus_reminders")
class TestReminders(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(cls.env, login="cp_remind_seller", name="Remind Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US", tz="UTC")
        cls.company = cls.env["res.partner"].create({
            "name": "提醒测试贸易有限公司", "is_company": True, "user_id": cls.seller.id})
        cls.contact = cls.env["res.partner"].create({
            "name": "钱提醒", "parent_id": cls.company.id, "birthday": date(1980, 3, 17)})
        cls.env["ir.config_parameter"].set_param("crm_plus.birthday_reminder_days", 3)

    def run_cron(self, day):
        with freeze_time(day):
            return self.env["res.partner"].with_context(tz="UTC")._cron_crm_plus_reminders(batch_size=1)

    def todos(self, partner, text):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("summary", "like", text)])

    def test_next_followup_once_per_date(self):
        self.company.write({"next_followup_date": date(2031, 3, 12), "next_followup_note": "报价跟进 quote"})
        self.run_cron(START)
        self.assertFalse(self.todos(self.company, "Follow up"))
        self.run_cron(START + timedelta(days=2))
        todo = self.todos(self.company, "Follow up")
        self.assertEqual((todo.user_id, todo.date_deadline), (self.seller, date(2031, 3, 12)))
        self.assertEqual(todo.summary, "Follow up: 报价跟进 quote")
        self.run_cron(START + timedelta(days=2))
        self.run_cron(START + timedelta(days=3))
        self.assertEqual(len(self.todos(self.company, "Follow up")), 1, "never twice for the same date")
        self.company.next_followup_date = date(2031, 3, 20)
        self.run_cron(START + timedelta(days=10))
        self.assertEqual(len(self.todos(self.company, "Follow up")), 2, "a new date, a new to-do")

    def test_birthday_once_a_year(self):
        self.run_cron(START + timedelta(days=3))
        self.assertFalse(self.todos(self.contact, "Birthday"), "4 days before")
        self.run_cron(START + timedelta(days=4))
        todo = self.todos(self.contact, "Birthday")
        self.assertEqual(todo.user_id, self.seller, "the company's salesperson")
        self.assertEqual(todo.date_deadline, date(2031, 3, 17))
        self.run_cron(START + timedelta(days=5))
        self.run_cron(START + timedelta(days=7))
        self.assertEqual(len(self.todos(self.contact, "Birthday")), 1, "once a year")
        self.run_cron(datetime(2032, 3, 15, 12, 0))
        self.assertEqual(len(self.todos(self.contact, "Birthday")), 2, "next year again")

    def test_anniversary_arithmetic(self):
        leap = date(1992, 2, 29)
        self.assertEqual(anniversary(leap, 2031), date(2031, 2, 28))
        self.assertEqual(anniversary(leap, 2032), date(2032, 2, 29))
        self.assertEqual(upcoming_anniversary(date(1990, 1, 2), date(2031, 12, 30), 3), date(2032, 1, 2))
        self.assertIsNone(upcoming_anniversary(date(1990, 1, 5), date(2031, 12, 30), 3))
        self.assertEqual(months_between(date(2031, 12, 30), date(2032, 1, 2)), [12, 1])
