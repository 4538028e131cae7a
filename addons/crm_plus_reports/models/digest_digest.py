"""The KPIs of CRM Plus in Odoo's periodic digest e-mails, computed from the analyses under each recipient's scope."""

from odoo import _, fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_crm_plus_won_revenue = fields.Boolean(string="Won Revenue (my scope)")
    kpi_crm_plus_won_revenue_value = fields.Monetary(compute="_compute_kpi_crm_plus_won_revenue_value")
    kpi_crm_plus_touches = fields.Boolean(string="Customer Updates and Activities")
    kpi_crm_plus_touches_value = fields.Integer(compute="_compute_kpi_crm_plus_touches_value")
    kpi_crm_plus_overdue = fields.Boolean(string="Overdue Receivables")
    kpi_crm_plus_overdue_value = fields.Monetary(compute="_compute_kpi_crm_plus_overdue_value")
    kpi_crm_plus_sla_compliance = fields.Boolean(string="SLA Compliance (%)")
    kpi_crm_plus_sla_compliance_value = fields.Float(compute="_compute_kpi_crm_plus_sla_compliance_value")

    def _crm_plus_require(self, model):
        """Digest KPIs are read as their recipient: no access to the analysis, no KPI (Odoo skips it)."""
        if not self.env[model].has_access("read"):
            raise AccessError(_("Do not have access, skip this data for user's digest email"))

    def _crm_plus_report_kpi(self, model, kpi_field, aggregate, domain, date_field=None):
        """``aggregate`` of the analysis ``model`` per digest company over the digest's period (``date_field``;
        None: now), read as the recipient: their data scope applies."""
        self._crm_plus_require(model)
        start, end, companies = self._get_kpi_compute_parameters()
        full = [*domain, ("company_id", "in", companies.ids)]
        if date_field:
            full += [(date_field, ">=", start), (date_field, "<", end)]
        values = dict(self.env[model]._read_group(full, ["company_id"], [aggregate]))
        for digest in self:
            digest[kpi_field] = values.get(digest.company_id or self.env.company) or 0

    def _compute_kpi_crm_plus_won_revenue_value(self):
        self._crm_plus_report_kpi("crm_plus.report.pipeline", "kpi_crm_plus_won_revenue_value", "won_revenue:sum",
                                  [("state", "=", "won")], "date_closed")

    def _compute_kpi_crm_plus_touches_value(self):
        self._crm_plus_report_kpi("crm_plus.report.adoption", "kpi_crm_plus_touches_value", "touches:sum", [],
                                  "week")

    def _compute_kpi_crm_plus_overdue_value(self):
        self._crm_plus_report_kpi("crm_plus.report.receivable", "kpi_crm_plus_overdue_value",
                                  "amount_overdue:sum", [])

    def _compute_kpi_crm_plus_sla_compliance_value(self):
        self._crm_plus_report_kpi("crm_plus.report.ticket", "kpi_crm_plus_sla_compliance_value",
                                  "sla_compliance:avg", [], "create_date")

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        res.update({
            "kpi_crm_plus_won_revenue": "crm_plus_reports.action_crm_plus_report_ranking",
            "kpi_crm_plus_touches": "crm_plus_reports.action_crm_plus_report_adoption",
            "kpi_crm_plus_overdue": "crm_plus_reports.action_crm_plus_report_receivable",
            "kpi_crm_plus_sla_compliance": "crm_plus_reports.action_crm_plus_report_ticket",
        })
        return res
