"""The files of an import: reading a CSV or XLSX as a header and rows, and
writing rows back in the same layout (the refused rows, with a reason).

CSV comes as Excel writes it: UTF-8 (with or without a byte-order mark) or,
from a Chinese Windows Excel, GB18030; comma, semicolon or tab separated.
XLSX is read with openpyxl in read-only mode (constant memory for 50,000
rows) with ``data_only`` so a formula cell gives the value Excel saved.
"""
import csv
import io
import os

from domain.i18n import N_, TranslatableError

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileRefused(TranslatableError):
    """A file that is not a table we can read."""


def kind_of(filename):
    kind = KINDS.get(os.path.splitext(filename or "")[1].lower())
    if kind is None:
        raise FileRefused(N_("Upload a .csv or .xlsx file (an old .xls: save it as .xlsx "
                             "in Excel first)."))
    return kind


def _blank(row):
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


class Table:
    """``header`` (the first non-blank row, as text), ``header_line`` (its
    1-based line) and ``rows()``: (line, values) of every later row, blank
    rows included so line numbers match what the user sees in Excel."""

    def __init__(self, path, kind):
        self.path, self.kind = path, kind
        self._book = None
        rows = self._raw_rows()
        self.header, self.header_line = [], 0
        for line, values in rows:
            if not _blank(values):
                self.header = [("" if v is None else str(v)).strip() for v in values]
                self.header_line = line
                break
        self._rest = rows

    def rows(self):
        width = len(self.header)
        for line, values in self._rest:
            values = tuple(values)
            if len(values) < width:
                values += (None,) * (width - len(values))
            yield line, values

    def _raw_rows(self):
        if self.kind == "csv":
            return enumerate(csv.reader(io.StringIO(_decode(self.path)),
                                        dialect=_dialect(self.path)), start=1)
        import openpyxl
        try:
            self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as ex:  # noqa: BLE001 — zip/xml errors of a damaged or foreign file
            raise FileRefused(N_("This is not an Excel .xlsx file we can read: %(error)s"),
                              error=str(ex)) from None
        sheet = self._book.worksheets[0]
        # Some programs write a wrong used range (A1:A1); read to the real end.
        sheet.reset_dimensions()
        return enumerate(sheet.iter_rows(values_only=True), start=1)

    def close(self):
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_table(path, filename=None):
    return Table(path, kind_of(filename or path))


def _decode(path):
    with open(path, "rb") as f:
        data = f.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
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
