"""Small spreadsheet files for the import tests, made with openpyxl."""
import csv
import re
import zipfile
from xml.sax.saxutils import escape

import openpyxl


def xlsx(path, rows, cached=None):
    """Write ``rows`` to an .xlsx. A cell given as a formula ("=A2*2") gets
    the value Excel would have saved with it from ``cached`` {"B2": value};
    openpyxl itself never computes formulas."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    if cached:
        _add_cached_values(path, cached)
    return path


def _add_cached_values(path, cached):
    with zipfile.ZipFile(path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    xml = files["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        def cell(m, ref=ref, kind=kind, value=value):
            return f'<c r="{ref}"{kind}><f>{m.group(1)}</f><v>{escape(str(value))}</v>'
        xml, n = re.subn(rf'<c r="{ref}"><f>(.*?)</f><v ?/>', cell, xml)
        assert n == 1, f"no formula cell {ref}"
    files["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def csv_file(path, rows, encoding="utf-8-sig", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def read_xlsx(data_or_path):
    """Rows of the first sheet (values) of an .xlsx given as bytes or a path."""
    import io
    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    book = openpyxl.load_workbook(source, read_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
