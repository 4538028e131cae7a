"""Customer tags by dimension: industry, size, interest, purchase stage, lifecycle flag."""

from odoo import fields, models

TAG_DIMENSIONS = [
    ("industry", "Industry"),
    ("size", "Company Size"),
    ("interest", "Interest"),
    ("purchase_stage", "Purchase Stage"),
    ("lifecycle", "Lifecycle Flag"),
]


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    crm_plus_dimension = fields.Selection(
        TAG_DIMENSIONS, string="Dimension", index=True,
        help="What the tag says about a customer; the customer form shows tags grouped by dimension and the "
             "customer search filters and groups by them. A tag without dimension is a free tag.")
