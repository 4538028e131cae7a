"""Customers to clean: values an import kept as typed because they could not be normalised."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    needs_cleaning = fields.Boolean(
        index="btree_not_null", copy=False, tracking=True,
        help="An import kept a value of this customer as typed because it could not be normalised (a phone "
             "number the numbering plan does not accept, an odd e-mail address, an unknown country...). "
             "Correct it, then untick.")
    cleaning_note = fields.Text(
        copy=False, help="The values kept as typed, or that found no field, and why (one per line).")
