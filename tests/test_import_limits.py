"""Bounded uploads: a request over MAX_UPLOAD_MB is refused before it is read;
an .xlsx that unpacks to more than IMPORT_MAX_EXPANDED_MB, or grows too many
times, is refused in under a second; at most IMPORT_MAX_ROWS rows; CSV is
read row by row. A refused upload is deleted at once."""
import io
import os
import time
import tracemalloc

import pytest

import models as M
from admin_app.settings import SETTINGS
from services.import_files import FileRefused, open_table
from services.import_limits import DEFAULT, Limits, check_xlsx
from tests.conftest import login
from tests.sheet_files import bomb_xlsx, csv_file, xlsx

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
ROW = b'<row><c t="inlineStr"><is><t>' + b"A" * 60 + b"</t></is></c></row>"


def _sheet_bomb(path, megabytes):
    unit = ROW * (MB // len(ROW))
    return bomb_xlsx(path, SHEET, SHEET_HEAD, unit, megabytes, b"</sheetData></worksheet>")


def _strings_bomb(path, megabytes):
    head = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">')
    item = b"<si><t>x</t></si>"
    return bomb_xlsx(path, "xl/sharedStrings.xml", head, item * (MB // len(item)), megabytes,
                     b"</sst>")


def _multipart(filename, data):
    """An upload form's body, built here: the test client would spool a large
    one to a temporary file it never closes."""
    return io.BytesIO(
        b'--b\r\nContent-Disposition: form-data; name="step"\r\n\r\nupload\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="'
        + filename.encode() + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data + b"\r\n--b--\r\n")


def _upload(client, path, endpoint="customer"):
    with open(path, "rb") as f:
        body = _multipart(os.path.basename(path), f.read())
    return client.post(f"/admin/{endpoint}/import/", input_stream=body,
                       content_type="multipart/form-data; boundary=b")


def _uploads(app):
    folder = os.path.join(app.instance_path, "imports")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_the_settings_and_the_services_agree_on_the_defaults():
    defaults = {s.name: s.default for s in SETTINGS}
    assert Limits.from_config(defaults) == DEFAULT
    assert defaults["MAX_UPLOAD_MB"] == 20


class CountingStream(io.RawIOBase):
    """A request body that counts what the server reads of it."""

    def __init__(self, size):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"x" * n
        self.position += n
        self.read_bytes += n
        return n


def test_a_request_over_max_upload_mb_is_refused_before_it_is_read(client, users):
    login(client, "owner")
    body = CountingStream(21 * MB)
    r = client.post("/admin/customer/import/", input_stream=body, content_length=body.size,
                    content_type="multipart/form-data; boundary=x")
    assert r.status_code == 413
    assert "larger than 20 MB" in r.get_data(as_text=True)
    assert body.read_bytes == 0
    # Just under the limit: read and answered as usual (it is no spreadsheet).
    r = client.post("/admin/customer/import/", input_stream=_multipart("c.txt", b"x" * 19 * MB),
                    content_type="multipart/form-data; boundary=b")
    assert r.status_code == 200 and ".xlsx" in r.get_data(as_text=True)


def test_a_sheet_that_unpacks_to_gigabytes_is_refused_in_under_a_second(client, users,
                                                                       tmp_path):
    path = _sheet_bomb(tmp_path / "bomb.xlsx", 1200)   # 1.2 GB from about 4 MB
    assert os.path.getsize(path) < 20 * MB
    login(client, "owner")
    before = _uploads(client.application)
    started = time.perf_counter()
    r = _upload(client, path)
    assert time.perf_counter() - started < 1
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "unpacks to 1200 MB; at most 200 MB" in page
    assert _uploads(client.application) == before   # deleted at once
    assert M.Customer.select().count() == 0


def test_a_shared_strings_bomb_is_refused(client, users, tmp_path):
    path = _strings_bomb(tmp_path / "strings.xlsx", 150)
    login(client, "owner")
    started = time.perf_counter()
    page = _upload(client, path).get_data(as_text=True)
    assert time.perf_counter() - started < 1
    assert "xl/sharedStrings.xml" in page and "at most 100 times" in page


def test_what_a_part_may_grow_to(tmp_path):
    # Under the total but growing hundreds of times: refused for its ratio.
    with pytest.raises(FileRefused) as ex:
        check_xlsx(_sheet_bomb(tmp_path / "ratio.xlsx", 20))
    assert ex.value.params["limit"] == 100
    # Shared strings are held in memory: a quarter of the allowance.
    strings = tmp_path / "s.xlsx"
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    noise = b"".join(b"<si><t>%s</t></si>" % os.urandom(24).hex().encode()
                     for _n in range(30_000))            # ~2 MB that barely compresses
    bomb_xlsx(strings, "xl/sharedStrings.xml", head, noise, 1, b"</sst>")
    check_xlsx(strings)                                   # fine with the defaults
    with pytest.raises(FileRefused) as ex:
        check_xlsx(strings, Limits(max_rows=10, max_expanded_mb=4))
    assert "xl/sharedStrings.xml" in str(ex.value) and ex.value.params["limit"] == 1
    # An ordinary workbook passes.
    rows = [["客户名称", "电话", "地区"]] + [[f"客户{n}", 13800000000 + n, "苏州"]
                                       for n in range(3000)]
    check_xlsx(xlsx(tmp_path / "ok.xlsx", rows))


def test_at_most_import_max_rows(client, users, tmp_path, monkeypatch):
    monkeypatch.setitem(client.application.config, "IMPORT_MAX_ROWS", 100)
    login(client, "owner")
    rows = [["客户名称"]] + [[f"客户{n}"] for n in range(100)]
    page = _upload(client, xlsx(tmp_path / "ok.xlsx", rows)).get_data(as_text=True)
    assert 'id="count-created">Create: 100' in page
    before = _uploads(client.application)
    for path in (xlsx(tmp_path / "big.xlsx", rows + [["客户100"]]),
                 csv_file(tmp_path / "big.csv", rows + [["客户100"]])):
        page = _upload(client, path).get_data(as_text=True)
        assert "more than 100 rows" in page, path
        assert _uploads(client.application) == before
    # Refused as the file is opened, before a row is analysed; the rows of a
    # sheet are counted by their numbers too (one row far down the sheet).
    small = Limits(max_rows=100, max_expanded_mb=200)
    for name in ("big.csv", "big.xlsx"):
        with pytest.raises(FileRefused):
            open_table(str(tmp_path / name), limits=small)
    far = bomb_xlsx(tmp_path / "far.xlsx", SHEET, SHEET_HEAD,
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
                    b'<row r="5000"><c r="A5000" t="inlineStr"><is><t>x</t></is></c></row>',
                    1, b"</sheetData></worksheet>")
    with pytest.raises(FileRefused):
        open_table(str(far), limits=small)
    with open_table(str(far)) as table:
        assert table.header == ["Name"] and [n for n, _v in table.rows()][-1] == 5000


def test_csv_is_read_row_by_row(app, tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("客户名称,电话,备注\n")
        line = "苏州精诚仪器有限公司,13800138000," + "很长的备注" * 20 + "\n"
        f.write(line * (10 * MB // len(line.encode())))
    tracemalloc.start()
    try:
        with open_table(str(path)) as table:
            rows = table.rows()
            for _n in range(1000):
                next(rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB, peak   # the file is 10 MB


def test_a_csv_cell_too_long_to_read_is_refused_with_its_line(client, users, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("客户名称,备注\n甲,好\n乙," + "x" * 200_000 + "\n", encoding="utf-8")
    login(client, "owner")
    page = _upload(client, path).get_data(as_text=True)
    assert "Line 3 of the CSV file cannot be read" in page
