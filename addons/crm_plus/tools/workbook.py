"""The one way the crm_plus addons open an .xlsx workbook to write (import error reports, report exports).

A value written to a cell is always data: ``strings_to_formulas``, ``strings_to_urls`` and
``strings_to_numbers`` are off, so a customer name such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` taken
from an uploaded file is written as text, never as a live formula or link, and a phone number keeps its
leading zero.
"""

import xlsxwriter

__all__ = ["SAFE_OPTIONS", "new_workbook"]

SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def new_workbook(target, constant_memory=False):
    """An ``xlsxwriter.Workbook`` writing to ``target`` (a path or a ``BytesIO``), with the safe options.

    ``constant_memory``: rows are flushed as they are written (large exports; each row must then be
    written in order); otherwise the workbook is built in memory.
    """
    options = dict(SAFE_OPTIONS, in_memory=not constant_memory, constant_memory=constant_memory)
    return xlsxwriter.Workbook(target, options)
