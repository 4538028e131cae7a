"""Competitors on opportunities: the lines on the opportunity's Competitors tab."""

from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_plus_competitor_line_ids = fields.One2many(
        "crm_plus.lead.competitor", "lead_id", string="Competitors", copy=True,
        help="The competitors met on this opportunity: their price, strengths, weaknesses and the outcome.")

    def _merge_dependences(self, opportunities):
        """The competitors of merged leads move to the lead kept (one line per competitor)."""
        res = super()._merge_dependences(opportunities)
        kept = set(self.crm_plus_competitor_line_ids.competitor_id.ids)
        moved = self.env["crm_plus.lead.competitor"]
        for line in opportunities.crm_plus_competitor_line_ids:
            if line.competitor_id.id not in kept:
                kept.add(line.competitor_id.id)
                moved |= line
        moved.write({"lead_id": self.id})
        return res
