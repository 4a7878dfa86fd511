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


def bomb_xlsx(path, part, head, unit, repeat, tail):
    """A real workbook (openpyxl's parts) whose ``part`` unpacks to
    ``head + unit * repeat + tail`` — hundreds of MB from a file of a few KB.

    The part is deflated as independent blocks (a full flush after each), so
    the compressed block of ``unit`` is made once and repeated; the zip is
    written by hand because zipfile cannot take data deflated elsewhere."""
    import io
    import struct
    import zlib
    base = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["客户名称"])
    book.active.append(["甲"])
    book.save(base)
    with zipfile.ZipFile(base) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts.setdefault(part, b"")
    entries, offset = [], 0
    with open(path, "wb") as out:
        for name, data in parts.items():
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            if name == part:
                first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
                block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
                last = c.compress(tail) + c.flush()
                crc = zlib.crc32(head)
                for _n in range(repeat):
                    crc = zlib.crc32(unit, crc)
                crc = zlib.crc32(tail, crc)
                chunks = [first] + [block] * repeat + [last]
                size = len(head) + len(unit) * repeat + len(tail)
            else:
                chunks, crc, size = [c.compress(data) + c.flush()], zlib.crc32(data), len(data)
            packed = sum(len(b) for b in chunks)
            encoded = name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, packed,
                                  size, len(encoded), 0) + encoded)
            for b in chunks:
                out.write(b)
            entries.append((encoded, crc, packed, size, offset))
            offset += 30 + len(encoded) + packed
        directory = b"".join(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, packed,
                        size, len(encoded), 0, 0, 0, 0, 0, at) + encoded
            for encoded, crc, packed, size, at in entries)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                              len(directory), offset, 0))
    return path
