"""A salesperson's departure: everything they hold handed over to colleagues (or the pool) in one action, history
kept, every move logged."""

from collections import defaultdict
from itertools import cycle

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

# contracts still worked on by their salesperson
OPEN_CONTRACT_STATES = ("draft", "amendment", "pending", "running", "expiring")


class ResUsers(models.Model):
    _inherit = "res.users"

    def _crm_plus_handover_scope(self):
        """What this salesperson holds: (customers, open leads, open contracts, planned return visits,
        open activities), read as the system for the counts and the hand-over."""
        self.ensure_one()
        env = self.env(su=True)
        customers = env["res.partner"].with_context(active_test=False).search(
            [("user_id", "=", self.id), ("parent_id", "=", False), ("pool_id", "=", False)], order="id")
        leads = env["crm.lead"].search([("user_id", "=", self.id), ("stage_id.is_won", "=", False)], order="id")
        contracts = env["crm_plus.contract"].search(
            [("user_id", "=", self.id), ("state", "in", OPEN_CONTRACT_STATES)], order="id")
        visits = env["crm_plus.return.visit"].search([("user_id", "=", self.id), ("state", "=", "planned")],
                                                     order="id")
        activities = env["mail.activity"].search([("user_id", "=", self.id)], order="id")
        return customers, leads, contracts, visits, activities

    def _crm_plus_departure_handover(self, targets, to_pool=False):
        """Hand everything this salesperson holds to ``targets`` (customers shared out in turn, in id order,
        each customer's leads, contracts, return visits and to-dos following it) or, with ``to_pool``,
        the customers back to their pool and the rest to ``targets``. Returns {what: count}.

        Only a sales manager may do it. The pool caps of each target hold; every customer gets a pool move
        and a note, every lead a note; tracked fields keep the history of who held what.
        """
        self.ensure_one()
        author = self.env.user
        if not (self.env.su or author.has_group("crm_plus.group_crm_plus_manager")):
            raise AccessError(_("Only a sales manager may hand over a salesperson's customers."))
        targets = targets - self
        if not targets:
            raise UserError(_("Choose the colleagues who take over from %(user)s.", user=self.name))
        not_sellers = targets.filtered(lambda user: not user.has_group("crm_plus.group_crm_plus_user"))
        if not_sellers:
            raise UserError(_("%(users)s are not salespeople.", users=", ".join(not_sellers.mapped("name"))))
        # the colleagues are told by the hand-over itself, not by one "you have been assigned" e-mail per record
        quiet = {"mail_auto_subscribe_no_notify": True, "mail_activity_quick_update": True}
        customers, leads, contracts, visits, activities = (
            records.with_context(**quiet) for records in self._crm_plus_handover_scope())
        now = fields.Datetime.now()
        owner_of = {}  # customer id -> new owner (False: back to the pool)
        if to_pool and customers:
            customers._crm_plus_release(author)
            owner_of = dict.fromkeys(customers.ids, False)
        elif customers:
            turn = cycle(targets)
            shares = defaultdict(list)
            for customer in customers:
                target = next(turn)
                shares[target].append(customer.id)
                owner_of[customer.id] = target
            for target, ids in shares.items():
                customers.browse(ids)._crm_plus_check_owned_cap(target, len(ids))
            for target, ids in shares.items():
                batch = customers.browse(ids)
                body = Markup("<p>%s</p>") % self.env._(
                    "Handed over from %(old)s to %(new)s by %(author)s.", old=self.name, new=target.name,
                    author=author.name)
                batch.write({"user_id": target.id})
                self.env["crm_plus.pool.move"].sudo().create([{
                    "partner_id": pid, "user_id": target.id, "kind": "handover", "date": now} for pid in ids])
                batch._message_log_batch(bodies=dict.fromkeys(ids, body))
                batch._crm_plus_move_contacts(target, dict.fromkeys(ids, self))
        turn = cycle(targets)

        def new_owner(record, pool_keeps):
            """The customer's new owner; in turn for records of no handed-over customer; False for the
            leads of a customer gone to the pool (whoever claims it takes them)."""
            owner = owner_of.get(record.partner_id.commercial_partner_id.id)
            if owner is False and pool_keeps:
                return False
            return owner or next(turn)

        counts = {"customers": len(customers)}
        for name, records in (("leads", leads), ("contracts", contracts), ("return_visits", visits)):
            by_owner = defaultdict(list)
            for record in records:
                owner = new_owner(record, pool_keeps=name == "leads")
                # a lead takes its new owner's team, or keeps its own: written with the owner, so that crm
                # does not look the team up lead by lead
                team = ((owner and owner.sale_team_id) or record.team_id) if name == "leads" else None
                by_owner[owner, team].append(record.id)
            for (owner, team), ids in by_owner.items():
                batch = records.browse(ids)
                vals = {"user_id": owner.id if owner else False}
                if team is not None:
                    vals["team_id"] = team.id
                batch.write(vals)
                if name == "leads" and owner:  # a lead gone to the pool with its customer was logged there
                    body = Markup("<p>%s</p>") % self.env._(
                        "Handed over from %(old)s to %(new)s by %(author)s.", old=self.name, new=owner.name,
                        author=author.name)
                    batch._message_log_batch(bodies=dict.fromkeys(ids, body))
            counts[name] = len(records)
        # the to-dos follow the record they are about, when it changed hands; the rest are shared out in turn
        new_user = {}
        for model, records in (("res.partner", customers), ("crm.lead", leads), ("crm_plus.contract", contracts),
                               ("crm_plus.return.visit", visits)):
            for record in records:
                new_user[model, record.id] = record.user_id
        by_user = defaultdict(list)
        for activity in activities:
            by_user[new_user.get((activity.res_model, activity.res_id)) or next(turn)].append(activity.id)
        for user, ids in by_user.items():
            activities.browse(ids).write({"user_id": user.id})
        counts["activities"] = sum(len(ids) for ids in by_user.values())
        return counts
