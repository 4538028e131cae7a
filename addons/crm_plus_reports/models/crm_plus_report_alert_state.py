from odoo import fields, models


class CrmPlusReportAlertState(models.Model):
    """Whether a subject (customer, salesperson, team) is in breach of an alert rule: one row per rule × subject.

    The unique row is what makes an alert fire once per breach: a breach is announced when the row goes from
    not breached (or absent) to breached, and may be announced again only after the row went back (recovery).
    """

    _name = "crm_plus.report.alert.state"
    _description = "Alert Rule State"
    _order = "rule_id, id"

    rule_id = fields.Many2one("crm_plus.report.alert.rule", required=True, ondelete="cascade", index=True)
    res_model = fields.Char(string="Subject Model", required=True)
    res_id = fields.Integer(string="Subject", required=True)
    breached = fields.Boolean(readonly=True)
    value = fields.Float(readonly=True, help="The measured value at the last check.")
    date_breached = fields.Datetime(string="In Breach Since", readonly=True)
    date_recovered = fields.Datetime(string="Recovered On", readonly=True)
    breach_count = fields.Integer(string="Breaches", readonly=True)

    _sql_constraints = [
        ("rule_subject_unique", "UNIQUE(rule_id, res_model, res_id)", "One state per rule and subject."),
    ]
