"""Money of a customer: contracts, invoiced, paid, open and overdue amounts (finance view); the invoice title card."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# roles that see the money of a customer (finance view)
FINANCE_GROUPS = "crm_plus.group_crm_plus_finance,crm_plus.group_crm_plus_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # contracts (crm_plus.contract)
    contract_ids = fields.One2many("crm_plus.contract", "partner_id", string="Contracts",
                                   groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance")
    contract_count = fields.Integer(compute="_compute_crm_plus_contracts",
                                    groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance")
    contract_value = fields.Monetary(compute="_compute_crm_plus_contracts", currency_field="crm_plus_currency_id",
                                     groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
                                     help="Total amount of the running and expiring contracts.")
    next_renewal_date = fields.Date(compute="_compute_crm_plus_contracts", search="_search_next_renewal_date",
                                    groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
                                    help="The nearest end date of a running or expiring contract.")

    # finance view, in company currency
    crm_plus_currency_id = fields.Many2one("res.currency", compute="_compute_crm_plus_currency_id")
    invoiced_total = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                     groups=FINANCE_GROUPS)
    paid_total = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                 groups=FINANCE_GROUPS)
    open_receivable = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                      groups=FINANCE_GROUPS)
    overdue_amount = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                     search="_search_overdue_amount", groups=FINANCE_GROUPS)
    oldest_overdue_days = fields.Integer(compute="_compute_crm_plus_finance", groups=FINANCE_GROUPS)
    last_payment_date = fields.Date(compute="_compute_crm_plus_finance", groups=FINANCE_GROUPS)

    # invoice title card (开票信息), printed on the customer's invoices
    invoice_title = fields.Char(tracking=True,
                                help="Legal name printed on the customer's invoices (发票抬头).")
    invoice_bank_name = fields.Char(string="Invoice Bank", tracking=True,
                                    help="Bank and branch printed on the invoices (开户行).")
    invoice_bank_account = fields.Char(tracking=True, help="Bank account number printed on the invoices (账号).")
    invoice_address_phone = fields.Char(string="Invoice Address and Phone", tracking=True,
                                        help="Registered address and phone printed on the invoices (地址、电话).")

    # ------------------------------------------------------------------------------------------------
    # computes and searches
    # ------------------------------------------------------------------------------------------------

    def _compute_crm_plus_currency_id(self):
        for partner in self:
            partner.crm_plus_currency_id = (partner.company_id or self.env.company).currency_id

    @api.depends("contract_ids.state", "contract_ids.amount", "contract_ids.date_end")
    def _compute_crm_plus_contracts(self):
        """Two grouped queries for every partner in self (contracts count for their commercial partner)."""
        commercial = {p.id: p.commercial_partner_id.id for p in self}
        keys = list(set(commercial.values()))
        Contract = self.env["crm_plus.contract"]
        counts = {p.id: c for p, c in Contract._read_group([("partner_id", "in", keys)], ["partner_id"], ["__count"])}
        active = {
            p.id: (amount, date_end) for p, amount, date_end in Contract._read_group(
                [("partner_id", "in", keys), ("state", "in", ("running", "expiring"))],
                ["partner_id"], ["amount:sum", "date_end:min"])
        }
        for partner in self:
            key = commercial[partner.id]
            partner.contract_count = counts.get(key, 0)
            partner.contract_value, partner.next_renewal_date = active.get(key, (0.0, False))

    def _compute_crm_plus_finance(self):
        """Money of the customers, in company currency, from three grouped queries for all of self."""
        today = fields.Date.context_today(self)
        commercial = {p.id: p.commercial_partner_id.id for p in self}
        keys = list(set(commercial.values()))
        Move = self.env["account.move"]
        base = [("commercial_partner_id", "in", keys), ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted")]
        totals = {
            p.id: (total, residual) for p, total, residual in Move._read_group(
                base, ["commercial_partner_id"], ["amount_total_signed:sum", "amount_residual_signed:sum"])
        }
        overdue = {
            p.id: (residual, oldest) for p, residual, oldest in Move._read_group(
                [("commercial_partner_id", "in", keys), *self._crm_plus_overdue_domain(today)],
                ["commercial_partner_id"], ["amount_residual_signed:sum", "invoice_date_due:min"])
        }
        payments = {
            p.id: last for p, last in self.env["account.move.line"]._read_group(
                [("partner_id", "in", keys), ("parent_state", "=", "posted"),
                 ("account_type", "=", "asset_receivable"), ("credit", ">", 0),
                 ("move_id.move_type", "=", "entry")],
                ["partner_id"], ["date:max"])
        }
        for partner in self:
            key = commercial[partner.id]
            total, residual = totals.get(key, (0.0, 0.0))
            late, oldest = overdue.get(key, (0.0, False))
            partner.invoiced_total = total
            partner.open_receivable = residual
            partner.paid_total = total - residual
            partner.overdue_amount = late
            partner.oldest_overdue_days = (today - oldest).days if oldest else 0
            partner.last_payment_date = payments.get(key, False)

    @api.model
    def _crm_plus_overdue_domain(self, today):
        """Posted customer invoices past their due date and not fully paid."""
        return [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("invoice_date_due", "<", today),
                ("payment_state", "in", ("not_paid", "partial"))]

    @api.model
    def _crm_plus_search_aggregate(self, model, domain, groupby, aggregate, operator, value):
        """Domain on partners whose commercial partner's ``aggregate`` of ``model`` (grouped by ``groupby``)
        compares to ``value``; partners without any such record never match."""
        if operator not in (">", ">=", "<", "<=", "=", "!="):
            raise UserError(_("Unsupported search operator %(op)s.", op=operator))
        groups = self.env[model]._read_group(domain, [groupby], having=[(aggregate, operator, value)])
        return [("commercial_partner_id", "in", [partner.id for partner, in groups])]

    def _search_overdue_amount(self, operator, value):
        return self._crm_plus_search_aggregate(
            "account.move", self._crm_plus_overdue_domain(fields.Date.context_today(self)),
            "commercial_partner_id", "amount_residual_signed:sum", operator, value)

    def _search_next_renewal_date(self, operator, value):
        return self._crm_plus_search_aggregate(
            "crm_plus.contract", [("state", "in", ("running", "expiring")), ("date_end", "!=", False)],
            "partner_id", "date_end:min", operator, fields.Date.to_date(value))

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_view_contracts(self):
        return self._crm_plus_customer_action("crm_plus.action_crm_plus_contract")
