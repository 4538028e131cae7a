from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_crm_plus_service = fields.Boolean(string="Service Tickets")
    module_crm_plus_reports = fields.Boolean(string="CRM Plus Reports")
