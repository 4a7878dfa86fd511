"""Bulk edit: the service (one transaction, an audit row per changed record)
and the page (preview, confirm, selected rows or the whole filter, roles)."""
import json
import re

import pytest

import models as M
from services import bulk_edit
from tests import factories as F
from tests.conftest import login


@pytest.fixture
def customers(users):
    rows = [F.customer(owner=users["spec1"], name=f"甲{i}", region="苏州") for i in range(3)]
    rows += [F.customer(owner=users["spec2"], name=f"乙{i}", region="无锡") for i in range(2)]
    return rows


def _updates(register="customer"):
    return {int(a.record_id): json.loads(a.changes) for a in M.AuditLog.select().where(
        (M.AuditLog.action == "update") & (M.AuditLog.register == register))}


def test_service_changes_only_what_differs_and_audits_each_record(app, users, customers):
    ids = [c.id for c in customers]
    M.Customer.update(owner=users["spec2"]).where(M.Customer.id == ids[0]).execute()
    before = M.Customer.get_by_id(ids[1]).updated_at
    result = bulk_edit.preview(model=M.Customer, field="owner", value=users["spec2"], ids=ids)
    assert result[:2] == (5, 2)
    assert M.Customer.get_by_id(ids[1]).owner_id == users["spec1"].id  # preview wrote nothing
    result = bulk_edit.bulk_edit(model=M.Customer, register="customer", field="owner",
                                 value=users["spec2"], ids=ids, user_id=users["owner"].id,
                                 ip="10.0.0.1")
    assert result[:2] == (5, 2)
    assert {c.owner_id for c in M.Customer.select()} == {users["spec2"].id}
    assert _updates() == {
        ids[1]: {"owner": [users["spec1"].id, users["spec2"].id], "version": [1, 2]},
        ids[2]: {"owner": [users["spec1"].id, users["spec2"].id], "version": [1, 2]}}
    assert M.Customer.get_by_id(ids[1]).version == 2 and M.Customer.get_by_id(ids[3]).version == 1
    assert M.Customer.get_by_id(ids[1]).updated_at >= before
    summary = M.AuditLog.get(M.AuditLog.action == "action")
    assert json.loads(summary.changes) == {"bulk_edit": ["owner", users["spec2"].id],
                                           "rows": [5, 2]}


def test_class_in_bulk_keeps_the_key_flag(app, users, customers):
    ids = [customers[0].id, customers[1].id]
    bulk_edit.bulk_edit(model=M.Customer, register="customer", field="customer_class",
                        value="A", ids=ids, user_id=users["owner"].id)
    assert [M.Customer.get_by_id(i).is_key for i in ids] == [True, True]
    assert _updates()[ids[0]] == {"customer_class": ["C", "A"], "is_key": [False, True],
                                  "version": [1, 2]}


def _bulk_page(client, ids, **query):
    r = client.post("/admin/customer/action/", data={"action": "bulk_edit", "rowid": ids,
                                                     "url": "/admin/customer/"})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return r.headers["Location"]


def _token(page):
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_three_selected_rows_preview_and_confirm(client, users, customers):
    login(client, "manager")
    ids = [c.id for c in customers[:3]]
    url = _bulk_page(client, ids)
    page = client.get(url).get_data(as_text=True)
    assert "the 3 selected records" in page and 'id="bulk-field"' in page
    data = {"field": "region", "value": "上海", "scope": "selected"}
    page = client.post(url, data={**data, "step": "preview"}).get_data(as_text=True)
    assert "Set Region = 上海 on 3 records." in page
    assert {c.region for c in M.Customer.select()} == {"苏州", "无锡"}
    r = client.post(url, data={**data, "step": "confirm", "token": _token(page)})
    assert r.status_code == 302
    assert sorted(c.region for c in M.Customer.select()) == ["上海"] * 3 + ["无锡"] * 2
    assert set(_updates()) == set(ids)


def test_choice_field_preview_names_the_label_and_choosing_a_field_keeps_the_page(
        client, users, customers):
    login(client, "owner")
    url = _bulk_page(client, [customers[0].id])
    page = client.post(url, data={"field": "tier", "step": "choose"}).get_data(as_text=True)
    assert 'name="value"' in page and "Diamond" in page and "This field is required" not in page
    page = client.post(url, data={"field": "tier", "value": "diamond", "scope": "selected",
                                  "step": "preview"}).get_data(as_text=True)
    assert "Set Tier = Diamond on 1 record." in page
    page = client.post(url, data={"field": "owner", "value": str(users["spec2"].id),
                                  "scope": "selected", "step": "preview"}).get_data(as_text=True)
    assert "Set Responsible person = 赵专员 on 1 record." in page


def test_all_rows_matching_the_filter(client, users, customers):
    login(client, "owner")
    view = next(v for v in client.application.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == "customer")
    arg = next(view.get_filter_arg(i, f) for i, f in enumerate(view._filters)
               if getattr(f, "column", None) is M.Customer.region
               and str(f.operation()) == "contains")
    r = client.post("/admin/customer/action/", data={
        "action": "bulk_edit", "rowid": [customers[3].id],
        "url": f"/admin/customer/?flt0_{arg}=无锡"})
    url = r.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "all 2 records matching the list" in page
    data = {"field": "tier", "value": "gold", "scope": "filter"}
    page = client.post(url, data={**data, "step": "preview"}).get_data(as_text=True)
    client.post(url, data={**data, "step": "confirm", "token": _token(page)})
    assert {c.name: c.tier for c in M.Customer.select()} == {
        "甲0": "regular", "甲1": "regular", "甲2": "regular", "乙0": "gold", "乙1": "gold"}


def test_invalid_value_is_refused_on_the_page(client, users, customers):
    login(client, "owner")
    url = _bulk_page(client, [customers[0].id])
    page = client.post(url, data={"field": "tier", "value": "bronze", "scope": "selected",
                                  "step": "confirm"})
    assert page.status_code == 200 and "Not a valid choice" in page.get_data(as_text=True)
    assert M.Customer.get_by_id(customers[0].id).tier == "regular"


def test_only_owners_and_managers_and_only_allowed_fields(client, users, customers):
    login(client, "spec1")
    body = client.get("/admin/customer/").get_data(as_text=True)
    assert "bulk_edit" not in body
    assert client.get("/admin/customer/bulk-edit/?ids=1").status_code == 403
    r = client.post("/admin/customer/action/", data={"action": "bulk_edit",
                                                     "rowid": [customers[0].id]})
    assert M.Customer.get_by_id(customers[0].id).region == "苏州"
    assert r.status_code in (302, 403)
    client.post("/logout")
    login(client, "tech")
    assert client.get("/admin/complaint/bulk-edit/").status_code == 403
    client.post("/logout")
    login(client, "owner")
    url = _bulk_page(client, [customers[0].id])
    for field in ("code", "lifecycle", "is_key", "annual_purchase"):
        r = client.post(url, data={"field": field, "value": "x", "scope": "selected",
                                   "step": "confirm"})
        assert r.status_code == 403, field
    assert "bulk_edit" in client.get("/admin/customer/").get_data(as_text=True)


def test_rows_out_of_sight_are_not_touched(client, users, customers):
    """A forged id list keeps to rows the view can see (and that exist)."""
    login(client, "manager")
    url = "/admin/customer/bulk-edit/?ids=" + ",".join(
        str(i) for i in [customers[0].id, 999999])
    page = client.get(url).get_data(as_text=True)
    assert re.search(r"the 1 selected record\b", page)


def test_id_conditions_select_exactly_the_ids(app, users):
    rows = [F.customer(name=f"c{i}") for i in range(130)]
    ids = [c.id for c in rows]
    wanted = ids[:60] + ids[61:62] + ids[70:125] + [ids[127]]
    conditions = list(bulk_edit.id_conditions(M.Customer.id, wanted))
    assert len(conditions) == 3  # two runs and one IN list
    found = set()
    for condition in conditions:
        found.update(c.id for c in M.Customer.select().where(condition))
    assert found == set(wanted)
    assert list(bulk_edit.id_conditions(M.Customer.id, [])) == []


def test_confirm_is_refused_when_a_previewed_row_changed_since(client, users, customers):
    login(client, "manager")
    ids = [c.id for c in customers[:3]]
    url = _bulk_page(client, ids)
    data = {"field": "region", "value": "上海", "scope": "selected"}
    page = client.post(url, data={**data, "step": "preview"}).get_data(as_text=True)
    # Someone saves one of the previewed rows (any field) before the confirm.
    other = M.Customer.get_by_id(ids[1])
    other.notes = "刚改过"
    other.save()
    r = client.post(url, data={**data, "step": "confirm", "token": _token(page)})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "changed since the preview" in body
    assert "Set Region = 上海 on 3 records." in body and _token(body) != _token(page)
    assert {c.region for c in M.Customer.select().where(M.Customer.id.in_(ids))} != {"上海"}
    assert _updates() == {}
    r = client.post(url, data={**data, "step": "confirm", "token": _token(body)})
    assert r.status_code == 302
    assert {c.region for c in M.Customer.select().where(M.Customer.id.in_(ids))} == {"上海"}
    assert M.Customer.get_by_id(ids[1]).notes == "刚改过"
    # Each changed row moved one version on, and its audit row says so.
    assert M.Customer.get_by_id(ids[0]).version == 2 and M.Customer.get_by_id(ids[1]).version == 3


def test_a_confirm_without_its_preview_changes_nothing(client, users, customers):
    login(client, "manager")
    url = _bulk_page(client, [customers[0].id])
    r = client.post(url, data={"field": "region", "value": "上海", "scope": "selected",
                               "step": "confirm"})
    assert r.status_code == 200 and 'name="token"' in r.get_data(as_text=True)
    assert M.Customer.get_by_id(customers[0].id).region == "苏州"
