"""Contracts show the tickets about them (crm_plus.ticket.link.mixin)."""

from odoo import models


class CrmPlusContract(models.Model):
    _name = "crm_plus.contract"
    _inherit = ["crm_plus.contract", "crm_plus.ticket.link.mixin"]

    _crm_plus_ticket_field = "contract_id"
