"""A competitor on an opportunity: their price, strengths, weaknesses and how it ended."""

from odoo import api, fields, models

OUTCOMES = [("open", "Ongoing"), ("won", "Won Against"), ("lost", "Lost To")]


class CrmPlusLeadCompetitor(models.Model):
    """A competitor met on an opportunity. The outcome follows the opportunity (won: won against them, lost:
    lost to them) unless someone sets it: a deal lost to another competitor, or lost for another reason, is
    set by hand and keeps that outcome. Read and written under the opportunity's data scope."""

    _name = "crm_plus.lead.competitor"
    _description = "Competitor on an Opportunity"
    _order = "lead_id desc, sequence, id"
    _rec_name = "competitor_id"

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    competitor_id = fields.Many2one("crm_plus.competitor", string="Competitor", required=True, index=True,
                                    ondelete="restrict")
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson", store=True)
    team_id = fields.Many2one(related="lead_id.team_id", string="Sales Team", store=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    partner_id = fields.Many2one(related="lead_id.partner_id", string="Customer")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", store=True, readonly=False,
                                  precompute=True, required=True)
    price = fields.Monetary(string="Their Price", help="The price the competitor offered.")
    strengths = fields.Text()
    weaknesses = fields.Text()
    outcome = fields.Selection(
        OUTCOMES, compute="_compute_outcome", store=True, readonly=False, precompute=True, required=True,
        index=True, help="Follows the opportunity (won, lost, open) unless set by hand.")
    outcome_manual = fields.Boolean(
        string="Outcome Set by Hand", copy=False,
        help="The outcome was set by hand: it no longer follows the opportunity.")

    _sql_constraints = [
        ("lead_competitor_unique", "UNIQUE(lead_id, competitor_id)",
         "A competitor is listed once on an opportunity."),
    ]

    @api.depends("lead_id.company_currency")
    def _compute_currency_id(self):
        for line in self:
            if not line.currency_id:
                line.currency_id = line.lead_id.company_currency or self.env.company.currency_id

    @api.depends("lead_id.active", "lead_id.stage_id.is_won", "outcome_manual")
    def _compute_outcome(self):
        for line in self:
            if line.outcome_manual and line.outcome:
                continue
            line.outcome = line._crm_plus_lead_outcome()

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._crm_plus_mark_manual([line for line, vals in zip(lines, vals_list, strict=True) if vals.get("outcome")])
        return lines

    def write(self, vals):
        res = super().write(vals)
        if vals.get("outcome") and "outcome_manual" not in vals:
            self._crm_plus_mark_manual(self)
        return res

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_mark_manual(self, lines):
        """Lines whose outcome was given: set by hand when it differs from what the opportunity says (it then
        sticks), following the opportunity again when it is the same."""
        for line in lines:
            manual = line.outcome != line._crm_plus_lead_outcome()
            if line.outcome_manual != manual:
                line.outcome_manual = manual

    def _crm_plus_lead_outcome(self):
        """The outcome the opportunity says: won against them, lost to them, or still open."""
        self.ensure_one()
        lead = self.lead_id
        if lead.stage_id.is_won and lead.active:
            return "won"
        if not lead.active:
            return "lost"
        return "open"
