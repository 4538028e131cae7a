"""Writing rows of plain values to a worksheet of a workbook opened by ``crm_plus.tools.workbook.new_workbook``.

Every value is written with its own typed writer (text, number, date), never as a formula; empty strings
and ``None`` leave the cell empty. Pure functions: no ORM.

Large exports (constant-memory workbooks) write whole batches of rows whose columns are known in advance
(``SheetWriter.write_rows`` with a kind per column): the rows' XML is made here, once per cell, with the text
escaped and numbers, dates and styles as xlsxwriter writes them (tested: the same sheet XML as xlsxwriter's own
cell by cell writing), instead of xlsxwriter's general per-cell path.
"""

import datetime
import re

import pytz
from xlsxwriter.utility import datetime_to_excel_datetime, preserve_whitespace, xl_col_to_name

from odoo.addons.crm_plus.tools.workbook import xml_escape

# the kind of a column of ``SheetWriter.write_rows``: how its values are written
TEXT, NUMBER, FLOAT, DATE, DATETIME, BOOLEAN = "text", "number", "float", "date", "datetime", "boolean"
KIND_OF_TYPE = {"integer": NUMBER, "float": FLOAT, "monetary": FLOAT, "date": DATE, "datetime": DATETIME,
                "boolean": BOOLEAN}
# Excel's longest text in a cell
TEXT_MAX = 32767
# a text needing more than its characters in the XML: escapes, control characters, xlsxwriter's own _xHHHH_
# escape, leading or trailing white space
_TEXT_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_TEXT_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_TEXT_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")

# characters Excel refuses in a sheet name, and its length limit
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_NAME_MAX = 31


def sheet_name(title, taken=()):
    """A valid, unique worksheet name for ``title``."""
    base = (title or "Sheet").translate(_SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = " (%d)" % n
        name, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    return name


def excel_serial(value):
    """The Excel serial number of a date or a naive datetime (xlsxwriter's own conversion, 1900 epoch)."""
    return datetime_to_excel_datetime(value, False, False)


def _inline_text(value):
    """Attribute and data of an inline text cell: escaped as xlsxwriter does in constant-memory mode."""
    if len(value) > TEXT_MAX:
        value = value[:TEXT_MAX]
    if not _TEXT_SPECIAL.search(value):
        return "", value
    value = _TEXT_ESCAPED.sub(r"_x005F\1", value)
    value = _TEXT_CONTROL.sub(lambda match: "_x%04X_" % ord(match.group(1)), value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return ' xml:space="preserve"' if preserve_whitespace(value) else "", xml_escape(value)


def column_kinds(columns):
    """The kind of each of ``columns`` (of ``columns_of``) for ``SheetWriter.write_rows``."""
    return [KIND_OF_TYPE.get(ftype, TEXT) for _fname, ftype, _labels in columns]


class SheetWriter:
    """Rows written one after the other to one worksheet (constant-memory workbooks need them in order)."""

    def __init__(self, workbook, title, headers):
        # a workbook of new_workbook(): its worksheets are the safe ones
        self.sheet = workbook.add_worksheet(sheet_name(title, [s.get_name() for s in workbook.worksheets()]))
        self.formats = {
            "header": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "float": workbook.add_format({"num_format": "#,##0.00"}),
        }
        for column, header in enumerate(headers):
            self.sheet.write_string(0, column, str(header), self.formats["header"])
        self.sheet.set_column(0, max(len(headers) - 1, 0), 18)
        self.sheet.freeze_panes(1, 0)
        self.line = 1

    def write_row(self, values):
        sheet, line = self.sheet, self.line
        for column, value in enumerate(values):
            if value is None or value is False or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(line, column, value)
            elif isinstance(value, bool):
                sheet.write_boolean(line, column, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(line, column, value, self.formats["datetime"])
            elif isinstance(value, datetime.date):
                sheet.write_datetime(line, column, datetime.datetime.combine(value, datetime.time()),
                                     self.formats["date"])
            elif isinstance(value, float):
                sheet.write_number(line, column, value, self.formats["float"])
            elif isinstance(value, int):
                sheet.write_number(line, column, value)
            else:
                sheet.write_string(line, column, str(value))
        self.line += 1

    def write_rows(self, rows, kinds):
        """Write ``rows`` whose columns hold values of ``kinds`` (``TEXT``... one per column; an empty cell is
        ``None``, ``""`` or ``False``): the same cells as ``write_row``, made in one go per batch in a
        constant-memory workbook."""
        sheet = self.sheet
        if not rows:
            return
        if not sheet.constant_memory:
            for row in rows:
                self.write_row(row)
            return
        first, last = self.line, self.line + len(rows) - 1
        if last >= sheet.xls_rowmax:
            raise ValueError("An Excel sheet holds at most %d rows." % sheet.xls_rowmax)
        # rows written so far (the headers) go to the file first; the dimensions of the sheet take these rows
        if first > sheet.previous_row:
            sheet._write_single_row(first)
        sheet._check_dimensions(first, 0)
        sheet._check_dimensions(last, len(kinds) - 1)
        styles = {FLOAT: self.formats["float"], DATE: self.formats["date"], DATETIME: self.formats["datetime"]}
        # per column: how its value becomes the cell's XML (0 text, 1 number, 2 date, 3 true), and the template
        plan = []
        for column, kind in enumerate(kinds):
            ref = xl_col_to_name(column)
            style = ' s="%d"' % styles[kind]._get_xf_index() if kind in styles else ""
            if kind == TEXT:
                plan.append((0, '<c r="%s%%s" t="inlineStr"><is><t%%s>%%s</t></is></c>' % ref))
            elif kind == BOOLEAN:
                plan.append((3, '<c r="%s%%s" t="b"><v>1</v></c>' % ref))
            else:
                plan.append((2 if kind in (DATE, DATETIME) else 1, '<c r="%s%%s"%s><v>%%.16G</v></c>' % (ref, style)))
        serial, special = excel_serial, _TEXT_SPECIAL.search
        parts = []
        for number, row in enumerate(rows, start=first + 1):
            cells = []
            for value, (code, template) in zip(row, plan, strict=True):
                if value is None or value is False or value == "":
                    continue
                if code == 0:
                    text = value if type(value) is str else str(value)
                    if len(text) > TEXT_MAX or special(text):
                        cells.append(template % (number, *_inline_text(text)))
                    else:
                        cells.append(template % (number, "", text))
                elif code == 1:
                    cells.append(template % (number, value))
                elif code == 2:
                    cells.append(template % (number, serial(value)))
                else:
                    cells.append(template % number)
            if cells:
                parts.append('<row r="%d">%s</row>' % (number, "".join(cells)))
        sheet.fh.write("".join(parts))
        sheet.previous_row = last
        self.line = last + 1

    @property
    def rows(self):
        return self.line - 1


def tz_name_or_utc(tz_name):
    """``tz_name`` if it names a time zone, else ``"UTC"``."""
    return tz_name if tz_name in pytz.all_timezones_set else "UTC"


def local_time(tz_name):
    """A function turning a naive UTC datetime into the naive local time of ``tz_name`` (UTC when unknown), as a
    spreadsheet cell shows it; for ``plain_values``."""
    zone = pytz.timezone(tz_name_or_utc(tz_name))
    return lambda value: pytz.utc.localize(value).astimezone(zone).replace(tzinfo=None)


def columns_of(fnames, description):
    """The ``columns`` of ``plain_values`` from ``fields_get(fnames, ["type", "selection"])`` (whose selection
    labels are in the user's language); fields missing from it (not readable by the user) are left out."""
    return [(fname, description[fname]["type"], dict(description[fname].get("selection") or []))
            for fname in fnames if fname in description]


def plain_values(rows, columns, to_local=None):
    """The cells of ``rows`` (dicts as ``read`` returns them) for ``columns`` [(field name, field type, {selection
    value: label})]: names of linked records, selection labels, numbers, dates (datetimes through ``to_local``),
    text; a list of linked records as their names joined by commas."""
    for values in rows:
        cells = []
        for fname, ftype, labels in columns:
            value = values.get(fname)
            if ftype == "many2one":
                value = value[1] if value else ""
            elif ftype == "selection":
                value = labels.get(value, "") if value else ""
            elif ftype in ("one2many", "many2many"):
                value = ", ".join(str(v) for v in value) if value else ""
            elif ftype == "datetime" and value and to_local:
                value = to_local(value)
            elif value is False and ftype not in ("boolean", "integer", "float", "monetary"):
                value = ""
            cells.append(value)
        yield cells
