from odoo import fields, models


class ResPartner(models.Model):
    """Contacts created by the service desk from an unknown sender wait for a review."""

    _inherit = "res.partner"

    crm_plus_service_to_review = fields.Boolean(
        string="To Review (Service)", index="btree_not_null",
        help="Created from an e-mail of an unknown sender: link it to its company or merge it.")
