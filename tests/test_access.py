"""Role rules enforced on the URLs themselves, not by hiding buttons."""
import json

import pytest

import models as M
from tests import factories as F
from tests.conftest import login


@pytest.fixture
def two_books(users):
    """spec1 and spec2 each own a customer with a visit and a complaint."""
    books = {}
    for key in ("spec1", "spec2"):
        c = F.customer(owner=users[key], name=f"{key}的客户")
        books[key] = dict(customer=c, visit=F.visit(c, staff=users[key]),
                          complaint=F.complaint(c, department="quality"),
                          issue=F.visit_issue(c, department="technical"))
    return books


def test_unauthenticated_admin_redirects_to_login(client, users):
    r = client.get("/admin/customer/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_specialist_list_shows_only_own_customers(client, two_books):
    login(client, "spec1")
    html = client.get("/admin/customer/").get_data(as_text=True)
    assert "spec1的客户" in html and "spec2的客户" not in html
    html = client.get("/admin/visit/").get_data(as_text=True)
    assert "spec1的客户" in html and "spec2的客户" not in html


@pytest.mark.parametrize("endpoint,key", [("customer", "customer"), ("visit", "visit"),
                                          ("complaint", "complaint"), ("visit_issue", "issue")])
def test_specialist_cannot_open_other_specialists_records(client, two_books, endpoint, key):
    other = two_books["spec2"][key]
    login(client, "spec1")
    assert client.get(f"/admin/{endpoint}/details/?id={other.id}").status_code == 404
    assert client.get(f"/admin/{endpoint}/edit/?id={other.id}").status_code == 404
    r = client.post(f"/admin/{endpoint}/edit/?id={other.id}", data={"purpose": "hacked"})
    assert r.status_code == 404
    # Their own record opens.
    mine = two_books["spec1"][key]
    assert client.get(f"/admin/{endpoint}/details/?id={mine.id}").status_code == 200


def test_specialist_cannot_delete(client, two_books):
    login(client, "spec1")
    mine = two_books["spec1"]["visit"]
    assert client.post("/admin/visit/delete/", data={"id": mine.id}).status_code == 403
    r = client.post("/admin/visit/action/", data={"action": "delete", "rowid": [mine.id]})
    assert M.Visit.get_or_none(M.Visit.id == mine.id) is not None
    assert r.status_code in (302, 403)


def test_specialist_export_contains_only_own_rows(client, two_books):
    login(client, "spec1")
    r = client.get("/admin/customer/export/csv/")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "spec1的客户" in text and "spec2的客户" not in text


def test_ajax_lookup_offers_only_own_customers(client, two_books):
    login(client, "spec1")
    r = client.get("/admin/visit/ajax/lookup/?name=customer&query=的客户")
    assert r.status_code == 200
    names = [label for _id, label in json.loads(r.data)]
    assert any("spec1的客户" in n for n in names)
    assert not any("spec2的客户" in n for n in names)


def test_specialist_cannot_file_a_visit_for_someone_elses_customer(client, users, two_books):
    login(client, "spec1")
    other = two_books["spec2"]["customer"]
    before = M.Visit.select().count()
    r = client.post("/admin/visit/new/", data={
        "customer": other.id, "visited_at": "2026-11-20 10:00:00", "channel": "phone"})
    assert r.status_code == 200  # the form again, with the refusal
    assert M.Visit.select().count() == before


def test_owner_sees_everything_manager_cannot_delete(client, two_books):
    login(client, "owner")
    html = client.get("/admin/customer/").get_data(as_text=True)
    assert "spec1的客户" in html and "spec2的客户" in html
    client.post("/logout")
    login(client, "manager")
    assert client.get("/admin/customer/").status_code == 200
    c = two_books["spec1"]["customer"]
    assert client.post("/admin/customer/delete/", data={"id": c.id}).status_code == 403
    assert client.get("/admin/user/").status_code == 403


def test_department_staff_see_only_their_department(client, two_books):
    login(client, "tech")
    assert client.get("/admin/customer/").status_code == 403
    html = client.get("/admin/visit_issue/").get_data(as_text=True)
    assert "交货延迟两天" in html
    # Complaints were dispatched to quality, not technical.
    c = two_books["spec1"]["complaint"]
    assert client.get(f"/admin/complaint/details/?id={c.id}").status_code == 404
    client.post("/logout")
    login(client, "quality")
    assert client.get(f"/admin/complaint/details/?id={c.id}").status_code == 200


def test_specialist_cannot_open_settings_registers(client, users):
    login(client, "spec1")
    assert client.get("/admin/user/").status_code == 403
    assert client.get("/admin/audit_log/").status_code == 403
    assert client.get("/admin/rule/").status_code == 200
    assert client.get("/admin/rule/new/").status_code == 403


def test_ajax_lookup_of_visits_by_customer_name_is_scoped(client, two_books):
    login(client, "spec1")
    r = client.get("/admin/visit_issue/ajax/lookup/?name=visit&query=的客户")
    labels = [label for _id, label in json.loads(r.data)]
    assert labels and all("spec1的客户" in label for label in labels)


def test_ajax_lookup_refuses_unknown_fields_and_anonymous(client, two_books):
    assert client.get("/admin/visit/ajax/lookup/?name=customer&query=a").status_code == 302
    login(client, "spec1")
    assert client.get("/admin/visit/ajax/lookup/?name=nope&query=a").status_code == 404
