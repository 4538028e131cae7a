from odoo import fields, models


class ResUsers(models.Model):
    """Skills of service agents (ticket tags they handle), read by skill-based assignment."""

    _inherit = "res.users"

    crm_plus_ticket_tag_ids = fields.Many2many(
        "crm_plus.ticket.tag", "crm_plus_ticket_tag_user_rel", "user_id", "tag_id", string="Service Skills")
