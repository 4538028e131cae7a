from odoo import fields, models

LINE_STATUSES = [
    ("new", "New"),
    ("update", "Update"),
    ("skip", "Unchanged"),
    ("duplicate_in_file", "Duplicate in File"),
    ("error", "Error"),
]


class CrmPlusImportJobLine(models.Model):
    """One previewed row of an import file, with its normalised values and what the import will do."""

    _name = "crm_plus.import.job.line"
    _description = "Customer Import Preview Row"
    _order = "job_id, row_number, id"
    _log_access = False

    job_id = fields.Many2one("crm_plus.import.job", required=True, ondelete="cascade", index=True)
    row_number = fields.Integer(string="Row", help="Row number in the file, header included.")
    name = fields.Char()
    is_company = fields.Boolean(string="Company")
    phone = fields.Char(help="Normalised (E.164).")
    mobile = fields.Char(help="Normalised (E.164).")
    email = fields.Char(help="Normalised e-mail addresses.")
    uscc = fields.Char(string="USCC")
    company_core = fields.Char(string="Canonical Name")
    city = fields.Char()
    status = fields.Selection(LINE_STATUSES, required=True, default="new")
    needs_cleaning = fields.Boolean(help="A value of the row is kept as typed: its customer is flagged for cleaning.")
    message = fields.Text()
    matched_partner_id = fields.Many2one("res.partner", string="Existing Customer", ondelete="set null")
