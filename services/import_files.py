"""The files of an import: reading a CSV or XLSX as a header and rows, and
writing rows back in the same layout (the refused rows, with a reason).

CSV comes as Excel writes it: UTF-8 (with or without a byte-order mark) or,
from a Chinese Windows Excel, GB18030; comma, semicolon or tab separated.
Both kinds are read row by row, never whole: CSV through the csv module,
XLSX with openpyxl in read-only mode (``data_only``, so a formula cell gives
the value Excel saved) after services.import_limits checked what it unpacks
to. A file with more than ``Limits.max_rows`` lines after its header is
refused as it is opened: its lines are counted first (CSV records, or the
row tags of the sheet's XML), and again as they are read.
"""
import codecs
import csv
import io
import os
import re

from domain.i18n import N_

from .import_limits import (DEFAULT, MAX_COLUMNS, FileRefused, check_xlsx, too_many_columns,
                            too_many_rows)

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
__all__ = ["FileRefused", "KINDS", "Table", "XLSX_MIMETYPE", "kind_of", "open_table",
           "write_table"]


def kind_of(filename):
    kind = KINDS.get(os.path.splitext(filename or "")[1].lower())
    if kind is None:
        raise FileRefused(N_("Upload a .csv or .xlsx file (an old .xls: save it as .xlsx "
                             "in Excel first)."))
    return kind


def _blank(row):
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


class Table:
    """``header`` (the first non-blank row, as text, without empty cells at
    its end), ``header_line`` (its 1-based line) and ``rows()``: (line, values
    cut or padded to the header's width) of every later row, blank rows
    included so line numbers match what the user sees in Excel."""

    def __init__(self, path, kind, limits=DEFAULT):
        self.path, self.kind, self.limits = path, kind, limits
        self._book = self._file = self._sheet = None
        self.header, self.header_line = [], 0
        try:
            self._rest = self._read_header()
            if self._last_line() > self.header_line + limits.max_rows:
                raise too_many_rows(limits)
        except BaseException:
            self.close()  # a file refused while reading its header is not left open
            raise

    def _read_header(self):
        rows = self._raw_rows()
        for line, values in rows:
            if not _blank(values):
                header = [("" if v is None else str(v)).strip() for v in values]
                while header and not header[-1]:
                    header.pop()
                if len(header) > MAX_COLUMNS:
                    raise too_many_columns(len(header))
                self.header, self.header_line = header, line
                break
        return rows

    def rows(self):
        width, last = len(self.header), self.header_line + self.limits.max_rows
        for line, values in self._rest:
            if line > last:
                raise too_many_rows(self.limits)
            values = tuple(values[:width])
            if len(values) < width:
                values += (None,) * (width - len(values))
            yield line, values

    def _raw_rows(self):
        if self.kind == "csv":
            return enumerate(self._csv_rows(), start=1)
        check_xlsx(self.path, self.limits)
        import openpyxl
        try:
            self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as ex:  # noqa: BLE001 — zip/xml errors of a damaged or foreign file
            raise FileRefused(N_("This is not an Excel .xlsx file we can read: %(error)s"),
                              error=str(ex)) from None
        self._sheet = sheet = self._book.worksheets[0]
        # Some programs write a wrong used range (A1:A1); read to the real end.
        sheet.reset_dimensions()
        return enumerate(sheet.iter_rows(values_only=True), start=1)

    def _csv_rows(self):
        self._file = open(self.path, encoding=_encoding(self.path), newline="")
        return _records(self._file, _dialect(self.path))

    def _last_line(self):
        """The table's last line, found without reading its cells (a file
        over the row limit is refused before any row is analysed)."""
        if self.kind == "csv":
            with open(self.path, encoding=_encoding(self.path), newline="") as f:
                return sum(1 for _record in _records(f, _dialect(self.path)))
        source = getattr(self._sheet, "_get_source", None)  # openpyxl's read-only sheet
        return _xlsx_last_row(source) if source else 0

    def close(self):
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_table(path, filename=None, limits=DEFAULT):
    return Table(path, kind_of(filename or path), limits)


def _records(file, dialect):
    reader = csv.reader(file, dialect=dialect)
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as ex:
            raise FileRefused(N_("Line %(line)d of the CSV file cannot be read: %(error)s"),
                              line=reader.line_num, error=str(ex)) from None


# A worksheet row's start tag in the raw XML, any namespace prefix (x:row),
# with its row number when it has one (r="12").
_ROW_TAG = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,9}:)?row(?=[\s/>])'
                      rb'(?:[^>]{0,200}?\sr="(\d{1,7})")?')


def _xlsx_last_row(source):
    """The last row of a worksheet's XML: its row tags counted (or their
    numbers, when a row is numbered far down) in the raw bytes, without an
    XML parse — 50,000 rows in a quarter of a second. Spreadsheet programs
    write no comments or CDATA in a sheet, so this is what openpyxl will
    read; a file stuffing "<row" into comments only gets itself refused."""
    last, tail = 0, b""
    with source() as xml:
        for block in iter(lambda: xml.read(1 << 20), b""):
            data = tail + block
            keep = max(0, len(data) - 256)  # a tag starting later is read next time
            for m in _ROW_TAG.finditer(data):
                if m.start() >= keep:
                    break
                last = max(last + 1, int(m.group(1) or 0))
            tail = data[keep:]
    for m in _ROW_TAG.finditer(tail):
        last = max(last + 1, int(m.group(1) or 0))
    return last


def _encoding(path):
    """UTF-8 (a byte-order mark or not) or GB18030, checked block by block."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 16), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(N_("The CSV file is neither UTF-8 nor GB18030 text."))


def _dialect(path):
    with open(path, "rb") as f:
        head = f.read(4096)
    first = head.split(b"\n", 1)[0]
    # The separator is whichever of , ; tab the header row uses most.
    sep = max((",", ";", "\t"), key=lambda s: first.count(s.encode()))

    class Dialect(csv.excel):
        delimiter = sep

    return Dialect


def write_table(kind, header, rows, out):
    """Write ``header`` and ``rows`` to the binary file ``out`` as CSV (UTF-8
    with a byte-order mark, so Excel on a Chinese Windows opens it) or XLSX."""
    if kind == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        text.flush()
        text.detach()
        return
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(out)
