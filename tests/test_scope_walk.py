"""Every read is scoped: a specialist and department staff walk every print
form, export, report, lookup and list they may open, and no code, name or
phone of a customer outside their scope is in what they receive (PDFs and
spreadsheets read back as text). SQLite and MariaDB (TEST_DATABASE_URL)."""
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import models as M
import pdf_templates
from domain import access
from views.printing import PrintMixin

from . import world as W
from .conftest import login


def readable(response):
    """What a person would read in the response: a PDF's text, a
    spreadsheet's cells, else the body."""
    body = response.get_data()
    if response.mimetype == "application/pdf":
        # Line breaks dropped: a cell may wrap a phone or a name over two lines,
        # and a leak must not hide behind the wrap.
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
        return text.replace("\n", "")
    if body[:2] == b"PK":  # XLSX
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    return body.decode("utf-8", "replace")


def views(app):
    return [v for v in app.extensions["customer_service_admin"]._views
            if hasattr(v, "model") and hasattr(v, "endpoint")]


def record_ids(model):
    return [r.id for r in model.select(model.id)]


def walk(app, client, user):
    """[(url, status, text)] of every read a user of this role may try."""
    seen = []

    def get(url, **kw):
        r = client.get(url, **kw)
        seen.append((url, r.status_code, readable(r) if r.status_code == 200 else ""))
        return r

    def post(url, data):
        r = client.post(url, data=data)
        seen.append((url, r.status_code, readable(r) if r.status_code == 200 else ""))

    get("/admin/")
    for fmt in ("figures", "specialists"):
        get(f"/admin/dashboard/export/{fmt}/?period=month&month=2026-11")
    get("/admin/report/?month=2026-11&lang=en")
    for view in views(app):
        base = f"/admin/{view.endpoint}"
        if not access.may(user, "read", view.endpoint):
            continue
        get(f"{base}/")
        get(f"{base}/?search=Markerco")
        if access.may(user, "export", view.endpoint):
            for fmt in ("csv", "xlsx"):
                get(f"{base}/export/{fmt}/")
        for name in view._form_ajax_refs:
            for term in ("", "Markerco", "ZQ00", "13900007"):
                get(f"{base}/ajax/lookup/?name={name}&query={term}")
        get(f"{base}/ajax/users/?query=")
        if isinstance(view, PrintMixin):
            ids = record_ids(view.model)
            for form in view.print_forms:
                for rid in ids:
                    get(f"{base}/print/?id={rid}&form={form}&lang=en")
                if form in pdf_templates.BLANK_FORMS:
                    get(f"{base}/print/?blank=1&form={form}")
            if view.print_forms and ids:
                post(f"{base}/action/", {"action": "print", "rowid": ids,
                                         "url": f"{base}/"})
    return seen


@pytest.mark.parametrize("who", ["spec1", "tech"])
def test_nothing_outside_the_scope_reaches_the_user(app, client, users, who):
    W.build(users)
    login(client, who)
    seen = walk(app, client, users[who])
    forbidden = W.outside(who)
    leaks = [(url, marker) for url, _status, text in seen for marker in forbidden
             if marker in text]
    assert leaks == []
    assert not [(url, status) for url, status, _text in seen if status >= 500]
    # Not vacuous: the user's own side comes through where it should.
    own = W.markers(W.SIDE_OF[who])
    texts = {url.split("?")[0]: text for url, status, text in seen if status == 200}
    got = "\n".join(texts.values())
    assert own["code"] in got and own["name"] in got
    if who == "spec1":
        plan = next(text for url, status, text in seen
                    if url.startswith("/admin/visit_plan/print/") and status == 200)
        assert own["code"] in plan and own["phone"] in plan  # their item, nobody else's


def test_the_plan_sheet_of_a_specialist_holds_only_their_items(client, users):
    world = W.build(users)
    plan = world["plan"]
    login(client, "spec1")
    text = readable(client.get(f"/admin/visit_plan/print/?id={plan.id}&lang=en"))
    assert W.markers("spec1")["code"] in text
    assert not [m for m in W.outside("spec1") if m in text]
    client.post("/logout")
    login(client, "manager")  # the whole plan for the office
    text = readable(client.get(f"/admin/visit_plan/print/?id={plan.id}&lang=en"))
    assert W.markers("spec1")["code"] in text and W.markers("spec2")["code"] in text


def _lookup_names(client, endpoint):
    r = client.get(f"/admin/{endpoint}/ajax/users/?query=")
    assert r.status_code == 200, r.status_code
    return {name for _id, name in json.loads(r.data)}


def test_the_users_lookup_offers_only_assignable_users(client, users):
    W.build(users)
    login(client, "tech")  # technical staff: their department
    assert _lookup_names(client, "complaint") == {users["tech"].name}
    client.post("/logout")
    login(client, "spec1")  # a specialist: their department (service)
    names = _lookup_names(client, "customer")
    assert names == {u.name for u in M.User.select().where(
        (M.User.department == "service") & M.User.active)}
    assert users["owner"].name not in names and users["quality"].name not in names
    client.post("/logout")
    login(client, "manager")
    assert len(_lookup_names(client, "customer")) == M.User.select().count()


def test_a_cell_refuses_a_user_the_editor_may_not_assign(client, users):
    world = W.build(users)
    complaint = world["spec1"]["complaint"]  # technical department
    login(client, "tech")
    r = client.post("/admin/complaint/ajax/update/", data={
        "list_form_pk": complaint.id, "handler": users["quality"].id,
        "version": complaint.version})
    assert r.status_code in (400, 409)
    assert M.Complaint.get_by_id(complaint.id).handler_id is None
