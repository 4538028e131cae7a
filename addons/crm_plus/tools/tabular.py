"""Read the rows of an uploaded spreadsheet (.xlsx or .csv) as text, without any ORM.

``read_rows(data, filename)`` returns ``(headers, rows)``: the header cells as stripped strings and an
iterator of ``(row_number, values)`` where ``row_number`` is the line/row number a person sees in Excel
(1-based, header included) and ``values`` a list of stripped strings as long as the header. Fully empty
rows are skipped. Problems raise ``TabularError(code, detail)``; the caller turns codes into messages:

* ``unsupported``  - neither .xlsx nor .csv (``detail``: the extension)
* ``empty``        - no bytes, or no non-empty cell at all
* ``encoding``     - a csv that no tried encoding decodes (or a binary file named .csv)
* ``corrupted``    - an .xlsx that is not a readable workbook
* ``no_header``    - no header cell with text
* ``too_many_rows``- more than ``MAX_ROWS`` data rows (``detail``: the limit); raised while iterating
* ``too_large``    - an .xlsx whose content, uncompressed, exceeds ``MAX_UNCOMPRESSED_BYTES`` (``detail``: the
  limit in MB): a small file must not expand into gigabytes in memory
* ``cell_too_long``- a cell of ``MAX_CELL_CHARS`` characters or more, Excel's own limit (``detail``: the row
  number); raised while iterating
"""

import codecs
import csv
import datetime
import io
import zipfile

import chardet
import openpyxl

__all__ = ["CSV_ENCODINGS", "MAX_CELL_CHARS", "MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "TabularError", "read_rows"]

MAX_ROWS = 200_000
# what an .xlsx may hold once unzipped (all its parts), and the longest cell (Excel's limit)
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_CELL_CHARS = 32_767
CSV_ENCODINGS = ("utf-8-sig", "gb18030", "big5")
CSV_DELIMITERS = (",", ";", "\t", "|")
# at most this many leading rows are searched for the header row
HEADER_SEARCH_ROWS = 20


class TabularError(Exception):
    """A file that cannot be read as a table: ``code`` says why, ``detail`` adds a value for the message."""

    def __init__(self, code, detail=""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def cell_text(value):
    """One cell as text: integral floats without '.0' (phone numbers), dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _split_header(raw_rows):
    """Find the header (first row with text), return ``(headers, width, remaining iterator)``."""
    for index, (row_number, values) in enumerate(raw_rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        if any(values):
            while values and not values[-1]:
                values.pop()
            return values, len(values), row_number
    return None, 0, 0


def _rows(raw_rows, width):
    count = 0
    for row_number, values in raw_rows:
        if not any(values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise TabularError("too_many_rows", MAX_ROWS)
        # openpyxl cuts a longer cell at exactly MAX_CELL_CHARS: a cell reaching it was cut, or is too long
        if any(len(value) >= MAX_CELL_CHARS for value in values):
            raise TabularError("cell_too_long", row_number)
        yield row_number, (values + [""] * width)[:width]  # as long as the header


# --- xlsx -------------------------------------------------------------------------------------------

def _check_uncompressed_size(data, limit=MAX_UNCOMPRESSED_BYTES):
    """Refuse a workbook whose parts, unzipped, exceed ``limit`` bytes (sizes from the zip index, before
    anything is inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TabularError("corrupted", str(exc)) from exc
    if size > limit:
        raise TabularError("too_large", max(limit // (1024 * 1024), 1))


def _xlsx_raw_rows(data, max_uncompressed=MAX_UNCOMPRESSED_BYTES):
    _check_uncompressed_size(data, max_uncompressed)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on broken workbooks (zip, xml, key...)
        raise TabularError("corrupted", str(exc)) from exc
    if not workbook.worksheets:
        workbook.close()
        raise TabularError("empty")
    sheet = workbook.worksheets[0]

    def generate():
        try:
            for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield row_number, [cell_text(value) for value in row]
        except Exception as exc:  # a damaged sheet can fail at any row
            raise TabularError("corrupted", str(exc)) from exc
        finally:
            workbook.close()

    return generate()


# --- csv --------------------------------------------------------------------------------------------

def _try_decode(data, encoding):
    """``data`` decoded with ``encoding``, or None when it does not decode (or decodes to NUL characters)."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if "\x00" not in text else None


def _decode(data):
    """Decode csv bytes: BOMs first, then utf-8, gb18030 (GBK/GB2312), big5, then chardet's guess."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise TabularError("encoding", encoding) from exc
    if b"\x00" in data[:4096]:
        raise TabularError("encoding", "binary")
    for encoding in CSV_ENCODINGS:
        text = _try_decode(data, encoding)
        if text is not None:
            return text, encoding
    # chardet is asked only when the usual encodings fail: it takes minutes on some inputs (a long run of
    # one character), which a plain UTF-8 file must not cost
    guess = (chardet.detect(data[:65536]) or {}).get("encoding")
    if guess and guess.lower() not in CSV_ENCODINGS:
        text = _try_decode(data, guess)
        if text is not None:
            return text, guess
    raise TabularError("encoding", guess or "")


def _delimiter(text):
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(CSV_DELIMITERS)).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        counts = {delimiter: first_line.count(delimiter) for delimiter in CSV_DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_raw_rows(data):
    text, _encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def generate():
        try:
            for row in reader:
                yield reader.line_num, [cell.strip() for cell in row]
        except csv.Error as exc:
            raise TabularError("corrupted", str(exc)) from exc

    return generate()


# --- entry point ------------------------------------------------------------------------------------

def read_rows(data, filename, max_uncompressed=MAX_UNCOMPRESSED_BYTES):
    """Return ``(headers, rows)`` of an .xlsx or .csv file; see the module docstring. ``max_uncompressed``:
    the most an .xlsx may hold unzipped."""
    name = (filename or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ("xlsx", "csv", "txt"):
        raise TabularError("unsupported", extension)
    if not data or not data.strip():
        raise TabularError("empty")
    raw_rows = _xlsx_raw_rows(data, max_uncompressed) if extension == "xlsx" else _csv_raw_rows(data)
    headers, width, header_row = _split_header(raw_rows)
    if header_row == 0:
        raise TabularError("empty")
    if not headers:
        raise TabularError("no_header")
    return headers, _rows(raw_rows, width)
