"""Customer lifecycle: the one "last interaction", churn risk, dormant and high value flags, the daily scan."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.lifecycle import LIFECYCLE_STATES, latest, lifecycle_state
from .crm_plus_pool_move import START_KINDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    last_interaction_date = fields.Datetime(
        string="Last Interaction", readonly=True, copy=False, index="btree_not_null",
        help="Latest note, e-mail or activity on the customer, its leads and orders; meeting, order or invoice. "
             "Updated daily.")
    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES, string="Lifecycle", readonly=True, copy=False, index=True,
        help="Churn Risk and Dormant: no interaction (or since creation) for the number of days set in "
             "the settings. Updated daily.")
    is_high_value = fields.Boolean(
        string="High Value", readonly=True, copy=False,
        help="Posted customer invoices less refunds of the last 365 days, in company currency, reach the "
             "high value threshold of the settings. Updated daily.")

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_last_interaction(self):
        """{commercial partner id: last interaction} for the commercial partners of ``self``.

        One grouped query per source for all of ``self``: notes, e-mails and done activities on the
        customer, its contacts, leads and orders; open activities there (their creation); meetings
        already started; lead stage changes (and creation); quotations and orders; posted invoices; claims
        and assignments from the customer pool. This is the one "last follow-up" of CRM Plus: the
        lifecycle flags and the customer pool both read it.
        """
        last = {}

        def bump(partner_id, date):
            if partner_id and date:
                last[partner_id] = latest(last.get(partner_id), fields.Datetime.to_datetime(date))

        now = fields.Datetime.now()
        contacts = self.with_context(active_test=False).search_fetch(
            [("commercial_partner_id", "in", self.ids)], ["commercial_partner_id"])
        commercial = {p.id: p.commercial_partner_id.id for p in contacts}
        leads = self.env["crm.lead"].sudo().with_context(active_test=False).search_fetch(
            [("partner_id", "in", contacts.ids)], ["partner_id", "date_last_stage_update"])
        orders = self.env["sale.order"].sudo().search_fetch(
            [("partner_id", "in", contacts.ids), ("state", "!=", "cancel")], ["partner_id", "date_order"])
        owner = {("res.partner", pid): cid for pid, cid in commercial.items()}
        owner.update({("crm.lead", lead.id): commercial.get(lead.partner_id.id) for lead in leads})
        owner.update({("sale.order", order.id): commercial.get(order.partner_id.id) for order in orders})
        documents = ["|", "|",
                     "&", ("model", "=", "res.partner"), ("res_id", "in", contacts.ids),
                     "&", ("model", "=", "crm.lead"), ("res_id", "in", leads.ids),
                     "&", ("model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        worked = ["|", ("message_type", "in", ("comment", "email")), ("mail_activity_type_id", "!=", False)]
        for model, res_id, date in self.env["mail.message"].sudo()._read_group(
                [*documents, *worked, ("date", "<=", now)], ["model", "res_id"], ["date:max"]):
            bump(owner.get((model, res_id)), date)
        # automated activities (such as the churn-risk to-do below) are no interaction with the customer
        activities = [d if d[0] != "model" else ("res_model", *d[1:]) for d in documents]
        for model, res_id, date in self.env["mail.activity"].sudo()._read_group(
                [*activities, ("automated", "=", False)], ["res_model", "res_id"], ["create_date:max"]):
            bump(owner.get((model, res_id)), date)
        if "calendar.event" in self.env:
            for attendee, date in self.env["calendar.event"].sudo()._read_group(
                    [("partner_ids", "in", contacts.ids), ("start", "<=", now)], ["partner_ids"], ["start:max"]):
                bump(commercial.get(attendee.id), date)
        for order in orders:
            if order.date_order <= now:
                bump(commercial.get(order.partner_id.id), order.date_order)
        for partner, date in self.env["account.move"].sudo()._read_group(
                [("commercial_partner_id", "in", self.ids), ("state", "=", "posted"),
                 ("move_type", "in", ("out_invoice", "out_refund"))],
                ["commercial_partner_id"], ["invoice_date:max"]):
            bump(partner.id, date)
        for lead in leads:
            if lead.date_last_stage_update and lead.date_last_stage_update <= now:
                bump(commercial.get(lead.partner_id.id), lead.date_last_stage_update)
        # a new owner (claim from the pool, assignment) starts a fresh follow-up period
        for partner, date in self.env["crm_plus.pool.move"].sudo()._read_group(
                [("partner_id", "in", self.ids), ("kind", "in", START_KINDS)], ["partner_id"], ["date:max"]):
            bump(partner.id, date)
        return last

    def _crm_plus_high_value(self, threshold, today):
        """Ids of the commercial partners of ``self`` worth at least ``threshold`` (simplified RFM).

        Recency and frequency: only posted customer invoices and refunds dated in the last 365 days count;
        monetary: their signed total in company currency (refunds subtract) reaches ``threshold``.
        """
        if threshold <= 0:
            return set()
        groups = self.env["account.move"].sudo()._read_group(
            [("commercial_partner_id", "in", self.ids), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund")),
             ("invoice_date", ">", fields.Date.subtract(today, days=365))],
            ["commercial_partner_id"], ["amount_total_signed:sum"])
        return {partner.id for partner, total in groups if total >= threshold}

    def _crm_plus_churn_signals(self, now, churn_days):
        """Ids of the commercial partners of ``self`` at churn risk for another reason than silence (a hook:
        the service adds customers who rated a ticket badly in the last ``churn_days`` days). An active
        customer among them is flagged Churn Risk by the daily scan; a dormant one stays dormant."""
        return set()

    def _crm_plus_churn_activities(self, days):
        """One to-do for the team leader (or else the salesperson) of each customer entering churn risk."""
        reminders = []
        for partner in self:
            user = partner.team_id.user_id or partner.user_id
            if not user:
                continue
            summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                "Churn risk: no interaction for %(days)s days", days=days)
            reminders.append((partner, user, summary, fields.Date.context_today(user)))
        # the activities copy the customer's name (res_name) one by one: compute the names in one go
        self.mapped("display_name")
        self.env["crm_plus.outbox"]._crm_plus_emit("churn_risk", self)
        # an automated to-do in the assignee's list, without one notification e-mail each: a churn scan may
        # flag thousands of customers in one night
        return self.env["mail.activity"]._crm_plus_create_todos(reminders)

    def _crm_plus_store_lifecycle(self, changes):
        """Store ``changes`` ({partner id: lifecycle values}) in one UPDATE per batch of the daily scan.

        The three fields are readonly, untracked, written by this scan only and not synced to contacts:
        the ORM's partner write (tracking, commercial field sync: milliseconds a partner, hours over a
        large base) is skipped; caches and dependent fields are handled as a write would.
        """
        if not changes:
            return
        fnames = ["last_interaction_date", "lifecycle_state", "is_high_value"]
        partners = self.browse(changes)
        partners.flush_recordset(fnames)
        rows = SQL(", ").join(
            SQL("(%s, %s::timestamp, %s::varchar, %s::boolean)", pid, vals["last_interaction_date"] or None,
                vals["lifecycle_state"], vals["is_high_value"])
            for pid, vals in changes.items())
        self.env.cr.execute(SQL(
            """UPDATE res_partner p
                  SET last_interaction_date = v.last_date, lifecycle_state = v.state, is_high_value = v.high,
                      write_date = %(now)s, write_uid = %(uid)s
                 FROM (VALUES %(rows)s) AS v(id, last_date, state, high)
                WHERE p.id = v.id""",
            now=fields.Datetime.now(), uid=self.env.uid, rows=rows))
        partners.invalidate_recordset([*fnames, "write_date", "write_uid"])
        partners.modified(fnames)

    # ------------------------------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_compute_lifecycle(self, batch_size=2000):
        """Update the last interaction, lifecycle state and high value flag of every commercial partner.

        Batches ordered by id, committed one by one; idempotent: only changed partners are written and a
        churn-risk to-do is created only when a partner enters that state, so a rerun (or a resumed run
        after a crash) changes nothing. Returns the number of partners written.
        """
        settings = self.env["res.config.settings"]
        churn_days = settings._crm_plus_param("churn_days")
        dormant_days = settings._crm_plus_param("dormant_days")
        threshold = settings._crm_plus_param("high_value_threshold")
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        Partner = self.sudo()
        domain = ["|", ("is_company", "=", True), ("parent_id", "=", False)]
        fnames = ["last_interaction_date", "lifecycle_state", "is_high_value", "create_date", "team_id", "user_id"]

        def scan(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch)
            batch.fetch(fnames)
            last = batch._crm_plus_last_interaction()
            high = batch._crm_plus_high_value(threshold, today)
            signals = batch._crm_plus_churn_signals(now, churn_days) if churn_days > 0 else set()
            changes, churning = {}, []
            for partner in batch:
                date = last.get(partner.id)
                state = lifecycle_state(date or partner.create_date, now, churn_days, dormant_days)
                signalled = state == "active" and partner.id in signals
                if signalled:
                    state = "churn_risk"
                vals = {"last_interaction_date": date or False, "lifecycle_state": state,
                        "is_high_value": partner.id in high}
                if any(partner[fname] != value for fname, value in vals.items()):
                    changes[partner.id] = vals
                if state == "churn_risk" and partner.lifecycle_state != "churn_risk" and not signalled:
                    churning.append(partner.id)
            Partner._crm_plus_store_lifecycle(changes)
            Partner.browse(churning)._crm_plus_churn_activities(churn_days)
            return len(changes)

        return self.env["ir.cron"]._crm_plus_run_batches(
            "lifecycle", Partner.search(domain, order="id"), scan, batch_size)
