from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_plus_service_max_attachments = fields.Integer(
        string="Attachments per E-mail", default=10, config_parameter="crm_plus_service.max_attachments",
        help="Attachments beyond this number are kept on the ticket, outside the message, with a note.")
    crm_plus_service_max_attachment_mb = fields.Integer(
        string="Attachment Size Limit (MB)", default=20, config_parameter="crm_plus_service.max_attachment_mb",
        help="Larger attachments are kept on the ticket, outside the message, with a note.")
    crm_plus_service_portal_team_id = fields.Many2one(
        "crm_plus.ticket.team", string="Team of Portal Tickets", config_parameter="crm_plus_service.portal_team_id",
        help="Tickets customers open on the portal go to this team (and its assignment); none: no team.")
    crm_plus_service_rating_threshold = fields.Integer(
        string="Low Rating Below", default=3, config_parameter="crm_plus_service.rating_threshold",
        help="A ticket rated under this score (1 dissatisfied, 3 okay, 5 satisfied) makes a to-do for the service "
             "manager and flags the customer at churn risk.")
    china_schedule_missing_years = fields.Char(
        string="China Schedule Missing For", compute="_compute_china_schedule_missing_years")

    @api.depends("company_id")
    def _compute_china_schedule_missing_years(self):
        year = fields.Date.context_today(self).year
        missing = self.env["crm_plus.china.day"].sudo()._crm_plus_missing_years([year, year + 1])
        for settings in self:
            settings.china_schedule_missing_years = ", ".join(map(str, missing))

    def action_crm_plus_service_load_china(self):
        return self.env["crm_plus.china.day"].action_load_library()
