"""The import pages: upload, map the unknown headers, dry run, fix, import;
the refused rows as a file; owners only."""
import io
import json
import os
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

import models as M
from services.users import create_user
from tests import factories as F
from tests.conftest import PASSWORD, login
from tests.sheet_files import read_xlsx, xlsx


def _upload(client, path, endpoint="customer"):
    with open(path, "rb") as f:
        return client.post(f"/admin/{endpoint}/import/", data={
            "step": "upload", "file": (io.BytesIO(f.read()), path.name)},
            content_type="multipart/form-data")


def _hidden(html):
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_dry_run_shows_the_bad_row_then_fixed_file_imports(client, users, tmp_path):
    login(client, "owner")
    bad = xlsx(tmp_path / "客户.xlsx", [["客户名称", "电话", "负责人"],
                                       ["苏州精诚", "0512-1", "张专员"],
                                       ["无锡汽修", "没有", "张专员"]])
    page = _upload(client, bad).get_data(as_text=True)
    assert 'id="count-refused">Refused: 1' in page
    assert re.search(r'data-line="3">.*?Phone: Not a phone number', page, re.S)
    assert M.Customer.select().count() == 0
    # Import anyway: nothing is written while a row is refused.
    form = _hidden(page)
    page = client.post("/admin/customer/import/", data={**form, "step": "import"})
    assert "Nothing was imported" in page.get_data(as_text=True)
    assert M.Customer.select().count() == 0
    good = xlsx(tmp_path / "客户.xlsx", [["客户名称", "电话", "负责人"],
                                        ["苏州精诚", "0512-1", "张专员"],
                                        ["无锡汽修", "0510-2", "张专员"]])
    page = _upload(client, good).get_data(as_text=True)
    assert 'id="count-created">Create: 2' in page
    r = client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert r.status_code == 302
    assert sorted(c.name for c in M.Customer.select()) == ["无锡汽修", "苏州精诚"]
    entry = M.AuditLog.get(M.AuditLog.action == "import")
    assert json.loads(entry.changes)["created"] == [None, 2]
    assert entry.user_id == users["owner"].id


def test_unknown_headers_are_mapped_before_the_dry_run(client, users, tmp_path):
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "旧系统备注", "序号"], ["甲", "老客户", 1]])
    page = _upload(client, path).get_data(as_text=True)
    assert 'name="map_1"' in page and "旧系统备注" in page and 'name="map_2"' not in page
    page = client.post("/admin/customer/import/", data={
        **_hidden(page), "map_1": "notes"}).get_data(as_text=True)
    assert 'id="count-created">Create: 1' in page and 'name="map_1" value="notes"' in page
    client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert M.Customer.get().notes == "老客户"


def test_updates_show_their_changes_and_skip_refused_leaves_them_out(client, users, tmp_path):
    F.customer(code="C000001", name="甲", region="苏州")
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["Code", "Name", "Region", "Phone"],
                                      ["C000001", "甲", "无锡", None],
                                      [None, "乙", None, "none"]])
    page = _upload(client, path).get_data(as_text=True)
    assert "Region: 苏州 → 无锡" in page
    client.post("/admin/customer/import/", data={**_hidden(page), "step": "import",
                                                 "skip_refused": "1"})
    assert [c.region for c in M.Customer.select()] == ["无锡"]


def test_refused_rows_download_in_the_same_layout_with_a_reason(client, users, tmp_path):
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "电话", "备注"],
                                      ["甲", "1", "好"], ["乙", "没有", "坏"]])
    page = _upload(client, path).get_data(as_text=True)
    link = re.search(r'id="import-refused" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    r = client.get(link)
    assert r.status_code == 200 and "refused" in r.headers["Content-Disposition"]
    rows = read_xlsx(r.get_data())
    assert rows[0] == ["客户名称", "电话", "备注", "reason"]
    assert rows[1][:3] == ["乙", "没有", "坏"] and "Not a phone number" in rows[1][3]
    # Fixed in Excel and uploaded again: the reason column is left out by itself.
    fixed = xlsx(tmp_path / "fixed.xlsx", [rows[0], ["乙", "0512-3", "坏", rows[1][3]]])
    page = _upload(client, fixed).get_data(as_text=True)
    assert 'id="count-created">Create: 1' in page and 'name="map_' not in page


def test_csv_refused_rows_come_back_as_csv_with_a_bom(client, users, tmp_path):
    from tests.sheet_files import csv_file
    login(client, "owner")
    path = csv_file(tmp_path / "c.csv", [["客户名称", "电话"], ["乙", "没有"]])
    page = _upload(client, path).get_data(as_text=True)
    link = re.search(r'id="import-refused" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    data = client.get(link).get_data()
    assert data.startswith(b"\xef\xbb\xbf") and "没有".encode() in data


def test_bad_files(client, users, tmp_path):
    login(client, "owner")
    (tmp_path / "x.xls").write_bytes(b"old excel")
    page = _upload(client, tmp_path / "x.xls").get_data(as_text=True)
    assert ".xlsx" in page and "alert" in page
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    assert "not an Excel" in _upload(client, tmp_path / "x.xlsx").get_data(as_text=True)
    page = client.post("/admin/customer/import/", data={"step": "upload"}).get_data(as_text=True)
    assert "Choose a file" in page
    assert client.post("/admin/customer/import/", data={
        "step": "dry_run", "token": "../../etc/passwd", "kind": "csv"}).status_code == 404


def test_only_owners_import_and_only_their_own_uploads(client, users, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", [["客户名称"], ["甲"]])
    login(client, "owner")
    page = _upload(client, path).get_data(as_text=True)
    form = _hidden(page)
    assert 'id="sheet-import"' in client.get("/admin/customer/").get_data(as_text=True)
    client.post("/logout")
    for who in ("manager", "spec1", "tech"):
        login(client, who)
        assert client.get("/admin/customer/import/").status_code == 403, who
        assert _upload(client, path).status_code == 403, who
        assert client.post("/admin/customer/import/", data={
            **form, "step": "import"}).status_code == 403, who
        assert client.get("/admin/customer/import/template/").status_code == 403, who
        client.post("/logout")
    assert M.Customer.select().count() == 0
    login(client, "spec1")
    assert 'id="sheet-import"' not in client.get("/admin/customer/").get_data(as_text=True)
    # The registers without an import have no import page.
    client.post("/logout")
    login(client, "owner")
    assert client.get("/admin/rule/import/").status_code == 403


# ---------------------------------------------------------------- issue 11
def _page(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _imports(app):
    folder = os.path.join(app.instance_path, "imports")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_customer_list_with_contacts_dry_runs_and_imports(client, users, tmp_path):
    F.customer(code="C000001", name="甲")
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "联系人"], ["甲", "王工"]])
    page = _page(_upload(client, path))
    assert "Contact person: — → 王工" in page
    client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert [c.name for c in M.Contact.select()] == ["王工"]


def test_blank_cells_leave_stored_values_unless_the_user_ticks_clear(client, users, tmp_path):
    stored = dict(first_deal_on=date(2025, 6, 27), annual_purchase=Decimal("69568"),
                  region="苏州")
    c = F.customer(code="C000001", name="甲", **stored)
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户编号", "客户名称", "首次成交日期", "年采购额", "地区"],
                                      ["C000001", "甲", None, None, "无锡"]])
    page = _page(_upload(client, path))
    assert "Region: 苏州 → 无锡" in page and "→ —" not in page
    assert 'id="clear-blanks"' in page and "leaves the stored value" in page
    r = client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert r.status_code == 302
    c = M.Customer.get_by_id(c.id)
    assert (c.first_deal_on, c.annual_purchase, c.region) == (
        date(2025, 6, 27), Decimal("69568.00"), "无锡")
    # Ticked: the dry run says which values a blank clears (never a required one).
    M.Customer.update(**stored).where(M.Customer.id == c.id).execute()
    page = _page(_upload(client, path))
    page = _page(client.post("/admin/customer/import/", data={
        **_hidden(page), "step": "dry_run", "clear_blanks": "1"}))
    rows = page.split('id="import-rows"')[1]
    assert "First deal date: 2025-06-27 → —" in rows and "Annual purchase" not in rows
    assert 'name="clear_blanks" value="1" id="clear-blanks" checked' in page
    r = client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert r.status_code == 302
    c = M.Customer.get_by_id(c.id)
    assert (c.first_deal_on, c.annual_purchase, c.region) == (
        None, Decimal("69568.00"), "无锡")


def test_an_import_after_someone_changed_a_record_shows_the_new_dry_run(client, users,
                                                                       tmp_path):
    c = F.customer(code="C000001", name="甲", region="苏州")
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户编号", "地区"], ["C000001", "无锡"]])
    form = _hidden(_page(_upload(client, path)))
    M.Customer.update(region="无锡").where(M.Customer.id == c.id).execute()
    waiting = _imports(client.application)
    page = _page(client.post("/admin/customer/import/", data={**form, "step": "import"}))
    assert "Records changed since your dry run" in page and 'count-unchanged">No change: 1' in page
    assert not M.AuditLog.select().where(M.AuditLog.action == "import").exists()
    assert _imports(client.application) == waiting   # kept for the next try
    r = client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert r.status_code == 302 and M.AuditLog.get(M.AuditLog.action == "import")


def test_messages_name_fields_by_their_label_in_the_users_language(client, users, tmp_path):
    login(client, "owner")
    client.post("/lang/zh_Hans_CN")
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "电话", "地区"], ["甲", "1", "苏州"],
                                      ["甲", "2", "无锡"], [None, "3", None]])
    page = _page(_upload(client, path))
    rows = page.split('id="import-rows"')[1]
    assert "电话" in rows and "地区" in rows and "名称" in rows
    assert not re.search(r"\b(phone|region|name)\b", rows)


def test_the_template_has_the_columns_an_example_and_the_allowed_values(client, users):
    login(client, "owner")
    r = client.get("/admin/customer/import/template/")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(r.get_data()))
    sheet, values = book.worksheets
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Code", "Name", "Nature"] and header[-1] == "Contact person"
    example = dict(zip(header, [c.value for c in sheet[2]]))
    assert example["Nature"] == "Enterprise" and example["Responsible person"] == "王老板"
    allowed = {c.value: [row[i].value for row in values.iter_rows(min_row=2) if row[i].value]
               for i, c in enumerate(values[1])}
    assert allowed["Nature"] == [str(label) for _c, label in M.Customer.nature.choices]
    assert allowed["Do not disturb"] == ["Yes", "No"]
    client.post("/lang/zh_Hans_CN")
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/admin/customer/import/template/").get_data()))
    assert "企业" in [c.value for c in book.worksheets[0][2]]
    assert "名称" in [c.value for c in book.worksheets[0][1]]


def _fill_blanks(endpoint, book):
    """A value in each cell the template's example leaves empty, so the dry
    run has every column to show."""
    from peewee import BooleanField, DateField, DateTimeField
    from services.import_registers import SPECS
    spec = SPECS[endpoint]
    sheet, values = book.worksheets
    allowed = {c.value: values.cell(row=2, column=c.column).value for c in values[1]}
    names = spec.fields + tuple(spec.extra)
    for name, cell in zip(names, sheet[2]):
        if cell.value not in (None, ""):
            continue
        field = spec.model._meta.fields.get(name)
        label = sheet.cell(row=1, column=cell.column).value
        if label in allowed:
            cell.value = allowed[label]
        elif isinstance(field, BooleanField):
            cell.value = "Yes"
        elif isinstance(field, DateTimeField):
            cell.value = "2024-02-01 10:00"
        elif isinstance(field, DateField):
            cell.value = "2024-02-01"
        elif name == "code":
            cell.value = "C000777"
        elif name == "number":
            cell.value = "TS-2024-0777"
        else:
            cell.value = "x"


@pytest.mark.parametrize("endpoint", ["customer", "contact", "sale", "equipment", "visit",
                                      "complaint"])
def test_the_template_imports_back_and_every_column_renders(client, users, tmp_path,
                                                           endpoint):
    F.customer(code="C000001", name="甲")
    login(client, "owner")
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/admin/{endpoint}/import/template/").get_data()))
    _fill_blanks(endpoint, book)
    path = tmp_path / f"{endpoint}.xlsx"
    book.save(path)
    page = _page(_upload(client, path, endpoint))
    assert 'name="map_' not in page and 'id="count-created">Create: 1' in page, page
    detail = re.search(r'import-created[^>]*>(.*?)</tr>', page, re.S).group(1)
    header = read_xlsx(path.read_bytes())[0]
    for label in header:   # every column of the template shows in the dry run
        assert label in detail, label
    r = client.post(f"/admin/{endpoint}/import/", data={**_hidden(page), "step": "import"})
    assert r.status_code == 302


def test_a_mapping_is_offered_again_to_the_same_user_for_the_same_register(client, users,
                                                                           tmp_path):
    login(client, "owner")
    path = xlsx(tmp_path / "c.xlsx", [["客户名称", "旧系统备注", "内部编号"], ["甲", "老客户", "X1"]])
    page = _page(_upload(client, path))
    assert 'id="import-remembered"' not in page
    _page(client.post("/admin/customer/import/", data={
        **_hidden(page), "map_1": "notes", "map_2": ""}))
    page = _page(_upload(client, path))
    assert 'id="import-remembered"' in page
    assert re.search(r'name="map_1".*?<option value="notes" selected>', page, re.S)
    # Another register, another owner: not offered.
    page = _page(_upload(client, xlsx(tmp_path / "ct.xlsx", [["联系人", "旧系统备注"], ["王", "x"]]),
                         "contact"))
    assert 'id="import-remembered"' not in page
    client.post("/logout")
    create_user(username="owner2", password=PASSWORD, role="owner", name="另一位老板")
    login(client, "owner2")
    assert 'id="import-remembered"' not in _page(_upload(client, path))


def test_a_refused_upload_is_deleted_at_once_and_an_imported_one_after(client, users,
                                                                      tmp_path):
    login(client, "owner")
    before = _imports(client.application)
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    _page(_upload(client, tmp_path / "x.xlsx"))
    assert _imports(client.application) == before
    page = _page(_upload(client, xlsx(tmp_path / "c.xlsx", [["客户名称"], ["甲"]])))
    assert len(_imports(client.application)) == len(before) + 1
    client.post("/admin/customer/import/", data={**_hidden(page), "step": "import"})
    assert _imports(client.application) == before
