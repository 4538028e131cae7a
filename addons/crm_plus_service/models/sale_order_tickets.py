"""Sales orders show the tickets about them (crm_plus.ticket.link.mixin)."""

from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm_plus.ticket.link.mixin"]

    _crm_plus_ticket_field = "sale_order_id"
