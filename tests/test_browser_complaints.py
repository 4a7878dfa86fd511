"""A complaint's life in a real browser: register it by typing the customer,
acknowledge it from its page, see the timeline, filter the overdue queue."""
import pytest

import models as M
from tests import factories as F
from tests.test_browser import _login, _lookup, page, server  # noqa: F401 — fixtures

pytestmark = pytest.mark.browser


def test_clerk_registers_and_acknowledges_a_complaint(page, server, users, tmp_path):  # noqa: F811
    F.customer(owner=users["spec1"], name="无锡华光电子有限公司", code="C000201")
    _login(page, server, "spec1")

    page.goto(server + "/admin/complaint/new/")
    option = _lookup(page, "华光").filter(has_text="无锡华光电子有限公司")
    option.first.wait_for()
    option.first.click()
    page.select_option("#category", "repair_workmanship")
    page.fill("#description", "维修后一周再次出现黑屏")
    page.locator("input[type=submit], button[type=submit]").filter(has_text="保存").first.click()
    page.wait_for_url("**/admin/complaint/**")
    complaint = M.Complaint.get()
    assert complaint.number.startswith("TS-") and complaint.contact_due is not None
    page.screenshot(path=str(tmp_path / "complaint-list.png"), full_page=True)

    page.goto(server + f"/admin/complaint/details/?id={complaint.id}")
    page.click("a.step-acknowledge")
    page.fill("#note", "已电话联系客户,约定明天上门")
    page.click("#action-submit")
    page.wait_for_load_state()
    assert M.Complaint.get_by_id(complaint.id).status == "acknowledged"
    page.goto(server + f"/admin/complaint/details/?id={complaint.id}")
    timeline = page.locator("#timeline").inner_text()
    assert "已电话联系客户,约定明天上门" in timeline and "已确认受理" in timeline
    page.screenshot(path=str(tmp_path / "complaint-details.png"), full_page=True)

    page.click("text=我的工作")
    page.click("text=超时的投诉")
    page.wait_for_load_state()
    assert "/admin/complaint/" in page.url and "flt0_" in page.url
