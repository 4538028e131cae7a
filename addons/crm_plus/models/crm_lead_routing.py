"""Lead routing: rules choose a salesperson for every new lead; the backlog and stale-lead crons."""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import routing
from .crm_plus_routing_rule import STRATEGIES as ROUTING_STRATEGIES

ROUTING_STATES = [
    ("assigned", "Assigned"),
    ("worked", "Worked On"),
    ("fallback", "Fallback Queue"),
    ("escalated", "Escalated to Team Leader"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    routing_rule_id = fields.Many2one("crm_plus.routing.rule", string="Routing Rule", readonly=True, copy=False,
                                      index="btree_not_null")
    routing_state = fields.Selection(ROUTING_STATES, string="Routing Status", readonly=True, copy=False, index=True)
    routing_strategy = fields.Selection(ROUTING_STRATEGIES, readonly=True, copy=False)
    routing_date = fields.Datetime(string="Routed On", readonly=True, copy=False)
    reroute_count = fields.Integer(string="Re-routed", readonly=True, copy=False, default=0,
                                   help="How many times the lead was taken back because nobody worked it.")

    def init(self):
        res = super().init()
        # what the strategies count, per salesperson, whatever the number of leads (see _crm_plus_routing_state):
        # the leads received in the last 30 days, the open leads
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS crm_lead_crm_plus_user_date_open_idx ON crm_lead (user_id, date_open)"
            " WHERE user_id IS NOT NULL"))
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS crm_lead_crm_plus_user_open_idx ON crm_lead (user_id)"
            " WHERE active AND (probability < 100 OR probability IS NULL)"))
        return res

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if not self.env.context.get("crm_plus_no_routing"):
            to_route = leads.filtered(lambda lead: not lead.user_id and lead.active)
            if to_route:
                to_route._crm_plus_route(created=True)
        return leads

    # ------------------------------------------------------------------------------------------------
    # business: routing
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_route(self, exclude=None, created=False):
        """Route the leads of ``self`` without a salesperson (or, with ``exclude``, re-route them).

        ``exclude``: {lead id: user id} who must not receive the lead again. Leads that no rule can
        place go to the fallback queue, unless they are being re-routed. ``created``: the leads were
        created by this transaction (no other one sees them yet). Returns the leads assigned.
        """
        # the caller created these leads (or is the cron): it may read them; routing then reads rules,
        # teams and calendars the creator (a website visitor, a salesperson) may not see
        self.check_access("read")
        leads = self.sudo()._crm_plus_lock_for_routing(reroute=exclude is not None, created=created)
        if not leads:
            return self.browse()
        assigned, unplaced = leads._crm_plus_routing_assign(exclude or {})
        if exclude is None:
            unplaced._crm_plus_to_fallback()
        return self.browse(assigned.ids)

    def _crm_plus_lock_for_routing(self, reroute=False, created=False):
        """The leads of ``self`` this transaction may route, locked until it ends.

        The crons' one claim (``ir.cron._crm_plus_claim``, ``SKIP LOCKED``): a lead another run is routing,
        or has just assigned, is left to it, so no lead is assigned twice; what it wrote meanwhile is read
        again. Leads ``created`` by this transaction need no lock (nobody else sees them, the values in the
        cache are theirs).
        """
        if created:
            # rows this transaction inserted: no other transaction can see them, let alone lock them
            return self.filtered(lambda lead: not lead.user_id)
        self.flush_recordset(["user_id"])
        return self.env["ir.cron"]._crm_plus_claim(self, None if reroute else SQL("user_id IS NULL"))

    def _crm_plus_routing_assign(self, exclude):
        """Choose and write a salesperson for each lead; (assigned leads, leads nobody could take)."""
        Rule = self.env["crm_plus.routing.rule"]
        companies = {False, *(self.company_id | self.env.company).ids}
        # the rules' conditions come from the worker's cache (no query until a rule changes)
        specs = [(rule_id, spec) for rule_id, spec in Rule._routing_specs() if spec["company"] in companies]
        if not specs:
            return self.browse(), self.browse()
        now = fields.Datetime.now()
        # everything the loop below needs is read once per batch: candidates, existing customers'
        # salespeople (one key look-up), availability, loads; the loop itself runs no query, and the
        # leads are written once per (salesperson, team, rule) group
        product_lines = self._crm_plus_product_lines() if any(
            spec["products"] or spec["categories"] for _rule_id, spec in specs) else {}
        matches = {}
        for lead in self:
            facts = lead._crm_plus_routing_facts()
            facts["products"], facts["categories"] = product_lines.get(lead.id, (set(), set()))
            matches[lead] = [rule_id for rule_id, spec in specs if routing.matches(spec, facts)]
        # only the rules some lead matches are read, locked and counted (one inbound lead matches one or
        # two rules: its routing does not count the leads of every salesperson)
        targets = Rule._routing_targets({rule_id for matched in matches.values() for rule_id in matched})
        matches = {lead: [rule_id for rule_id in matched if rule_id in targets] for lead, matched in matches.items()}
        unlinked = self.filtered(lambda lead: not lead.partner_id)
        existing = unlinked._crm_plus_find_existing_partners() if unlinked else {}
        owners = {}
        for lead in self:
            partner = lead.partner_id or existing[lead.id]
            owner = partner.user_id or partner.commercial_partner_id.user_id
            if owner and owner.active and not owner.share:
                owners[lead] = (partner, owner)
        Users = self.env["res.users"]
        # availability: the candidates without a resource (no calendar, no time off) are always available
        # (see _available_users), the others and the existing customers' salespeople are checked
        candidate_ids = {uid for target in targets.values() for uid in target["users"]}
        planned = Users.browse(sorted({uid for target in targets.values() for uid in target["planned"]})).union(
            *(o for _p, o in owners.values()))
        available = candidate_ids - set(planned.ids) | set(Rule._available_users(planned, now).ids)
        state = self._crm_plus_routing_state(targets, now)
        pools = {rule_id: [uid for uid in target["users"] if uid in available] for rule_id, target in targets.items()}
        skipped = {rule_id: ", ".join(sorted(target["names"][uid] for uid in target["users"] if uid not in available))
                   for rule_id, target in targets.items()}
        names = {uid: name for target in targets.values() for uid, name in target["names"].items()}

        decisions = defaultdict(list)  # (user id, team id, rule id, strategy) -> [(lead, reason)]
        unplaced = self.browse()
        for lead in self:
            excluded = exclude.get(lead.id)
            matched = matches[lead]
            partner, owner = owners.get(lead, (None, None))
            if owner and owner.id in available and owner.id != excluded:
                team = partner.team_id if owner in partner.team_id.member_ids else owner.sale_team_id
                reason = self.env._("Existing customer %(partner)s is followed by %(user)s.",
                                    partner=partner.display_name, user=owner.name)
                decisions[owner.id, (team or lead.team_id).id, matched[0] if matched else False, "sticky"].append(
                    (lead, reason))
                continue
            for rule_id in matched:
                target = targets[rule_id]
                if target["strategy"] == "sticky":
                    continue
                pool_ids = [uid for uid in pools[rule_id] if uid != excluded]
                user_id = routing.choose(
                    target["strategy"], pool_ids, last=state["last"].get(rule_id),
                    weights={uid: target["capacity"].get(uid, 0) for uid in pool_ids},
                    counts=state["counts"], loads=state["loads"])
                if not user_id:
                    continue
                reason = self._crm_plus_routing_reason(target, rule_id, user_id, pool_ids, state, skipped[rule_id],
                                                       names)
                state["last"][rule_id] = user_id
                state["counts"][user_id] += 1
                state["loads"][user_id] += 1
                decisions[user_id, target["team"], rule_id, target["strategy"]].append((lead, reason))
                break
            else:
                unplaced |= lead

        assigned = self.browse()
        bodies = {}
        for (user_id, team_id, rule_id, strategy), items in decisions.items():
            group = self.browse(lead.id for lead, _r in items)
            group.write({
                "user_id": user_id,
                "team_id": team_id,
                "routing_rule_id": rule_id,
                "routing_strategy": strategy,
                "routing_state": "assigned",
                "routing_date": now,
            })
            assigned |= group
            target = targets.get(rule_id)
            if target and target["team"] == team_id:
                team_name = target["team_name"]
            else:
                team_name = self.env["crm.team"].browse(team_id).name
            routed = Markup("<p>%s</p>") % self.env._(
                "Routed to %(user)s (%(team)s) by rule %(rule)s, strategy %(strategy)s.",
                user=names[user_id] if user_id in names else Users.browse(user_id).name, team=team_name or "-",
                rule=(target and target["name"]) or self.env._("none"),
                strategy=dict(ROUTING_STRATEGIES)[strategy])
            for lead, reason in items:
                bodies[lead.id] = routed + Markup("<p>%s</p>") % reason
        # the slots moved, written once; compared with the values read under the lock (no second read)
        moved = {rule_id: last_id for rule_id, last_id in state["last"].items()
                 if last_id and last_id != state["locked"].get(rule_id)}
        for rule_id, last_id in moved.items():
            Rule.browse(rule_id).last_user_id = last_id
        self._crm_plus_log_notes(bodies)
        self.env["crm_plus.outbox"]._crm_plus_emit("lead_assigned", assigned)
        return assigned, unplaced

    def _crm_plus_routing_state(self, targets, now):
        """What the strategies need, read once for every candidate of the rules ``targets`` (see
        ``crm_plus.routing.rule._routing_targets``).

        ``last``: round robin slot per rule (locked); ``counts``: leads received in the last 30 days per
        user; ``loads``: open leads per user.
        """
        user_ids = sorted({uid for target in targets.values() for uid in target["users"]})
        strategies = {target["strategy"] for target in targets.values()}
        state = {"last": {}, "counts": defaultdict(int), "loads": defaultdict(int)}
        state["last"] = self.env["crm_plus.routing.rule"].browse(
            rule_id for rule_id, target in targets.items() if target["strategy"] == "round_robin"
        )._lock_round_robin()
        state["locked"] = dict(state["last"])
        if not user_ids:
            return state
        # the counts below are index scans (see init), as the system: every lead counts, whoever sees it
        self.env["crm.lead"].flush_model(["user_id", "date_open", "active", "probability"])
        if "weighted" in strategies:
            self.env.cr.execute(SQL(
                """SELECT user_id, count(*) FROM crm_lead
                    WHERE user_id = ANY(%s) AND user_id IS NOT NULL AND date_open >= %s GROUP BY user_id""",
                user_ids, now - timedelta(days=30)))
            state["counts"].update(self.env.cr.fetchall())
        if "least_loaded" in strategies:
            self.env.cr.execute(SQL(
                """SELECT user_id, count(*) FROM crm_lead
                    WHERE user_id = ANY(%s) AND active AND (probability < 100 OR probability IS NULL)
                    GROUP BY user_id""", user_ids))
            state["loads"].update(self.env.cr.fetchall())
        return state

    def _crm_plus_routing_facts(self):
        """The lead's values routing rules test, as plain values (see ``routing.matches``)."""
        self.ensure_one()
        return {
            "company": self.company_id.id,
            "country": self.country_id.id,
            "state": self.state_id.id,
            "city": (self.city or "").strip().casefold(),
            "tags": set(self.tag_ids.ids),
            "source": self.source_id.id,
            "medium": self.medium_id.id,
            "revenue": self.expected_revenue,
            "probability": self.probability,
            "industry": self.partner_id.commercial_partner_id.industry_id.id,
        }

    def _crm_plus_product_lines(self):
        """{lead id: (product ids, category ids with their parents)} of the quotations of the leads of
        ``self``, in one grouped query (for the rules with product conditions)."""
        lines = {}
        if "order_ids" not in self._fields:
            return lines
        for order, product in self.env["sale.order.line"].sudo()._read_group(
                [("order_id.opportunity_id", "in", self.ids), ("order_id.state", "!=", "cancel"),
                 ("product_id", "!=", False)], ["order_id", "product_id"]):
            products, categories = lines.setdefault(order.opportunity_id.id, (set(), set()))
            products.add(product.id)
            categories.update(int(cid) for cid in product.categ_id.parent_path.split("/") if cid)
        return lines

    def _crm_plus_routing_reason(self, target, rule_id, user_id, pool_ids, state, skipped, names):
        """Why ``user_id`` got the lead, in words, for the chatter.

        ``target``: the rule as ``_routing_targets`` read it; ``skipped``: names of the rule's candidates not
        available now; ``names``: {user id: name}.
        """
        def name_of(uid):
            return names[uid] if uid in names else self.env["res.users"].browse(uid).name

        if target["strategy"] == "round_robin":
            last = state["last"].get(rule_id)
            reason = self.env._("Next in turn after %(previous)s among %(count)s available salespeople.",
                                previous=(last and name_of(last)) or self.env._("nobody"), count=len(pool_ids))
        elif target["strategy"] == "weighted":
            reason = self.env._(
                "%(user)s received %(count)s leads in 30 days for a capacity of %(capacity)s: "
                "the lowest share of %(available)s available salespeople.",
                user=name_of(user_id), count=state["counts"][user_id],
                capacity=target["capacity"].get(user_id, 0), available=len(pool_ids))
        else:
            reason = self.env._(
                "%(user)s had the fewest open leads (%(count)s) of %(available)s available salespeople.",
                user=name_of(user_id), count=state["loads"][user_id], available=len(pool_ids))
        if skipped:
            reason += " " + self.env._("Skipped (time off or outside working hours): %(users)s.", users=skipped)
        return reason

    def _crm_plus_to_fallback(self):
        """Leads no rule could place wait unassigned in the fallback team; logged once."""
        new = self.filtered(lambda lead: lead.routing_state != "fallback")
        if not new:
            return
        team = self.env["res.config.settings"]._crm_plus_param("routing_fallback_team_id")
        vals = {"routing_state": "fallback", "routing_date": fields.Datetime.now(),
                "routing_rule_id": False, "routing_strategy": False}
        if team:
            vals["team_id"] = team.id
        new.write(vals)
        # whole sentences, each a term of its own (a fragment nested in another term's arguments is not
        # extracted for translation)
        if team:
            text = _("No routing rule matched, or nobody of the matching rules is available now: "
                     "the lead waits in the fallback queue of %(team)s.", team=team.name)
        else:
            text = _("No routing rule matched, or nobody of the matching rules is available now: "
                     "the lead waits in the fallback queue.")
        body = Markup("<p>%s</p>") % text
        new._message_log_batch(bodies=dict.fromkeys(new.ids, body))

    def _crm_plus_log_notes(self, bodies):
        """One chatter note per lead, ``bodies``: {lead id: Markup built from escaped values}.

        The routing's hot path (a note per routed lead, thousands per run). The first note goes through
        the ORM (``_message_log_batch``: author, reply-to, note subtype, Message-Id, the defaults of every
        installed module); the others copy all its columns in one INSERT ... SELECT with their own lead
        and body, exactly as ``_message_log_batch`` would have made them (same values, one Message-Id per
        batch). Called in sudo by the routing, like ``_message_log_batch`` itself.
        """
        if not bodies:
            return
        first_id, *other_ids = bodies
        first = self.browse(first_id)._message_log_batch(bodies={first_id: bodies[first_id]})
        if not other_ids:
            return
        Message = self.env["mail.message"]
        first.flush_recordset()
        columns = [fname for fname, field in Message._fields.items()
                   if field.store and field.column_type and fname not in ("id", "res_id", "body")]
        self.env.cr.execute(SQL(
            """INSERT INTO mail_message (res_id, body, %(columns)s)
               SELECT v.res_id, v.body, %(copied)s
                 FROM mail_message m, (VALUES %(rows)s) AS v(res_id, body)
                WHERE m.id = %(first)s""",
            columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
            copied=SQL(", ").join(SQL.identifier("m", fname) for fname in columns),
            rows=SQL(", ").join(SQL("(%s, %s)", res_id, str(bodies[res_id])) for res_id in other_ids),
            first=first.id))
        # what mail.message's create does for the documents: their message lists changed
        threads = [fname for fname, field in self._fields.items()
                   if field.type == "one2many" and field.comodel_name == "mail.message"]
        leads = self.browse(other_ids)
        leads.invalidate_recordset(threads)
        leads.modified(threads)

    # ------------------------------------------------------------------------------------------------
    # business: stale leads
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_worked_since_routing(self):
        """The leads of ``self`` someone worked on after their routing: a note or e-mail, an
        activity scheduled or done, a stage change."""
        messages = dict(self.env["mail.message"].sudo()._read_group([
            ("model", "=", "crm.lead"), ("res_id", "in", self.ids),
            "|", ("message_type", "in", ("comment", "email")), ("mail_activity_type_id", "!=", False),
        ], ["res_id"], ["date:max"]))
        activities = dict(self.env["mail.activity"].sudo()._read_group(
            [("res_model", "=", "crm.lead"), ("res_id", "in", self.ids)], ["res_id"], ["create_date:max"]))
        return self.filtered(lambda lead: lead.routing_date and any(
            date and date > lead.routing_date
            for date in (messages.get(lead.id), activities.get(lead.id), lead.date_last_stage_update)))

    def _crm_plus_escalate(self):
        """Second time a lead is not worked: a to-do for the team leader instead of another owner."""
        self.env["mail.activity"]._crm_plus_create_todos([
            (lead, lead.team_id.user_id, self.env._("Lead not worked: reassign or follow up"), None,
             self.env._("%(user)s has not worked this lead since %(date)s.", user=lead.user_id.name or "-",
                        date=lead.routing_date))
            for lead in self if lead.team_id.user_id])
        self.write({"routing_state": "escalated", "reroute_count": 2})
        bodies = {}
        for lead in self:
            bodies[lead.id] = Markup("<p>%s</p>") % _(
                "Not worked after re-routing: escalated to the team leader %(leader)s.",
                leader=lead.team_id.user_id.name or _("(no leader)"))
        self._message_log_batch(bodies=bodies)

    # ------------------------------------------------------------------------------------------------
    # crons
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_route_backlog(self, batch_size=500):
        """Route unassigned leads (never routed, or waiting in the fallback queue), batch by batch.

        Leads of a customer waiting in a customer pool (公海) wait with it: whoever claims the customer
        gets them (see res.partner._crm_plus_take_leads).
        """
        leads = self.search([("user_id", "=", False), ("routing_state", "in", [False, "fallback"]),
                             "|", ("partner_id", "=", False), ("partner_id.pool_id", "=", False)], order="id")
        return self.env["ir.cron"]._crm_plus_run_batches(
            "routing backlog", leads, lambda batch: len(batch._crm_plus_route()), batch_size)

    @api.model
    def _cron_reroute_stale(self, batch_size=200):
        """Take back leads nobody worked on within the configured hours: re-route them once, then
        ask the team leader."""
        hours = self.env["res.config.settings"]._crm_plus_param("routing_stale_hours")
        if hours <= 0:
            return
        leads = self.search([
            ("routing_state", "=", "assigned"), ("user_id", "!=", False), ("reroute_count", "<", 2),
            ("routing_date", "<=", fields.Datetime.now() - timedelta(hours=hours)), ("probability", "<", 100),
        ], order="routing_date, id")

        def reroute(batch):
            # another host re-routing these leads: it takes the ones it locked (never escalated here)
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL(
                "routing_state = 'assigned' AND user_id IS NOT NULL AND COALESCE(reroute_count, 0) < 2"))
            worked = batch._crm_plus_worked_since_routing()
            worked.write({"routing_state": "worked"})
            stale = batch - worked
            first = stale.filtered(lambda lead: lead.reroute_count == 0)
            if first:
                rerouted = first._crm_plus_route(exclude={lead.id: lead.user_id.id for lead in first})
                rerouted.write({"reroute_count": 1})
            else:
                rerouted = self.browse()
            (stale - rerouted)._crm_plus_escalate()
            return len(stale)

        return self.env["ir.cron"]._crm_plus_run_batches("stale leads", leads, reroute, batch_size)
