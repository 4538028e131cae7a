"""Threshold alerts: a rule names a measure, a threshold and who to tell; the cron tells them once per breach."""

from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models

ALERT_KINDS = [
    ("satisfaction_below", "Service team's ticket satisfaction under (%)"),
    ("return_visit_below", "Salesperson's return-visit satisfaction under (%)"),
    ("overdue_above", "Customer's overdue amount above"),
    ("no_activity_days", "Salesperson without activity for (days)"),
    ("unworked_leads_above", "Team's unworked leads above"),
]
# the highest score of a ticket rating (Odoo's rating: 1 to 5) and of a return visit (1 to 5 stars): 100 %
RATING_MAX = 5.0


class CrmPlusReportAlertRule(models.Model):
    """A threshold rule checked by ``_cron_check_alerts``: every subject over the threshold is announced to the
    chosen users once; it is announced again only after it recovered (state per rule × subject)."""

    _name = "crm_plus.report.alert.rule"
    _inherit = ["mail.thread"]
    _description = "Alert Rule"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    kind = fields.Selection(ALERT_KINDS, string="Alert When", required=True, default="overdue_above")
    threshold = fields.Float(required=True, help="Satisfaction in %, an amount in company currency, days or leads.")
    team_id = fields.Many2one("crm.team", string="Sales Team",
                              help="Only this team: its customers, its salespeople, or the team itself.")
    ticket_team_id = fields.Many2one("crm_plus.ticket.team", string="Service Team",
                                     help="Ticket satisfaction of this service team only (empty: every team).")
    period_days = fields.Integer(string="Over the Last (days)", default=90,
                                 help="Satisfaction: the ratings given (ticket ratings, return visits done) in this "
                                      "many days before each check are averaged.")
    user_ids = fields.Many2many("res.users", string="Notify", required=True,
                                domain=[("share", "=", False)])
    state_ids = fields.One2many("crm_plus.report.alert.state", "rule_id", string="Subjects", readonly=True)
    breach_count = fields.Integer(string="In Breach", compute="_compute_breach_count")

    def _compute_breach_count(self):
        counts = dict(self.env["crm_plus.report.alert.state"]._read_group(
            [("rule_id", "in", self.ids), ("breached", "=", True)], ["rule_id"], ["__count"]))
        for rule in self:
            rule.breach_count = counts.get(rule, 0)

    # ------------------------------------------------------------------------------------------------
    # measures: {subject record: value} of the subjects in breach
    # ------------------------------------------------------------------------------------------------

    def _breaches(self, now):
        """The subjects over this rule's threshold now, with their value (as the system: all of the company)."""
        self.ensure_one()
        return getattr(self, "_breaches_%s" % self.kind)(now)

    def _team_users(self):
        return self.team_id.member_ids | self.team_id.user_id

    def _breaches_overdue_above(self, now):
        Partner = self.env["res.partner"]
        team = [("commercial_partner_id.team_id", "=", self.team_id.id)] if self.team_id else []
        groups = self.env["account.move"]._read_group(
            [*Partner._crm_plus_overdue_domain(now.date()), ("company_id", "=", self.company_id.id), *team],
            ["commercial_partner_id"], ["amount_residual_signed:sum"],
            having=[("amount_residual_signed:sum", ">", self.threshold)])
        return dict(groups)

    def _since(self, now):
        """Start of the rule's period (satisfaction kinds): ``period_days`` before ``now``, at least one day."""
        return now - timedelta(days=max(self.period_days, 1))

    def _breaches_satisfaction_below(self, now):
        """Service teams whose tickets' ratings (Odoo's rating, filled in by the customer in the period, 1 to 5)
        average under the threshold, in % of the best score; a team without rating in the period is not judged.
        Tickets of the rule's company, of its service team and of its sales team's customers when set."""
        ratings = self.env["rating.rating"]._read_group(
            [("res_model", "=", "crm_plus.ticket"), ("consumed", "=", True), ("rating", ">", 0),
             ("write_date", ">=", self._since(now))],
            ["res_id"], ["rating:sum", "__count"])
        if not ratings:
            return {}
        ticket_domain = [("id", "in", [res_id for res_id, _sum, _count in ratings]),
                         ("company_id", "=", self.company_id.id), ("team_id", "!=", False)]
        if self.ticket_team_id:
            ticket_domain.append(("team_id", "=", self.ticket_team_id.id))
        if self.team_id:
            ticket_domain.append(("customer_team_id", "=", self.team_id.id))
        tickets = self.env["crm_plus.ticket"].search_fetch(ticket_domain, ["team_id"])
        team_of = {ticket.id: ticket.team_id for ticket in tickets}
        totals = {}
        for res_id, rating_sum, count in ratings:
            if res_id in team_of:
                total = totals.setdefault(team_of[res_id], [0.0, 0])
                total[0] += rating_sum
                total[1] += count
        scores = {team: rating_sum * 100.0 / (count * RATING_MAX) for team, (rating_sum, count) in totals.items()}
        return {team: score for team, score in scores.items() if score < self.threshold}

    def _breaches_return_visit_below(self, now):
        """Salespeople whose return visits done in the period average under the threshold (stars, in % of 5)."""
        groups = self.env["crm_plus.return.visit"]._read_group(
            [("state", "=", "done"), ("satisfaction", "!=", "0"), ("user_id", "!=", False),
             ("company_id", "=", self.company_id.id), ("date_done", ">=", self._since(now).date())],
            ["user_id"], ["satisfaction_score:avg"])
        scores = {user: score / RATING_MAX * 100.0 for user, score in groups}
        team = self._team_users()
        return {user: score for user, score in scores.items()
                if score < self.threshold and (not self.team_id or user in team)}

    def _breaches_no_activity_days(self, now):
        group = self.env.ref("crm_plus.group_crm_plus_user")
        users = group.users.filtered(lambda u: u.active and not u.share and self.company_id in u.company_ids)
        if self.team_id:
            users &= self._team_users()
        since = now - timedelta(days=self.threshold)
        busy = {user for user, in self.env["mail.message"]._read_group(
            [("author_id", "in", users.partner_id.ids), ("mail_activity_type_id", "!=", False),
             ("date", ">=", since)], ["author_id"])}
        return {user: self.threshold for user in users if user.partner_id not in busy}

    def _breaches_unworked_leads_above(self, now):
        # open leads assigned to a team that nobody touched yet (the pipeline analysis' first touch)
        groups = self.env["crm_plus.report.pipeline"]._read_group(
            [("state", "=", "open"), ("team_id", "=", self.team_id.id) if self.team_id else ("team_id", "!=", False),
             ("first_touch_date", "=", False),
             ("company_id", "in", [False, self.company_id.id])],
            ["team_id"], ["__count"], having=[("__count", ">", self.threshold)])
        return dict(groups)

    # ------------------------------------------------------------------------------------------------
    # check and notify
    # ------------------------------------------------------------------------------------------------

    def _check(self, now=None):
        """Compare this rule's breaches with its stored states: announce the new ones, mark the recovered."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        breaches = self._breaches(now)
        State = self.env["crm_plus.report.alert.state"]
        states = {(s.res_model, s.res_id): s for s in State.search([("rule_id", "=", self.id)])}
        new = []
        for subject, value in breaches.items():
            state = states.get((subject._name, subject.id))
            if state and state.breached:
                state.value = value
                continue
            vals = {"breached": True, "value": value, "date_breached": now}
            if state:
                state.write({**vals, "breach_count": state.breach_count + 1})
            else:
                State.create({**vals, "rule_id": self.id, "res_model": subject._name, "res_id": subject.id,
                              "breach_count": 1})
            new.append((subject, value))
        breached_keys = {(subject._name, subject.id) for subject in breaches}
        for key, state in states.items():
            if state.breached and key not in breached_keys:
                state.write({"breached": False, "date_recovered": now})
        if new:
            self._notify_breaches(new)
        return len(new)

    def _notify_breaches(self, breaches):
        lines = Markup("").join(
            Markup("<li>%s: %s</li>") % (subject.display_name, round(value, 2)) for subject, value in breaches)
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            _("%(rule)s (threshold %(threshold)s):", rule=self.name, threshold=self.threshold), lines)
        self.message_notify(partner_ids=self.user_ids.partner_id.ids, body=body, subject=self.name,
                            email_layout_xmlid="mail.mail_notification_light")

    def _lock(self):
        """The rules of self whose row this transaction could lock: two hosts never check the same rule."""
        return self.env["ir.cron"]._crm_plus_claim(self)

    @api.model
    def _cron_check_alerts(self):
        """Check every active rule, one per batch (committed with its states and notifications)."""
        def process(rules):
            return sum(rule._check() for rule in rules._lock())
        rules = self.search([("active", "=", True)], order="id")
        return self.env["ir.cron"]._crm_plus_run_batches("alert rules", rules, process, batch_size=1)
