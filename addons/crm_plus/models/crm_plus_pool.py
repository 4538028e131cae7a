from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL


class CrmPlusPool(models.Model):
    """Customer pool (公海): customers nobody follows up wait here until a salesperson claims them."""

    _name = "crm_plus.pool"
    _description = "Customer Pool"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams",
        help="Customers of these teams return to this pool; empty: customers of every team.")
    member_ids = fields.Many2many(
        "res.users", string="Members", domain=[("share", "=", False)],
        help="Who may claim customers from this pool; empty: every salesperson.")
    admin_ids = fields.Many2many(
        "res.users", "crm_plus_pool_admin_rel", "pool_id", "user_id", string="Administrators",
        domain=[("share", "=", False)],
        help="Who may change this pool's rules and assign its customers to salespeople (besides sales managers).")
    recover_days = fields.Integer(
        string="Return After (days)", default=30,
        help="A customer without any follow-up (note, e-mail, activity, meeting, stage change, quotation, "
             "order, invoice) for this many days returns to the pool. 0: never. Customer levels may override it.")
    level_rule_ids = fields.One2many("crm_plus.pool.level.rule", "pool_id", string="Days per Customer Level")
    lockout_days = fields.Integer(
        string="Lock-out (days)", default=7,
        help="A salesperson who lost or released a customer to this pool cannot claim it back for this many days.")
    claim_limit = fields.Integer(string="Daily Claim Limit", default=10,
                                 help="How many customers one salesperson may claim from this pool per day.")
    partner_ids = fields.One2many("res.partner", "pool_id", string="Customers")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers in Pool")

    _sql_constraints = [
        ("recover_days_positive", "CHECK(recover_days >= 0)", "The number of days cannot be negative."),
        ("claim_limit_positive", "CHECK(claim_limit >= 0)", "The daily claim limit cannot be negative."),
        ("lockout_days_positive", "CHECK(lockout_days >= 0)", "The lock-out days cannot be negative."),
    ]

    def _compute_partner_count(self):
        counts = dict(self.env["res.partner"]._read_group([("pool_id", "in", self.ids)], ["pool_id"], ["__count"]))
        for pool in self:
            pool.partner_count = counts.get(pool, 0)

    def action_open_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_pool_customers")
        action["domain"] = [("pool_id", "=", self.id)]
        return action

    def action_open_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_pool_move")
        action["domain"] = [("pool_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # business methods
    # ------------------------------------------------------------------

    def _is_admin(self, user):
        """Whether ``user`` manages this pool: a sales manager, or one of its administrators."""
        self.ensure_one()
        return user.has_group("crm_plus.group_crm_plus_manager") or user in self.sudo().admin_ids

    def _days_by_level(self):
        """{customer level id: days} overriding ``recover_days`` (0: that level never returns)."""
        self.ensure_one()
        return {rule.level_id.id: rule.recover_days for rule in self.level_rule_ids}

    def _matches(self, partner):
        """Whether ``partner`` (a commercial customer) belongs to this pool's scope: company and teams."""
        self.ensure_one()
        if self.company_id and partner.company_id and partner.company_id != self.company_id:
            return False
        return not self.team_ids or partner.team_id in self.team_ids

    def _recover_domain(self, limit_date):
        """Customers this pool may take back if they had no follow-up since ``limit_date``."""
        self.ensure_one()
        domain = [
            ("user_id", "!=", False), ("pool_id", "=", False), ("parent_id", "=", False),
            ("user_ids", "=", False), ("create_date", "<=", limit_date), ("pool_locked", "=", False),
        ]
        if self.company_id:
            domain.append(("company_id", "in", [False, self.company_id.id]))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _recover(self, partners, now, last=None):
        """Take ``partners`` from their salesperson into this pool; one write, one log per customer.

        Their open leads owned by the same salesperson lose it too (logged on each lead), so the
        pool customer has no owner anywhere and whoever claims it next takes over fresh.
        """
        self.ensure_one()
        last = partners._crm_plus_last_interaction() if last is None else last
        bodies = {partner.id: Markup("<p>%s</p>") % self.env._(
            "Returned to the customer pool %(pool)s: no follow-up by %(user)s since %(date)s.",
            pool=self.name, user=partner.user_id.name,
            date=fields.Date.to_string(last.get(partner.id) or partner.create_date)) for partner in partners}
        # the cron moves customers nobody may write once they are nobody's: as the system
        partners.sudo()._crm_plus_to_pool(self, "recover", bodies, now, _(
            "Its customer returned to the customer pool %(pool)s.", pool=self.name))

    def _warn(self, partners, due, now):
        """One automated to-do per owner of ``partners``: they return to this pool on ``due`` (a date per id)."""
        self.ensure_one()
        # automated warnings: no "assigned to you" e-mail per to-do (the to-do list is where they are read)
        reminders = []
        for partner in partners:
            user = partner.user_id
            summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                "Returns to the customer pool %(pool)s on %(date)s unless followed up",
                pool=self.name, date=fields.Date.to_string(due[partner.id]))
            reminders.append((partner, user, summary, due[partner.id]))
        self.env["mail.activity"]._crm_plus_create_todos(reminders)
        self.env["crm_plus.pool.move"].create([{
            "partner_id": partner.id, "pool_id": self.id, "user_id": partner.user_id.id, "kind": "warning",
            "date": now,
        } for partner in partners])
        self.env["crm_plus.outbox"]._crm_plus_emit("pool_warning", partners)

    def _process_batch(self, batch, now, warning_days):
        """Recover the stale customers of ``batch``, warn those returning within ``warning_days``.

        Returns (recovered, warned) counts. The last follow-up is the lifecycle's last interaction,
        computed for the whole batch in grouped queries; a warning is given once per cycle, i.e. once
        since the last follow-up (warnings are automated activities: no follow-up themselves).
        """
        self.ensure_one()
        # another host running this batch: it takes the customers it locked, this one the others
        batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("pool_id IS NULL AND user_id IS NOT NULL"))
        if not batch:
            return 0, 0
        by_level = self._days_by_level()
        last = batch._crm_plus_last_interaction()
        warned_at = dict(self.env["crm_plus.pool.move"]._read_group(
            [("partner_id", "in", batch.ids), ("kind", "=", "warning")], ["partner_id"], ["date:max"]))
        stale_ids, warn_ids, due = [], [], {}
        for partner in batch:
            days = by_level.get(partner.customer_level_id.id, self.recover_days)
            if days <= 0:
                continue
            start = last.get(partner.id) or partner.create_date
            return_at = start + timedelta(days=days)
            if return_at <= now:
                stale_ids.append(partner.id)
            elif warning_days and return_at <= now + timedelta(days=warning_days):
                previous = warned_at.get(partner)
                if not previous or previous < start:
                    warn_ids.append(partner.id)
                    due[partner.id] = return_at.date()
        stale, warn = batch.browse(stale_ids), batch.browse(warn_ids)
        if stale:
            self._recover(stale, now, last)
        if warn:
            self._warn(warn, due, now)
        return len(stale), len(warn)

    @api.model
    def _cron_recover(self, batch_size=500):
        """Return to their pool the customers nobody followed up for the pool's (or level's) days,
        warning their salesperson some days before.

        Idempotent: recovered customers leave the candidate domain, a warning is logged as a move and
        never repeated in the same cycle; committed per batch.
        """
        now = fields.Datetime.now()
        warning_days = self.env["res.config.settings"]._crm_plus_param("pool_warning_days")
        total = 0
        for pool in self.search([("active", "=", True)]):
            days = [d for d in [pool.recover_days, *pool.level_rule_ids.mapped("recover_days")] if d > 0]
            if not days:
                continue
            limit_date = now - timedelta(days=min(days)) + timedelta(days=warning_days)
            candidates = self.env["res.partner"].search(pool._recover_domain(limit_date), order="id")
            total += self.env["ir.cron"]._crm_plus_run_batches(
                "customer pool %s" % pool.id, candidates,
                lambda batch, pool=pool: pool._process_batch(batch, now, warning_days)[0], batch_size)
        return total

