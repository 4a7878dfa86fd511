"""Review probes: role rules on URLs and forms not covered by test_access.py."""
import json
from urllib.parse import urljoin, urlsplit

import pytest

import models as M
from tests import factories as F
from tests.conftest import PASSWORD, login


@pytest.fixture
def books(users):
    """spec1 and spec2 each own a customer with a contact, visit, complaint, issue."""
    out = {}
    for key in ("spec1", "spec2"):
        c = F.customer(owner=users[key], name=f"{key}的客户")
        out[key] = dict(
            customer=c,
            contact=M.Contact.create(customer=c, name=f"{key}的联系人"),
            visit=F.visit(c, staff=users[key], purpose=f"{key}的回访"),
            complaint=F.complaint(c, department="quality", description=f"{key}的投诉"),
            issue=F.visit_issue(c, department="technical", description=f"{key}的问题"),
        )
    return out


def _customer_form(c, **extra):
    data = {"code": c.code, "name": c.name, "nature": "enterprise", "industry": "other",
            "customer_class": "C", "tier": "regular", "annual_purchase": "1000",
            "owner": c.owner_id}
    data.update(extra)
    return data


def _issue_form(issue, **extra):
    data = {"customer": issue.customer_id, "description": issue.description,
            "category": "other", "level": "important", "status": "open",
            "raised_at": "2026-11-06 15:00:00", "escalation_level": "0",
            "department": issue.department or ""}
    data.update(extra)
    return data


def _browser_target(location, base="http://localhost/"):
    """Where a browser goes for this Location header (it drops tabs/newlines and
    treats a backslash like a slash)."""
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").replace("\\", "/")
    return urlsplit(urljoin(base, cleaned)).netloc


# --------------------------------------------------------------- holes (fail now)

@pytest.mark.parametrize("nxt", ["/\t/evil.example/", "/\n/evil.example/"])
def test_login_next_cannot_leave_the_site(client, users, nxt):
    """/login?next=/%09/evil.example/ : _safe_next lets "/\\t/..." through and
    Werkzeug drops the tab, so the Location header is "//evil.example/"
    (with a newline the response crashes instead)."""
    r = client.post("/login", query_string={"next": nxt},
                    data={"username": "spec1", "password": PASSWORD})
    assert r.status_code == 302
    assert _browser_target(r.headers["Location"]) in ("localhost", ""), r.headers["Location"]


def test_specialist_cannot_mark_a_customer_strategic(client, users, books):
    """SPEC: key customer = class A, or marked strategic *by a manager*."""
    c = books["spec1"]["customer"]
    login(client, "spec1")
    client.post(f"/admin/customer/edit/?id={c.id}", data=_customer_form(c, is_strategic="y"))
    c = M.Customer.get_by_id(c.id)
    assert not c.is_strategic and not c.is_key
    client.post("/admin/customer/new/", data=_customer_form(
        M.Customer(code="", name="自封战略客户", owner=users["spec1"].id), is_strategic="y"))
    made = M.Customer.get_or_none(M.Customer.name == "自封战略客户")
    assert made is None or not made.is_strategic


def test_audit_ip_cannot_be_forged_with_x_forwarded_for(client, books):
    """The audit log is read-only for everyone, yet any user writes its IP column
    through a request header (BaseView._ip trusts X-Forwarded-For's first entry)."""
    c = books["spec1"]["customer"]
    login(client, "spec1")
    client.post(f"/admin/customer/edit/?id={c.id}", data=_customer_form(c, name="改名"),
                headers={"X-Forwarded-For": "203.0.113.66"})
    entry = M.AuditLog.get((M.AuditLog.action == "update") & (M.AuditLog.register == "customer"))
    assert entry.ip != "203.0.113.66"


def test_department_staff_can_save_a_problem_dispatched_to_them(client, books):
    """Not a leak, the reverse: the edit form posts the record's customer id back
    (hidden select2 input) and the scoped Customer loader knows no customer for
    staff, so every save by department staff fails with 'Not a valid choice'."""
    c = books["spec1"]["complaint"]  # dispatched to quality
    login(client, "quality")
    r = client.post(f"/admin/complaint/edit/?id={c.id}", data={
        "number": c.number, "customer": c.customer_id, "received_at": "2026-11-03 09:00:00",
        "channel": "phone", "category": "product_quality", "description": "质量部已答复",
        "severity": "medium", "department": "quality", "status": "received",
        "escalation_level": "0"})
    assert r.status_code == 302
    assert M.Complaint.get_by_id(c.id).description == "质量部已答复"


# --------------------------------------------------------------- holds (pass now)

def test_lang_switch_redirects_only_to_this_site(client, users):
    for ref in ("https://evil.example/admin/", "http://localhost.evil.example/",
                "http://localhost@evil.example/"):
        r = client.post("/lang/en", headers={"Referer": ref})
        assert r.status_code == 302
        assert _browser_target(r.headers["Location"]) in ("localhost", ""), ref


def test_specialist_cannot_move_records_out_of_scope_by_editing(client, users, books):
    c, v = books["spec1"]["customer"], books["spec1"]["visit"]
    login(client, "spec1")
    r = client.post(f"/admin/customer/edit/?id={c.id}",
                    data=_customer_form(c, owner=users["spec2"].id))
    assert r.status_code == 200
    assert M.Customer.get_by_id(c.id).owner_id == users["spec1"].id
    client.post("/admin/customer/new/", data=_customer_form(
        M.Customer(code="", name="送给别人", owner=users["spec2"].id)))
    assert M.Customer.get_or_none(M.Customer.name == "送给别人") is None
    client.post(f"/admin/visit/edit/?id={v.id}", data={
        "customer": books["spec2"]["customer"].id, "visited_at": "2026-11-02 10:00:00",
        "channel": "phone", "staff": users["spec2"].id})
    assert M.Visit.get_by_id(v.id).customer_id == c.id


def test_handmade_foreign_keys_to_others_records_are_refused(client, users, books):
    mine, other = books["spec1"], books["spec2"]
    login(client, "spec1")
    n = M.Contact.select().count()
    client.post("/admin/contact/new/", data={"customer": other["customer"].id, "name": "插入"})
    assert M.Contact.select().count() == n
    n = M.ComplaintFollowUp.select().count()
    client.post("/admin/complaint_follow_up/new/", data={
        "complaint": other["complaint"].id, "at": "2026-11-07 09:00:00",
        "by": users["spec1"].id, "action": "偷看"})
    assert M.ComplaintFollowUp.select().count() == n
    # Nullable links to spec2's visit / contact are dropped, never stored.
    client.post("/admin/visit_issue/new/", data=_issue_form(
        M.VisitIssue(customer=mine["customer"].id, description="串联", department=None),
        visit=other["visit"].id))
    assert not M.VisitIssue.select().where(M.VisitIssue.visit == other["visit"].id).exists()
    client.post("/admin/care_event/new/", data={
        "customer": mine["customer"].id, "contact": other["contact"].id,
        "kind": "birthday", "scheduled_for": "2026-12-01"})
    assert not M.CareEvent.select().where(M.CareEvent.contact == other["contact"].id).exists()
    r = client.get("/admin/complaint_follow_up/ajax/lookup/?name=complaint&query=")
    assert [i for i, _l in json.loads(r.data)] == [mine["complaint"].id]


def test_staff_cannot_push_a_problem_to_another_department(client, books):
    issue = books["spec1"]["issue"]  # technical
    login(client, "tech")
    data = _issue_form(issue, department="quality")
    data.pop("customer")  # (sending it fails earlier, see the test above)
    r = client.post(f"/admin/visit_issue/edit/?id={issue.id}", data=data)
    assert r.status_code == 200
    assert M.VisitIssue.get_by_id(issue.id).department == "technical"


def test_export_with_filters_and_search_stays_scoped(app, client, users, books):
    login(client, "spec1")
    view = next(v for v in app.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == "visit")
    arg = next(view.get_filter_arg(i, f) for i, f in enumerate(view._filters)
               if f.column is M.Visit.staff and str(f.operation()) == "equals")
    for fmt in ("csv", "xlsx"):
        r = client.get(f"/admin/visit/export/{fmt}/?flt0_{arg}={users['spec2'].id}")
        assert r.status_code == 200 and "spec2的".encode() not in r.data
    r = client.get("/admin/visit/export/csv/?search=spec2")
    assert r.status_code == 200 and "spec2的".encode() not in r.data
    client.post("/logout")
    login(client, "tech")
    body = client.get("/admin/complaint/export/csv/").get_data(as_text=True)
    assert "spec1的客户" not in body and "spec2的客户" not in body


def test_no_bulk_delete_and_no_inline_edit_outside_ones_scope(client, books):
    v = books["spec1"]["visit"]
    for who in ("manager", "spec1"):
        login(client, who)
        client.post("/admin/visit/action/", data={"action": "delete", "rowid": [v.id]})
        assert M.Visit.get_or_none(M.Visit.id == v.id) is not None
        client.post("/logout")
    # A specialist cannot edit a cell of another specialist's visit.
    login(client, "spec1")
    r = client.post("/admin/visit/ajax/update/",
                    data={"list_form_pk": books["spec2"]["visit"].id, "purpose": "x"})
    assert r.status_code in (403, 404)
    assert M.Visit.get_by_id(books["spec2"]["visit"].id).purpose == "spec2的回访"


def test_manager_has_no_user_admin_on_any_url_and_audit_is_read_only(client, users):
    uid = users["spec1"].id
    login(client, "manager")
    for url in (f"/admin/user/details/?id={uid}", f"/admin/user/edit/?id={uid}",
                "/admin/user/export/csv/", "/admin/user/new/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/user/edit/?id={uid}", data={"role": "owner"}).status_code == 403
    assert M.User.get_by_id(uid).role == "specialist"
    client.post("/logout")
    login(client, "owner")
    entry = M.AuditLog.get()
    assert client.post("/admin/audit_log/delete/", data={"id": entry.id}).status_code == 403
    assert client.get(f"/admin/audit_log/edit/?id={entry.id}").status_code == 403
    client.post("/admin/audit_log/action/", data={"action": "delete", "rowid": [entry.id]})
    assert M.AuditLog.get_or_none(M.AuditLog.id == entry.id) is not None


def test_anonymous_posts_go_to_login(client, books):
    c = books["spec1"]["customer"]
    for url, data in (("/admin/customer/delete/", {"id": c.id}),
                      ("/admin/customer/action/", {"action": "delete", "rowid": [c.id]}),
                      ("/admin/customer/ajax/update/", {"list_form_pk": c.id, "name": "x"}),
                      ("/admin/customer/new/", {"name": "匿名"})):
        r = client.post(url, data=data)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url
    for url in (f"/admin/customer/details/?id={c.id}", "/admin/customer/export/csv/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url
    assert M.Customer.get_or_none(M.Customer.name == "匿名") is None
    assert M.Customer.get_by_id(c.id).name == "spec1的客户"
