"""In a real browser under the Content-Security-Policy: the list actions, the
delete confirmation and the filters still work (their inline handlers are
gone), the console check catches a violation, the forced password change and
the lockout read right."""
from datetime import date

import pytest

import models as M
from tests import factories as F
from tests.conftest import PASSWORD
from tests.test_browser import _login, csp_violations, page, server  # noqa: F401 — fixtures

pytestmark = pytest.mark.browser


def test_the_console_check_sees_a_violation(page, server, users):  # noqa: F811
    _login(page, server, "owner")
    with page.expect_console_message(lambda m: "CSP violation" in m.text):
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.injected = 1';
                                 document.body.appendChild(s); }""")
    assert page.evaluate("() => window.injected") is None  # refused, not run
    assert csp_violations(page.console_errors)
    page.console_errors.clear()  # this one was on purpose


def test_row_delete_asks_first_and_list_actions_run(page, server, users):  # noqa: F811
    days = [M.Holiday.create(day=date(2030, 1, d), name=f"假日{d}") for d in (1, 2, 3)]
    _login(page, server, "owner")
    page.goto(server + "/admin/holiday/")
    # The row's trash button submits the page's delete form, which asks first.
    assert page.locator("form#row-delete[data-confirm]").count() == 1
    delete_first = f"button[form=row-delete][value='{days[0].id}']"
    page.once("dialog", lambda d: d.dismiss())
    page.click(delete_first)
    page.wait_for_timeout(300)
    assert M.Holiday.select().count() == 3
    page.once("dialog", lambda d: d.accept())
    page.click(delete_first)
    page.wait_for_load_state()
    page.locator(".alert").first.wait_for()
    assert not M.Holiday.select().where(M.Holiday.id == days[0].id).exists()
    # "With selected" → Delete, confirmed, on the two others.
    for d in days[1:]:
        page.check(f"input.action-checkbox[value='{d.id}']")
    page.click("li:has(a[data-list-action='delete']) > a.dropdown-toggle")
    page.once("dialog", lambda d: d.accept())
    page.click("a.dropdown-item[data-list-action='delete']")
    page.wait_for_url("**/admin/holiday/**")
    page.locator(".alert").first.wait_for()
    assert M.Holiday.select().count() == 0


def test_adding_a_filter_stays_on_the_page(page, server, users):  # noqa: F811
    F.customer(owner=users["spec1"], name="苏州精诚仪器", region="苏州")
    _login(page, server, "owner")
    page.goto(server + "/admin/customer/")
    url = page.url
    page.click("li:has(.field-filters) > a.dropdown-toggle")
    page.locator("a.dropdown-item.filter").first.click()
    page.locator("#filter_form .filter-op, #filter_form select").first.wait_for()
    assert page.url == url


def test_forced_password_change(page, server, users):  # noqa: F811
    M.User.update(must_change_password=True).where(M.User.username == "spec1").execute()
    page.goto(server + "/login")
    page.fill("#username", "spec1")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/password")
    page.goto(server + "/admin/customer/")
    page.wait_for_url("**/password")
    page.fill("#current", PASSWORD)
    page.fill("#new", "browser-new-pw-1")
    page.fill("#confirm", "browser-new-pw-1")
    page.click("#password-submit")
    page.wait_for_url("**/admin/")
    assert not M.User.get(M.User.username == "spec1").must_change_password
    page.click("#logout")
    page.wait_for_url("**/login?logged_out=1")
    assert page.locator("#logged-out").is_visible()


def test_lockout_message_in_the_browser(page, server, users):  # noqa: F811
    page.goto(server + "/login")
    for _ in range(5):
        page.fill("#username", "spec1")
        page.fill("#password", "not-the-password")
        page.click("#login-submit")
        page.wait_for_load_state()
    assert page.locator(".alert-danger").filter(has_text="15").count() == 1
