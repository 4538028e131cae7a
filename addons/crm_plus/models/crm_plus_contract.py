"""Contracts: the contract, its parties, smart buttons, creation from orders and leads, receivable plan, renewals."""

import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.schedule import parse_schedule

_logger = logging.getLogger(__name__)

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("amendment", "Being Amended"),
    ("pending", "Pending Approval"),
    ("running", "Running"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
    ("renewed", "Renewed"),
    ("terminated", "Terminated"),
]
# state -> states it may move to; renewed and terminated are final
ALLOWED_TRANSITIONS = {
    "draft": {"pending", "running", "terminated"},
    "amendment": {"pending", "terminated"},
    "pending": {"draft", "amendment", "running", "terminated"},
    "running": {"amendment", "expiring", "expired", "renewed", "terminated"},
    "expiring": {"amendment", "running", "expired", "renewed", "terminated"},
    "expired": {"renewed"},
    "renewed": set(),
    "terminated": set(),
}


class CrmPlusContract(models.Model):
    """A customer contract: what was agreed, for how long, and the orders and invoices that carry it out."""

    _name = "crm_plus.contract"
    _description = "Customer Contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm_plus.scope.mixin"]
    # linking a contract to a customer or a contact requires reading them (crm_plus.scope.mixin)
    _crm_plus_partner_links = ("partner_id", "contact_id")
    # a contract without a salesperson is not everyone's (see crm_plus_scope_mixin.py)
    _crm_plus_unowned_in_scope = False
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, index="trigram",
                       default=lambda self: _("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True,
                                 check_company=True)
    contact_id = fields.Many2one("res.partner", string="Contact",
                                 domain="[('commercial_partner_id', '=', partner_id)]")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, tracking=True,
                              default=lambda self: self.env.user)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, tracking=True,
                              compute="_compute_team_id", store=True, readonly=False, precompute=True)
    opportunity_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null", check_company=True)
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(string="End Date", tracking=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.company.currency_id)
    line_ids = fields.One2many("crm_plus.contract.line", "contract_id", string="Lines", copy=True)
    amount = fields.Monetary(compute="_compute_amount", store=True, tracking=True)
    max_discount = fields.Float(compute="_compute_amount", store=True, string="Highest Discount (%)")
    terms = fields.Html()
    signed_document = fields.Binary(attachment=True, copy=False)
    signed_document_name = fields.Char(copy=False)
    state = fields.Selection(CONTRACT_STATES, string="Status", default="draft", required=True, index=True,
                             tracking=True, copy=False)
    rejection_reason = fields.Char(copy=False, tracking=True,
                                   help="Why the approver sent the contract back; required to reject.")
    sale_order_ids = fields.One2many("sale.order", "contract_id", string="Sales Orders")
    invoice_ids = fields.One2many("account.move", "contract_id", string="Invoices",
                                  domain=[("move_type", "in", ("out_invoice", "out_refund"))])
    instalment_ids = fields.One2many("crm_plus.contract.instalment", "contract_id", string="Receivable Plan",
                                     copy=False)
    renewal_lead_ids = fields.One2many("crm.lead", "renewal_contract_id", string="Renewal Opportunities")
    sale_order_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    paid_amount = fields.Monetary(compute="_compute_paid_amount", string="Paid")
    schedule = fields.Char(string="Payment Schedule", default="30/40/30",
                           help='Percentages ("30/40/30") or a number of equal instalments ("4").')
    renewal_outcome = fields.Selection(
        [("renewed", "Renewed"), ("not_renewed", "Not Renewed")], compute="_compute_renewal_outcome", store=True,
        help="For closed contracts: renewed, or expired without renewal (counts in the renewal rate).")

    @api.depends("user_id")
    def _compute_team_id(self):
        for contract in self:
            if contract.user_id and not contract.team_id:
                contract.team_id = contract.user_id.sale_team_id

    @api.depends("line_ids.subtotal", "line_ids.discount")
    def _compute_amount(self):
        for contract in self:
            contract.amount = sum(contract.line_ids.mapped("subtotal"))
            contract.max_discount = max(contract.line_ids.mapped("discount") or [0.0])

    @api.depends("state")
    def _compute_renewal_outcome(self):
        outcomes = {"renewed": "renewed", "expired": "not_renewed"}
        for contract in self:
            contract.renewal_outcome = outcomes.get(contract.state, False)

    @api.depends("sale_order_ids", "invoice_ids")
    def _compute_counts(self):
        for contract in self:
            contract.sale_order_count = len(contract.sale_order_ids)
            contract.invoice_count = len(contract.invoice_ids)

    @api.depends("invoice_ids.amount_residual", "invoice_ids.state")
    def _compute_paid_amount(self):
        for contract in self:
            contract.paid_amount = sum(contract._posted_invoice_payments().values())

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_start and contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(_("The end date of contract %(name)s cannot be before its start date.",
                                        name=contract.name))

    @api.constrains("line_ids", "company_id")
    def _check_line_currency(self):
        for contract in self:
            companies = contract.line_ids.product_id.company_id - contract.company_id
            if companies:
                raise ValidationError(_(
                    "Contract %(name)s mixes products of another company (%(companies)s): its lines must be "
                    "priced in the contract's company and currency.",
                    name=contract.name, companies=", ".join(companies.mapped("name"))))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                # a contract starts as a draft: running ones come through confirmation and approval
                raise UserError(_("A new contract must start as a draft."))
            if not vals.get("name") or vals["name"] == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("crm_plus.contract") or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            for contract in self:
                contract._check_transition(vals["state"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(c.state not in ("draft", "terminated") for c in self):
            raise UserError(_("Only draft or terminated contracts can be deleted."))

    # ------------------------------------------------------------------------------------------------
    # smart buttons and creation from other documents
    # ------------------------------------------------------------------------------------------------

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update({"domain": [("contract_id", "=", self.id)],
                       "context": {"default_contract_id": self.id, "default_partner_id": self.partner_id.id}})
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({"domain": [("contract_id", "=", self.id)], "context": {"default_contract_id": self.id}})
        return action

    @api.model
    def _prepare_parties(self, source):
        """Customer, contact, salesperson and team of a contract from an order or an opportunity."""
        return {
            "partner_id": source.partner_id.commercial_partner_id.id,
            "contact_id": source.partner_id.id if source.partner_id.parent_id else False,
            "user_id": source.user_id.id,
            "team_id": source.team_id.id,
            "date_start": fields.Date.context_today(self),
        }

    @api.model
    def _prepare_from_sale_order(self, order):
        return {
            **self._prepare_parties(order),
            "opportunity_id": order.opportunity_id.id,
            "company_id": order.company_id.id,
            "currency_id": order.currency_id.id,
            "line_ids": [Command.create({
                "product_id": line.product_id.id,
                "name": line.name,
                "quantity": line.product_uom_qty,
                "price_unit": line.price_unit,
                "discount": line.discount,
            }) for line in order.order_line if not line.display_type and line.product_id],
            "sale_order_ids": [Command.link(order.id)],
        }

    @api.model
    def _prepare_from_lead(self, lead):
        return {
            **self._prepare_parties(lead),
            "opportunity_id": lead.id,
            "company_id": (lead.company_id or self.env.company).id,
            "sale_order_ids": [Command.link(o.id) for o in lead.order_ids if o.state == "sale"
                               and not o.contract_id],
        }

    def _action_open(self):
        action = {"type": "ir.actions.act_window", "res_model": "crm_plus.contract", "name": _("Contracts")}
        if len(self) == 1:
            action.update({"view_mode": "form", "res_id": self.id})
        else:
            action.update({"view_mode": "list,form", "domain": [("id", "in", self.ids)]})
        return action

    # ------------------------------------------------------------------------------------------------
    # receivable plan
    # ------------------------------------------------------------------------------------------------

    def _posted_invoice_payments(self):
        """{invoice: amount paid} of the contract's posted customer invoices (refunds count negative)."""
        self.ensure_one()
        return {
            move: (move.amount_total - move.amount_residual) * (-1 if move.move_type == "out_refund" else 1)
            for move in self.invoice_ids if move.state == "posted"
        }

    def action_generate_plan(self):
        """Replace the unpaid plan by instalments from the schedule text (percentages or a count)."""
        for contract in self:
            if contract.state in ("expired", "renewed", "terminated"):
                raise UserError(_("Contract %(name)s is closed: its receivable plan cannot change.",
                                  name=contract.name))
            try:
                shares = parse_schedule(contract.schedule)
            except ValueError:
                raise UserError(_(
                    'The payment schedule "%(schedule)s" is not valid: write percentages adding up to 100 '
                    '("30/40/30") or a number of equal instalments ("4").', schedule=contract.schedule)) from None
            if not shares:
                raise UserError(_("Write a payment schedule first, for example 30/40/30."))
            if any(i.paid_amount for i in contract.instalment_ids):
                raise UserError(_("Contract %(name)s already has paid instalments: edit its plan by hand.",
                                  name=contract.name))
            start = contract.date_start or fields.Date.context_today(self)
            end = contract.date_end or start
            step = (end - start) / max(len(shares) - 1, 1) if len(shares) > 1 else timedelta(0)
            amounts = [contract.currency_id.round(contract.amount * s / 100.0) for s in shares]
            amounts[-1] = contract.currency_id.round(contract.amount - sum(amounts[:-1]))
            contract.instalment_ids = [Command.clear()] + [
                Command.create({"sequence": i + 1, "percentage": share, "amount": amount,
                                "date_due": start + step * i})
                for i, (share, amount) in enumerate(zip(shares, amounts, strict=True))
            ]
        return True

    # ------------------------------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_update_states(self, batch_size=500, renewal_batch_size=50):
        """running -> expiring N days before the end (one renewal opportunity, activity and e-mail), -> expired.

        Idempotent: the domains only select contracts still to move, and the renewal opportunity is
        created only for contracts that have none yet, so a rerun after a crash resumes without duplicates.
        Expiring contracts go in smaller batches: each one makes an opportunity, an activity and an e-mail.
        """
        today = fields.Date.context_today(self)
        days = self.env["res.config.settings"]._crm_plus_param("renewal_days")
        expired = self.search([("state", "in", ("running", "expiring")), ("date_end", "<", today)], order="id")
        expiring = self.search([("state", "=", "running"), ("date_end", ">=", today),
                                ("date_end", "<=", today + timedelta(days=days))], order="id")

        Cron = self.env["ir.cron"]

        def expire(batch):
            batch = Cron._crm_plus_claim(batch, SQL("state IN ('running', 'expiring')"))
            batch.with_context(crm_plus_contract_action=True).write({"state": "expired"})
            return len(batch)

        def start_renewal(batch):
            batch = Cron._crm_plus_claim(batch, SQL("state = 'running'"))
            batch.write({"state": "expiring"})
            return len(batch._create_renewal_leads())

        Cron._crm_plus_run_batches("expired contracts", expired, expire, batch_size)
        # expiring contracts go in smaller batches: each one makes an opportunity, a to-do and an e-mail
        Cron._crm_plus_run_batches("expiring contracts", expiring, start_renewal, renewal_batch_size)
        _logger.info("crm_plus contracts: %d expired, %d expiring", len(expired), len(expiring))
        return len(expiring), len(expired)

    def _create_renewal_leads(self):
        """One renewal opportunity, one activity and one e-mail per contract that has no renewal opportunity yet.

        Batched: one create for the opportunities, one for the activities, one template rendering. The
        salesperson is told by the renewal e-mail, so the opportunity and the activity do not send their own
        "assigned to you" e-mails as well.
        """
        Lead = self.env["crm.lead"].with_context(active_test=False)
        existing = {
            contract.id for contract, in Lead._read_group(
                [("renewal_contract_id", "in", self.ids)], groupby=["renewal_contract_id"])
        }
        todo = self.filtered(lambda c: c.id not in existing)
        if not todo:
            return Lead
        quiet = {"mail_auto_subscribe_no_notify": True, "mail_activity_quick_update": True}
        leads = Lead.with_context(**quiet).create([contract._prepare_renewal_lead() for contract in todo])
        self.env["mail.activity"]._crm_plus_create_todos([
            (contract, contract.user_id or self.env.user,
             self.env._("Renew contract %(name)s", name=contract.name), contract.date_end,
             self.env._("Contract %(name)s ends on %(date)s; renewal opportunity: %(lead)s",
                        name=contract.name, date=contract.date_end, lead=lead.name))
            for contract, lead in zip(todo, leads, strict=True)])
        todo._send_renewal_mail()
        self.env["crm_plus.outbox"]._crm_plus_emit("renewal_due", todo)
        return leads

    def _send_renewal_mail(self):
        """One e-mail to the salesperson of each contract, logged as a note on the contract.

        Called only with the contracts that just got their renewal opportunity, so never twice. The template
        is rendered once for all contracts (per language); the mails are queued (not sent inside the cron's
        transaction) and go out with the mail queue.
        """
        template = self.env.ref("crm_plus.mail_template_contract_renewal", raise_if_not_found=False)
        contracts = self.filtered("user_id").with_context(mail_notify_force_send=False,
                                                          mail_auto_subscribe_no_notify=True)
        messages = self.env["mail.message"]
        if not template or not contracts:
            return messages
        rendered = template._generate_template(contracts.ids, ["subject", "body_html", "email_from"])
        for contract in contracts:
            values = rendered[contract.id]
            messages |= contract.message_post(
                body=values["body_html"], subject=values["subject"], email_from=values.get("email_from"),
                message_type="notification", subtype_xmlid="mail.mt_note",
                partner_ids=contract.user_id.partner_id.ids,
                email_layout_xmlid="mail.mail_notification_light")
        return messages

    @api.model
    def _renewal_rate(self, date_from, date_to):
        """renewed / (renewed + expired) of the contracts ending between the two dates (0.0 when none)."""
        counts = self._renewal_counts_by("company_id", date_from, date_to).values()
        renewed, closed = sum(r for r, _c in counts), sum(c for _r, c in counts)
        return renewed / closed if closed else 0.0

    @api.model
    def _renewal_counts_by(self, groupby, date_from, date_to, domain=None):
        """{group key: (renewed, closed)} of the contracts ending between the two dates, in one grouped query.

        ``groupby`` is a field name (``team_id``, ``user_id``...); keys are its values (records or False).
        """
        counts = {}
        for key, state, count in self._read_group(
                [*(domain or []), ("date_end", ">=", date_from), ("date_end", "<=", date_to),
                 ("state", "in", ("renewed", "expired"))],
                [groupby, "state"], ["__count"]):
            renewed, closed = counts.get(key, (0, 0))
            counts[key] = (renewed + (count if state == "renewed" else 0), closed + count)
        return counts

    def _prepare_renewal_lead(self):
        self.ensure_one()
        return {
            "name": _("Renewal: %(name)s", name=self.name),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "expected_revenue": self.amount,
            "date_deadline": self.date_end,
            "renewal_contract_id": self.id,
        }
