from odoo import fields, models


class CrmPlusTicketStage(models.Model):
    _name = "crm_plus.ticket.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(help="Folded in the kanban view when there is no ticket in it.")
    is_closed = fields.Boolean(string="Closing Stage", help="Tickets in this stage are considered done.")
    active = fields.Boolean(default=True)
