from itertools import combinations

from odoo import api, fields, models
from odoo.tools import SQL


class CrmPlusDuplicateDismissal(models.Model):
    """A pair of partners a data steward said are not the same customer."""

    _name = "crm_plus.duplicate.dismissal"
    _description = "Dismissed Duplicate Pair"
    _log_access = False

    partner_low_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    partner_high_id = fields.Many2one("res.partner", required=True, ondelete="cascade")

    _sql_constraints = [
        ("pair_uniq", "unique(partner_low_id, partner_high_id)", "This pair is already dismissed."),
        ("pair_order", "CHECK(partner_low_id < partner_high_id)", "Dismissed pairs are stored low id first."),
    ]

    @api.model
    def _remember(self, partner_ids):
        pairs = list(combinations(sorted(set(partner_ids)), 2))
        if not pairs:
            return
        self.env.cr.execute(SQL(
            """INSERT INTO crm_plus_duplicate_dismissal (partner_low_id, partner_high_id)
               SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING""",
            [a for a, _b in pairs], [b for _a, b in pairs],
        ))

    @api.model
    def _dismissed_pairs(self, partner_ids):
        self.env.cr.execute(SQL(
            """SELECT partner_low_id, partner_high_id FROM crm_plus_duplicate_dismissal
                WHERE partner_low_id = ANY(%(ids)s) OR partner_high_id = ANY(%(ids)s)""",
            ids=list(partner_ids),
        ))
        return set(self.env.cr.fetchall())
