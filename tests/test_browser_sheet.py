"""Spreadsheet-like work in a real browser (Debian's chromium through
Playwright): inline cells, bulk edit, import with a dry run, export.
Each screen is saved as a screenshot in the test's tmp_path."""
import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest

import models as M
from tests import factories as F
from tests.conftest import login
from tests.sheet_files import xlsx
from tests.test_browser import _login, page, server  # noqa: F401 — the shared fixtures

pytestmark = pytest.mark.browser
EXPORT_MENU = "li:has(a[href*='/export/csv/']) > a.dropdown-toggle"


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def _pick_in_select2(page, text):
    """Choose ``text`` in the open select2 (3.x) dropdown of an x-editable cell."""
    page.locator(".select2-drop-active .select2-result-label").filter(has_text=text).first.click()


def test_inline_edit_a_choice_cell_and_a_date_cell(page, server, users, tmp_path):
    c = F.customer(owner=users["spec1"], code="C000101", name="苏州精诚仪器", nature="enterprise")
    eq = M.Equipment.create(customer=c, model_name="XJ-200", serial_no="SN-1",
                            warranty_until=date(2027, 1, 31))
    _login(page, server, "owner")

    page.goto(server + "/admin/customer/")
    page.click(f"#nature-{c.id}")
    page.locator(".editable-container").wait_for()
    _shot(page, tmp_path, "01-choice-cell-open")
    _pick_in_select2(page, "机构")
    page.click(".editable-submit")
    page.locator(".editable-container").wait_for(state="detached")
    page.reload()
    assert page.locator(f"#nature-{c.id}").inner_text().strip() == "机构"
    assert M.Customer.get_by_id(c.id).nature == "institution"
    _shot(page, tmp_path, "02-choice-cell-saved")

    page.goto(server + "/admin/equipment/")
    page.click(f"#warranty_until-{eq.id}")
    page.locator("input.sheet-date").fill("2031-06-30")
    _shot(page, tmp_path, "03-date-cell-open")
    page.click(".editable-submit")
    page.locator(".editable-container").wait_for(state="detached")
    page.reload()
    assert "2031-06-30" in page.locator(f"#warranty_until-{eq.id}").inner_text()
    assert M.Equipment.get_by_id(eq.id).warranty_until == date(2031, 6, 30)

    # A bad value is refused at the cell and nothing is saved.
    page.click(f"#warranty_until-{eq.id}")
    page.locator("input.sheet-date").evaluate("el => { el.type = 'text'; el.value = 'soon'; }")
    page.click(".editable-submit")
    # The UI speaks the browser's language (zh-CN here): 未保存 = "Not saved".
    page.locator(".editable-error-block").filter(has_text=re.compile("未保存|Not saved")).wait_for()
    _shot(page, tmp_path, "04-date-cell-refused")
    assert M.Equipment.get_by_id(eq.id).warranty_until == date(2031, 6, 30)


def test_bulk_edit_three_selected_rows(page, server, users, tmp_path):
    rows = [F.customer(owner=users["spec1"], name=f"客户{i}", region="苏州") for i in range(4)]
    _login(page, server, "manager")
    page.goto(server + "/admin/customer/")
    for c in rows[:3]:
        page.check(f"input.action-checkbox[value='{c.id}']")
    page.click("li:has(a[data-list-action='bulk_edit']) > a.dropdown-toggle")
    page.click("a.dropdown-item[data-list-action='bulk_edit']")
    page.wait_for_url("**/bulk-edit/**")
    page.select_option("#bulk-field", "region")
    page.wait_for_load_state()
    page.fill("#value", "上海")
    page.click("#bulk-preview-button")
    preview = page.locator("#bulk-preview")
    assert "3" in preview.inner_text() and "上海" in preview.inner_text()
    _shot(page, tmp_path, "05-bulk-edit-preview")
    page.click("#bulk-confirm")
    page.wait_for_url("**/admin/customer/**")
    _shot(page, tmp_path, "06-bulk-edit-done")
    assert sorted(M.Customer.get_by_id(c.id).region for c in rows) == ["上海"] * 3 + ["苏州"]


def test_import_a_small_xlsx_with_one_bad_row_then_fixed(page, server, users, tmp_path):
    header = ["客户名称", "电话", "负责人", "年采购额", "最近成交日期"]
    bad = xlsx(tmp_path / "客户清单.xlsx", [header,
                                          ["苏州精诚仪器", 13800138000, "张专员", "1.2万", "2024/1/5"],
                                          ["无锡检测所", "没有电话", "张专员", "¥3,000", 45296]])
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    page.click("#sheet-import")
    page.set_input_files("#import-file", str(bad))
    page.click("#import-submit")
    page.locator("#import-summary").wait_for()
    assert "1" in page.locator("#count-refused").inner_text()
    assert page.locator("tr.import-refused[data-line='3']").count() == 1
    _shot(page, tmp_path, "07-import-dry-run-error")
    assert M.Customer.select().count() == 0

    fixed = xlsx(tmp_path / "客户清单-改.xlsx", [header,
                                             ["苏州精诚仪器", 13800138000, "张专员", "1.2万", "2024/1/5"],
                                             ["无锡检测所", "0510-8888", "张专员", "¥3,000", 45296]])
    page.click("#import-again")
    page.set_input_files("#import-file", str(fixed))
    page.click("#import-submit")
    page.locator("#import-summary").wait_for()
    assert "2" in page.locator("#count-created").inner_text()
    _shot(page, tmp_path, "08-import-dry-run-clean")
    page.click("#import-run")
    page.wait_for_url("**/admin/customer/**")
    _shot(page, tmp_path, "09-import-done")
    c = M.Customer.get(M.Customer.name == "无锡检测所")
    assert (c.phone, c.last_deal_on, c.annual_purchase) == ("0510-8888", date(2024, 1, 5),
                                                             Decimal("3000"))


def test_export_and_download(page, server, users, tmp_path):
    F.customer(owner=users["spec1"], code="C000201", name="苏州精诚仪器", nature="enterprise")
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    page.click(EXPORT_MENU)
    _shot(page, tmp_path, "10-export-menu")
    with page.expect_download() as info:
        page.click("a.dropdown-item[href*='/export/csv/']")
    path = tmp_path / "export.csv"
    info.value.save_as(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "名称" in rows[0] and any("苏州精诚仪器" in r for r in rows[1:])
    assert any("企业" in r for r in rows[1:])
    with page.expect_download() as info:
        page.click(EXPORT_MENU)
        page.click("a.dropdown-item[href*='/export/xlsx/']")
    assert info.value.suggested_filename.endswith(".xlsx")


def test_a_stale_cell_shows_who_changed_it_and_takes_the_stored_value(
        page, server, app, users, tmp_path):
    c = F.customer(owner=users["spec1"], code="C000201", name="无锡华强", phone="0510-1111111")
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    # Someone else saves the phone after this page was read.
    other = app.test_client()
    login(other, "manager")
    r = other.post("/admin/customer/ajax/update/", data={
        "list_form_pk": c.id, "version": 1, "base_value": "0510-1111111",
        "phone": "0571-22222222"})
    assert r.status_code == 200
    page.click(f"#phone-{c.id}")
    page.locator(".editable-container input").fill("0510-3333333")
    page.click(".editable-submit")
    error = page.locator(".editable-error-block")
    error.filter(has_text="0571-22222222").wait_for()
    assert "李经理" in error.inner_text()
    _shot(page, tmp_path, "09-stale-cell")
    assert M.Customer.get_by_id(c.id).phone == "0571-22222222"
    row = page.locator(f"td[data-row='{c.id}']")
    assert row.get_attribute("data-version") == "2"
    # Saving again from the cell, now current, goes through.
    page.locator(".editable-container input").fill("0510-3333333")
    page.click(".editable-submit")
    page.locator(".editable-container").wait_for(state="detached")
    assert M.Customer.get_by_id(c.id).phone == "0510-3333333"
    assert row.get_attribute("data-version") == "3"


def test_a_foreign_key_cell_picks_a_user_by_typing(page, server, users, tmp_path):
    c = F.customer(owner=users["spec1"], code="C000301", name="常州精密")
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    page.click(f"#owner-{c.id}")
    page.locator(".editable-container").wait_for()
    page.keyboard.type("赵")
    _pick_in_select2(page, "赵专员")
    page.click(".editable-submit")
    page.locator(".editable-container").wait_for(state="detached")
    assert M.Customer.get_by_id(c.id).owner_id == users["spec2"].id
    page.reload()
    assert "赵专员" in page.locator(f"#owner-{c.id}").inner_text()


def test_the_trash_button_of_a_row_deletes_that_row_after_confirming(page, server, users):
    keep = F.customer(owner=users["spec1"], code="C000401", name="留下的客户")
    gone = F.customer(owner=users["spec1"], code="C000402", name="删除的客户")
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"button[form='row-delete'][value='{gone.id}']")
    page.wait_for_load_state()
    page.locator(".alert").first.wait_for()
    assert M.Customer.get_or_none(M.Customer.id == gone.id) is None
    assert M.Customer.get_or_none(M.Customer.id == keep.id) is not None
