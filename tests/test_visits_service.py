"""services/visits.py and the visit screens: planned visits fulfilled and
re-pointed, late-entered records."""
import re
from datetime import date, datetime

import pytest

import models as M
from domain import clock
from domain.calendar import WorkCalendar
from domain.rules import Rules
from services import visits
from tests import factories as F
from tests.conftest import login

RULES = Rules()
PLAIN = WorkCalendar()
NOW = datetime(2026, 11, 9, 10, 0)


# ----------------------------------------------------------------- late entry (pure)

def test_entered_within_two_working_days_over_a_weekend():
    thursday = datetime(2026, 11, 5, 10, 0)  # deadline: Monday 10:00
    assert not visits.is_entered_late(thursday, datetime(2026, 11, 8, 20, 0), RULES, PLAIN)
    assert not visits.is_entered_late(thursday, datetime(2026, 11, 9, 10, 0), RULES, PLAIN)
    assert visits.is_entered_late(thursday, datetime(2026, 11, 9, 10, 1), RULES, PLAIN)


def test_holidays_give_more_time():
    friday = datetime(2026, 11, 6, 16, 0)  # Mon 9 off: deadline Wednesday 16:00
    calendar = WorkCalendar(holidays=[date(2026, 11, 9)])
    assert visits.is_entered_late(friday, datetime(2026, 11, 10, 17, 0), RULES, PLAIN)
    assert not visits.is_entered_late(friday, datetime(2026, 11, 10, 17, 0), RULES, calendar)
    assert visits.is_entered_late(friday, datetime(2026, 11, 11, 16, 1), RULES, calendar)


# ----------------------------------------------------------------- service

@pytest.fixture
def book(users):
    cust = F.customer(owner=users["spec1"], name="常州华东检测中心")
    plan = M.VisitPlan.create(name="2026年第四季度", kind="quarterly",
                              period_start=date(2026, 10, 1), period_end=date(2026, 12, 31),
                              status="approved")  # specialists see approved plans only
    one = M.PlannedVisit.create(plan=plan, customer=cust, due_on=date(2026, 11, 5), slot=1,
                                channel="onsite", focus="usage", assignee=users["spec1"])
    two = M.PlannedVisit.create(plan=plan, customer=cust, due_on=date(2026, 12, 5), slot=2,
                                assignee=users["spec1"])
    return dict(customer=cust, plan=plan, one=one, two=two)


def saved(visit, now=NOW):
    return visits.after_visit_saved(visit, rules=RULES, calendar=PLAIN, now=now)


def reload(record):
    return type(record).get_by_id(record.id)


def test_visit_fulfils_its_planned_visit(users, book):
    v = F.visit(book["customer"], planned_visit=book["one"],
                visited_at=datetime(2026, 11, 5, 10, 0), created_at=datetime(2026, 11, 6, 9, 0))
    saved(v)
    one = reload(book["one"])
    assert one.status == "done" and one.visit_id == v.id
    assert reload(v).entered_late is False
    entry = M.AuditLog.get(M.AuditLog.register == "planned_visit")
    assert entry.record_id == str(one.id)


def test_repointing_sends_the_old_planned_visit_back(users, book):
    v = F.visit(book["customer"], planned_visit=book["one"], created_at=NOW)
    saved(v)
    v.planned_visit = book["two"]
    v.save()
    saved(v)
    one, two = reload(book["one"]), reload(book["two"])
    assert (one.status, one.visit_id) == ("planned", None)
    assert (two.status, two.visit_id) == ("done", v.id)
    v.planned_visit = None
    v.save()
    saved(v)
    assert reload(book["two"]).status == "planned" and reload(book["two"]).visit_id is None


def test_links_that_cannot_be(users, book):
    first = F.visit(book["customer"], planned_visit=book["one"], created_at=NOW)
    saved(first)
    second = F.visit(book["customer"], planned_visit=book["one"], created_at=NOW)
    with pytest.raises(visits.VisitError):
        saved(second)
    other = F.customer(owner=users["spec1"])
    stranger = F.visit(other, planned_visit=book["two"], created_at=NOW)
    with pytest.raises(visits.VisitError) as ex:
        saved(stranger)
    assert ex.value.msgid == "The planned visit is for another customer."
    assert reload(book["two"]).status == "planned"


def test_late_entry_is_flagged_from_created_at(users, book):
    v = F.visit(book["customer"], visited_at=datetime(2026, 11, 5, 10, 0),
                created_at=datetime(2026, 11, 9, 11, 0))
    saved(v)
    assert reload(v).entered_late is True
    v.visited_at = datetime(2026, 11, 6, 10, 0)
    saved(v)
    assert reload(v).entered_late is False


# ----------------------------------------------------------------- screens

def _visit_form(customer, **extra):
    data = {"customer": customer.id, "visited_at": f"{clock.now():%Y-%m-%d %H:%M:%S}",
            "channel": "onsite", "purpose": "使用情况回访", "satisfaction": "5"}
    data.update(extra)
    return data


def test_record_a_planned_visit_through_the_form(client, users, book):
    login(client, "spec1")
    html = client.get(f"/admin/visit/new/?planned_visit={book['one'].id}").get_data(as_text=True)
    assert re.search(rf'name="customer"[^>]*value="{book["customer"].id}"', html)
    assert re.search(rf'name="planned_visit"[^>]*value="{book["one"].id}"', html)
    assert "Usage experience and fit" in html  # the focus as the purpose
    r = client.post("/admin/visit/new/", data=_visit_form(book["customer"],
                                                          planned_visit=book["one"].id))
    assert r.status_code == 302
    v = M.Visit.get()
    assert v.entered_late is False  # entered right after the visit
    one = reload(book["one"])
    assert one.status == "done" and one.visit_id == v.id
    # Re-point it in an edit: the first planned visit is free again.
    r = client.post(f"/admin/visit/edit/?id={v.id}", data=_visit_form(
        book["customer"], planned_visit=book["two"].id))
    assert r.status_code == 302
    assert reload(book["one"]).status == "planned" and reload(book["two"]).visit_id == v.id


def test_an_old_visit_entered_now_is_late(client, users, book):
    login(client, "owner")
    client.post("/admin/visit/new/", data=_visit_form(book["customer"],
                                                      visited_at="2020-01-06 10:00:00"))
    assert M.Visit.get().entered_late is True
    assert "Entered late" in client.get("/admin/visit/").get_data(as_text=True)


def test_planned_visit_of_another_customer_is_refused(client, users, book):
    other = F.customer(owner=users["spec1"], name="别家")
    login(client, "spec1")
    r = client.post("/admin/visit/new/", data=_visit_form(other, planned_visit=book["one"].id))
    assert r.status_code == 200
    assert "The planned visit is for another customer." in r.get_data(as_text=True)
    assert M.Visit.select().count() == 0 and reload(book["one"]).status == "planned"


def test_visit_details_offer_raising_a_problem(client, users, book):
    v = F.visit(book["customer"], staff=users["spec1"])
    login(client, "spec1")
    html = client.get(f"/admin/visit/details/?id={v.id}").get_data(as_text=True)
    assert f"/admin/visit_issue/new/?visit={v.id}" in html
