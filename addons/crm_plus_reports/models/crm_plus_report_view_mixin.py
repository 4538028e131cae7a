"""The read-only SQL view under every analysis of crm_plus_reports."""

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..tools.xlsx_sheet import columns_of, plain_values

# a money amount shown in 万 (ten thousands) is divided by this
WAN = 10000.0


class CrmPlusReportViewMixin(models.AbstractModel):
    """An analysis backed by a PostgreSQL view built from ``_query()`` (an ``odoo.tools.SQL``).

    Each analysis counts the records of one source model and is read under that model's data scope: its rows
    carry the source's owner, team and company columns under the same names, and its record rules repeat the
    source's rules (``security/crm_plus_report_rules.xml``). ``_crm_plus_source`` names the source for the
    test that compares, per role, what a user reads in the analysis with what they read in the source:
    ``model``, ``field`` (the many2one of a row to its source record), ``domain`` (the source records the
    view counts), ``owner`` (the salesperson column, the same in both) and ``count`` (the measure counting
    the source records, or None).
    """

    _name = "crm_plus.report.view.mixin"
    _description = "CRM Plus Analysis View"
    _auto = False

    _crm_plus_source = {}
    # the date the export wizard's period filters on, and the columns of the XLSX export, in order
    _crm_plus_date_field = None
    _crm_plus_export_fields = ()

    def _query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    @api.model
    def _crm_plus_source_domain(self):
        """Domain of the source records this analysis counts (read as the user: the rules narrow it)."""
        return list(self._crm_plus_source.get("domain") or [])

    @api.model
    def _crm_plus_main_company_id(self):
        return self.env.ref("base.main_company").id

    # ------------------------------------------------------------------------------------------------
    # export (wizards/crm_plus_report_export.py writes these to the workbook)
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_export_headers(self, in_wan=False):
        """Column titles in the user's language; money columns say when they are in 万."""
        headers = []
        for fname in self._crm_plus_export_fields:
            field = self._fields[fname]
            label = field.get_description(self.env)["string"]
            if in_wan and field.type == "monetary":
                label = _("%(label)s (10k)", label=label)
            headers.append(label)
        return headers

    def _crm_plus_export_rows(self, in_wan=False):
        """The export values of these rows, in ``_crm_plus_export_fields`` order: plain values (text, numbers,
        dates), never formulas; names of linked records, labels of selections in the user's language."""
        columns = self._crm_plus_export_columns(self._crm_plus_export_fields)
        money = [i for i, fname in enumerate(self._crm_plus_export_fields)
                 if self._fields[fname].type == "monetary"]
        for row in plain_values(self.read(list(self._crm_plus_export_fields)), columns, self._crm_plus_local_time):
            for index in money if in_wan else ():
                row[index] = (row[index] or 0.0) / WAN
            yield row

    @api.model
    def _crm_plus_export_columns(self, fnames):
        """Columns of ``plain_values`` for ``fnames`` of this model (those the user may read)."""
        return columns_of(fnames, self.fields_get(fnames, ["type", "selection"]))

    def _crm_plus_local_time(self, value):
        """A UTC datetime in the user's time zone, without tzinfo (as a spreadsheet cell shows it)."""
        return fields.Datetime.context_timestamp(self, value).replace(tzinfo=None)
