"""Satisfaction of a service team: the ratings of its tickets (Odoo's rating parent mixin)."""

from odoo import models


class CrmPlusTicketTeam(models.Model):
    _name = "crm_plus.ticket.team"
    _inherit = ["crm_plus.ticket.team", "rating.parent.mixin"]

    _rating_satisfaction_days = 90

    def action_open_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rating.rating_rating_action")
        action["domain"] = [("parent_res_model", "=", self._name), ("parent_res_id", "=", self.id),
                            ("consumed", "=", True)]
        action["context"] = {}
        return action
