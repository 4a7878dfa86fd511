"""Issue 15 item 3: plans that adjust instead of doubling (000 §5, §9, §11):
slots as window months, the quarterly adjustment of the annual plan, one plan
per customer and slot, monthly campaigns, the plan reminders, appointments."""
from collections import Counter
from datetime import date, datetime

import pytest

import models as M
from domain import planning
from domain.calendar import WorkCalendar
from domain.plan_reminders import plan_reminders
from domain.rules import Rules
from services.planning import PlanError, adjust_quarter, generate_plan
from tests import factories as F
from tests.conftest import login

RULES = Rules()
CAL = WorkCalendar(known_years=[2027])
NOW = datetime(2026, 12, 10, 9, 0)
Q1 = planning.quarter_slots(1)


def _customers(n_a=0, n_b=0, n_c=0):
    out = []
    for cls, n in (("A", n_a), ("B", n_b), ("C", n_c)):
        out += [planning.PlanCustomer(len(out) + 1, cls, "stable", 7) for _ in range(n)]
    return out


# ------------------------------------------------------------------ domain

def test_a_slot_is_the_month_its_window_starts():
    items = planning.desired_items(_customers(1, 1, 1), date(2027, 1, 1), date(2027, 12, 31),
                                   RULES, CAL)
    slots = {c: sorted(i.slot for i in items if i.customer_id == c) for c in (1, 2, 3)}
    assert slots == {1: list(range(1, 13)), 2: [1, 4, 7, 10], 3: [1, 7]}
    assert all(date(2027, i.slot, 1) <= i.due_on <= i.window_end for i in items)


def test_a_shorter_window_moves_the_due_date_a_hand_edit_inside_stays():
    # Class C, slot 1 (Jan-Jun) due in May; now class A: slot 1 is January only.
    desired = [planning.Item(1, 1, date(2027, 1, 20), "onsite", "upgrade", 7,
                             date(2027, 1, 31))]
    moved = planning.changes(desired, [planning.Existing(9, 1, 1, "planned", date(2027, 5, 4))])
    assert moved.move == [(9, date(2027, 1, 20))] and moved.add == []
    kept = planning.changes(desired, [planning.Existing(9, 1, 1, "planned", date(2027, 1, 5))])
    assert kept.move == []
    done = planning.changes(desired, [planning.Existing(9, 1, 1, "done", date(2027, 5, 4))])
    assert done.move == []  # history is never touched


def test_what_another_plan_holds_is_left_out():
    desired = [planning.Item(1, 1, date(2027, 1, 5), "phone", "upgrade", 7),
               planning.Item(2, 1, date(2027, 1, 6), "phone", "upgrade", 7)]
    keep, left_out = planning.uncovered(desired, {(2, 1): "2027年第一季度回访计划"})
    assert [i.customer_id for i in keep] == [1] and left_out == {"2027年第一季度回访计划": 1}


def test_campaign_items_spread_over_the_working_days_of_the_month():
    items = planning.campaign_items(_customers(0, 2, 20), date(2027, 3, 1), date(2027, 3, 31),
                                    "product_promotion", RULES, CAL)
    assert len(items) == 22 and {i.slot for i in items} == {None}
    assert {i.focus for i in items} == {"product_promotion"}
    assert all(CAL.is_working_day(i.due_on) and i.due_on.month == 3 for i in items)
    assert max(Counter(i.due_on for i in items).values()) <= 2


@pytest.mark.parametrize("today,status,adjusted,expected", [
    (date(2026, 12, 1), None, set(), [("annual", False)]),
    (date(2026, 12, 20), "draft", set(), [("annual", False)]),
    (date(2026, 12, 20), "approved", set(), []),
    (date(2026, 11, 30), None, set(), []),
    (date(2027, 1, 3), "approved", set(), [("quarterly", False)]),
    (date(2027, 1, 5), "approved", set(), [("quarterly", False)]),
    (date(2027, 1, 6), "approved", set(), [("quarterly", True)]),
    (date(2027, 1, 4), "approved", {1}, []),
    (date(2027, 2, 2), "approved", set(), []),
    (date(2027, 4, 2), "approved", {1}, [("quarterly", False)]),
])
def test_plan_reminders_follow_the_rules(today, status, adjusted, expected):
    got = plan_reminders(today, RULES, next_annual_status=status, adjusted_quarters=adjusted)
    assert [(r.code, r.overdue) for r in got] == expected


def test_plan_reminders_read_the_rules():
    rules = Rules([("plan_annual_month", "11", "text"), ("plan_quarterly_due_day", "10", "text")])
    got = plan_reminders(date(2026, 11, 8), rules, next_annual_status=None,
                         adjusted_quarters=set())
    assert [r.code for r in got] == ["annual"]
    late = plan_reminders(date(2027, 1, 8), rules, next_annual_status="approved",
                          adjusted_quarters=set())
    assert late[0].overdue is False and late[0].params == {"quarter": 1, "day": 10}


# ------------------------------------------------------------------ services

@pytest.fixture
def book(users):
    return {cls: F.customer(owner=users["spec1"], name=f"{cls}类客户", customer_class=cls)
            for cls in "ABC"}


def _q1_counts(plan):
    rows = (M.PlannedVisit.select(M.PlannedVisit.customer)
            .where((M.PlannedVisit.plan == plan.id) & M.PlannedVisit.slot.in_(Q1)
                   & (M.PlannedVisit.status != "cancelled")).tuples())
    return Counter(c for (c,) in rows)


def test_annual_then_quarterly_adjusts_never_doubles(app, book):
    annual = generate_plan(year=2027, now=NOW, rules=RULES, calendar=CAL).plan
    result = generate_plan(year=2027, quarter=1, now=NOW, rules=RULES, calendar=CAL)
    assert result.adjusted and result.plan.id == annual.id
    assert (result.added, result.cancelled, result.moved) == (0, 0, 0)
    assert M.VisitPlan.select().count() == 1
    counts = _q1_counts(annual)
    assert [counts[book[c].id] for c in "ABC"] == [3, 1, 1]  # monthly, quarterly, half-yearly
    adjustment = M.PlanAdjustment.get()
    assert (adjustment.plan_id, adjustment.quarter) == (annual.id, 1)


def test_the_adjustment_follows_reclassification_and_records_it(app, book, users):
    annual = generate_plan(year=2027, now=NOW, rules=RULES, calendar=CAL).plan
    b, c, a = book["B"], book["C"], book["A"]
    M.Customer.update(customer_class="A").where(M.Customer.id == b.id).execute()
    M.Customer.update(customer_class="C").where(M.Customer.id == a.id).execute()
    newcomer = F.customer(owner=users["spec1"], name="新客户", customer_class="B")
    r = adjust_quarter(annual, 2, now=NOW, rules=RULES, calendar=CAL, user_id=users["manager"].id)
    # B -> A: its April visit kept (moved into April if it was due later), May and June
    # added; A -> C: May and June cancelled (no class C window starts in Q2), April too;
    # the newcomer gets its one visit of the quarter.
    q2 = lambda cust: sorted(pv.slot for pv in M.PlannedVisit.select().where(
        (M.PlannedVisit.plan == annual.id) & (M.PlannedVisit.customer == cust.id)
        & M.PlannedVisit.slot.in_(planning.quarter_slots(2))
        & (M.PlannedVisit.status != "cancelled")))
    assert q2(b) == [4, 5, 6] and q2(a) == [] and q2(newcomer) == [4] and q2(c) == []
    april = M.PlannedVisit.get((M.PlannedVisit.customer == b.id) & (M.PlannedVisit.slot == 4))
    assert april.due_on.month == 4
    assert (r.added, r.cancelled) == (2 + 1, 3)
    log = M.PlanAdjustment.get()
    assert (log.quarter, log.added, log.cancelled, log.by_id) == (2, 3, 3, users["manager"].id)
    assert newcomer.id in __import__("json").loads(log.details)["added"]
    # Q1 untouched by the Q2 adjustment.
    assert _q1_counts(annual)[a.id] == 3


def test_a_moved_window_moves_the_visit(app, book):
    c = book["C"]
    annual = generate_plan(year=2027, customer_ids=[c.id], now=NOW, rules=RULES,
                           calendar=CAL).plan
    first = M.PlannedVisit.get((M.PlannedVisit.customer == c.id) & (M.PlannedVisit.slot == 1))
    first.due_on = date(2027, 5, 10)  # late in its Jan-Jun window
    first.save()
    M.Customer.update(customer_class="A").where(M.Customer.id == c.id).execute()
    r = adjust_quarter(annual, 1, customer_ids=[c.id], now=NOW, rules=RULES, calendar=CAL)
    assert r.moved == 1 and r.added == 2
    assert M.PlannedVisit.get_by_id(first.id).due_on.month == 1


def test_two_active_plans_never_hold_one_customers_window(app, book):
    quarterly = generate_plan(year=2027, quarter=1, now=NOW, rules=RULES, calendar=CAL).plan
    assert quarterly.kind == "quarterly"  # no annual plan yet: a quarter's own plan
    r = generate_plan(year=2027, now=NOW, rules=RULES, calendar=CAL)
    assert r.left_out == {quarterly.name: 3 + 1 + 1}
    held = Counter((pv.customer_id, pv.slot) for pv in M.PlannedVisit.select()
                   .where(M.PlannedVisit.status != "cancelled"))
    assert max(held.values()) == 1
    assert sum(1 for pv in M.PlannedVisit.select().where(M.PlannedVisit.plan == r.plan.id)) \
        == (12 - 3) + (4 - 1) + (2 - 1)


def test_monthly_campaign_once_per_customer_never_do_not_disturb(app, book, users):
    quiet = F.customer(owner=users["spec1"], name="勿扰客户", do_not_disturb=True)
    r = generate_plan(year=2027, month=3, focus="product_promotion", now=NOW, rules=RULES,
                      calendar=CAL)
    assert r.plan.kind == "monthly" and r.plan.period_start == date(2027, 3, 1)
    assert (r.added, r.skipped) == (3, 1)
    again = generate_plan(year=2027, month=3, focus="product_promotion", now=NOW, rules=RULES,
                          calendar=CAL)
    assert (again.added, again.kept) == (0, 3)
    other = generate_plan(year=2027, month=3, focus="policy_briefing", now=NOW, rules=RULES,
                          calendar=CAL)
    assert other.added == 3 and other.plan.id == r.plan.id
    assert not M.PlannedVisit.select().where(M.PlannedVisit.customer == quiet.id).exists()
    with pytest.raises(PlanError):
        generate_plan(year=2027, month=3, focus="usage", now=NOW, rules=RULES, calendar=CAL)


def test_cli_annual_then_quarter_then_month(app, book):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["generate-visits", "--year", "2027"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["generate-visits", "--year", "2027", "--quarter", "1"])
    assert second.exit_code == 0 and "quarter 1 adjusted" in second.output, second.output
    assert M.VisitPlan.select().count() == 1
    assert [_q1_counts(M.VisitPlan.get())[book[c].id] for c in "ABC"] == [3, 1, 1]
    third = runner.invoke(args=["generate-visits", "--year", "2027", "--month", "3",
                                "--focus", "satisfaction_survey"])
    assert third.exit_code == 0 and "3 added" in third.output, third.output
    bad = runner.invoke(args=["generate-visits", "--year", "2027", "--month", "3"])
    assert bad.exit_code != 0


# ------------------------------------------------------------------ web

def test_managers_adjust_from_the_plan_screen(client, users, book):
    generate_plan(year=2027, now=NOW, rules=RULES, calendar=CAL)
    M.Customer.update(customer_class="A").where(M.Customer.id == book["B"].id).execute()
    login(client, "spec1")
    assert client.get("/admin/visit_plan/adjust/").status_code == 403
    client.post("/logout")
    login(client, "manager")
    assert "adjust-quarter" in client.get("/admin/visit_plan/").get_data(as_text=True)
    r = client.post("/admin/visit_plan/adjust/", data={"year": "2027", "quarter": "1"},
                    follow_redirects=True)
    assert "adjusted: 2 added" in r.get_data(as_text=True)
    plan = M.VisitPlan.get()
    html = client.get(f"/admin/visit_plan/details/?id={plan.id}").get_data(as_text=True)
    assert 'id="plan-adjustments"' in html and "李经理" in html
    r = client.post("/admin/visit_plan/campaign/", data={
        "year": "2027", "month": "4", "focus": "policy_briefing"}, follow_redirects=True)
    assert M.VisitPlan.select().where(M.VisitPlan.kind == "monthly").count() == 1


def test_the_managers_dashboard_reminds_them(client, users, monkeypatch):
    monkeypatch.setattr("views.dashboard.now", lambda: datetime(2026, 12, 3, 9, 0))
    login(client, "manager")
    html = client.get("/admin/").get_data(as_text=True)
    assert 'id="reminders"' in html and "(2027) is due this month" in html
    client.post("/logout")
    login(client, "spec1")
    assert 'id="reminders"' not in client.get("/admin/").get_data(as_text=True)


def test_onsite_appointments_are_kept_and_printed(client, users, book):
    plan = M.VisitPlan.create(name="2027年度回访计划", kind="annual", period_start=date(2027, 1, 1),
                              period_end=date(2027, 12, 31), status="approved")
    pv = M.PlannedVisit.create(plan=plan, customer=book["A"], due_on=date(2027, 1, 12),
                               channel="onsite", assignee=users["spec1"], slot=1)
    login(client, "spec1")
    r = client.post(f"/admin/planned_visit/edit/?id={pv.id}", data={
        "plan": plan.id, "customer": book["A"].id, "due_on": "2027-01-12", "channel": "onsite",
        "focus": "", "assignee": users["spec1"].id, "status": "planned", "reason": "",
        "appointment_at": "2027-01-12 10:30:00", "appointment_contact": "周工 13912345678",
        "version": pv.version})
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    pv = M.PlannedVisit.get_by_id(pv.id)
    assert pv.appointment_at == datetime(2027, 1, 12, 10, 30)
    assert pv.appointment_contact == "周工 13912345678"
    import io
    from pypdf import PdfReader

    def text(url):
        data = client.get(url).data
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    sheet = text(f"/admin/visit_plan/print/?id={plan.id}&lang=en")
    assert "01-12 10:30" in sheet and "周工" in sheet
    record = text(f"/admin/planned_visit/print/?id={pv.id}&lang=en")
    assert "2027-01-12 10:30" in record and "周工 13912345678" in record


# ------------------------------------------------------------------ migration

@pytest.mark.parametrize("slot,due,month", [
    (1, date(2027, 5, 3), 1), (2, date(2027, 2, 9), 2), (2, date(2027, 5, 9), 4),
    (2, date(2027, 9, 9), 7), (4, date(2027, 11, 2), 10), (12, date(2027, 12, 2), 12),
    (3, date(2027, 12, 2), None),
])
def test_old_occurrence_slots_become_window_months(slot, due, month):
    from admin_app.migrations import _window_month
    assert _window_month(slot, due) == month


def test_m0011_turns_slots_into_window_months(app, book):
    from playhouse.migrate import migrate
    from admin_app import migrations
    plan = M.VisitPlan.create(name="旧计划", kind="annual", period_start=date(2027, 1, 1),
                              period_end=date(2027, 12, 31))
    old = [(book["B"], 1, date(2027, 2, 1)), (book["B"], 2, date(2027, 5, 6)),
           (book["B"], 3, date(2027, 8, 2)), (book["B"], 4, date(2027, 11, 3)),
           (book["C"], 1, date(2027, 3, 1)), (book["C"], 2, date(2027, 9, 1)),
           (book["A"], 2, date(2027, 2, 8)), (book["A"], 3, date(2027, 3, 8))]
    made = [M.PlannedVisit.create(plan=plan, customer=c, slot=s, due_on=d).id
            for c, s, d in old]
    m = migrations._migrator(M.db.obj)
    migrate(m.drop_column("planned_visit", "appointment_at"),
            m.drop_column("planned_visit", "appointment_contact"))
    migrations.SchemaVersion.delete().execute()
    migrations.SchemaVersion.create(version=migrations.MIGRATIONS.index(
        migrations.m0011_seed_loops))
    migrations.upgrade(M.db.obj)
    slots = [M.PlannedVisit.get_by_id(i).slot for i in made]
    assert slots == [1, 4, 7, 10, 1, 7, 2, 3]
    assert migrations.upgrade(M.db.obj) == []
