"""Issue 15 item 4: ad hoc visits are requested and approved (000 §10): the
rules with fixed dates (domain/adhoc.py), and the loop through the web —
requested, seen by the manager, approved, due within 48 h of the approval,
the outcome in the requester's queue."""
import re
from datetime import date, datetime

import pytest

import models as M
from domain import adhoc as D
from domain.calendar import WorkCalendar
from services import adhoc
from services.users import create_user
from tests import factories as F
from tests.conftest import PASSWORD, login

CAL = WorkCalendar()
FRIDAY = datetime(2027, 1, 8, 16, 0)


@pytest.mark.parametrize("approved,wished,expected", [
    (datetime(2027, 1, 5, 10, 0), None, date(2027, 1, 6)),            # Tue: next working day
    (datetime(2027, 1, 5, 10, 0), date(2027, 1, 5), date(2027, 1, 5)),  # wished today: fine
    (datetime(2027, 1, 5, 10, 0), date(2027, 1, 20), date(2027, 1, 6)),  # too late: the limit
    (datetime(2027, 1, 5, 10, 0), date(2027, 1, 1), date(2027, 1, 6)),   # before the approval
    (FRIDAY, None, date(2027, 1, 8)),  # Friday 16:00: Monday is past 48 h, so today
])
def test_the_48_hours_count_from_the_approval(approved, wished, expected):
    assert D.due_on(approved, wished, CAL, 48) == expected


@pytest.mark.parametrize("role,department,ok", [
    ("specialist", "service", True), ("manager", None, True), ("owner", None, True),
    ("staff", "sales", True), ("staff", "service", True),
    ("staff", "technical", False), ("staff", None, False),
])
def test_who_may_request(role, department, ok):
    assert D.may_request(role, department) is ok
    if not ok:
        with pytest.raises(D.AdhocError):
            D.check_request("扩产", None, date(2027, 1, 5), role, department)


def test_a_request_needs_a_reason_and_no_past_date():
    with pytest.raises(D.AdhocError, match="reason"):
        D.check_request("  ", None, date(2027, 1, 5), "specialist", None)
    with pytest.raises(D.AdhocError, match="past"):
        D.check_request("扩产", date(2027, 1, 4), date(2027, 1, 5), "specialist", None)
    assert D.check_request(" 扩产 ", date(2027, 1, 5), date(2027, 1, 5), "specialist",
                           None) == "扩产"


def test_only_managers_decide_and_a_refusal_says_why():
    waiting = type("R", (), {"status": "requested"})()
    with pytest.raises(D.AdhocError, match="manager"):
        D.decide("approve", waiting, role="specialist", now=FRIDAY)
    with pytest.raises(D.AdhocError, match="reason"):
        D.decide("refuse", waiting, role="manager", now=FRIDAY, note=" ")
    assert D.decide("approve", waiting, role="manager", now=FRIDAY)["status"] == "approved"
    done = type("R", (), {"status": "approved"})()
    with pytest.raises(D.AdhocError, match="awaiting approval"):
        D.decide("refuse", done, role="manager", now=FRIDAY, note="x")


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    c = Clock(datetime(2027, 1, 4, 9, 0))  # a Monday
    for target in ("views.adhoc_requests.now", "views.customer_actions.now",
                   "views.worklists.now"):
        monkeypatch.setattr(target, c)
    return c


def _queue_link(html, label):
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(label), html)
    assert match, label
    return match.group(1).replace("&amp;", "&")


def test_requested_approved_and_due_within_48_hours(client, users, clock):
    customer = F.customer(owner=users["spec1"], name="扩产客户", customer_class="A")
    other = F.customer(owner=users["spec2"], name="别人的客户")
    login(client, "spec1")
    r = client.post("/admin/customer/action/", data={
        "action": "adhoc_visit", "rowid": [customer.id, other.id], "url": "/admin/customer/"})
    r = client.post(r.headers["Location"], data={"reason": "客户扩产,新增产线",
                                                  "wished_on": "2027-01-05"})
    assert r.status_code == 302
    req = M.AdhocRequest.get()  # only the specialist's own customer
    assert (req.customer_id, req.status, req.requested_by_id) == (
        customer.id, "requested", users["spec1"].id)
    assert M.PlannedVisit.select().count() == 0  # nothing planned before the approval
    mine = _queue_link(client.get("/admin/").get_data(as_text=True), "My ad hoc visit requests")
    assert "Awaiting approval" in client.get(mine).get_data(as_text=True)
    # A specialist cannot approve their own request.
    assert client.get(f"/admin/adhoc_request/decide/?step=approve&ids={req.id}").status_code \
        == 403
    client.post("/logout")

    login(client, "manager")
    todo = _queue_link(client.get("/admin/").get_data(as_text=True), "Ad hoc visits to approve")
    assert "客户扩产,新增产线" in client.get(todo).get_data(as_text=True)
    html = client.get(f"/admin/adhoc_request/details/?id={req.id}").get_data(as_text=True)
    assert "step=approve" in html and "step=refuse" in html
    clock.at = datetime(2027, 1, 6, 17, 0)  # approved on Wednesday: the wish has passed
    r = client.post(f"/admin/adhoc_request/decide/?step=approve&ids={req.id}",
                    data={"note": "同意"}, follow_redirects=True)
    assert "1 request decided." in r.get_data(as_text=True)
    req = M.AdhocRequest.get_by_id(req.id)
    assert req.status == "approved" and req.decided_by_id == users["manager"].id
    # Due within 48 h of the approval (not of the request): Thursday.
    assert req.due_on == date(2027, 1, 7)
    visit = req.planned_visit
    assert (visit.customer_id, visit.due_on, visit.status, visit.assignee_id) == (
        customer.id, date(2027, 1, 7), "planned", users["spec1"].id)
    assert visit.plan.kind == "adhoc" and visit.plan.status == "approved"
    assert visit.reason == "客户扩产,新增产线"
    client.post("/logout")

    login(client, "spec1")
    listed = client.get(mine).get_data(as_text=True)
    assert "Approved" in listed and "2027-01-07" in listed


def test_a_refusal_needs_its_reason_and_plans_nothing(client, users, clock):
    customer = F.customer(owner=users["spec1"])
    req, = adhoc.request_visits([customer.id], reason="设备升级", user=users["spec1"],
                                now=clock.at)
    login(client, "manager")
    url = f"/admin/adhoc_request/decide/?step=refuse&ids={req.id}"
    body = client.post(url, data={"note": ""}).get_data(as_text=True)
    assert "Give the reason for the refusal." in body
    assert M.AdhocRequest.get_by_id(req.id).status == "requested"
    client.post(url, data={"note": "本月已有上门计划"})
    req = M.AdhocRequest.get_by_id(req.id)
    assert (req.status, req.decision_note) == ("refused", "本月已有上门计划")
    assert M.PlannedVisit.select().count() == 0


def test_sales_staff_request_other_departments_may_not(client, users, clock):
    customer = F.customer(owner=users["spec1"], name="销售客户")
    create_user(username="sales", password=PASSWORD, role="staff", name="孙销售",
                department="sales")
    login(client, "sales")
    r = client.post("/admin/adhoc_request/new/", data={
        "customer": customer.id, "reason": "客户询价扩产设备", "wished_on": "2027-01-06"})
    assert r.status_code == 302, r.get_data(as_text=True)[:1000]
    req = M.AdhocRequest.get()
    assert req.requested_by.username == "sales" and req.status == "requested"
    assert client.get(f"/admin/adhoc_request/details/?id={req.id}").status_code == 200
    client.post("/logout")
    login(client, "tech")  # the technical department does not ask for visits
    assert "/admin/adhoc_request/new/" not in client.get("/admin/adhoc_request/").get_data(
        as_text=True)
    r = client.post("/admin/adhoc_request/new/", data={
        "customer": customer.id, "reason": "技术部也想去", "wished_on": ""})
    assert r.status_code in (302, 403)
    assert M.AdhocRequest.select().count() == 1
    # Nor do they see the sales request.
    assert client.get(f"/admin/adhoc_request/details/?id={req.id}").status_code == 404


def test_no_visible_customer_requests_nothing(users, clock):
    other = F.customer(owner=users["spec2"])
    with pytest.raises(D.AdhocError):
        adhoc.request_visits([other.id, 999999], reason="x", user=users["spec1"],
                             now=clock.at)
    assert M.AdhocRequest.select().count() == 0
