"""Segmentation of customers: tags per dimension on the form, and "In segment" as a searchable field."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .res_partner_category import TAG_DIMENSIONS

# dimension -> the partner field showing the customer's tags of that dimension
DIMENSION_FIELDS = {dimension: "crm_plus_%s_tag_ids" % dimension for dimension, _label in TAG_DIMENSIONS}
# a segment's domain may use another segment: how deep "In segment" is expanded before it stops
MAX_SEGMENT_DEPTH = 3


def _tag_field(dimension, label):
    return fields.Many2many(
        "res.partner.category", string=label, compute="_compute_crm_plus_dimension_tags",
        inverse="_inverse_crm_plus_dimension_tags", search="_search_crm_plus_dimension_tags",
        domain=[("crm_plus_dimension", "=", dimension)],
        help="The customer's tags of this dimension (a part of Tags).")


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_plus_industry_tag_ids = _tag_field("industry", "Industry Tags")
    crm_plus_size_tag_ids = _tag_field("size", "Size Tags")
    crm_plus_interest_tag_ids = _tag_field("interest", "Interest Tags")
    crm_plus_purchase_stage_tag_ids = _tag_field("purchase_stage", "Purchase Stage Tags")
    crm_plus_lifecycle_tag_ids = _tag_field("lifecycle", "Lifecycle Tags")
    crm_plus_segment_ids = fields.Many2many(
        "crm_plus.segment", string="Segments", compute="_compute_crm_plus_segment_ids",
        search="_search_crm_plus_segment_ids",
        help="The saved segments (of those you see) this customer belongs to; search \"In segment\" with it.")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("category_id", "category_id.crm_plus_dimension")
    def _compute_crm_plus_dimension_tags(self):
        for partner in self:
            for dimension, fname in DIMENSION_FIELDS.items():
                partner[fname] = partner.category_id.filtered(lambda t, d=dimension: t.crm_plus_dimension == d)

    def _inverse_crm_plus_dimension_tags(self):
        for partner in self:
            kept = partner.category_id.filtered(lambda t: t.crm_plus_dimension not in DIMENSION_FIELDS)
            for fname in DIMENSION_FIELDS.values():
                kept |= partner[fname]
            if kept != partner.category_id:
                partner.category_id = kept

    def _search_crm_plus_dimension_tags(self, operator, value):
        return [("category_id", operator, value)]

    @api.depends_context("uid")
    def _compute_crm_plus_segment_ids(self):
        """One count-free search per visible segment over ``self`` (a form shows one partner)."""
        segments = self.env["crm_plus.segment"].search([("domain", "!=", False)])
        members = {}
        for segment in segments:
            found = self.with_context(active_test=False).search(
                expression.AND([[("id", "in", self.ids)], segment._crm_plus_domain()]))
            for partner_id in found.ids:
                members.setdefault(partner_id, []).append(segment.id)
        for partner in self:
            partner.crm_plus_segment_ids = [(6, 0, members.get(partner.id, []))]

    def _search_crm_plus_segment_ids(self, operator, value):
        return self._crm_plus_segment_leaf_domain(operator, value, 0)

    @api.model
    def _crm_plus_segment_leaf_domain(self, operator, value, depth):
        """Partners in (or not in) the given segments: the OR of their domains, as the searching user reads
        the segments (a private segment of someone else is not found, so it selects nobody). A segment using
        segments has them expanded here, ``depth`` deep at most (a segment using itself stops with an error)."""
        # the search panel asks "ilike" for a typed name, a default facet "=" or "in" for an id
        positive = operator in ("in", "=", "ilike", "=ilike", "like", "=like", "child_of")
        if not positive and operator not in ("not in", "!=", "not ilike", "not like"):
            raise UserError(_("Customers can only be searched as in or not in a segment."))
        if depth >= MAX_SEGMENT_DEPTH:
            raise UserError(_("A segment uses itself (or segments nested too deep) in its conditions."))
        values = list(value) if isinstance(value, list | tuple) else [value]
        Segment = self.env["crm_plus.segment"]
        if not values or values == [False]:  # "has no segment" / "has a segment": over all visible segments
            segments = Segment.search([("domain", "!=", False)])
            positive = not positive
        elif all(isinstance(v, int) for v in values):
            segments = Segment.search([("id", "in", values)])  # the ones the user may read
        else:
            # a facet opened from a segment carries its name: that segment, else the names containing it
            name = str(values[0])
            segments = Segment.search([("name", "=", name)]) or Segment.search([("name", "ilike", name)])
        domain = expression.OR([segment._crm_plus_domain(depth + 1) for segment in segments]) \
            if segments else expression.FALSE_DOMAIN
        if positive:
            return domain
        return ["!", *expression.normalize_domain(domain)]
