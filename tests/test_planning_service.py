"""Plan generation against the database, the list actions and approval, end to end."""
from datetime import date, datetime

import pytest

import models as M
from domain.calendar import WorkCalendar
from domain.rules import Rules
from services.planning import PlanError, generate_plan, schedule_adhoc
from tests import factories as F
from tests.conftest import login

CAL = WorkCalendar(known_years=[2027])
NOW = datetime(2026, 12, 10, 9, 0)


@pytest.fixture
def book(users):
    """spec1 owns an A and a C customer, spec2 a B customer."""
    return {
        "a1": F.customer(owner=users["spec1"], name="甲类一", customer_class="A", lifecycle="new"),
        "c1": F.customer(owner=users["spec1"], name="丙类一", customer_class="C"),
        "b2": F.customer(owner=users["spec2"], name="乙类二", customer_class="B",
                         lifecycle="dormant"),
    }


def _items(plan):
    return list(M.PlannedVisit.select().where(M.PlannedVisit.plan == plan.id))


def test_annual_plan_for_everyone_then_idempotent(book):
    r = generate_plan(year=2027, now=NOW, rules=Rules(), calendar=CAL)
    assert (r.added, r.kept, r.cancelled) == (12 + 2 + 4, 0, 0)
    assert r.plan.status == "draft" and r.plan.kind == "annual"
    items = _items(r.plan)
    b2 = [i for i in items if i.customer_id == book["b2"].id]
    assert {(i.channel, i.focus, i.assignee_id) for i in b2} == {
        ("phone", "reactivation", book["b2"].owner_id)}
    # Hand edits and done work survive a regeneration that adds nothing.
    first = items[0]
    first.due_on, first.status, first.channel = date(2027, 1, 20), "done", "video"
    first.save()
    again = generate_plan(year=2027, now=NOW, rules=Rules(), calendar=CAL)
    assert (again.plan.id, again.added, again.kept, again.cancelled) == (r.plan.id, 0, 18, 0)
    assert len(_items(r.plan)) == 18
    kept = M.PlannedVisit.get_by_id(first.id)
    assert (kept.due_on, kept.status, kept.channel) == (date(2027, 1, 20), "done", "video")
    assert again.missing_years == []


def test_regeneration_cancels_leavers_and_adds_newcomers(book, users):
    generate_plan(year=2027, quarter=1, now=NOW, rules=Rules(), calendar=CAL)
    M.Customer.update(customer_class="B").where(M.Customer.id == book["a1"].id).execute()
    newcomer = F.customer(owner=users["spec1"], name="新客户", customer_class="B")
    r = generate_plan(year=2027, quarter=1, now=NOW, rules=Rules(), calendar=CAL)
    # a1 went from monthly (3 in Q1) to quarterly (1): slots 2 and 3 cancelled.
    assert (r.added, r.cancelled) == (1, 2)
    assert M.PlannedVisit.select().where(M.PlannedVisit.customer == newcomer.id).count() == 1


def test_closed_plan_refuses_and_missing_calendar_warns(book):
    r = generate_plan(year=2027, now=NOW, rules=Rules(), calendar=WorkCalendar())
    assert r.missing_years == [2027]
    M.VisitPlan.update(status="closed").execute()
    with pytest.raises(PlanError):
        generate_plan(year=2027, now=NOW, rules=Rules(), calendar=CAL)


def test_adhoc_visit_within_48_hours(book):
    plan, due, count = schedule_adhoc([book["c1"].id], reason="客户扩产", now=datetime(2027, 1, 8, 10),
                                      rules=Rules(), calendar=CAL)
    assert (count, due, plan.kind, plan.status) == (1, date(2027, 1, 8), "adhoc", "approved")
    pv = M.PlannedVisit.get(M.PlannedVisit.plan == plan.id)
    assert (pv.reason, pv.focus, pv.slot) == ("客户扩产", "event", None)
    with pytest.raises(PlanError):
        schedule_adhoc([book["c1"].id], reason=" ", rules=Rules(), calendar=CAL)


def _filter_arg(app, endpoint, column):
    view = next(v for v in app.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == endpoint)
    return next(view.get_filter_arg(i, f) for i, f in enumerate(view._filters)
                if f.column is column and type(f).__name__ == "FilterEqual")


def test_manager_generates_for_selected_approves_and_specialist_sees_own(app, client, book, users):
    login(client, "manager")
    r = client.post("/admin/customer/action/", data={
        "action": "generate_plan", "rowid": [book["a1"].id, book["b2"].id],
        "url": "/admin/customer/"})
    assert r.status_code == 302 and "/admin/customer/plan/" in r.headers["Location"]
    page = client.get(r.headers["Location"])
    assert page.status_code == 200
    r = client.post(r.headers["Location"], data={"year": "2027", "quarter": "1",
                                                  "scope": "selected"})
    assert r.status_code == 302
    items_page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "flt0_" in r.headers["Location"] and "乙类二" in items_page  # the plan's items
    plan = M.VisitPlan.get()
    assert plan.status == "draft"
    assert M.PlannedVisit.select().count() == 3 + 1   # a1 monthly in Q1, b2 once
    # spec1 sees nothing while the plan is a draft, even on its own customers.
    client.post("/logout")
    login(client, "spec1")
    assert "甲类一" not in client.get("/admin/planned_visit/").get_data(as_text=True)
    # A specialist cannot approve.
    client.post("/admin/visit_plan/action/", data={"action": "submit", "rowid": [plan.id]})
    client.post("/admin/visit_plan/action/", data={"action": "approve", "rowid": [plan.id]})
    assert M.VisitPlan.get_by_id(plan.id).status == "submitted"
    client.post("/logout")
    login(client, "manager")
    client.post("/admin/visit_plan/action/", data={"action": "approve", "rowid": [plan.id]})
    plan = M.VisitPlan.get_by_id(plan.id)
    assert plan.status == "approved" and plan.approved_by_id == users["manager"].id
    client.post("/logout")
    login(client, "spec1")
    html = client.get("/admin/planned_visit/").get_data(as_text=True)
    assert html.count("甲类一") == 3 and "乙类二" not in html
    client.post("/logout")
    login(client, "spec2")
    html = client.get("/admin/planned_visit/").get_data(as_text=True)
    assert "乙类二" in html and "甲类一" not in html


def test_my_visits_shows_due_soon_and_overdue_only(client, book, users):
    from domain.clock import today
    from datetime import timedelta
    plan = M.VisitPlan.create(name="p", kind="quarterly", period_start=today(),
                              period_end=today() + timedelta(days=90), status="approved")
    for days, label in ((-3, "逾期客户"), (1, "明天客户"), (40, "下月客户")):
        c = F.customer(owner=users["spec1"], name=label)
        M.PlannedVisit.create(plan=plan, customer=c, due_on=today() + timedelta(days=days),
                              assignee=users["spec1"], slot=1)
    login(client, "spec1")
    html = client.get("/admin/my_visit/").get_data(as_text=True)
    assert "逾期客户" in html and "明天客户" in html and "下月客户" not in html
    assert "overdue" in html


def test_adhoc_action_needs_a_reason(client, book):
    login(client, "spec1")
    r = client.post("/admin/customer/action/", data={
        "action": "adhoc_visit", "rowid": [book["a1"].id, book["b2"].id],
        "url": "/admin/customer/"})
    target = r.headers["Location"]
    assert client.post(target, data={"reason": ""}).status_code == 200
    assert M.AdhocRequest.select().count() == 0
    r = client.post(target, data={"reason": "设备升级"})
    assert r.status_code == 302
    # Only the specialist's own customer (b2 belongs to spec2) got a request, and
    # nothing is planned before a manager approves it.
    assert [r.customer_id for r in M.AdhocRequest.select()] == [book["a1"].id]
    assert M.PlannedVisit.select().count() == 0


def test_record_visit_from_a_planned_visit_marks_it_done(client, book, users):
    plan = M.VisitPlan.create(name="p", kind="quarterly", period_start=date(2026, 10, 1),
                              period_end=date(2026, 12, 31), status="approved")
    pv = M.PlannedVisit.create(plan=plan, customer=book["a1"], due_on=date(2026, 11, 20),
                               assignee=users["spec1"], slot=1, channel="onsite")
    login(client, "spec1")
    html = client.get("/admin/planned_visit/").get_data(as_text=True)
    assert f"/admin/visit/new/?planned_visit={pv.id}" in html
    form = client.get(f"/admin/visit/new/?planned_visit={pv.id}").get_data(as_text=True)
    assert f'data-json="[{book["a1"].id}, ' in form  # customer prefilled (JSON-escaped name)
    r = client.post(f"/admin/visit/new/?planned_visit={pv.id}", data={
        "customer": book["a1"].id, "planned_visit": pv.id, "visited_at": "2026-11-20 10:00:00",
        "channel": "onsite", "purpose": "月度回访"})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    pv = M.PlannedVisit.get_by_id(pv.id)
    assert pv.status == "done" and pv.visit.purpose == "月度回访"


def test_generate_for_all_customers_matching_the_list_search(client, book):
    login(client, "manager")
    r = client.post("/admin/customer/action/", data={
        "action": "generate_plan", "rowid": [book["b2"].id], "url": "/admin/customer/?search=类一"})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "2 customers matching" in page           # 甲类一 and 丙类一, counted not fetched
    client.post(r.headers["Location"], data={"year": "2027", "quarter": "1", "scope": "filter"})
    planned = {pv.customer_id for pv in M.PlannedVisit.select()}
    assert planned == {book["a1"].id, book["c1"].id}  # not the selected b2
