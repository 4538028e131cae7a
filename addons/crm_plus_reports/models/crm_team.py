"""The weekly CRM adoption target of a sales team."""

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    crm_plus_weekly_target = fields.Integer(
        string="Weekly CRM Target",
        help="Customer updates and activities done each salesperson of the team should reach every week "
             "(CRM Adoption analysis). 0: no target.")
