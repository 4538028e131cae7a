"""Data scope of tickets: the hooks of crm_plus.scope.mixin (masking: crm_plus_ticket_masking.py)."""

from odoo import models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _inherit = ["crm_plus.ticket", "crm_plus.scope.mixin"]

    # a ticket is in the scope of the customer's salesperson and sales team
    _crm_plus_owner_field = "customer_user_id"
    _crm_plus_team_field = "customer_team_id"
    _crm_plus_unowned_in_scope = False
