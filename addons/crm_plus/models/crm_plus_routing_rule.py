from datetime import timedelta

from pytz import utc

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import routing

STRATEGIES = [
    ("round_robin", "Round Robin"),
    ("weighted", "Weighted by Capacity"),
    ("least_loaded", "Least Loaded"),
    ("sticky", "Existing Customer's Salesperson"),
]


class CrmPlusRoutingRule(models.Model):
    _name = "crm_plus.routing.rule"
    _description = "Lead Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    # conditions: an empty condition matches every lead
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    city = fields.Char(string="Cities", help="Comma-separated city names, e.g. 上海, 杭州.")
    tag_ids = fields.Many2many("crm.tag", string="Tags", help="The lead carries at least one of these tags.")
    industry_ids = fields.Many2many(
        "res.partner.industry", string="Industries", help="The lead's customer is in one of these industries.")
    product_ids = fields.Many2many(
        "product.product", string="Products",
        help="The lead's quotations offer one of these products (or one of the product categories below).")
    product_categ_ids = fields.Many2many(
        "product.category", string="Product Categories",
        help="The lead's quotations offer a product of one of these categories or of their sub-categories.")
    source_id = fields.Many2one("utm.source", string="Source")
    medium_id = fields.Many2one("utm.medium", string="Medium")
    min_expected_revenue = fields.Monetary(string="Min. Expected Revenue", currency_field="currency_id")
    max_expected_revenue = fields.Monetary(string="Max. Expected Revenue", currency_field="currency_id",
                                           help="0 means no maximum.")
    min_probability = fields.Float(string="Min. Probability (%)")
    currency_id = fields.Many2one(related="company_id.currency_id")
    # target
    team_id = fields.Many2one("crm.team", string="Sales Team", required=True, ondelete="cascade")
    user_ids = fields.Many2many(
        "res.users", string="Salespeople", domain=[("share", "=", False)],
        help="Who receives the leads; empty: the active members of the team.")
    strategy = fields.Selection(STRATEGIES, required=True, default="round_robin",
                                help="Existing customers always go to their salesperson first, whatever the strategy.")
    last_user_id = fields.Many2one("res.users", string="Last Assigned", readonly=True, copy=False,
                                   help="Round robin: who received the previous lead of this rule.")
    lead_count = fields.Integer(compute="_compute_lead_count", string="Routed Leads")

    _sql_constraints = [
        ("revenue_range", "CHECK(max_expected_revenue = 0 OR max_expected_revenue >= min_expected_revenue)",
         "The maximum expected revenue must be above the minimum."),
    ]

    def _compute_lead_count(self):
        counts = dict(self.env["crm.lead"]._read_group(
            [("routing_rule_id", "in", self.ids)], ["routing_rule_id"], ["__count"]))
        for rule in self:
            rule.lead_count = counts.get(rule, 0)

    @api.constrains("user_ids", "team_id")
    def _check_users(self):
        for rule in self:
            if rule.user_ids and rule.user_ids - rule.team_id.member_ids:
                raise ValidationError(_(
                    "Rule %(rule)s: %(users)s are not members of the team %(team)s.",
                    rule=rule.name, team=rule.team_id.name,
                    users=", ".join((rule.user_ids - rule.team_id.member_ids).mapped("name"))))

    def action_open_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Leads routed by %(rule)s", rule=self.name),
            "res_model": "crm.lead",
            "view_mode": "list,kanban,form",
            "domain": [("routing_rule_id", "=", self.id)],
            "context": {"active_test": False},
        }

    # ------------------------------------------------------------------
    # matching and candidates (called in sudo by the routing of crm.lead)
    # ------------------------------------------------------------------

    def _routing_spec(self):
        """The rule's conditions as plain values, read once per routing batch (see ``routing.matches``)."""
        self.ensure_one()
        return {
            "company": self.company_id.id,
            "countries": set(self.country_ids.ids),
            "states": set(self.state_ids.ids),
            "cities": routing.split_cities(self.city),
            "tags": set(self.tag_ids.ids),
            "source": self.source_id.id,
            "medium": self.medium_id.id,
            "min_revenue": self.min_expected_revenue,
            "max_revenue": self.max_expected_revenue,
            "min_probability": self.min_probability,
            "industries": set(self.industry_ids.ids),
            "products": set(self.product_ids.ids),
            "categories": set(self.product_categ_ids.ids),
        }

    def _candidate_users(self):
        """Who the rule may give leads to: its salespeople, else the team's active members."""
        self.ensure_one()
        if self.user_ids:
            return self.user_ids.filtered("active")
        members = self.team_id.crm_team_member_ids.filtered(lambda m: m.active and not m.assignment_optout)
        return members.user_id.filtered("active")

    def _lock_round_robin(self):
        """{rule id: last user id}, read under a row lock held until the end of the transaction.

        A concurrent routing run waits here, then reads the slot this run wrote: the same slot is
        never given twice.
        """
        if not self:
            return {}
        self.flush_recordset(["last_user_id"])
        self.env.cr.execute(SQL(
            "SELECT id, last_user_id FROM crm_plus_routing_rule WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            list(self.ids)))
        locked = dict(self.env.cr.fetchall())
        self.invalidate_recordset(["last_user_id"])
        return locked

    @api.model
    def _available_users(self, users, now=None):
        """The users not on time off and inside their working hours at ``now``.

        Users without a resource (no calendar configured) are always available; a resource without a
        calendar works any time but still takes time off.
        """
        now = utc.localize(now or fields.Datetime.now())
        resources = users.resource_ids.filtered(lambda r: r.active and r.company_id == r.user_id.company_id)
        if not resources:
            return users
        busy = set()
        # time off of the resources themselves (company-wide leaves are read from the calendars below)
        leaves = self.env["resource.calendar.leaves"].search([
            ("resource_id", "in", resources.ids), ("time_type", "=", "leave"),
            ("date_from", "<=", now.replace(tzinfo=None)), ("date_to", ">", now.replace(tzinfo=None)),
        ])
        busy.update(leaves.resource_id.user_id.ids)
        start, stop = now, now + timedelta(minutes=1)
        for calendar in resources.calendar_id:
            on_calendar = resources.filtered(lambda r, c=calendar: r.calendar_id == c)
            intervals = calendar._work_intervals_batch(start, stop, resources=on_calendar)
            busy.update(r.user_id.id for r in on_calendar if not intervals[r.id])
        return users.filtered(lambda u: u.id not in busy)
