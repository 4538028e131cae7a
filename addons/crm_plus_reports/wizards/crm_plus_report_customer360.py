"""The customer 360 workbook: profile, contacts, pipeline, contracts, invoices, payments and tickets of a customer."""

import base64
import io
from urllib.parse import quote

from odoo import _, api, fields, models

from odoo.addons.crm_plus.tools.workbook import new_workbook

from ..tools.period import period_domain
from ..tools.xlsx_sheet import SheetWriter, columns_of, local_time, plain_values


class CrmPlusReportCustomer360(models.TransientModel):
    """Everything the user may read about one customer company, one sheet per subject.

    Every sheet is read as the user: record rules, field groups and contact masking apply (a masked
    salesperson gets ``139 **** 0004``, a finance user no pipeline sheet). Values only, never formulas.
    """

    _name = "crm_plus.report.customer360"
    _description = "Customer 360 Workbook"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True,
                                 default=lambda self: self._default_partner_id())
    date_from = fields.Date(string="From", help="Leads, invoices, payments and tickets from this date.")
    date_to = fields.Date(string="To")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _default_partner_id(self):
        if self.env.context.get("active_model") == "res.partner":
            return self.env.context.get("active_id")
        return False

    def _sheets(self, customer):
        """[(title, model, domain, field names, date field)] in workbook order."""
        family = [("partner_id", "child_of", customer.id)]
        return [
            (_("Profile"), "res.partner", [("id", "=", customer.id)],
             ["name", "vat", "customer_level_id", "user_id", "team_id", "street", "city", "state_id", "country_id",
              "phone", "mobile", "email", "website", "lifecycle_state"], None),
            (_("Contacts"), "res.partner", [("id", "child_of", customer.id), ("id", "!=", customer.id)],
             ["name", "function", "phone", "mobile", "email"], None),
            (_("Pipeline"), "crm.lead", family,
             ["name", "type", "stage_id", "user_id", "team_id", "expected_revenue", "probability", "create_date",
              "date_deadline", "date_closed", "lost_reason_id"], "create_date"),
            (_("Contracts"), "crm_plus.contract", [("partner_id", "=", customer.id)],
             ["name", "state", "date_start", "date_end", "amount", "currency_id", "user_id"], None),
            (_("Invoices"), "account.move",
             [("commercial_partner_id", "=", customer.id), ("move_type", "in", ("out_invoice", "out_refund")),
              ("state", "=", "posted")],
             ["name", "move_type", "invoice_date", "invoice_date_due", "amount_total_signed",
              "amount_residual_signed", "payment_state", "invoice_user_id"], "invoice_date"),
            (_("Payments"), "account.payment", [*family, ("partner_type", "=", "customer")],
             ["name", "date", "amount", "currency_id", "state"], "date"),
            (_("Tickets"), "crm_plus.ticket", [("customer_id", "=", customer.id)],
             ["number", "name", "stage_id", "team_id", "user_id", "priority", "sla_state", "create_date",
              "date_solved"], "create_date"),
        ]

    def action_export(self):
        self.ensure_one()
        # headers, labels and sheet names in the user's language, whatever language the caller's context says
        return self.with_context(lang=self.env.user.lang or self.env.lang)._export()

    def _export(self):
        # the customer is read as the user: a customer out of their scope raises here
        customer = self.partner_id.commercial_partner_id
        customer.check_access("read")
        buffer = io.BytesIO()
        workbook = new_workbook(buffer)
        for title, model, domain, fnames, date_field in self._sheets(customer):
            self._write_subject(workbook, title, model, domain, fnames, date_field)
        workbook.close()
        self.write({"file_data": base64.b64encode(buffer.getvalue()),
                    "file_name": "%s.xlsx" % _("Customer 360 %(name)s", name=customer.name)})
        return {
            "type": "ir.actions.act_url", "target": "self",
            "url": "/web/content/%s/%s/file_data/%s?download=true" % (self._name, self.id, quote(self.file_name)),
        }

    def _write_subject(self, workbook, title, model, domain, fnames, date_field):
        """One sheet; a subject the user may not read at all gets a sheet saying so."""
        if model not in self.env or not self.env[model].has_access("read"):
            SheetWriter(workbook, title, [_("Not available to you")])
            return
        Model = self.env[model].with_context(active_test=False)
        if date_field:
            domain = [*domain, *period_domain(date_field, Model._fields[date_field].type, self.date_from, self.date_to)]
        description = Model.fields_get([f for f in fnames if f in Model._fields], ["type", "selection", "string"])
        columns = columns_of(fnames, description)
        writer = SheetWriter(workbook, title, [description[fname]["string"] for fname, _t, _l in columns])
        records = Model.search(domain)
        to_local = local_time(self.env.context.get("tz") or self.env.user.tz)
        for row in plain_values(records.read([fname for fname, _t, _l in columns]), columns, to_local):
            writer.write_row(row)
