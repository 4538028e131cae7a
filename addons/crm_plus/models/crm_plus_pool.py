import logging
import threading
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

MOVE_KINDS = [("recover", "Returned to Pool"), ("claim", "Claimed")]


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
    recover_days = fields.Integer(
        string="Return After (days)", default=30,
        help="A customer without any follow-up (note, e-mail, activity, stage change, quotation) for this many "
             "days returns to the pool. 0: never.")
    claim_limit = fields.Integer(string="Daily Claim Limit", default=10,
                                 help="How many customers one salesperson may claim from this pool per day.")
    partner_ids = fields.One2many("res.partner", "pool_id", string="Customers")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers in Pool")

    _sql_constraints = [
        ("recover_days_positive", "CHECK(recover_days >= 0)", "The number of days cannot be negative."),
        ("claim_limit_positive", "CHECK(claim_limit >= 0)", "The daily claim limit cannot be negative."),
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

    # ------------------------------------------------------------------
    # business methods
    # ------------------------------------------------------------------

    def _recover_domain(self, limit_date):
        """Customers this pool takes back if they had no follow-up since ``limit_date``."""
        self.ensure_one()
        domain = [
            ("user_id", "!=", False), ("pool_id", "=", False), ("parent_id", "=", False),
            ("user_ids", "=", False), ("create_date", "<=", limit_date),
            ("company_id", "in", [False, self.company_id.id] if self.company_id else [False]),
        ]
        if not self.company_id:
            domain[-1] = (1, "=", 1)
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _recover(self, partners, now, last=None):
        """Take ``partners`` from their salesperson into this pool; one write, one log per customer."""
        self.ensure_one()
        owners = {partner.id: partner.user_id for partner in partners}
        last = partners._crm_plus_last_followup() if last is None else last
        partners.write({"user_id": False, "pool_id": self.id, "pool_date": now})
        self.env["crm_plus.pool.move"].create([{
            "partner_id": partner.id, "pool_id": self.id, "user_id": owners[partner.id].id, "kind": "recover",
            "date": now,
        } for partner in partners])
        bodies = {}
        for partner in partners:
            bodies[partner.id] = Markup("<p>%s</p>") % _(
                "Returned to the customer pool %(pool)s: no follow-up by %(user)s since %(date)s.",
                pool=self.name, user=owners[partner.id].name,
                date=fields.Date.to_string(last.get(partner.id) or partner.create_date))
        partners._message_log_batch(bodies=bodies)

    @api.model
    def _cron_recover(self, batch_size=500):
        """Return to their pool the customers nobody followed up for the pool's number of days."""
        testing = getattr(threading.current_thread(), "testing", False)
        now = fields.Datetime.now()
        total = 0
        for pool in self.search([("recover_days", ">", 0)]):
            limit_date = now - timedelta(days=pool.recover_days)
            candidates = self.env["res.partner"].search(pool._recover_domain(limit_date), order="id")
            for start in range(0, len(candidates), batch_size):
                batch = candidates[start:start + batch_size]
                last = batch._crm_plus_last_followup()
                stale = batch.filtered(
                    lambda p, last=last, limit=limit_date: (last.get(p.id) or p.create_date) <= limit)
                if stale:
                    pool._recover(stale, now, last)
                total += len(stale)
                self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(candidates) - start - len(batch))
                if not testing:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("crm_plus customer pool: %d customers returned to their pool", total)
        return total


class CrmPlusPoolMove(models.Model):
    """Who took a customer from a pool, and when customers went back: the history and the daily limit."""

    _name = "crm_plus.pool.move"
    _description = "Customer Pool Move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    pool_id = fields.Many2one("crm_plus.pool", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    kind = fields.Selection(MOVE_KINDS, required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    company_id = fields.Many2one(related="pool_id.company_id", store=True)


def day_start_utc(now, tz_name):
    """Midnight of ``now``'s day in the time zone ``tz_name``, as a naive UTC datetime."""
    tz = pytz.timezone(tz_name or "UTC")
    local = pytz.utc.localize(now).astimezone(tz)
    return tz.localize(datetime.combine(local.date(), time.min)).astimezone(pytz.utc).replace(tzinfo=None)
