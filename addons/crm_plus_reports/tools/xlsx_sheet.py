"""Writing rows of plain values to a worksheet of a workbook opened by ``crm_plus.tools.workbook.new_workbook``.

Every value is written with its own typed writer (text, number, date), never as a formula; empty strings
and ``None`` leave the cell empty. Pure functions: no ORM.
"""

import datetime

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


class SheetWriter:
    """Rows written one after the other to one worksheet (constant-memory workbooks need them in order)."""

    def __init__(self, workbook, title, headers):
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

    @property
    def rows(self):
        return self.line - 1


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
