"""Inline editing of list cells: every kind of column, errors at the cell,
the audit row, and role and scope on the ajax update URL."""
import json
import re
from datetime import date
from decimal import Decimal

import pytest

import models as M
from tests import factories as F
from tests.conftest import login
from views.inline_edit import EDITABLE


def _update(client, endpoint, pk, **values):
    return client.post(f"/admin/{endpoint}/ajax/update/", data={"list_form_pk": pk, **values})


def _audits(register, record_id):
    return [json.loads(a.changes) for a in M.AuditLog.select().where(
        (M.AuditLog.register == register) & (M.AuditLog.record_id == str(record_id))
        & (M.AuditLog.action == "update"))]


@pytest.fixture
def book(users):
    c = F.customer(owner=users["spec1"], code="C000001", name="苏州精诚", nature="enterprise")
    other = F.customer(owner=users["spec2"], code="C000002", name="别人的客户")
    eq = M.Equipment.create(customer=c, model_name="XJ-200", serial_no="SN1")
    contact = M.Contact.create(customer=c, name="王工")
    return {"customer": c, "other": other, "equipment": eq, "contact": contact}


def _columns(body):
    block = re.search(r'<script type="application/json" id="sheet-columns"[^>]*>(.*?)</script>',
                      body, re.S)
    return json.loads(block.group(1))


def test_the_list_offers_choice_cells_with_translated_labels_and_stored_codes(client, book):
    login(client, "owner")
    client.post("/lang/zh_Hans_CN")
    body = client.get("/admin/customer/").get_data(as_text=True)
    cell = re.search(r'<a class="sheet-cell"[^>]*data-name="nature"[^>]*>', body).group(0)
    assert 'data-value="enterprise"' in cell
    row = book["customer"].id
    assert re.search(rf'<td data-row="{row}" data-version="1"', body)  # the row's, once
    columns = _columns(body)
    assert {"value": "enterprise", "text": "企业"} in columns["nature"]["choices"]
    assert columns["owner"]["kind"] == "ajax" and columns["owner"]["lookup"]
    assert "sheet.js" in body


def test_a_list_page_describes_each_column_once_and_carries_one_token(client, users):
    for i in range(20):
        F.customer(owner=users["spec1"], name=f"客户{i}")
    login(client, "owner")
    body = client.get("/admin/customer/").get_data(as_text=True)
    assert body.count('class="sheet-cell"') >= 20 * 5
    assert body.count("企业") + body.count("Enterprise") <= 25  # a cell's label, not its choices
    assert body.count('"value": "institution"') + body.count('"value":"institution"') == 1
    assert body.count("data-csrf=") == 1  # the page's, for every cell
    assert body.count('name="csrf_token"') <= 6  # one delete form for all rows, not one each
    assert len(body.encode()) <= 70_000
    assert not re.search(r'<a class="sheet-cell"[^>]*(csrf|data-source)', body)


def test_choice_cell_saves_with_an_audit_row(client, book):
    login(client, "owner")
    c = book["customer"]
    r = _update(client, "customer", c.id, nature="institution")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert M.Customer.get_by_id(c.id).nature == "institution"
    assert _audits("customer", c.id) == [{"nature": ["enterprise", "institution"],
                                          "version": [1, 2]}]
    assert r.headers["X-Record-Version"] == "2"


def test_a_value_outside_the_choices_is_refused_at_the_cell(client, book):
    login(client, "owner")
    r = _update(client, "customer", book["customer"].id, nature="alien")
    assert r.status_code == 400 and "Not a valid choice" in r.get_data(as_text=True)
    assert M.Customer.get_by_id(book["customer"].id).nature == "enterprise"
    assert _audits("customer", book["customer"].id) == []


def test_date_cell(client, book):
    login(client, "owner")
    eq = book["equipment"]
    assert _update(client, "equipment", eq.id, warranty_until="2031-06-30").status_code == 200
    assert M.Equipment.get_by_id(eq.id).warranty_until == date(2031, 6, 30)
    r = _update(client, "equipment", eq.id, warranty_until="2031-02-30")
    assert r.status_code == 400 and "Not saved" in r.get_data(as_text=True)
    assert M.Equipment.get_by_id(eq.id).warranty_until == date(2031, 6, 30)
    assert _update(client, "equipment", eq.id, warranty_until="").status_code == 200
    assert M.Equipment.get_by_id(eq.id).warranty_until is None


def test_amount_and_phone_cells(client, book, users):
    login(client, "owner")
    s = F.sale(book["customer"])
    assert _update(client, "sale", s.id, amount="23000.5").status_code == 200
    assert M.Sale.get_by_id(s.id).amount == Decimal("23000.50")
    assert _update(client, "sale", s.id, amount="lots").status_code == 400
    assert _update(client, "customer", book["customer"].id,
                   phone="0512-66881234").status_code == 200
    assert M.Customer.get_by_id(book["customer"].id).phone == "0512-66881234"


def test_foreign_key_cells(client, book, users):
    login(client, "owner")
    contact, other = book["contact"], book["other"]
    assert _update(client, "contact", contact.id, customer=other.id).status_code == 200
    assert M.Contact.get_by_id(contact.id).customer_id == other.id
    assert _update(client, "contact", contact.id, customer=999999).status_code == 400
    assert _update(client, "contact", contact.id, customer="__None").status_code == 400  # required
    c = book["customer"]
    assert _update(client, "customer", c.id, owner=users["spec2"].id).status_code == 200
    assert M.Customer.get_by_id(c.id).owner_id == users["spec2"].id
    assert _update(client, "customer", c.id, owner=424242).status_code == 400
    assert _update(client, "customer", c.id, owner="__None").status_code == 200
    assert M.Customer.get_by_id(c.id).owner_id is None


def test_user_lookup_for_user_cells(client, book, users):
    login(client, "owner")
    found = client.get("/admin/customer/ajax/users/?query=专员").get_json()
    assert sorted(name for _id, name in found) == ["张专员", "赵专员"]


def test_the_views_own_checks_come_back_as_the_cells_error(client, users):
    login(client, "owner")
    rule = M.Rule.create(key="class_a_min_purchase", value="5000000", unit="yuan")
    M.Rule.create(key="class_b_min_purchase", value="1000000", unit="yuan")
    r = _update(client, "rule", rule.id, value="-5")
    assert r.status_code == 400, r.get_data(as_text=True)
    assert M.Rule.get_by_id(rule.id).value == "5000000"
    M.Holiday.create(day=date(2026, 10, 1), name="国庆节")
    h = M.Holiday.create(day=date(2026, 10, 2), name="国庆节")
    r = _update(client, "holiday", h.id, day="2026-10-01")
    assert r.status_code == 400 and "unique" in r.get_data(as_text=True)
    # The refusal is the cell's: the next page shows no leftover message.
    assert "unique" not in client.get("/admin/holiday/").get_data(as_text=True)


def test_specialist_edits_own_rows_only_and_no_management_fields(client, book, users):
    login(client, "spec1")
    c, other = book["customer"], book["other"]
    assert _update(client, "customer", c.id, region="苏州").status_code == 200
    assert _update(client, "customer", other.id, region="x").status_code == 404
    assert _update(client, "customer", c.id, customer_class="A").status_code == 403
    assert M.Customer.get_by_id(c.id).customer_class == "C"
    body = client.get("/admin/customer/").get_data(as_text=True)
    assert 'name="region"' in body and 'name="customer_class"' not in body
    # Giving the customer away would take it out of their own scope: refused.
    r = _update(client, "customer", c.id, owner=users["spec2"].id)
    assert r.status_code == 400
    assert M.Customer.get_by_id(c.id).owner_id == users["spec1"].id


def test_columns_that_are_not_editable_and_roles_without_write(client, book, users):
    login(client, "owner")
    c = book["customer"]
    assert _update(client, "customer", c.id, lifecycle="dormant").status_code == 403
    assert _update(client, "customer", c.id, code="X").status_code == 403
    assert _update(client, "audit_log", 1, action="x").status_code in (403, 404)
    client.post("/logout")
    login(client, "tech")
    assert _update(client, "customer", c.id, region="x").status_code == 403
    client.post("/logout")
    login(client, "spec1")
    assert _update(client, "rule", 1, value="1").status_code == 403


def test_editable_columns_exist_are_listed_and_are_in_the_form(app):
    views = {v.endpoint: v for v in app.extensions["customer_service_admin"]._views
             if hasattr(v, "model")}
    assert set(EDITABLE) <= set(views)
    for endpoint, columns in EDITABLE.items():
        view = views[endpoint]
        assert view.column_editable_list, endpoint
        for name in columns:
            assert name in view.model._meta.fields, (endpoint, name)
        for name in view.column_editable_list:
            assert name in view.column_list, (endpoint, name)
            assert name not in (view.form_excluded_columns or ()), (endpoint, name)
            assert hasattr(view._list_form_class, name), (endpoint, name)


def test_every_list_page_renders_its_cells(client):
    from seed.demo import DEMO_PASSWORD, seed_demo
    seed_demo(customers=12)
    login(client, "owner", DEMO_PASSWORD)
    views = {v.endpoint: v for v in client.application.extensions[
        "customer_service_admin"]._views if hasattr(v, "model")}
    for endpoint in EDITABLE:
        r = client.get(f"/admin/{endpoint}/")
        assert r.status_code == 200, endpoint
        if endpoint != "my_visit" and views[endpoint].model.select().exists():
            assert 'class="sheet-cell"' in r.get_data(as_text=True), endpoint


def test_every_cell_saves_its_own_value_back(client):
    """Each editable cell of every register, posted back unchanged, saves:
    the list form, the widget's stored value and the register's checks agree."""
    import html
    from seed.demo import DEMO_PASSWORD, seed_demo
    seed_demo(customers=8)
    login(client, "owner", DEMO_PASSWORD)
    cell = re.compile(r'<a class="sheet-cell" ([^>]*)>')
    attr = re.compile(r'([\w-]+)="([^"]*)"')
    for endpoint in EDITABLE:
        body = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
        seen = set()
        for match in cell.finditer(body):
            attrs = {k: html.unescape(v) for k, v in attr.findall(match.group(1))}
            if attrs["data-name"] in seen:
                continue
            seen.add(attrs["data-name"])
            value = attrs["data-value"]
            pk = attrs["id"].rsplit("-", 1)[1]
            version = re.search(rf'<td data-row="{pk}" data-version="(\d+)"', body).group(1)
            r = _update(client, endpoint, pk, version=version, base_value=value,
                        **{attrs["data-name"]: value})
            assert r.status_code == 200, (endpoint, attrs["data-name"], value,
                                          r.get_data(as_text=True))
