from odoo import fields, models
from odoo.tools import SQL

OUTCOMES = [
    ("renewed", "Renewed"),
    ("not_renewed", "Not Renewed"),
    ("likely", "Renewal Won"),
    ("in_progress", "Renewal in Progress"),
    ("at_risk", "No Renewal Yet"),
]


class CrmPlusReportRenewal(models.Model):
    """One row per contract with an end date: the renewal forecast (contracts ending per month by expected
    outcome) and the renewal rate (renewed among the renewed and expired).

    The expected outcome of a contract still running is read from its renewal opportunities: won (the contract
    is about to be marked renewed), open (in progress), none or lost (at risk). Amounts in company currency at
    the rate of the end date; a contract in a currency without any rate is shown with no amount and flagged.
    Read under the scope of the contracts (same owner, team and company columns; the contracts' rules).
    """

    _name = "crm_plus.report.renewal"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Renewal Analysis"
    _auto = False
    _order = "date_end, id"
    _rec_name = "contract_id"
    _crm_plus_unowned_in_scope = False
    _crm_plus_source = {
        "model": "crm_plus.contract", "field": "contract_id", "owner": "user_id", "count": "contract_count",
        "domain": [("date_end", "!=", False), ("state", "in", ("running", "expiring", "expired", "renewed"))],
    }
    _crm_plus_date_field = "date_end"
    _crm_plus_export_fields = ("contract_id", "partner_id", "user_id", "team_id", "date_end", "state", "outcome",
                               "amount", "rate_missing")

    contract_id = fields.Many2one("crm_plus.contract", string="Contract", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    date_start = fields.Date(string="Start Date", readonly=True)
    date_end = fields.Date(string="End Date", readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("expiring", "Expiring"), ("expired", "Expired"), ("renewed", "Renewed")],
        string="Contract Status", readonly=True)
    outcome = fields.Selection(OUTCOMES, string="Expected Outcome", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    contract_count = fields.Integer(string="# Contracts", readonly=True, aggregator="sum")
    amount = fields.Monetary(readonly=True, aggregator="sum",
                             help="Contract amount in company currency at the rate of its end date.")
    renewal_rate = fields.Float(string="Renewal Rate (%)", readonly=True, aggregator="avg",
                                help="Renewed among the ended contracts (renewed or expired).")
    rate_missing = fields.Boolean(string="Currency Rate Missing", readonly=True,
                                  help="The contract's currency has no rate: its amount is left out.")

    @staticmethod
    def _rate_at_end(currency):
        """The rate of ``currency`` at the contract's end date (its company's rate first, then a shared one)."""
        return SQL(
            """SELECT r.rate FROM res_currency_rate r
                WHERE r.currency_id = %s AND r.name <= c.date_end
                  AND (r.company_id IS NULL OR r.company_id = c.company_id)
             ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1""", currency)

    def _query(self):
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS contract_id,
                   c.partner_id AS partner_id,
                   c.user_id AS user_id,
                   c.team_id AS team_id,
                   c.company_id AS company_id,
                   c.date_start AS date_start,
                   c.date_end AS date_end,
                   c.state AS state,
                   CASE WHEN c.state = 'renewed' THEN 'renewed'
                        WHEN c.state = 'expired' THEN 'not_renewed'
                        WHEN renewal.won > 0 THEN 'likely'
                        WHEN renewal.open > 0 THEN 'in_progress'
                        ELSE 'at_risk' END AS outcome,
                   company.currency_id AS currency_id,
                   1 AS contract_count,
                   CASE WHEN c.currency_id = company.currency_id THEN c.amount
                        ELSE c.amount * COALESCE(to_rate.rate, 1.0) / from_rate.rate END AS amount,
                   CASE WHEN c.state = 'renewed' THEN 100.0 WHEN c.state = 'expired' THEN 0.0 END AS renewal_rate,
                   c.currency_id != company.currency_id AND from_rate.rate IS NULL AS rate_missing
              FROM crm_plus_contract c
              JOIN res_company company ON company.id = c.company_id
         LEFT JOIN LATERAL (
                    SELECT COUNT(*) FILTER (WHERE %(won)s) AS won,
                           COUNT(*) FILTER (WHERE %(open)s) AS open
                      FROM crm_lead l
                 LEFT JOIN crm_stage s ON s.id = l.stage_id
                     WHERE l.renewal_contract_id = c.id
                   ) renewal ON TRUE
         LEFT JOIN LATERAL (%(from_rate)s) from_rate ON TRUE
         LEFT JOIN LATERAL (%(to_rate)s) to_rate ON TRUE
             WHERE c.date_end IS NOT NULL AND c.state IN ('running', 'expiring', 'expired', 'renewed')
            """,
            from_rate=self._rate_at_end(SQL("c.currency_id")), to_rate=self._rate_at_end(SQL("company.currency_id")),
            won=self._crm_plus_lead_won(),
            open=self._crm_plus_lead_open(),
        )
