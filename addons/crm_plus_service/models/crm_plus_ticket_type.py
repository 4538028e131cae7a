from odoo import fields, models


class CrmPlusTicketType(models.Model):
    _name = "crm_plus.ticket.type"
    _description = "Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "A ticket type with this name already exists.")]
