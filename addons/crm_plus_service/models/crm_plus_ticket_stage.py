from odoo import fields, models


class CrmPlusTicketStage(models.Model):
    _name = "crm_plus.ticket.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(help="Folded in the kanban view when there is no ticket in it.")
    team_ids = fields.Many2many(
        "crm_plus.ticket.team", "crm_plus_ticket_stage_team_rel", "stage_id", "team_id", string="Teams",
        help="Teams using this stage; none: every team.")
    is_waiting = fields.Boolean(
        string="Waiting for Customer",
        help="Resolution and next-reply SLA clocks pause in this stage and resume when the customer replies.")
    is_solved = fields.Boolean(string="Solved", help="The resolution SLA clock stops in this stage.")
    is_closed = fields.Boolean(string="Closing Stage", help="Tickets in this stage are considered done.")
    active = fields.Boolean(default=True)
