"""All or nothing on a realistic file: 50,000 customers with one bad row at
40,000 leave the database as it was; without it they all go in."""
import time

import openpyxl
import pytest

import models as M
from services import importer
from tests import factories as F

pytestmark = pytest.mark.slow

ROWS = 50_000
BAD_LINE = 40_000


def _write(path, bad_line=None):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["客户编号", "客户名称", "电话", "地区", "年采购额", "最近成交日期", "性质"])
    for n in range(1, ROWS + 1):
        line = n + 1
        phone = "没有电话" if line == bad_line else 13800000000 + n
        sheet.append([f"C{n:06d}", f"客户{n:05d}", phone, "苏州", "1.2万", "2024/1/5", "企业"])
    book.save(path)
    return str(path)


def test_a_bad_row_near_the_end_leaves_the_database_unchanged(app, users, tmp_path):
    existing = F.customer(code="C000001", name="老客户", region="无锡")
    path = _write(tmp_path / "big.xlsx", bad_line=BAD_LINE)
    started = time.perf_counter()
    report = importer.run_import("customer", path, user_id=users["owner"].id)
    assert time.perf_counter() - started < 120
    assert not report.imported
    assert [o.line for o in report.refused] == [BAD_LINE]
    assert M.Customer.select().count() == 1
    assert M.Customer.get_by_id(existing.id).region == "无锡"
    assert not M.AuditLog.select().exists()

    path = _write(tmp_path / "good.xlsx")
    report = importer.run_import("customer", path, user_id=users["owner"].id)
    assert report.imported and report.counts["created"] == ROWS - 1
    assert report.counts["updated"] == 1
    assert M.Customer.select().count() == ROWS
    assert M.Customer.get_by_id(existing.id).region == "苏州"
