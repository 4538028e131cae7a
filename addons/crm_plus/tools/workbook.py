"""The one way the crm_plus addons open an .xlsx workbook to write (import error reports, report exports).

A value written to a cell is always data: ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` are off, so a customer name such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` taken
from an uploaded file is written as text, never as a live formula or link, and a phone number keeps its
leading zero. Two more ways xlsxwriter would read a text as something else are closed by ``SafeWorksheet``: a
text written with ``write()`` shaped ``{=...}`` (an array formula whatever the options say), and a text shaped
``<r>...</r>`` (copied into the sheet's XML unescaped as a "rich string", so it could carry any XML, a formula
included): both are written as the plain text they are.
"""

# the data of an XML element escaped as xlsxwriter escapes cell text (&, <, >)
from xml.sax.saxutils import escape as xml_escape

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

__all__ = ["SAFE_OPTIONS", "SafeWorksheet", "new_workbook", "xml_escape"]

# a rich string of one run of plain text
RICH_TEXT = '<r><t xml:space="preserve">%s</t></r>'
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class SafeWorksheet(Worksheet):
    """A worksheet on which every text stays text (see the module's docstring)."""

    def _write_token_as_string(self, token, row, col, *args):
        # write() / write_row(): a "{=...}" text would become an array formula
        if token.startswith("{=") and token.endswith("}"):
            return self._write_string(row, col, *args)
        return super()._write_token_as_string(token, row, col, *args)

    def _write_string(self, row, col, string, cell_format=None):
        if string.startswith("<r>") and string.endswith("</r>"):
            # xlsxwriter copies such a text into the XML as is (a rich string): give it the rich string that
            # shows exactly this text, escaped (one run, no formatting), within Excel's length of a cell text
            body = xml_escape(string)[:self.xls_strmax - len(RICH_TEXT % "")]
            string = RICH_TEXT % body[:body.rfind("&")] if body.rfind("&") > body.rfind(";") else RICH_TEXT % body
        return super()._write_string(row, col, string, cell_format)


class SafeWorkbook(xlsxwriter.Workbook):
    """A workbook whose worksheets are ``SafeWorksheet`` (unless a subclass of it is asked for)."""

    worksheet_class = SafeWorksheet


def new_workbook(target, constant_memory=False):
    """An ``xlsxwriter.Workbook`` writing to ``target`` (a path or a ``BytesIO``), with the safe options and
    ``SafeWorksheet`` worksheets.

    ``constant_memory``: rows are flushed as they are written (large exports; each row must then be
    written in order); otherwise the workbook is built in memory.
    """
    options = dict(SAFE_OPTIONS, in_memory=not constant_memory, constant_memory=constant_memory)
    return SafeWorkbook(target, options)
