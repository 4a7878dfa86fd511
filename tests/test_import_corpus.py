"""The import does exactly what its dry run says: over a corpus of messy
files (full-width digits, dates in every accepted form, phones as numbers,
blanks on update, duplicates in the file, a bad row), the change of the
database equals the changes the dry run reported, row by row."""
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

import models as M
from services import importer
from services.import_registers import SPECS
from tests import factories as F
from tests.sheet_files import csv_file, xlsx

SYSTEM = ("id", "created_at", "updated_at", "version")


def _snapshot(model):
    names = [n for n in model._meta.fields if n not in ("created_at", "updated_at",
                                                          "version")]
    query = model.select(*[model._meta.fields[n] for n in names]).tuples()
    return {row[0]: dict(zip(names, row)) for row in query}


def _expected_new(model, changes):
    """The stored row a created outcome promises: its values, else the
    model's defaults; fields with a moving default (now) only if reported."""
    row = {}
    for name, field in model._meta.fields.items():
        if name in SYSTEM:
            continue
        if name in changes:
            row[name] = changes[name][1]
        elif callable(field.default):
            continue
        else:
            row[name] = field.default
    return row


def _numbered(expected, actual):
    """An auto-numbered value matches any number the import handed out."""
    return {k: (importer.NUMBERED if expected.get(k) is importer.NUMBERED
                and re.fullmatch(r"[A-Z]+[-\d]+", str(v)) else v)
            for k, v in actual.items() if k in expected}


def assert_import_matches_dry_run(register, path, **options):
    spec = SPECS[register]
    model = spec.model
    before, contacts_before = _snapshot(model), _snapshot(M.Contact)
    dry = importer.analyse(register, str(path), **options)
    report = importer.run_import(register, str(path), skip_refused=True,
                                 expected_digest=dry.digest, **options)
    assert report.imported and not report.stale
    after, contacts_after = _snapshot(model), _snapshot(M.Contact)

    # Updated rows: exactly the reported fields changed, old and new as reported.
    touched = set()
    for o in dry.outcomes:
        if o.status == "updated":
            old, new = before[o.record_id], after[o.record_id]
            diff = {f: [old[f], new[f]] for f in old if old[f] != new[f]}
            reported = {f: list(c) for f, c in o.changes.items() if f in model._meta.fields}
            assert diff == reported, (o.line, diff, reported)
            touched.add(o.record_id)
    # Every other stored record is as it was.
    for rid, row in before.items():
        if rid not in touched:
            assert after[rid] == row, rid
    # Created rows: the new records are exactly the rows the dry run promised.
    new_ids = set(after) - set(before)
    promised = [_expected_new(model, o.changes) for o in dry.outcomes if o.status == "created"]
    made = [after[i] for i in new_ids]
    assert len(made) == len(promised)
    for expected in promised:
        match = [m for m in made if _numbered(expected, m) == expected]
        assert match, (expected, made)
        made.remove(match[0])
    if model is M.Contact:
        return dry
    # A customer list's contacts: the ones reported, no more.
    new_contacts = sorted((c["customer"], c["name"]) for i, c in contacts_after.items()
                          if i not in contacts_before)
    reported = [o for o in dry.outcomes if "contact" in o.changes]
    assert len(new_contacts) == len(reported)
    assert sorted(n for _c, n in new_contacts) == sorted(o.changes["contact"][1]
                                                          for o in reported)
    return dry


@pytest.fixture
def stored(users):
    owner = users["spec1"]
    a = F.customer(code="C000001", name="苏州精诚仪器", owner=owner, region="苏州",
                   phone="0512-66881234", first_deal_on=date(2025, 6, 27),
                   annual_purchase=Decimal("69568"), credit_limit=Decimal("30000"),
                   notes="老客户")
    b = F.customer(code="C000002", name="无锡 检测所", owner=owner, region="无锡",
                   customer_class="B")
    M.Contact.create(customer=a, name="王工", phone="13800138000", is_primary=True)
    return {"a": a, "b": b, "owner": owner}


HEADER = ["客户编号", "客户名称", "电话", "首次成交日期", "最近成交日期", "年采购额", "赊销额度",
          "地区", "负责人", "级别", "联系人", "备注"]


def _customer_rows():
    return [
        HEADER,
        # C000001 again, blanks where it has values; a full-width phone.
        ["Ｃ０００００１", "苏州精诚仪器", "０５１２－６６８８ １２３４", None, "2025年7月1日", None,
         "", None, "张专员", None, "王 工", None],
        # Matched by name (other spaces), a phone Excel made a number, a new contact.
        [None, "无锡检测所", 13800138001, "2024/1/5", 45296, "1.2万", "3万", "无锡", "赵专员",
         "A类", "李经理", "转给新专员"],
        # New customers: dates and amounts in every accepted spelling.
        ["C000101", "南京汽修", 13800138002.0, "20240105", datetime(2024, 3, 8, 0, 0),
         "¥12,800.50", None, "南京", "spec2", "Class C", "赵师傅", None],
        [None, "常州机电", "+86 138 0013 8003", "２０２４－０１－０５", "2024.3.8", 1500.5,
         None, "常州", None, None, None, "=老客户"],
        [None, "杭州仪表", "0571 8765 4321", 20240105, "2024-03-08 00:00:00", "1,200,000",
         "120万", "杭州", "张专员", "B", None, None],
        # The same new customer again, typed with other spaces: merged into line 6.
        [None, "杭州 仪表", None, None, None, None, None, None, None, None, "钱工", None],
        # A bad row: letters in the phone.
        [None, "坏数据公司", "call me", None, None, None, None, None, None, None, None, None],
        [None, None, None, None, None, None, None, None, None, None, None, None],
    ]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("clear_blanks", [False, True])
def test_customers(app, stored, tmp_path, kind, clear_blanks):
    rows = _customer_rows()
    if kind == "xlsx":
        path = xlsx(tmp_path / "customers.xlsx", rows)
    else:
        path = csv_file(tmp_path / "customers.csv",
                        [[v.isoformat() if isinstance(v, datetime) else v for v in r]
                         for r in rows], encoding="gb18030")
    dry = assert_import_matches_dry_run("customer", path, clear_blanks=clear_blanks)
    by_line = {o.line: o for o in dry.outcomes}
    assert by_line[3].problems == []
    assert [by_line[n].status for n in range(2, 9)] == [
        "updated", "updated", "created", "created", "created", "duplicate", "refused"]
    a = M.Customer.get_by_id(stored["a"].id)
    assert a.phone == "0512-66881234" and a.last_deal_on == date(2025, 7, 1)
    if clear_blanks:   # the blanks emptied what may be empty, never the amount
        assert (a.first_deal_on, a.region, a.credit_limit, a.notes) == (None, None, None,
                                                                          None)
        assert a.annual_purchase == Decimal("69568.00")
    else:              # the blanks left the stored values alone
        assert (a.first_deal_on, a.annual_purchase, a.region, a.notes) == (
            date(2025, 6, 27), Decimal("69568.00"), "苏州", "老客户")
    b = M.Customer.get_by_id(stored["b"].id)
    assert (b.phone, b.customer_class, b.is_key) == ("13800138001", "A", True)
    assert b.first_deal_on == date(2024, 1, 5) == b.last_deal_on
    hz = M.Customer.get(M.Customer.name == "杭州仪表")
    assert hz.phone == "0571-87654321" and hz.first_deal_on == date(2024, 1, 5)
    assert [c.name for c in hz.contacts] == ["钱工"]   # from the merged duplicate
    assert M.Customer.get(M.Customer.name == "常州机电").phone == "13800138003"


def test_other_registers(app, stored, users, tmp_path):
    a = stored["a"]
    M.Sale.create(customer=a, sold_on=date(2025, 6, 27), product="XJ-200", quantity=1,
                  amount=Decimal("1000"))
    contacts = xlsx(tmp_path / "contacts.xlsx", [
        ["客户", "联系人", "手机", "部门", "生日", "决策人"],
        ["C000001", "王 工", None, "技术", "1980/5/6", "是"],           # blanks kept
        ["苏州精诚仪器 (C000001)", "李经理", 13900139000, "采购部", 29000, None],
        ["C000001", "李经理", "139 0013 9000", None, None, "否"],         # duplicate
        ["没有的客户", "赵", None, None, None, None],                      # refused
    ])
    assert_import_matches_dry_run("contact", contacts)
    sales = xlsx(tmp_path / "sales.xlsx", [
        ["客户", "销售日期", "产品", "数量", "金额"],
        ["C000001", "2025/6/27", "XJ-200", "３", "¥1,000"],
        ["无锡检测所", "2026年1月5日", "XJ-300", 2, "1.58万"],
        ["C000001", 46000, "XJ-100", None, 800],
        ["C000001", "2026-13-01", "XJ-100", 1, 1],
    ])
    assert_import_matches_dry_run("sale", sales)
    visits = xlsx(tmp_path / "visits.xlsx", [
        ["客户", "回访时间", "回访方式", "回访人", "满意度", "需跟进"],
        ["C000001", "2026/11/2 10:30", "电话", "张专员", "５", "是"],
        ["C000002", "2026年11月3日 9时05分", "Video", "spec2", 4, None],
        ["C000002", "2026-11-03 09:05", "视频", None, None, None],
        ["C000001", "明天", "电话", None, None, None],
    ])
    assert_import_matches_dry_run("visit", visits)
    complaints = xlsx(tmp_path / "complaints.xlsx", [
        ["投诉编号", "客户", "投诉时间", "投诉类别", "投诉内容", "状态", "处理人"],
        ["TS-2024-0007", "C000001", "2024-03-01 09:00", "产品质量", "读数漂移", "已关闭", None],
        [None, "C000002", datetime(2024, 5, 1, 9, 0), "Price", "太贵", None, "张专员"],
        [None, "C000002", "2024/5/2", None, "没有类别", None, None],
    ])
    assert_import_matches_dry_run("complaint", complaints)
    # Again, with blanks in an update: nothing is emptied, nothing else changes.
    again = xlsx(tmp_path / "complaints2.xlsx", [
        ["投诉编号", "客户", "投诉时间", "投诉类别", "投诉内容", "状态", "处理人"],
        ["TS-2024-0007", "C000001", None, None, "读数漂移（复查）", None, "赵专员"],
    ])
    dry = assert_import_matches_dry_run("complaint", again)
    assert dry.outcomes[0].changes == {"description": ["读数漂移", "读数漂移（复查）"],
                                       "handler": [None, users["spec2"].id]}
