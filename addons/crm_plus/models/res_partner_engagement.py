"""Engagement of customers: opt-out of automated e-mails, and the recipes run on customers (care, high intent,
birthday greeting)."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.reminders import upcoming_anniversary

HIGH_INTENT_TAG = "crm_plus.partner_tag_purchase_stage_high_intent"


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_plus_engagement_opt_out = fields.Boolean(
        string="No Automated E-mails", copy=False,
        help="The customer gets no e-mail of the automation recipes (care, product introduction, birthday, "
             "renewal). Blacklisted addresses get none either.")
    crm_plus_next_birthday = fields.Date(
        string="Next Birthday", compute="_compute_crm_plus_next_birthday", store=True, readonly=True,
        copy=False, index="btree_not_null",
        help="The next anniversary of the birthday: the birthday greeting recipe fires on it. Moved on a "
             "year by the daily reminders.")
    crm_plus_birthday_coupon = fields.Char(
        string="Birthday Coupon", compute="_compute_crm_plus_birthday_coupon",
        help="The coupon code of the settings offered in the birthday greeting.")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("birthday")
    def _compute_crm_plus_next_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.crm_plus_next_birthday = partner.birthday and upcoming_anniversary(partner.birthday, today, 366)

    def _compute_crm_plus_birthday_coupon(self):
        self.crm_plus_birthday_coupon = self.env["res.config.settings"]._crm_plus_param("birthday_coupon") or False

    # ------------------------------------------------------------------------------------------------
    # recipes
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_run_recipe(self, recipe):
        """Run an automation recipe on these customers (called by the recipe's automation rule)."""
        return self.env["crm_plus.engagement"]._crm_plus_run(recipe, self)

    def _crm_plus_engagement_opted_out(self):
        """Whether this customer gets no automated e-mail: opted out (itself or its company), blacklisted,
        or without address."""
        self.ensure_one()
        return (not self.email or self.is_blacklisted or self.crm_plus_engagement_opt_out
                or self.commercial_partner_id.crm_plus_engagement_opt_out)

    def _crm_plus_is_high_intent(self):
        tag = self.env.ref(HIGH_INTENT_TAG, raise_if_not_found=False)
        return bool(tag) and tag in self.category_id

    def _crm_plus_recipe_targets(self, recipe):
        """[(customer, occasion, customer, salesperson)] of the customers due for ``recipe``."""
        today = fields.Date.context_today(self)
        targets = []
        for partner in self:
            occasion = None
            if recipe == "care" and partner.last_interaction_date:
                # once per silence: a new interaction starts a new occasion
                occasion = "silent-since-%s" % fields.Date.to_string(partner.last_interaction_date.date())
            elif recipe == "high_intent" and partner._crm_plus_is_high_intent():
                occasion = str(today.year)  # one product introduction a year
            elif recipe == "birthday" and partner.birthday:
                day = upcoming_anniversary(partner.birthday, fields.Date.subtract(today, days=1), 1)
                if day and day <= today:  # today's birthday, or yesterday's when the rule ran late
                    occasion = str(day.year)
            if occasion:
                targets.append((partner, occasion, partner, partner._crm_plus_reminder_owner()))
        return targets

    def _crm_plus_recipe_send(self, recipe, occasion, partner, user):
        """The recipe's e-mail to the customer; the care recipe also gives the salesperson a to-do."""
        self.ensure_one()
        message = self.env["crm_plus.engagement"]._crm_plus_send_template(recipe, self)
        if recipe == "care" and user:
            summary = self.with_context(lang=user.lang or self.env.lang).env._(
                "Care: no contact with %(name)s since %(date)s", name=self.display_name,
                date=fields.Date.to_string(self.last_interaction_date.date()))
            self.env["mail.activity"]._crm_plus_create_todos([(self, user, summary, None)])
        return message

    # ------------------------------------------------------------------------------------------------
    # crons
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_roll_birthdays(self, today, batch_size):
        """Move the next birthday of the customers whose birthday passed on to its next anniversary (a step
        of the daily reminders: the one birthday mechanism). Idempotent: the domain shrinks as it goes."""
        Partner = self.sudo().with_context(active_test=False)
        passed = Partner.search([("crm_plus_next_birthday", "<", today)], order="id")

        def roll(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("crm_plus_next_birthday < %s", today))
            for partner in batch:
                partner.crm_plus_next_birthday = upcoming_anniversary(partner.birthday, today, 366)
            return len(batch)

        return self.env["ir.cron"]._crm_plus_run_batches("next birthdays", passed, roll, batch_size)
