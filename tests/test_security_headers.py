"""The security headers on every kind of response, a CSP with no inline
script or style (nonces for the few inline elements), pages without inline
event handlers, and the language switch as a POST with the CSRF token."""
import re

import pytest

import models as M
from admin_app import theme_css
from domain.registers import REGISTERS
from tests import factories as F
from tests.conftest import PASSWORD, csrf_token_from, login, make_app


def assert_secure_headers(response, what):
    h = response.headers
    csp = h.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    for name in ("default-src", "script-src", "style-src", "img-src", "font-src"):
        assert directives[name].startswith("'self'"), (what, name, csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, what
    assert "http" not in csp, what  # no other origin
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert h.get("X-Frame-Options") == "DENY", what
    assert h.get("X-Content-Type-Options") == "nosniff", what
    assert h.get("Referrer-Policy") == "same-origin", what
    response.close()  # file and streamed bodies are not read here
    return directives


def test_anonymous_responses(client):
    kinds = {
        "login page": client.get("/login"),
        "redirect": client.get("/admin/"),
        "json": client.get("/healthz"),
        "static file": client.get("/static/app.css"),
        "Flask-Admin static file": client.get("/admin/static/vendor/jquery.min.js"),
        "theme stylesheet": client.get("/theme/bootstrap.min.css"),
        "not found": client.get("/no/such/page"),
        "method not allowed": client.get("/lang/en"),
    }
    assert kinds["redirect"].status_code == 302 and kinds["not found"].status_code == 404
    assert kinds["method not allowed"].status_code == 405
    for what, response in kinds.items():
        assert_secure_headers(response, what)


def test_logged_in_responses(client, users):
    customer = F.customer(owner=users["spec1"], name="苏州精诚仪器", code="C000001")
    login(client, "owner")
    kinds = {
        "home": client.get("/admin/"),
        "list": client.get("/admin/customer/"),
        "form": client.get("/admin/customer/new/"),
        "details": client.get(f"/admin/customer/details/?id={customer.id}"),
        "ajax lookup": client.get("/admin/visit/ajax/lookup/?name=customer&query=精诚"),
        "csv export (streamed)": client.get("/admin/customer/export/csv/"),
        "xlsx export": client.get("/admin/customer/export/xlsx/"),
        "pdf": client.get(f"/admin/customer/print/?id={customer.id}"),
        "missing record": client.get("/admin/customer/details/?id=999999"),
    }
    for what, response in kinds.items():
        assert response.status_code in (200, 404), (what, response.status_code)
        assert_secure_headers(response, what)
    client.post("/logout")
    login(client, "tech")
    assert_secure_headers(client.get("/admin/user/"), "forbidden")


def test_a_csrf_refusal_has_the_headers(database_url, app):
    client = make_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    r = client.post("/login", data={"username": "x", "password": "y"})
    assert r.status_code == 400
    assert_secure_headers(r, "csrf refusal")


def test_every_inline_script_and_style_carries_this_requests_nonce(client, users):
    login(client, "owner")
    seen = set()
    for url in ("/admin/", "/admin/customer/", "/admin/customer/new/", "/login"):
        r = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"])
        html = r.get_data(as_text=True)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" in tag and tag.startswith("<script"):
                continue  # a file from this site ('self')
            assert nonce and f'nonce="{nonce.group(1)}"' in tag, (url, tag)
        if nonce:
            seen.add(nonce.group(1))
    assert len(seen) >= 3  # a new nonce per response


def test_no_page_has_inline_event_handlers_or_style_attributes(client, users):
    customer = F.customer(owner=users["spec1"])
    F.complaint(customer)
    F.visit(customer, staff=users["spec1"])
    login(client, "owner")
    urls = ["/admin/", "/login", "/password"]
    urls += [f"/admin/{r.endpoint}/" for r in REGISTERS]
    urls += [f"/admin/{r.endpoint}/new/" for r in REGISTERS if r.endpoint != "audit_log"]
    urls += ["/admin/customer/details/?id=999999"]  # an error page
    for url in urls:
        r = client.get(url)
        if r.status_code not in (200, 404):
            continue
        html = r.get_data(as_text=True)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
        assert not re.search(r"<[^>]+\sstyle\s*=", html), url


def test_the_theme_stylesheet_imports_nothing_from_elsewhere(client):
    css = client.get("/theme/bootstrap.min.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"@import" not in css.data and b"fonts.googleapis" not in css.data
    assert b".btn-primary" in css.data
    again = client.get("/theme/bootstrap.min.css", headers={"If-None-Match": css.headers["ETag"]})
    assert again.status_code == 304
    assert theme_css.stylesheet()[0] == css.data


@pytest.fixture
def csrf_app(database_url, app):
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def test_language_switch_is_a_post_with_the_token(csrf_app, users):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post("/login", data={"username": "owner", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    # A link (GET) or a form from another site (no token) changes nothing.
    assert client.get("/lang/en").status_code == 405
    assert client.post("/lang/en").status_code == 400
    assert M.User.get(M.User.username == "owner").locale is None
    page = client.get("/admin/").get_data(as_text=True)
    assert 'action="/lang/en"' in page
    r = client.post("/lang/en", data={"csrf_token": csrf_token_from(page)})
    assert r.status_code == 302
    assert M.User.get(M.User.username == "owner").locale == "en"
