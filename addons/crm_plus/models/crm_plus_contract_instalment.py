from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

INSTALMENT_STATES = [("due", "Due"), ("partial", "Partially Paid"), ("paid", "Paid"), ("overdue", "Overdue")]


def distribute_payments(instalments, linked, pool):
    """Spread what the customer paid over a contract's instalments.

    ``instalments``: [(key, amount)] in due-date order; ``linked``: {key: amount paid by the invoices
    linked to that instalment}; ``pool``: what the contract's other invoices paid.
    Rule: an instalment is first paid by its own invoices (capped at its amount); everything else —
    invoices linked to no instalment and what linked invoices paid beyond their instalment — pays the
    open instalments in due-date order. Returns {key: paid}.
    """
    paid = {}
    for key, amount in instalments:
        own = min(linked.get(key, 0.0), amount)
        pool += linked.get(key, 0.0) - own
        paid[key] = own
    for key, amount in instalments:
        take = max(min(amount - paid[key], pool), 0.0)
        paid[key] += take
        pool -= take
    return paid

# what finance links on a running contract's instalments (not the plan itself)
INVOICE_LINK_FIELDS = {"invoice_ids"}


class CrmPlusContractInstalment(models.Model):
    """One step of a contract's receivable plan (回款计划): how much the customer pays by when."""

    _name = "crm_plus.contract.instalment"
    _inherit = ["crm_plus.line.tracking.mixin"]
    _description = "Contract Instalment"
    # amount and due date changes are audited in the contract's chatter
    _crm_plus_tracking_parent = "contract_id"
    _crm_plus_tracked_fields = ("date_due", "percentage", "amount")
    _order = "date_due, sequence, id"

    contract_id = fields.Many2one("crm_plus.contract", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=1)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, index=True)
    user_id = fields.Many2one(related="contract_id.user_id", store=True)
    team_id = fields.Many2one(related="contract_id.team_id", store=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date_due = fields.Date(string="Due Date", required=True, index=True)
    percentage = fields.Float(string="Share (%)", digits=(5, 2),
                              help="Share of the contract amount; when set it drives the amount. "
                                   "Leave at 0 for a fixed amount.")
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False, precompute=True)
    invoice_ids = fields.Many2many(
        "account.move", "crm_plus_contract_instalment_move_rel", "instalment_id", "move_id",
        string="Invoices", domain="[('contract_id', '=', contract_id), ('move_type', '=', 'out_invoice')]")
    paid_amount = fields.Monetary(compute="_compute_paid_amount", store=True, string="Paid")
    residual_amount = fields.Monetary(compute="_compute_paid_amount", store=True, string="To Collect")
    state = fields.Selection(INSTALMENT_STATES, string="Status", compute="_compute_state", search="_search_state")

    @api.depends("percentage", "contract_id.amount")
    def _compute_amount(self):
        for instalment in self:
            if instalment.percentage:
                instalment.amount = instalment.currency_id.round(
                    instalment.contract_id.amount * instalment.percentage / 100.0)
            elif not instalment.amount:
                instalment.amount = 0.0

    # only the contract's own posted invoices pay (see _posted_invoice_payments): their changes reach the plan
    # through the contract; depending on the linked invoices' states too would make Odoo look up the
    # instalments of every invoice posted, contract or not (two queries per invoice)
    @api.depends("amount", "date_due", "invoice_ids",
                 "contract_id.invoice_ids.amount_residual", "contract_id.invoice_ids.state",
                 "contract_id.instalment_ids.amount", "contract_id.instalment_ids.date_due")
    def _compute_paid_amount(self):
        """See ``distribute_payments`` for the rule; an instalment's paid amount depends on its siblings."""
        for contract in self.contract_id:
            payments = contract._posted_invoice_payments()
            plan = contract.instalment_ids.sorted(lambda i: (i.date_due or fields.Date.today(), i.sequence, i.id))
            linked, counted = {}, set()
            for instalment in plan:
                # an invoice linked to several instalments pays the first one only
                own = [m for m in instalment.invoice_ids if m in payments and m not in counted]
                counted.update(own)
                linked[instalment.id] = sum(payments[m] for m in own)
            pool = sum(v for m, v in payments.items() if m not in counted)
            paid = distribute_payments([(i.id, i.amount) for i in plan], linked, pool)
            for instalment in plan:
                instalment.paid_amount = paid[instalment.id]
                instalment.residual_amount = instalment.amount - paid[instalment.id]
        for instalment in self.filtered(lambda i: not i.contract_id):
            instalment.paid_amount = 0.0
            instalment.residual_amount = instalment.amount

    @api.depends("paid_amount", "residual_amount", "date_due")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for instalment in self:
            instalment.state = instalment._state_for(today)

    def _state_for(self, today):
        if self.currency_id.compare_amounts(self.residual_amount, 0.0) <= 0:
            return "paid"
        if self.date_due and self.date_due < today:
            return "overdue"
        return "partial" if self.paid_amount else "due"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(_("Unsupported search on the instalment state."))
        today = fields.Date.context_today(self)
        domains = {
            "paid": [("residual_amount", "<=", 0.0)],
            "overdue": [("residual_amount", ">", 0.0), ("date_due", "<", today)],
            "partial": [("residual_amount", ">", 0.0), ("paid_amount", ">", 0.0), ("date_due", ">=", today)],
            "due": [("residual_amount", ">", 0.0), ("paid_amount", "=", 0.0), ("date_due", ">=", today)],
        }
        values = [value] if isinstance(value, str) else list(value)
        ids = self._search(expression.OR([domains[v] for v in values]))
        return [("id", "in" if operator in ("=", "in") else "not in", ids)]

    @api.depends("contract_id.name", "sequence")
    def _compute_display_name(self):
        for instalment in self:
            instalment.display_name = _("%(contract)s - instalment %(n)s", contract=instalment.contract_id.name,
                                        n=instalment.sequence)

    @api.constrains("amount", "percentage", "contract_id")
    def _check_total(self):
        for contract in self.contract_id:
            if any(i.amount < 0 or i.percentage < 0 for i in contract.instalment_ids):
                raise ValidationError(_("Instalments of contract %(name)s cannot be negative.", name=contract.name))
            total = sum(contract.instalment_ids.mapped("amount"))
            if contract.currency_id.compare_amounts(total, contract.amount) > 0:
                raise ValidationError(_(
                    "The receivable plan of contract %(name)s (%(total)s) exceeds the contract amount (%(amount)s).",
                    name=contract.name, total=total, amount=contract.amount))

    # --- a running contract's plan is frozen (see crm_plus_contract_approval.py) -----------------------

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self.env["crm_plus.contract"].browse({vals.get("contract_id") for vals in vals_list} - {None})
        # the first plan of a running contract may still be made (from its schedule); a plan, once there,
        # changes through an amendment
        planned = contracts.filtered("instalment_ids")
        instalments = super().create(vals_list)
        planned._check_editable_terms(self.env._("receivable plan"))
        return instalments

    def write(self, vals):
        contracts = self.contract_id
        res = super().write(vals)
        if set(vals) - INVOICE_LINK_FIELDS:
            (contracts | self.contract_id)._check_editable_terms(self.env._("receivable plan"))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_editable(self):
        self.contract_id._check_editable_terms(self.env._("receivable plan"))
