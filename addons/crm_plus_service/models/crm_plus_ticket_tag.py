from random import randint

from odoo import fields, models


class CrmPlusTicketTag(models.Model):
    _name = "crm_plus.ticket.tag"
    _description = "Ticket Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "A ticket tag with this name already exists.")]
