"""Reminders of a customer: next follow-up date, birthdays of contacts, return visits (回访) and their satisfaction."""

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.reminders import months_between, upcoming_anniversary


class ResPartner(models.Model):
    _inherit = "res.partner"

    next_followup_date = fields.Date(
        string="Next Follow-up", copy=False, index="btree_not_null",
        help="The salesperson gets a to-do on this date (once per date set).")
    next_followup_note = fields.Char(string="Follow-up Note", copy=False)
    next_followup_todo = fields.Boolean(
        compute="_compute_next_followup_todo", store=True, readonly=False, copy=False,
        help="Technical: the to-do of the next follow-up date is still to be created.")
    birthday = fields.Date(copy=False, help="The salesperson gets a to-do some days before (see the settings).")
    birthday_reminded_year = fields.Integer(copy=False, readonly=True,
                                            help="Technical: the year of the last birthday reminded.")
    return_visit_ids = fields.One2many("crm_plus.return.visit", "partner_id", string="Return Visits",
                                       groups="crm_plus.group_crm_plus_user")
    return_visit_count = fields.Integer(compute="_compute_return_visit_stats", groups="crm_plus.group_crm_plus_user")
    return_visit_satisfaction = fields.Float(
        string="Average Satisfaction", compute="_compute_return_visit_stats", digits=(3, 1),
        groups="crm_plus.group_crm_plus_user", help="Average stars (1-5) of the done return visits (回访).")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("next_followup_date")
    def _compute_next_followup_todo(self):
        for partner in self:
            partner.next_followup_todo = bool(partner.next_followup_date)

    def _compute_return_visit_stats(self):
        """Two grouped queries for all of ``self`` (visits count for the commercial partner)."""
        keys = list(set(self.commercial_partner_id.ids))
        Visit = self.env["crm_plus.return.visit"]
        counts = dict(Visit._read_group([("partner_id", "in", keys)], ["partner_id"], ["__count"]))
        scores = dict(Visit._read_group(
            [("partner_id", "in", keys), ("state", "=", "done"), ("satisfaction_score", ">", 0)],
            ["partner_id"], ["satisfaction_score:avg"]))
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.return_visit_count = counts.get(commercial, 0)
            partner.return_visit_satisfaction = scores.get(commercial, 0.0)

    # ------------------------------------------------------------------------------------------------
    # actions and business
    # ------------------------------------------------------------------------------------------------

    def action_crm_plus_return_visits(self):
        return self._crm_plus_customer_action("crm_plus.action_crm_plus_return_visit")

    def _crm_plus_reminder_owner(self):
        """Who is reminded about this partner: its salesperson, else its company's."""
        self.ensure_one()
        return self.user_id or self.commercial_partner_id.user_id

    # ------------------------------------------------------------------------------------------------
    # crons
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_crm_plus_reminders(self, batch_size=500):
        """Create the to-dos of next follow-ups (on their date) and birthdays (some days before).

        Idempotent: a follow-up date is reminded once (``next_followup_todo`` goes down; setting a new
        date raises it again), a birthday once a year (``birthday_reminded_year``); batches committed one
        by one. Returns the number of to-dos created.
        """
        today = fields.Date.context_today(self)
        Partner = self.sudo().with_context(active_test=True)

        def remind(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("next_followup_todo"))
            reminders = []
            for partner in batch:
                user = partner._crm_plus_reminder_owner()
                if user:
                    summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                        "Follow up: %(note)s", note=partner.next_followup_note or partner.display_name)
                    reminders.append((partner, user, summary, partner.next_followup_date))
            batch.write({"next_followup_todo": False})
            return len(self.env["mail.activity"]._crm_plus_create_todos(reminders))

        due = Partner.search([("next_followup_todo", "=", True), ("next_followup_date", "<=", today)], order="id")
        created = self.env["ir.cron"]._crm_plus_run_batches("follow-up reminders", due, remind, batch_size)
        created += self._crm_plus_birthday_reminders(today, batch_size)
        # the birthday greeting recipe fires on the next birthday: move the past ones on a year
        self._crm_plus_roll_birthdays(today, batch_size)
        return created

    @api.model
    def _crm_plus_birthday_reminders(self, today, batch_size):
        days = self.env["res.config.settings"]._crm_plus_param("birthday_reminder_days")
        if days < 0:
            return 0
        end = fields.Date.add(today, days=days)
        Partner = self.sudo().with_context(active_test=True)
        # one condition per month: the "in" operator is not supported on a date part
        months = [[("birthday.month_number", "=", month)] for month in months_between(today, end)]
        domain = [("birthday", "!=", False), *expression.OR(months)]

        def remind(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch)
            reminders, reminded = [], {}
            for partner in batch:
                day = upcoming_anniversary(partner.birthday, today, days)
                if not day or partner.birthday_reminded_year >= day.year:
                    continue
                reminded.setdefault(day.year, []).append(partner.id)
                user = partner._crm_plus_reminder_owner()
                if user:
                    summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                        "Birthday of %(name)s on %(date)s", name=partner.display_name,
                        date=fields.Date.to_string(day))
                    reminders.append((partner, user, summary, day))
            for year, ids in reminded.items():
                Partner.browse(ids).write({"birthday_reminded_year": year})
            return len(self.env["mail.activity"]._crm_plus_create_todos(reminders))

        return self.env["ir.cron"]._crm_plus_run_batches(
            "birthday reminders", Partner.search(domain, order="id"), remind, batch_size)
