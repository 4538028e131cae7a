from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestEngagementRecipes(CrmPlusCase):
    """The automation recipes on Odoo's automation engine: each fires, sends once under reruns, skips opt-outs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Automation = cls.env["base.automation"]
        cls.rules = {recipe: cls.env.ref("crm_plus.automation_recipe_%s" % recipe)
                     for recipe in ("care", "quotation", "high_intent", "birthday", "renewal")}
        # none of the shipped recipes runs unless a test switches it on
        for rule in cls.Automation.search([]):
            rule.active = False
        Partner = cls.env["res.partner"]
        cls.quiet = Partner.create({"name": "关怀测试有限公司", "is_company": True, "email": "care@example.com",
                                    "user_id": cls.user_sales.id})
        cls.blocked = Partner.create({"name": "黑名单测试有限公司", "is_company": True,
                                      "email": "blocked@example.com", "user_id": cls.user_sales.id})
        cls.env["mail.blacklist"]._add("blocked@example.com")

    def _switch(self, **recipes):
        """Save the settings with these recipes on (the others off)."""
        settings = self.env["res.config.settings"].create(
            {"crm_plus_recipe_%s" % recipe: on for recipe, on in recipes.items()})
        settings.execute()

    def _run_automations(self, again=False):
        """The automation engine's cron (its method, not committing); ``again``: as if it ran for the first time."""
        if again:
            self.Automation.search([]).write({"last_run": False})
        self.Automation._check()

    def _automated(self, record):
        """The automated messages (the recipes' e-mails) posted on ``record``."""
        return self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id), ("message_type", "=", "auto_comment")])

    def _ledger(self, recipe, record):
        return self.env["crm_plus.engagement"].search(
            [("recipe", "=", recipe), ("model", "=", record._name), ("res_id", "=", record.id)])

    def _silent_since(self, partners, when):
        self.env["res.partner"]._crm_plus_store_lifecycle({
            p.id: {"last_interaction_date": when, "lifecycle_state": "churn_risk", "is_high_value": False}
            for p in partners})

    # ------------------------------------------------------------------------------------------------

    def test_settings_switch_the_rules(self):
        self._switch(care=True, birthday=True)
        self.assertTrue(self.rules["care"].active)
        self.assertTrue(self.rules["birthday"].active)
        self.assertFalse(self.rules["renewal"].active)
        values = self.env["res.config.settings"].create({})
        self.assertTrue(values.crm_plus_recipe_care)
        self.assertFalse(values.crm_plus_recipe_quotation)
        self._switch(care=False)
        self.assertFalse(self.rules["care"].active)

    def test_care_once_per_silence(self):
        self._switch(care=True)
        self._silent_since(self.quiet | self.blocked, datetime(2026, 9, 20, 9, 0))
        with freeze_time("2026-10-25 08:00:00"):
            self._run_automations()
            messages = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", self.quiet.id),
                                                        ("message_type", "=", "auto_comment")])
            self.assertEqual(len(messages), 1)
            self.assertIn(self.quiet.name, messages.subject)
            self.assertEqual(messages.partner_ids, self.quiet)
            mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", messages.id)])
            self.assertEqual(mails.recipient_ids, self.quiet)
            todos = self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.quiet.id)])
            self.assertEqual(len(todos), 1)
            self.assertEqual(todos.user_id, self.user_sales)
            self.assertTrue(todos.automated)
            # reruns: the rule's cron again, and as if it never ran
            self._run_automations()
            self._run_automations(again=True)
            self.assertEqual(len(self._ledger("care", self.quiet)), 1)
            self.assertEqual(len(self._automated(self.quiet)), 1)
            self.assertEqual(len(self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.quiet.id)])), 1)
            # blacklisted: nothing
            self.assertFalse(self._ledger("care", self.blocked))
            self.assertFalse(self._automated(self.blocked))
            # the automated e-mail and to-do are no interaction with the customer
            self.assertIsNone(self.quiet._crm_plus_last_interaction().get(self.quiet.id))
        # a new interaction, then 30 days of silence again: a new occasion
        self._silent_since(self.quiet, datetime(2026, 10, 26, 9, 0))
        with freeze_time("2026-11-30 08:00:00"):
            self._run_automations()
        self.assertEqual(len(self._ledger("care", self.quiet)), 2)

    def test_care_not_before_30_days_and_opt_out(self):
        self._switch(care=True)
        self.quiet.crm_plus_engagement_opt_out = True
        self._silent_since(self.quiet | self.blocked, datetime(2026, 10, 20, 9, 0))
        with freeze_time("2026-10-25 08:00:00"):
            self._run_automations()
        self.assertFalse(self._ledger("care", self.quiet))
        with freeze_time("2026-11-25 08:00:00"):
            self._run_automations()
        self.assertFalse(self._ledger("care", self.quiet), "opted out")

    def test_quotation_reminder_once(self):
        self._switch(quotation=True)
        product = self.env["product.product"].create({"name": "Recipe Licence", "list_price": 100.0})
        orders = self.env["sale.order"].create([{
            "partner_id": self.quiet.id, "user_id": self.user_sales.id, "date_order": datetime(2026, 11, 1, 9, 0),
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
        } for _i in range(2)])
        orders.write({"state": "sent"})
        unanswered, answered = orders
        answered.message_post(body="OK, we will sign", message_type="email", author_id=self.quiet.id)
        with freeze_time("2026-11-04 08:00:00"):
            self._run_automations()
        self.assertFalse(self._ledger("quotation", unanswered), "not 5 days yet")
        with freeze_time("2026-11-07 08:00:00"):
            self._run_automations()
            self._run_automations(again=True)
        todos = self.env["mail.activity"].search([("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)])
        self.assertEqual(len(todos), 1)
        self.assertEqual((todos.res_id, todos.user_id), (unanswered.id, self.user_sales))
        self.assertIn(unanswered.name, todos.summary)
        self.assertEqual(len(self._ledger("quotation", unanswered)), 1)
        self.assertFalse(self._ledger("quotation", answered))

    def test_high_intent_once_a_year(self):
        self._switch(high_intent=True)
        tag = self.env.ref("crm_plus.partner_tag_purchase_stage_high_intent")
        with freeze_time("2026-11-02 10:00:00"):
            self.quiet.category_id = [Command.link(tag.id)]
            self.blocked.category_id = [Command.link(tag.id)]
            self.quiet.category_id = [Command.unlink(tag.id)]
            self.quiet.category_id = [Command.link(tag.id)]
        messages = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", self.quiet.id),
                                                    ("message_type", "=", "auto_comment")])
        self.assertEqual(len(messages), 1)
        self.assertEqual(len(self._ledger("high_intent", self.quiet)), 1)
        self.assertFalse(self._ledger("high_intent", self.blocked))
        with freeze_time("2027-03-02 10:00:00"):
            self.quiet.category_id = [Command.unlink(tag.id)]
            self.quiet.category_id = [Command.link(tag.id)]
        self.assertEqual(len(self._ledger("high_intent", self.quiet)), 2, "a new year, a new introduction")

    def test_birthday_greeting_once_with_coupon(self):
        self._switch(birthday=True)
        self.env["ir.config_parameter"].set_param("crm_plus.birthday_coupon", "HB2026")
        with freeze_time("2026-11-20 08:00:00"):
            contact = self.env["res.partner"].create({
                "name": "王小明", "parent_id": self.quiet.id, "email": "wang@example.com",
                "birthday": date(1990, 11, 30), "user_id": self.user_sales.id})
        self.assertEqual(contact.crm_plus_next_birthday, date(2026, 11, 30))
        with freeze_time("2026-11-29 08:00:00"):
            self._run_automations()
        self.assertFalse(self._ledger("birthday", contact))
        with freeze_time("2026-11-30 08:00:00"):
            self._run_automations()
            self._run_automations(again=True)
            # the daily reminders on the day keep the next birthday (it is today)
            self.env["res.partner"]._cron_crm_plus_reminders()
        messages = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", contact.id),
                                                    ("message_type", "=", "auto_comment")])
        self.assertEqual(len(messages), 1)
        self.assertIn("HB2026", str(messages.body))
        self.assertEqual(self._ledger("birthday", contact).occasion, "2026")
        with freeze_time("2026-12-01 08:00:00"):
            self.env["res.partner"]._cron_crm_plus_reminders()
            self._run_automations()
        self.assertEqual(contact.crm_plus_next_birthday, date(2027, 11, 30))
        self.assertEqual(len(self._ledger("birthday", contact)), 1)
        with freeze_time("2027-11-30 09:00:00"):
            self._run_automations()
        self.assertEqual(len(self._ledger("birthday", contact)), 2, "next year's greeting")

    def test_renewal_once_with_the_contract_reminder(self):
        self._switch(renewal=True)
        product = self._setup_invoicing("Recipe Renewal Licence")
        contract = self.env["crm_plus.contract"].create({
            "partner_id": self.quiet.id, "user_id": self.user_sales.id, "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 1000})],
        })
        contract.action_confirm()
        self.assertEqual(contract.state, "running")
        with freeze_time("2026-11-30 08:00:00"):
            self._run_automations()
        self.assertFalse(self._ledger("renewal", contract), "31 days before the end: not yet")
        with freeze_time("2026-12-02 08:00:00"):
            self._run_automations()
            self._run_automations(again=True)
            # the contracts' own renewal cron after the rule: its reminder is not made again
            self.env["crm_plus.contract"]._cron_update_states()
        self.assertEqual(len(self._ledger("renewal", contract)), 1)
        self.assertEqual(len(contract.renewal_lead_ids), 1)
        self.assertEqual(contract.state, "expiring")
        to_customer = self.env["mail.message"].search([
            ("model", "=", "crm_plus.contract"), ("res_id", "=", contract.id), ("message_type", "=", "auto_comment")])
        self.assertEqual(len(to_customer), 1)
        self.assertEqual(to_customer.partner_ids, self.quiet)
        to_salesperson = self.env["mail.message"].search([
            ("model", "=", "crm_plus.contract"), ("res_id", "=", contract.id), ("message_type", "=", "notification"),
            ("partner_ids", "in", self.user_sales.partner_id.ids), ("subject", "!=", False)])
        self.assertEqual(len(to_salesperson), 1, "one renewal reminder to the salesperson")
        todos = self.env["mail.activity"].search(
            [("res_model", "=", "crm_plus.contract"), ("res_id", "=", contract.id)])
        self.assertEqual(len(todos), 1)

    def test_renewal_rule_after_the_contract_cron(self):
        self._switch(renewal=True)
        product = self._setup_invoicing("Recipe Renewal Licence 2")
        contract = self.env["crm_plus.contract"].create({
            "partner_id": self.quiet.id, "user_id": self.user_sales.id, "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 1000})],
        })
        contract.action_confirm()
        with freeze_time("2026-12-02 08:00:00"):
            self.env["crm_plus.contract"]._cron_update_states()
            self._run_automations()
            self._run_automations(again=True)
        self.assertEqual(len(contract.renewal_lead_ids), 1)
        self.assertEqual(len(self._ledger("renewal", contract)), 1)
        self.assertEqual(len(self.env["mail.activity"].search(
            [("res_model", "=", "crm_plus.contract"), ("res_id", "=", contract.id)])), 1)

    def test_ledger_unique(self):
        Ledger = self.env["crm_plus.engagement"]
        first = Ledger._crm_plus_record("birthday", [(self.quiet, "2026", self.quiet, self.user_sales)])
        again = Ledger._crm_plus_record("birthday", [(self.quiet, "2026", self.quiet, self.user_sales),
                                                      (self.blocked, "2026", self.blocked, self.user_sales)])
        self.assertEqual(len(first), 1)
        self.assertEqual(again.res_id, self.blocked.id)
