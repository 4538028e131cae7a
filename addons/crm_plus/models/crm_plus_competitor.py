"""Competitors met on opportunities (master data)."""

from odoo import fields, models


class CrmPlusCompetitor(models.Model):
    """A competitor: who they are, and the opportunities where we met them, won against them or lost to them."""

    _name = "crm_plus.competitor"
    _description = "Competitor"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    website = fields.Char()
    notes = fields.Html(help="What we know of them: products, prices, how they sell.")
    active = fields.Boolean(default=True, tracking=True)
    line_ids = fields.One2many("crm_plus.lead.competitor", "competitor_id", string="Opportunities")
    opportunity_count = fields.Integer(string="# Opportunities", compute="_compute_outcome_counts")
    won_count = fields.Integer(string="# Won Against", compute="_compute_outcome_counts")
    lost_count = fields.Integer(string="# Lost To", compute="_compute_outcome_counts")
    win_rate = fields.Float(string="Win Rate (%)", compute="_compute_outcome_counts",
                            help="Won against them among the closed opportunities where we met them.")

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A competitor with this name already exists."),
    ]

    def _compute_outcome_counts(self):
        # the opportunities the user may read, counted in one grouped query
        groups = self.env["crm_plus.lead.competitor"]._read_group(
            [("competitor_id", "in", self.ids)], ["competitor_id", "outcome"], ["__count"])
        counts = {}
        for competitor, outcome, count in groups:
            counts.setdefault(competitor.id, {})[outcome] = count
        for competitor in self:
            by_outcome = counts.get(competitor.id, {})
            competitor.opportunity_count = sum(by_outcome.values())
            competitor.won_count = by_outcome.get("won", 0)
            competitor.lost_count = by_outcome.get("lost", 0)
            closed = competitor.won_count + competitor.lost_count
            competitor.win_rate = 100.0 * competitor.won_count / closed if closed else 0.0

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_view_opportunities(self):
        """The opportunities where we met this competitor."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_lead_competitor")
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {"default_competitor_id": self.id}
        return action

