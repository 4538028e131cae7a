"""The read-only SQL view under every analysis of crm_plus_reports."""

import itertools

from odoo import _, api, models, tools
from odoo.models import BaseModel
from odoo.tools import SQL

from ..tools.xlsx_sheet import column_kinds, columns_of, local_time, plain_values, tz_name_or_utc

# a money amount shown in 万 (ten thousands) is divided by this
WAN = 10000.0
# field types written as numbers
NUMBER_TYPES = ("integer", "float", "monetary")
# names of the PostgreSQL cursors of the exports (unique within a transaction)
_CURSOR_NUMBERS = itertools.count(1)


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

    def _crm_plus_company_join(self, alias):
        """The join of ``company``: the row's company, else the main company (a record shared by all)."""
        return SQL("JOIN res_company company ON company.id = COALESCE(%s.company_id, %s)",
                   SQL.identifier(alias), self._crm_plus_main_company_id())

    @api.model
    def _crm_plus_lead_won(self, lead="l", stage="s"):
        """SQL: the lead (alias ``lead``, its stage ``stage``) is won. As Odoo's "Won" filter: active in a won
        stage; an archived lead is lost, whatever its stage (every analysis counts outcomes this way)."""
        return SQL("(%s.is_won IS TRUE AND %s.active)", SQL.identifier(stage), SQL.identifier(lead))

    @api.model
    def _crm_plus_lead_open(self, lead="l", stage="s"):
        """SQL: the lead is open (active, not in a won stage; see ``_crm_plus_lead_won``)."""
        return SQL("(%s.active AND %s.is_won IS NOT TRUE)", SQL.identifier(lead), SQL.identifier(stage))

    @api.model
    def _crm_plus_lead_state(self, lead="l", stage="s"):
        """SQL: the lead's outcome, ``won``, ``lost`` (archived) or ``open`` (see ``_crm_plus_lead_won``)."""
        return SQL("CASE WHEN %s THEN 'won' WHEN NOT %s.active THEN 'lost' ELSE 'open' END",
                   self._crm_plus_lead_won(lead, stage), SQL.identifier(lead))

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
        dates), never formulas; names of linked records, labels of selections in the user's language; an
        empty number (NULL in the view: no first touch yet, no win rate of an open lead) an empty cell, as in
        the SQL path (the ORM reads it as 0: its NULLs are read from the view, one query per call)."""
        columns = self._crm_plus_export_columns(self._crm_plus_export_fields)
        numbers = [i for i, (fname, ftype, _labels) in enumerate(columns)
                   if ftype in NUMBER_TYPES and self._fields[fname].store]
        nulls = {}
        if numbers and self.ids:
            self.env.cr.execute(SQL("SELECT id, %s FROM %s WHERE id = ANY(%s)", SQL(", ").join(
                SQL("%s IS NULL", SQL.identifier(columns[i][0])) for i in numbers),
                SQL.identifier(self._table), self.ids))
            nulls = {row[0]: [i for i, null in zip(numbers, row[1:], strict=True) if null]
                     for row in self.env.cr.fetchall()}
        money = [i for i, (_fname, ftype, _labels) in enumerate(columns) if ftype == "monetary"] if in_wan else []
        rows = plain_values(self.read([fname for fname, _type, _labels in columns]), columns,
                            local_time(self._crm_plus_tz_name()))
        for record_id, row in zip(self.ids, rows, strict=True):
            for index in money:
                row[index] = row[index] / WAN
            for index in nulls.get(record_id, ()):
                row[index] = None
            yield row

    def _crm_plus_export_batches(self, in_wan=False, batch_size=2000):
        """The export rows of these records, ``batch_size`` at a time (lists of rows, in the records' order).

        One SQL query selects the export columns, names of linked records joined, under the user's record
        rules (its WHERE clause is ``_search``'s), and is fetched ``batch_size`` rows at a time through a
        PostgreSQL cursor: nothing enters the ORM cache. Contact fields the mask mixin masks go through
        ``read`` (which masks them) instead."""
        columns = self._crm_plus_export_columns(self._crm_plus_export_fields)
        masked = getattr(self, "_crm_plus_mask_kinds", lambda fnames: {})({c[0] for c in columns})
        if masked or any(not self._fields[fname].store for fname, _type, _labels in columns):
            for ids in tools.split_every(batch_size, self.ids):
                yield list(self.browse(ids)._crm_plus_export_rows(in_wan))
                self.env.invalidate_all()
            return
        yield from self._crm_plus_export_sql_batches(columns, in_wan, batch_size)

    def _crm_plus_export_sql_batches(self, columns, in_wan, batch_size):
        # the rules of the user apply: the FROM and WHERE clauses are those of _search (as search() builds them)
        query = self._search([("id", "in", self.ids)], order=self._order)
        selects, names = [], {}
        for index, (fname, ftype, labels) in enumerate(columns):
            field = self._fields[fname]
            if ftype == "many2one":
                selects.append(self._crm_plus_m2o_name_sql(query, fname))
                if selects[-1] is None:
                    # a display name computed in Python: resolved per batch from the ids (as read() does)
                    selects[-1] = self._field_to_sql(self._table, fname, query)
                    names[index] = self.env[field.comodel_name]
            else:
                selects.append(self._crm_plus_export_cell_sql(
                    self._field_to_sql(self._table, fname, query), ftype, labels, in_wan))
        cursor = "crm_plus_export_%s" % next(_CURSOR_NUMBERS)
        self.env.flush_all()
        # every row is fetched: plan for the whole result, not for its first rows as a cursor is by default (a
        # fast-start plan joins each lead to all the first-touch groups at 200k leads)
        self.env.cr.execute(SQL("SET LOCAL cursor_tuple_fraction = 1.0"))
        self.env.cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", SQL.identifier(cursor), query.select(*selects)))
        self.env.cr.execute(SQL("SET LOCAL cursor_tuple_fraction TO DEFAULT"))
        try:
            while True:
                self.env.cr.execute(SQL("FETCH %s FROM %s", batch_size, SQL.identifier(cursor)))
                rows = self.env.cr.fetchall()
                if not rows:
                    break
                yield self._crm_plus_export_values(rows, names)
        except GeneratorExit:
            self.env.cr.execute(SQL("CLOSE %s", SQL.identifier(cursor)))
            raise
        # after an error the transaction is rolled back, and the cursor with it
        self.env.cr.execute(SQL("CLOSE %s", SQL.identifier(cursor)))

    def _crm_plus_export_cell_sql(self, column, ftype, labels, in_wan):
        """The SQL of the cell of ``column`` (of type ``ftype``), typed as the ORM reads it, so that the fetched
        rows are written as they come: numbers as floats (a NULL stays NULL: an empty cell; money / 10,000 in
        万), selection labels in the user's language, datetimes in the user's time zone."""
        if ftype in ("float", "monetary"):
            cell = SQL("%s::float8", column)
            return SQL("(%s / %s)", cell, WAN) if in_wan and ftype == "monetary" else cell
        if ftype == "integer":
            return column
        if ftype == "boolean":
            return SQL("COALESCE(%s, FALSE)", column)
        if ftype == "selection":
            if not labels:
                return SQL("NULL")
            return SQL("(CASE %s %s END)", column,
                       SQL(" ").join(SQL("WHEN %s THEN %s", value, label) for value, label in labels.items()))
        if ftype == "datetime":
            return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)", column, self._crm_plus_tz_name())
        return column

    def _crm_plus_m2o_name_sql(self, query, fname):
        """SQL of the name of the record ``fname`` links to (joined), or None if its display name is computed
        in Python (then it is read from the ids)."""
        Comodel = self.env[self._fields[fname].comodel_name]
        name_field = Comodel._fields.get("complete_name") if Comodel._name == "res.partner" else None
        if name_field is None:
            if type(Comodel)._compute_display_name is not BaseModel._compute_display_name:
                return None
            name_field = Comodel._fields.get(Comodel._rec_name or "")
        # a name stored on the linked table only: a related name would be joined further with an inner join,
        # which drops the rows linking nothing
        if name_field is None or not name_field.store or not name_field.column_type:
            return None
        alias = query.left_join(self._table, fname, Comodel._table, "id", fname)
        return Comodel._field_to_sql(alias, name_field.name, query)

    def _crm_plus_export_values(self, rows, names):
        """Cells of fetched ``rows`` (tuples typed by ``_crm_plus_export_cell_sql``): only the names of linked
        records whose display name is computed in Python are filled in here, from their ids."""
        if not names:
            return rows
        display = {}
        for index, Comodel in names.items():
            ids = {row[index] for row in rows if row[index]}
            # the ids come from rows the user may read (fetched under their rules); their names are shown as
            # read() shows a many2one, whatever the user may read of the linked record: as the system, names only
            linked = Comodel.browse(ids).sudo()
            display[index] = dict(zip(linked.ids, linked.mapped("display_name"), strict=True))
        self.env.invalidate_all()
        result = []
        for row in rows:
            cells = list(row)
            for index, names_of in display.items():
                cells[index] = names_of.get(cells[index], "")
            result.append(cells)
        return result

    @api.model
    def _crm_plus_export_kinds(self):
        """How each export column is written (``SheetWriter.write_rows``)."""
        return column_kinds(self._crm_plus_export_columns(self._crm_plus_export_fields))

    @api.model
    def _crm_plus_export_columns(self, fnames):
        """Columns of ``plain_values`` for ``fnames`` of this model (those the user may read)."""
        return columns_of(fnames, self.fields_get(fnames, ["type", "selection"]))

    def _crm_plus_tz_name(self):
        """The user's time zone (the context's first, as Odoo's own conversions), UTC when unknown."""
        return tz_name_or_utc(self.env.context.get("tz") or self.env.user.tz)
