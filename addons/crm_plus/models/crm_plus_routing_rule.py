from datetime import timedelta
from types import MappingProxyType

from pytz import utc

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import routing

STRATEGIES = [
    ("round_robin", "Round Robin"),
    ("weighted", "Weighted by Capacity"),
    ("least_loaded", "Least Loaded"),
    ("sticky", "Existing Customer's Salesperson"),
]
# the rule's conditions made of several records: {key of the spec (see routing.matches): many2many field}
CONDITION_SETS = {
    "countries": "country_ids",
    "states": "state_ids",
    "tags": "tag_ids",
    "industries": "industry_ids",
    "products": "product_ids",
    "categories": "product_categ_ids",
}
# fields the routing writes itself: changing them keeps the cached conditions (see _routing_specs)
NOT_CONDITIONS = frozenset({"last_user_id"})


class CrmPlusRoutingRule(models.Model):
    _name = "crm_plus.routing.rule"
    # the routing's cached conditions (_routing_specs) follow every change of a rule but its round robin slot
    _inherit = ["crm_plus.cached.config.mixin"]
    _crm_plus_cache_ignored_fields = NOT_CONDITIONS
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

    @api.model
    @tools.ormcache()
    def _routing_specs(self):
        """((rule id, conditions), ...) of every active rule in routing order, the conditions as plain values
        (see ``routing.matches``), read in one query and cached per worker until a rule changes.

        Each condition reads as the ORM reads the rule: archived countries, industries or products of a
        condition are left out, an empty condition matches every lead. A rule deleted with its team (a
        cascade below the ORM) may linger here: the routing only keeps the rules ``_routing_targets`` reads.
        """
        self.flush_model()
        sets = []
        for fname in CONDITION_SETS.values():
            field = self._fields[fname]
            comodel = self.env[field.comodel_name]
            if comodel._active_name:
                comodel.flush_model([comodel._active_name])
            active = SQL("AND c.%s", SQL.identifier(comodel._active_name)) if comodel._active_name else SQL()
            sets.append(SQL(
                "ARRAY(SELECT c.id FROM %(rel)s rel JOIN %(table)s c ON c.id = rel.%(col2)s"
                " WHERE rel.%(col1)s = r.id %(active)s)",
                rel=SQL.identifier(field.relation), table=SQL.identifier(comodel._table),
                col1=SQL.identifier(field.column1), col2=SQL.identifier(field.column2), active=active))
        self.env.cr.execute(SQL(
            """SELECT r.id, r.company_id, r.city, r.source_id, r.medium_id, r.min_expected_revenue,
                      r.max_expected_revenue, r.min_probability, %s
                 FROM crm_plus_routing_rule r
                WHERE r.active
                ORDER BY r.sequence, r.id""", SQL(", ").join(sets)))
        specs = []
        for rule_id, company, city, source, medium, min_revenue, max_revenue, min_probability, *ids in \
                self.env.cr.fetchall():
            spec = {
                "company": company or False,
                "cities": frozenset(routing.split_cities(city)),
                "source": source or False,
                "medium": medium or False,
                "min_revenue": float(min_revenue or 0.0),
                "max_revenue": float(max_revenue or 0.0),
                "min_probability": float(min_probability or 0.0),
            }
            spec.update({key: frozenset(values) for key, values in zip(CONDITION_SETS, ids, strict=True)})
            specs.append((rule_id, MappingProxyType(spec)))
        return tuple(specs)

    @api.model
    def _routing_targets(self, rule_ids):
        """{rule id: target} of the active rules among ``rule_ids``, read in one query at each routing (the
        teams, their members and the users change without the rule: never cached).

        A target: ``team`` (id), ``strategy``, ``name`` and ``team_name`` (in the user's language),
        ``users``: who the rule may give leads to (its salespeople still active, else the team's active
        members not opted out), ``capacity``: {user id: assignment_max} of the team's active members,
        ``names``: {user id: name}, ``planned``: the users of ``users`` with an active resource (a calendar,
        time off: see ``_available_users``).
        """
        if not rule_ids:
            return {}
        # what the query reads, written by this transaction and not flushed yet (costs no query otherwise)
        self.flush_model(["active", "team_id", "strategy", "name", "user_ids"])
        for model, fnames in (("crm.team", ["name"]), ("res.partner", ["name"]),
                              ("crm.team.member", ["crm_team_id", "user_id", "active", "assignment_max",
                                                   "assignment_optout"]),
                              ("res.users", ["active", "share", "partner_id"]),
                              ("resource.resource", ["user_id", "active"])):
            self.env[model].flush_model(fnames)
        chosen = self._fields["user_ids"]
        self.env.cr.execute(SQL(
            """SELECT r.id, r.team_id, r.strategy, %(rule_name)s, %(team_name)s,
                      COALESCE((SELECT json_agg(json_build_array(u.id, p.name, %(planned)s) ORDER BY u.id)
                                  FROM %(rel)s rel
                                  JOIN res_users u ON u.id = rel.%(user_col)s
                                  JOIN res_partner p ON p.id = u.partner_id
                                 WHERE rel.%(rule_col)s = r.id AND u.active AND u.share IS NOT TRUE), '[]'),
                      COALESCE((SELECT json_agg(json_build_array(
                                           u.id, p.name, %(planned)s, COALESCE(m.assignment_max, 0),
                                           m.assignment_optout IS NOT TRUE AND u.active IS TRUE)
                                         ORDER BY m.create_date, m.id)
                                  FROM crm_team_member m
                                  JOIN res_users u ON u.id = m.user_id
                                  JOIN res_partner p ON p.id = u.partner_id
                                 WHERE m.crm_team_id = r.team_id AND m.active), '[]')
                 FROM crm_plus_routing_rule r
                 JOIN crm_team t ON t.id = r.team_id
                WHERE r.id = ANY(%(ids)s) AND r.active""",
            rule_name=self._field_to_sql("r", "name"), team_name=self.env["crm.team"]._field_to_sql("t", "name"),
            rel=SQL.identifier(chosen.relation), user_col=SQL.identifier(chosen.column2),
            rule_col=SQL.identifier(chosen.column1), ids=list(rule_ids),
            planned=SQL("EXISTS(SELECT FROM resource_resource rr WHERE rr.user_id = u.id AND rr.active)")))
        targets = {}
        for rule_id, team_id, strategy, name, team_name, users, members in self.env.cr.fetchall():
            names = {uid: uname for uid, uname, *_rest in users + members}
            chosen_ids = [uid for uid, *_rest in users] or [uid for uid, *_rest, takes in members if takes]
            planned = {uid for uid, _n, has_resource, *_rest in users + members if has_resource}
            targets[rule_id] = {
                "team": team_id, "strategy": strategy, "name": name, "team_name": team_name, "names": names,
                "users": chosen_ids, "planned": [uid for uid in chosen_ids if uid in planned],
                "capacity": {uid: capacity for uid, _n, _r, capacity, _takes in members},
            }
        return targets

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
