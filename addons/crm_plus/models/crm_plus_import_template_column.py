from odoo import fields, models

IMPORT_TARGETS = [
    ("name", "Name"),
    ("is_company", "Company / Individual"),
    ("uscc", "USCC"),
    ("vat", "Tax ID"),
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("email", "Email"),
    ("street", "Street"),
    ("city", "City"),
    ("state", "State / Province"),
    ("country", "Country"),
    ("zip", "Zip"),
    ("website", "Website"),
    ("comment", "Notes"),
    ("customer_level", "Customer Level"),
    ("salesperson", "Salesperson"),
    ("function", "Job Position"),
    ("parent", "Parent Company"),
    ("contact_name", "Contact Person"),
]


class CrmPlusImportTemplateColumn(models.Model):
    """One column of a mapping: a header of the file and the customer field it feeds.

    The same model holds the columns of a saved template (``template_id``) and the columns of one
    import job (``job_id``), so a job's mapping can be edited before the preview and saved as a template.
    """

    _name = "crm_plus.import.template.column"
    _description = "Customer Import Column"
    _order = "sequence, id"

    template_id = fields.Many2one("crm_plus.import.template", ondelete="cascade", index="btree_not_null")
    job_id = fields.Many2one("crm_plus.import.job", ondelete="cascade", index="btree_not_null")
    sequence = fields.Integer(default=10)
    column_index = fields.Integer(string="Column", help="Position of the column in the file, from 0.")
    header = fields.Char(required=True)
    target = fields.Selection(IMPORT_TARGETS, string="Import As",
                              help="The customer field this column feeds; empty to ignore the column.")
    sample = fields.Char(string="Example", help="The first value of the column in the file.")
