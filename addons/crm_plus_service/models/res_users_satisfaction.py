"""Satisfaction of a service agent: the ratings of the tickets they handled (last 90 days)."""

from datetime import timedelta

from odoo import fields, models

from odoo.addons.rating.models.rating_data import RATING_LIMIT_MIN, _rating_to_grade


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_plus_service_rating_count = fields.Integer(
        string="Ticket Ratings", compute="_compute_crm_plus_service_satisfaction",
        groups="crm_plus_service.group_crm_plus_service_agent")
    crm_plus_service_satisfaction = fields.Integer(
        string="Ticket Satisfaction (%)", compute="_compute_crm_plus_service_satisfaction",
        groups="crm_plus_service.group_crm_plus_service_agent",
        help="Share of satisfied ratings on the tickets this agent handled, last 90 days; -1 without rating.")

    def _compute_crm_plus_service_satisfaction(self):
        since = fields.Datetime.now() - timedelta(days=90)
        # sudo: a satisfaction percentage, counted over ratings agents may not read one by one
        groups = self.env["rating.rating"].sudo()._read_group(
            [("res_model", "=", "crm_plus.ticket"), ("consumed", "=", True), ("rating", ">=", RATING_LIMIT_MIN),
             ("rated_partner_id", "in", self.partner_id.ids), ("write_date", ">=", since)],
            ["rated_partner_id", "rating"], ["__count"])
        counts = {}
        for partner, rating, count in groups:
            great, total = counts.get(partner.id, (0, 0))
            counts[partner.id] = (great + (count if _rating_to_grade(rating) == "great" else 0), total + count)
        for user in self:
            great, total = counts.get(user.partner_id.id, (0, 0))
            user.crm_plus_service_rating_count = total
            user.crm_plus_service_satisfaction = round(great * 100 / total) if total else -1
