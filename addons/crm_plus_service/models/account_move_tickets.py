"""Invoices show the tickets about them (crm_plus.ticket.link.mixin)."""

from odoo import models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "crm_plus.ticket.link.mixin"]

    _crm_plus_ticket_field = "invoice_id"
