"""services.importer on real files: every messy case of issue 6, the dry run,
all or nothing, and each importable register. Fixtures are made with openpyxl."""
from datetime import date, datetime
from decimal import Decimal

import pytest

import models as M
from services import importer
from tests import factories as F
from tests.sheet_files import csv_file, xlsx


def _run(path, register="customer", **kw):
    return importer.run_import(register, str(path), **kw)


def _by_line(report):
    return {o.line: o for o in report.outcomes}


def _new(outcome):
    """The values a created row gives its record."""
    return {f: new for f, (_old, new) in outcome.changes.items()}


def test_headers_in_chinese_or_english_any_case_and_spaces(app, users, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", [
        ["客户名称", " PHONE ", "Responsible  person", "客户 性质", "Code"],
        ["苏州精诚仪器", "0512-66881234", "张专员", "企业", "C000501"],
    ])
    report = importer.analyse("customer", str(path))
    assert report.columns == ["name", "phone", "owner", "nature", "code"]
    assert report.unknown == []
    assert report.counts["created"] == 1
    assert M.Customer.select().count() == 0  # a dry run writes nothing


def test_unknown_headers_are_reported_and_mapped(app, users, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", [["名称", "老系统备注", "内部编号"], ["苏州精诚", "老客户", "X1"]])
    report = importer.analyse("customer", str(path))
    assert [text for _i, text in report.unknown] == ["老系统备注", "内部编号"]
    report = _run(path, mapping={1: "notes", 2: ""})
    assert report.imported
    c = M.Customer.get()
    assert (c.name, c.notes) == ("苏州精诚", "老客户")


def test_messy_cells(app, users, tmp_path):
    path = xlsx(tmp_path / "messy.xlsx", [
        ["客户编号", "客户名称", "电话", "首次成交日期", "最近成交日期", "年采购额", "赊销额度", "负责人"],
        ["Ｃ０００００１", "\u3000苏州 精诚仪器 ", 13800138000, "2024/1/5", "2024年3月8日",
         "¥12,800.50", "3万", " 张专员 "],
        ["C000002", "无锡检测所", 13800138001.0, "20240105", 45296, "1,200,000", "120万",
         "spec2"],
        ["C000003", "南京汽修", "１３８００１３８００２", datetime(2024, 1, 5, 0, 0), "2024-01-05",
         1500.5, None, None],
    ])
    report = _run(path)
    assert report.imported and report.counts["created"] == 3, [
        (o.line, o.problems) for o in report.outcomes]
    c1, c2, c3 = (M.Customer.get(M.Customer.code == f"C00000{i}") for i in (1, 2, 3))
    assert c1.name == "苏州 精诚仪器" and c1.phone == "13800138000"
    assert c1.first_deal_on == date(2024, 1, 5) and c1.last_deal_on == date(2024, 3, 8)
    assert c1.annual_purchase == Decimal("12800.50") and c1.credit_limit == Decimal("30000")
    assert c1.owner_id == users["spec1"].id
    assert c2.phone == "13800138001" and c2.first_deal_on == date(2024, 1, 5)
    assert c2.last_deal_on == date(2024, 1, 5)  # 45296 is an Excel serial number
    assert c2.annual_purchase == Decimal("1200000") and c2.credit_limit == Decimal("1200000")
    assert c2.owner_id == users["spec2"].id  # by username
    assert c3.phone == "13800138002" and c3.first_deal_on == date(2024, 1, 5)
    assert c3.annual_purchase == Decimal("1500.50")


def test_empty_rows_are_left_out_and_line_numbers_stay_the_files(app, users, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", [
        [None, None], ["客户名称", "电话"], ["甲公司", "1"], [None, None], ["", " "],
        ["乙公司", "电话没有"]])
    report = importer.analyse("customer", str(path))
    assert [o.line for o in report.outcomes] == [3, 6]
    assert _by_line(report)[6].status == "refused"


def test_formulas_give_their_cached_values(app, users, tmp_path):
    path = xlsx(tmp_path / "f.xlsx", [
        ["客户名称", "年采购额", "电话", "备注"],
        ["甲公司", "=B3*2", "=\"0512-\"&\"6688\"", "=A2"],
        ["乙公司", 600000, "13800138000", None],
    ], cached={"B2": 1200000, "C2": "0512-6688", "D2": "甲公司"})
    report = _run(path)
    assert report.imported, [(o.line, o.problems) for o in report.outcomes]
    c = M.Customer.get(M.Customer.name == "甲公司")
    assert c.annual_purchase == Decimal("1200000") and c.phone == "0512-6688"
    assert c.notes == "甲公司"


def test_duplicate_rows_and_one_customer_spelled_with_other_spaces(app, users, tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [
        ["客户名称", "电话", "地区"],
        ["苏州 精诚仪器", "0512-1", None],
        ["苏州精诚仪器", None, "苏州"],          # same customer, other spaces: merged
        ["苏州精诚仪器", "0512-1", "苏州"],       # an exact repeat: merged
        ["苏州\u3000精诚仪器", "0512-9", None],   # same customer, another phone: refused
    ])
    report = importer.analyse("customer", str(path))
    rows = _by_line(report)
    assert rows[2].status == "created"
    assert (rows[3].status, rows[3].same_as) == ("duplicate", 2)
    assert rows[4].status == "duplicate"
    assert rows[5].status == "refused" and "line 2" in str(rows[5].problems[0][1])
    report = _run(path, skip_refused=True)
    c = M.Customer.get()
    assert M.Customer.select().count() == 1 and (c.phone, c.region) == ("0512-1", "苏州")


def test_matched_by_code_else_by_exact_name(app, users, tmp_path):
    a = F.customer(code="C000010", name="甲公司", phone="1")
    b = F.customer(code="C000011", name="乙 公司", phone="2")
    path = xlsx(tmp_path / "m.xlsx", [
        ["客户编号", "客户名称", "电话"],
        ["C000010", "甲公司（新名）", "1"],   # by code: renamed
        [None, "乙公司", "22"],               # by name (spaces do not matter)
        [None, "丙公司", "3"],                # new
        ["C000099", "甲公司", "4"],           # the name is C000010's, the code another's
    ])
    report = importer.analyse("customer", str(path))
    rows = _by_line(report)
    assert (rows[2].status, rows[2].record_id, rows[2].changes) == (
        "updated", a.id, {"name": ["甲公司", "甲公司（新名）"]})
    assert (rows[3].status, rows[3].record_id) == ("updated", b.id)
    assert rows[3].changes == {"phone": ["2", "22"]}
    assert rows[4].status == "created"
    assert rows[5].status == "refused"
    report = _run(path, skip_refused=True, user_id=users["owner"].id)
    assert M.Customer.get_by_id(a.id).name == "甲公司（新名）"
    assert M.Customer.get_by_id(b.id).phone == "22"
    # One audit row per changed record, and one for the import with its counts.
    updates = M.AuditLog.select().where(M.AuditLog.action == "update")
    assert sorted(int(u.record_id) for u in updates) == sorted([a.id, b.id])
    summary = M.AuditLog.get(M.AuditLog.action == "import")
    assert '"created": [null, 1]' in summary.changes and '"refused": [null, 1]' in summary.changes


def test_new_customers_are_numbered_after_the_highest_code(app, users, tmp_path):
    F.customer(code="C000041", name="旧客户")
    path = xlsx(tmp_path / "n.xlsx", [["客户名称"], ["新甲"], ["新乙"]])
    _run(path)
    codes = sorted(c.code for c in M.Customer.select().where(M.Customer.name.startswith("新")))
    assert codes == ["C000042", "C000043"]


def test_class_sets_the_key_flag_on_create_and_update(app, users, tmp_path):
    c = F.customer(code="C000001", name="甲", customer_class="C")
    path = xlsx(tmp_path / "k.xlsx", [["Code", "Name", "Class"], ["C000001", "甲", "A类"],
                                      ["C000002", "乙", "Class A"]])
    report = _run(path)
    assert report.imported
    assert M.Customer.get_by_id(c.id).is_key is True
    assert M.Customer.get(M.Customer.code == "C000002").is_key is True


def test_refused_values_give_reasons(app, users, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [
        ["客户名称", "电话", "性质", "最近成交日期", "年采购额", "负责人", "邮箱"],
        ["甲", "1.38001E+10", "外星", "2024-13-01", "很多", "没这个人", "not-an-email"],
        [None, "123", None, None, None, None, None],
        ["#N/A", None, None, None, None, None, None],
    ])
    report = importer.analyse("customer", str(path))
    rows = _by_line(report)
    fields = [f for f, _e in rows[2].problems]
    assert fields == ["phone", "nature", "last_deal_on", "annual_purchase", "owner", "email"]
    assert "Excel" in str(rows[2].problems[0][1])
    assert [f for f, _e in rows[3].problems] == ["name"]  # required for a new customer
    assert "#N/A" in str(rows[4].problems[0][1])


def test_all_or_nothing(app, users, tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["客户名称", "电话"], ["甲", "1"], ["乙", "没有"],
                                      ["丙", "3"]])
    report = _run(path)
    assert not report.imported and len(report.refused) == 1
    assert M.Customer.select().count() == 0
    assert not M.AuditLog.select().where(M.AuditLog.action == "import").exists()


def test_a_failure_while_writing_leaves_nothing_behind(app, users, tmp_path, monkeypatch):
    import services.import_write as W
    path = xlsx(tmp_path / "a.xlsx", [["客户名称"], ["甲"], ["乙"]])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(W, "_audit_changes", broken)
    with pytest.raises(RuntimeError):
        _run(path)
    assert M.Customer.select().count() == 0


def test_csv_utf8_bom_gb18030_and_semicolons(app, users, tmp_path):
    rows = [["客户名称", "电话"], ["甲公司", "13800138000"]]
    for i, (encoding, sep) in enumerate([("utf-8-sig", ","), ("utf-8", ","),
                                         ("gb18030", ","), ("utf-8-sig", ";")]):
        path = csv_file(tmp_path / f"c{i}.csv", rows, encoding=encoding, delimiter=sep)
        report = importer.analyse("customer", str(path))
        assert report.columns == ["name", "phone"], encoding
        assert _new(report.outcomes[0]) == {"name": "甲公司", "phone": "13800138000",
                                            "code": importer.NUMBERED}


def test_an_export_style_apostrophe_is_dropped(app, users, tmp_path):
    path = csv_file(tmp_path / "q.csv", [["客户名称", "电话"], ["'=甲", "'+86 138 0013 8000"]])
    report = importer.analyse("customer", str(path))
    assert _new(report.outcomes[0]) == {"name": "=甲", "phone": "13800138000",
                                        "code": importer.NUMBERED}


def test_not_a_spreadsheet(app, tmp_path):
    from services.import_files import FileRefused
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(FileRefused):
        importer.analyse("customer", str(bad))
    with pytest.raises(FileRefused):
        importer.analyse("customer", str(tmp_path / "old.xls"))


# ---------------------------------------------------------------- other registers
def test_contacts_name_their_customer_by_code_name_or_both(app, users, tmp_path):
    c = F.customer(code="C000007", name="苏州精诚")
    M.Contact.create(customer=c, name="王工", phone="1")
    path = xlsx(tmp_path / "ct.xlsx", [
        ["客户", "联系人", "手机", "部门", "生日", "决策人"],
        ["C000007", "王 工", "13800138000", "技术", "1980/5/6", "是"],
        ["苏州精诚 (C000007)", "李经理", None, "Purchasing", None, "否"],
        ["没有的客户", "赵", None, None, None, None],
    ])
    report = _run(path, "contact", skip_refused=True)
    rows = _by_line(report)
    assert rows[2].status == "updated" and rows[3].status == "created"
    assert "Unknown customer" in str(rows[4].problems[0][1])
    wang = M.Contact.get(M.Contact.name == "王工")
    assert (wang.phone, wang.department, wang.birthday, wang.is_decision_maker) == (
        "13800138000", "technical", date(1980, 5, 6), True)
    assert M.Contact.get(M.Contact.name == "李经理").department == "purchasing"


def test_sales_update_their_customers_deal_dates(app, users, tmp_path):
    c = F.customer(code="C000001", name="甲")
    path = xlsx(tmp_path / "s.xlsx", [
        ["客户", "销售日期", "产品", "数量", "金额"],
        ["甲", "2026-10-08", "XJ-200", "２", "¥15,800"],
        ["甲", "2026-10-08", "XJ-200", 2, 15800],   # the same sale again
    ])
    report = _run(path, "sale")
    assert report.counts["created"] == 1 and report.counts["duplicate"] == 1
    sale = M.Sale.get()
    assert (sale.quantity, sale.amount) == (2, Decimal("15800.00"))
    assert M.Customer.get_by_id(c.id).last_deal_on == date(2026, 10, 8)
    report = importer.analyse("sale", str(path))
    assert report.counts["unchanged"] == 1


def test_equipment_and_visits(app, users, tmp_path):
    F.customer(code="C000001", name="甲")
    eq = xlsx(tmp_path / "e.xlsx", [["客户", "型号", "序列号", "购买日期", "保修期至"],
                                    ["甲", "XJ-200", "ＳＮ-001", "2024.1.5", 46000]])
    assert _run(eq, register="equipment").imported
    e = M.Equipment.get()
    assert (e.serial_no, e.purchased_on, e.warranty_until) == (
        "SN-001", date(2024, 1, 5), date(2025, 12, 9))
    vi = xlsx(tmp_path / "v.xlsx", [["客户", "回访时间", "回访方式", "回访人", "满意度", "需跟进"],
                                    ["甲", "2026/11/2 10:30", "电话", "张专员", 5, "是"]])
    report = _run(vi, register="visit")
    assert report.imported, [(o.line, o.problems) for o in report.outcomes]
    v = M.Visit.get()
    assert (v.visited_at, v.channel, v.staff_id, v.satisfaction, v.follow_up_needed) == (
        datetime(2026, 11, 2, 10, 30), "phone", users["spec1"].id, 5, True)
    assert v.entered_late is False


def test_complaints_keep_their_numbers_and_the_others_get_one(app, users, tmp_path):
    F.customer(code="C000001", name="甲")
    path = xlsx(tmp_path / "t.xlsx", [
        ["投诉编号", "客户", "投诉时间", "投诉类别", "投诉内容", "状态"],
        ["TS-2024-0007", "甲", "2024-03-01 09:00", "产品质量", "读数漂移", "已关闭"],
        [None, "甲", "2024-05-01 09:00", "Price", "太贵", None],
    ])
    report = _run(path, "complaint")
    assert report.imported, [(o.line, o.problems) for o in report.outcomes]
    kept = M.Complaint.get(M.Complaint.number == "TS-2024-0007")
    assert (kept.category, kept.status) == ("product_quality", "closed")
    other = M.Complaint.get(M.Complaint.description == "太贵")
    assert other.number == "TS-2024-0008"   # after the kept one
    # Deadlines as a registered complaint gets them (12 h to contact the customer).
    assert other.contact_due == datetime(2024, 5, 1, 21, 0) and other.close_due is not None
    report = importer.analyse("complaint", str(path))
    assert report.counts["unchanged"] == 1 and report.counts["created"] == 1


def test_cli_import(app, users, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "电话", "备注列"], ["甲", "1", "x"],
                                      ["乙", "没有", "y"]])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "customer", str(path), "--dry-run"])
    assert result.exit_code != 0 and "备注列" in result.output
    result = runner.invoke(args=["import", "customer", str(path), "--dry-run",
                                 "--map", "备注列=notes"])
    assert result.exit_code == 0, result.output
    assert "line 3" in result.output and "1 created" in result.output
    assert M.Customer.select().count() == 0
    refused = tmp_path / "refused.xlsx"
    result = runner.invoke(args=["import", "customer", str(path), "--map", "备注列=notes",
                                 "--refused", str(refused)])
    assert result.exit_code == 1 and "Nothing imported" in result.output
    assert refused.exists() and M.Customer.select().count() == 0
    result = runner.invoke(args=["import", "customer", str(path), "--map", "备注列=",
                                 "--skip-refused"])
    assert result.exit_code == 0 and M.Customer.get().name == "甲"


def test_a_customer_lists_contact_column_adds_the_contact(app, users, tmp_path):
    old = F.customer(code="C000001", name="甲")
    M.Contact.create(customer=old, name="王工", is_primary=True)
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "联系人", "电话"],
                                      ["甲", "王 工", None],       # has that contact already
                                      ["乙", "李经理", "0512-1"],  # new customer, new contact
                                      ["甲", None, None]])
    report = importer.analyse("customer", str(path))
    assert report.columns == ["name", "contact", "phone"]
    rows = _by_line(report)
    assert rows[2].status == "unchanged" and rows[3].changes["contact"] == [None, "李经理"]
    _run(path)
    li = M.Contact.get(M.Contact.name == "李经理")
    assert li.customer.name == "乙" and li.is_primary
    assert M.Contact.select().where(M.Contact.customer == old.id).count() == 1
    report = importer.analyse("customer", str(path))
    assert report.counts["unchanged"] == 2


# ---------------------------------------------------------------- issue 11
def test_blank_cells_on_update_leave_values_unless_clear_blanks(app, users, tmp_path):
    c = F.customer(code="C000001", name="甲", first_deal_on=date(2025, 6, 27),
                   annual_purchase=Decimal("69568"), do_not_disturb=True, owner=users["spec1"])
    path = xlsx(tmp_path / "c.xlsx", [["客户编号", "首次成交日期", "年采购额", "免打扰", "负责人"],
                                      ["C000001", None, None, None, None]])
    assert importer.analyse("customer", str(path)).outcomes[0].status == "unchanged"
    report = importer.analyse("customer", str(path), clear_blanks=True)
    # Only what may be empty is emptied: never the amount (NOT NULL) or a yes/no.
    assert report.outcomes[0].changes == {"first_deal_on": [date(2025, 6, 27), None],
                                          "owner": [users["spec1"].id, None]}
    assert _run(path, clear_blanks=True).imported
    c = M.Customer.get_by_id(c.id)
    assert (c.first_deal_on, c.owner_id, c.annual_purchase, c.do_not_disturb) == (
        None, None, Decimal("69568.00"), True)


def test_an_import_whose_dry_run_is_out_of_date_writes_nothing(app, users, tmp_path):
    c = F.customer(code="C000001", name="甲", region="苏州")
    path = xlsx(tmp_path / "c.xlsx", [["客户编号", "地区"], ["C000001", "无锡"]])
    dry = importer.analyse("customer", str(path))
    assert dry.digest == importer.analyse("customer", str(path)).digest
    M.Customer.update(region="杭州").where(M.Customer.id == c.id).execute()
    report = _run(path, expected_digest=dry.digest)
    assert report.stale and not report.imported
    assert M.Customer.select().count() == 1 and not M.AuditLog.select().exists()
    assert _run(path, expected_digest=report.digest).imported


def test_problems_name_fields_by_their_label(app, users, tmp_path):
    path = xlsx(tmp_path / "d.xlsx", [["客户名称", "电话", "地区"], ["甲", "1", "苏州"],
                                      ["甲", "2", "无锡"]])
    refused = importer.analyse("customer", str(path)).refused[0]
    text = [importer.problem_text(f, e, lambda n: importer.field_label("customer", n))
            for f, e in refused.problems]
    assert text == ["Same record as line 2, with other values (Phone, Region)."]


def test_a_database_refusal_while_writing_is_a_message(app, users, tmp_path, monkeypatch):
    import services.import_write as W
    from peewee import IntegrityError

    def refused(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: customer.code")
    monkeypatch.setattr(W, "_audit_changes", refused)
    with pytest.raises(importer.ImportFailed) as ex:
        _run(xlsx(tmp_path / "a.xlsx", [["客户名称"], ["甲"]]))
    assert "nothing was imported" in str(ex.value)
    assert M.Customer.select().count() == 0


def test_a_phone_in_another_spelling_is_no_change(app, users, tmp_path):
    F.customer(code="C000001", name="甲", phone="138-0013-8000")   # stored before cleaning
    path = xlsx(tmp_path / "p.xlsx", [["客户编号", "电话"], ["C000001", 13800138000]])
    assert importer.analyse("customer", str(path)).outcomes[0].status == "unchanged"
    path = xlsx(tmp_path / "q.xlsx", [["客户编号", "电话"], ["C000001", "13800138001"]])
    assert importer.analyse("customer", str(path)).outcomes[0].changes == {
        "phone": ["138-0013-8000", "13800138001"]}
