from odoo import fields, models
from odoo.tools import SQL

AGING_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("90_plus", "Over 90 Days"),
]


class CrmPlusReportReceivable(models.Model):
    """One row per open customer invoice or credit note: receivables aging by customer and salesperson.

    The open amount is the invoice's residual in company currency (``amount_residual_signed``, converted by
    accounting when the invoice was posted: no rate is looked up here). Days overdue and the aging bucket
    (not due, 1-30, 31-60, 61-90, over 90 days) are counted from today's date at every read.
    Read as the invoices are: same salesperson, type and company columns, the rules of ``account.move``
    (salespeople their own and unassigned invoices, accountants and sales managers all).
    """

    _name = "crm_plus.report.receivable"
    _inherit = ["crm_plus.report.view.mixin"]
    _description = "Receivables Aging"
    _auto = False
    _order = "invoice_date_due, id"
    _rec_name = "move_id"
    _crm_plus_source = {
        "model": "account.move", "field": "move_id", "owner": "invoice_user_id", "count": "invoice_count",
        "domain": [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted"),
                   ("amount_residual", "!=", 0)],
    }
    _crm_plus_date_field = "invoice_date_due"
    _crm_plus_export_fields = ("move_id", "partner_id", "invoice_user_id", "team_id", "invoice_date",
                               "invoice_date_due", "days_overdue", "aging", "amount_total", "amount_residual")

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection([("out_invoice", "Invoice"), ("out_refund", "Credit Note")], string="Type",
                                 readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    aging = fields.Selection(AGING_BUCKETS, readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    invoice_count = fields.Integer(string="# Invoices", readonly=True, aggregator="sum")
    amount_total = fields.Monetary(string="Total", readonly=True, aggregator="sum")
    amount_residual = fields.Monetary(string="Open Amount", readonly=True, aggregator="sum")
    amount_overdue = fields.Monetary(string="Overdue Amount", readonly=True, aggregator="sum")

    def _query(self):
        overdue = SQL("GREATEST(CURRENT_DATE - COALESCE(m.invoice_date_due, m.invoice_date, m.date), 0)")
        return SQL(
            """
            SELECT m.id AS id,
                   m.id AS move_id,
                   m.move_type AS move_type,
                   m.commercial_partner_id AS partner_id,
                   m.invoice_user_id AS invoice_user_id,
                   m.team_id AS team_id,
                   m.company_id AS company_id,
                   m.invoice_date AS invoice_date,
                   m.invoice_date_due AS invoice_date_due,
                   CASE WHEN %(overdue)s = 0 THEN 'not_due'
                        WHEN %(overdue)s <= 30 THEN '1_30'
                        WHEN %(overdue)s <= 60 THEN '31_60'
                        WHEN %(overdue)s <= 90 THEN '61_90'
                        ELSE '90_plus' END AS aging,
                   %(overdue)s AS days_overdue,
                   company.currency_id AS currency_id,
                   1 AS invoice_count,
                   m.amount_total_signed AS amount_total,
                   m.amount_residual_signed AS amount_residual,
                   CASE WHEN %(overdue)s > 0 THEN m.amount_residual_signed ELSE 0 END AS amount_overdue
              FROM account_move m
              JOIN res_company company ON company.id = m.company_id
             WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
               AND m.amount_residual != 0
            """,
            overdue=overdue,
        )
