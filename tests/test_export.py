"""Export: exactly the filtered, sorted list, in the user's language, with a
BOM for Excel; streamed; audited; and a customer export re-imports unchanged."""
import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

import models as M
from domain.values import clean_for_export
from services import importer
from tests import factories as F
from tests.conftest import login
from tests.sheet_files import read_xlsx


@pytest.fixture
def customers(users):
    return [
        F.customer(owner=users["spec1"], code="C000001", name="苏州精诚仪器", nature="enterprise",
                   industry="testing", region="苏州", phone="0512-66881234",
                   customer_class="A", is_key=True, tier="gold",
                   last_deal_on=date(2026, 3, 8), annual_purchase=Decimal("6000000")),
        F.customer(owner=users["spec2"], code="C000002", name="无锡汽修", nature="individual",
                   industry="vehicle_repair", region="无锡", phone="+86 138 0013 8000"),
        F.customer(owner=None, code="C000003", name="=HYPERLINK(\"x\")", region="南京"),
    ]


def _csv(response):
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_a_bom_labels_and_choice_labels_in_the_users_language(client, customers):
    login(client, "owner")
    client.post("/lang/zh_Hans_CN")
    r = client.get("/admin/customer/export/csv/")
    assert r.status_code == 200 and r.is_streamed
    assert "attachment" in r.headers["Content-Disposition"]
    rows = _csv(r)
    header = rows[0]
    assert {"名称", "客户性质", "行业", "负责人"} <= set(header)
    by_code = {row[0]: row for row in rows[1:]}
    first = dict(zip(header, by_code["C000001"]))
    assert "企业" in first.values() and "检测机构" in first.values()
    assert "A类" in first.values() and "张专员" in first.values() and "是" in first.values()
    assert "2026-03-08" in first.values()


def test_export_is_the_filtered_sorted_list(client, customers):
    login(client, "owner")
    rows = _csv(client.get("/admin/customer/export/csv/?search=无锡"))
    assert [r[0] for r in rows[1:]] == ["C000002"]
    view = next(v for v in client.application.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == "customer")
    name_index = [c for c, _l in view._list_columns].index("name")
    rows = _csv(client.get(f"/admin/customer/export/csv/?sort={name_index}&desc=1"))
    names = [r[1] for r in rows[1:]]
    assert names == sorted(names, reverse=True)


def test_specialists_export_their_own_rows_and_staff_none(client, customers):
    login(client, "spec1")
    rows = _csv(client.get("/admin/customer/export/csv/"))
    assert [r[0] for r in rows[1:]] == ["C000001"]
    assert client.get("/admin/customer/export/xlsx/").status_code == 200
    client.post("/logout")
    login(client, "tech")
    assert client.get("/admin/customer/export/csv/").status_code == 403
    client.post("/logout")
    login(client, "manager")
    assert client.get("/admin/user/export/csv/").status_code == 403
    assert client.get("/admin/customer/export/pdf/").status_code == 404


def test_formulas_stay_text(client, customers):
    login(client, "owner")
    rows = _csv(client.get("/admin/customer/export/csv/?search=南京"))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"
    book = read_xlsx(client.get("/admin/customer/export/xlsx/?search=南京").get_data())
    assert book[1][1] == "=HYPERLINK(\"x\")"


# Every way a cell can start a formula in Excel/LibreOffice: the four signs,
# their full-width forms, and any of them behind white space or control characters.
FORMULA_NAMES = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "＝1+1", "＋1+1", "－1+1", "＠SUM(A1)",
                 " =1+1", "\t=1+1", "\r=1+1", "\n+1+1", "\r\n-1+1", "  \t@x", "\x00=1",
                 "\u200b=1", "\u3000＝1", "\xa0+1"]
HARMLESS_NAMES = ["-5", "+3.5", "普通客户", "a=b", "１２３"]


@pytest.fixture
def formula_customers(users):
    names = FORMULA_NAMES + HARMLESS_NAMES
    for n, name in enumerate(names):
        F.customer(code=f"F{n:03d}", name=name, region="公式")
    return {f"F{n:03d}": name for n, name in enumerate(names)}


def test_csv_quotes_every_formula_start(client, formula_customers):
    login(client, "owner")
    rows = _csv(client.get("/admin/customer/export/csv/?search=公式"))
    got = {row[0]: row[1] for row in rows[1:]}
    assert set(got) == set(formula_customers)
    for code, name in formula_customers.items():
        name = clean_for_export(name)  # control characters other than tab/newline go
        expected = "'" + name if name in map(clean_for_export, FORMULA_NAMES) else name
        assert got[code] == expected, (code, repr(name), repr(got[code]))


def test_xlsx_keeps_every_formula_start_as_quoted_text(client, formula_customers):
    import openpyxl
    login(client, "owner")
    data = client.get("/admin/customer/export/xlsx/?search=公式").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == set(formula_customers)
    for code, name in formula_customers.items():
        cell = cells[code]
        stored = clean_for_export(name)  # NUL, CR… dropped (XML could not hold NUL)
        assert cell.value == stored and cell.data_type == "s", (code, repr(name))
        # Excel's own leading apostrophe: shown as text, stays text when edited.
        assert bool(cell.quotePrefix) is (name in FORMULA_NAMES), (code, repr(name))


def test_xlsx_keeps_dates_and_numbers(client, customers, users):
    login(client, "owner")
    F.sale(customers[0], sold_on=date(2026, 10, 1), amount=Decimal("15800.50"))
    r = client.get("/admin/sale/export/xlsx/")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(r.get_data())
    header, row = rows[0], rows[1]
    values = dict(zip(header, row))
    assert values["Date"].date() == date(2026, 10, 1)
    assert values["Amount"] == 15800.5
    assert values["Customer"] == "苏州精诚仪器 (C000001)"


def test_each_export_is_audited_with_its_count(client, customers, users):
    login(client, "owner")
    client.get("/admin/customer/export/xlsx/?search=苏州")
    entry = M.AuditLog.get(M.AuditLog.action == "export")
    changes = json.loads(entry.changes)
    assert entry.register == "customer" and entry.user_id == users["owner"].id
    assert changes["format"] == [None, "xlsx"] and changes["rows"] == [None, 1]
    assert "search" in changes["query"][1]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_a_customer_export_reimports_without_changes(client, customers, tmp_path, kind,
                                                     language):
    login(client, "owner")
    client.post(f"/lang/{language}")
    data = client.get(f"/admin/customer/export/{kind}/").get_data()
    path = tmp_path / f"customers.{kind}"
    path.write_bytes(data)
    report = importer.analyse("customer", str(path))
    assert report.unknown == []
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 3, "duplicate": 0,
                             "refused": 0}, [(o.line, o.problems, o.changes)
                                             for o in report.outcomes]
