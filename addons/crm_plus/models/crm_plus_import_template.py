from odoo import fields, models

from ..tools import import_columns


class CrmPlusImportTemplate(models.Model):
    """A saved column mapping for customer files: which header feeds which customer field."""

    _name = "crm_plus.import.template"
    _description = "Customer Import Template"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    column_ids = fields.One2many("crm_plus.import.template.column", "template_id", string="Columns", copy=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    job_count = fields.Integer(compute="_compute_job_count", string="Imports")

    def _compute_job_count(self):
        counts = dict(self.env["crm_plus.import.job"]._read_group(
            [("template_id", "in", self.ids)], ["template_id"], ["__count"]))
        for template in self:
            template.job_count = counts.get(template, 0)

    def _known_targets(self):
        """{header key: target or None} of this template, for ``import_columns.guess_mapping``."""
        self.ensure_one()
        return {
            import_columns.header_key(column.header): column.target or None
            for column in self.column_ids if column.header
        }
