"""A real browser (Debian's chromium through Playwright) against a real server."""
import threading

import pytest
from werkzeug.serving import make_server

import models as M
from tests import factories as F
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


# Every Content-Security-Policy violation of a page, reported on the console
# (the browser's own message, and this listener's for those it only fires as
# an event): a test that caused one fails.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
                + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || ''));
});
"""


def csp_violations(messages):
    return [m for m in messages if "Content Security Policy" in m or m.startswith("CSP violation")]


@pytest.fixture
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", extra_http_headers={
            "Accept-Language": "zh-CN,zh;q=0.9"})
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        pg = context.new_page()
        console = pg.console_errors = []  # a test may look (tests/test_browser_security.py)
        pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()
        assert not csp_violations(console), "\n".join(csp_violations(console))


def _login(page, server, username):
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/admin/")


def _lookup(page, typed):
    """Open the form's first select2 ajax lookup, type ``typed``; the result
    options (the first one may still be loading: wait on the one you want)."""
    page.click("#s2id_customer a, #customer + .select2-container, .select2-container >> nth=0")
    page.keyboard.type(typed)
    return page.locator(".select2-result-label, .select2-results__option")


def test_clerk_logs_in_and_files_a_visit_picking_the_customer_by_typing(page, server, users):
    F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司", code="C000101")
    F.customer(owner=users["spec2"], name="苏州别人的客户", code="C000102")
    _login(page, server, "spec1")
    assert "客户档案" in page.content()

    page.goto(server + "/admin/visit/new/")
    # select2 ajax lookup: type part of the name, pick the match.
    options = _lookup(page, "精诚")
    option = options.filter(has_text="苏州精诚仪器有限公司")
    option.first.wait_for()
    assert options.filter(has_text="苏州别人的客户").count() == 0
    option.first.click()
    page.fill("#visited_at", "2026-11-20 10:00:00")
    page.fill("#purpose", "季度回访")
    page.locator("input[type=submit], button[type=submit]").filter(has_text="保存").first.click()
    page.wait_for_url("**/admin/visit/**")
    visit = M.Visit.get(M.Visit.purpose == "季度回访")
    assert visit.customer.name == "苏州精诚仪器有限公司"
    assert "苏州精诚仪器有限公司" in page.content()


def test_language_switch_in_the_menu(page, server, users):
    _login(page, server, "owner")
    assert "客户档案" in page.content()
    page.click("#lang-menu")
    page.click("text=English")
    page.wait_for_load_state()
    assert "Customer archive" in page.content()
    assert M.User.get(M.User.username == "owner").locale == "en"
