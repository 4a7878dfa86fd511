"""services/issues.py and the visit problem screens: deadlines on create, list
actions, confirmation before closing, department scope, level changes."""
import json
import re
from datetime import date, datetime

import pytest

import models as M
from domain.calendar import WorkCalendar
from domain.i18n import NOT_YOURS
from domain.issues import TransitionError
from domain.rules import Rules
from services import issues
from tests import factories as F
from tests.conftest import login

NOW = datetime(2026, 11, 9, 10, 0)
RAISED = "2026-11-06 15:00:00"  # a Friday


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司")


def form(customer, **extra):
    data = {"customer": customer.id, "description": "校准证书缺失", "category": "service",
            "level": "urgent", "raised_at": RAISED, "escalation_level": "0",
            "department": ""}
    data.update(extra)
    return data


def make(customer, **kw):
    return issues.raise_issue(user=None, now=NOW, rules=Rules(), calendar=WorkCalendar(),
                              customer=customer.id, description="读数漂移",
                              raised_at=datetime(2026, 11, 6, 15, 0), **kw)


def act(client, name, ids):
    return client.post("/admin/visit_issue/action/", data={"action": name, "rowid": ids},
                       follow_redirects=True).get_data(as_text=True)


def test_create_through_the_form_sets_deadlines(client, users, customer):
    login(client, "owner")
    r = client.post("/admin/visit_issue/new/", data=form(customer, status="closed"))
    assert r.status_code == 302
    issue = M.VisitIssue.get()
    assert issue.status == "open"  # the form cannot set the status
    assert issue.dispatch_due == datetime(2026, 11, 6, 16, 0)
    assert issue.response_due == datetime(2026, 11, 7, 15, 0)
    assert issue.resolve_due == datetime(2026, 11, 17, 15, 0)
    assert issue.next_follow_up_on == date(2026, 11, 11)
    created = M.AuditLog.get((M.AuditLog.register == "visit_issue")
                             & (M.AuditLog.action == "create"))
    assert json.loads(created.changes)["resolve_due"] == [None, "2026-11-17 15:00:00"]


def test_create_from_a_visit_prefills_and_takes_its_customer(client, users, customer):
    visit = F.visit(customer, staff=users["spec1"])
    login(client, "spec1")
    html = client.get(f"/admin/visit_issue/new/?visit={visit.id}").get_data(as_text=True)
    assert re.search(rf'name="customer"[^>]*value="{customer.id}"', html)
    assert re.search(rf'name="visit"[^>]*value="{visit.id}"', html)
    other = F.customer(owner=users["spec1"], name="另一家")
    client.post("/admin/visit_issue/new/", data=form(other, visit=visit.id, level="general"))
    issue = M.VisitIssue.get()
    assert issue.visit_id == visit.id and issue.customer_id == customer.id
    assert issue.dispatch_due is None


def step_page(client, name, ids, **data):
    return client.post(f"/admin/visit_issue/step/?step={name}&ids={','.join(map(str, ids))}",
                       data=data, follow_redirects=True).get_data(as_text=True)


def test_dispatch_through_the_department_page(client, users, customer):
    issue = make(customer, level="important")
    login(client, "spec1")
    r = client.post("/admin/visit_issue/action/", data={"action": "dispatch",
                                                         "rowid": [issue.id]})
    assert r.status_code == 302 and "/admin/visit_issue/step/" in r.headers["Location"]
    assert "step=dispatch" in r.headers["Location"]
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and 'name="department"' in page.get_data(as_text=True)
    r = client.post(f"/admin/visit_issue/dispatch/?ids={issue.id}",
                    data={"department": "technical", "note": "转技术部"}, follow_redirects=True)
    assert "1 problem updated." in r.get_data(as_text=True)
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.status == "dispatched" and issue.department == "technical"
    assert issue.dispatched_at is not None
    entry = M.AuditLog.get((M.AuditLog.register == "visit_issue")
                           & (M.AuditLog.action == "action"))
    changes = json.loads(entry.changes)
    assert changes["action"] == [None, "dispatch"]
    assert changes["status"] == ["open", "dispatched"]
    line = M.VisitIssueFollowUp.get()
    assert (line.step, line.action, line.by_id) == ("dispatch", "转技术部", users["spec1"].id)


def test_close_is_refused_until_the_customer_evaluates(client, users, customer):
    issue = make(customer, level="urgent", department="technical")
    issues.transition([issue.id], "dispatch", user=users["spec1"], now=NOW)
    login(client, "tech")
    step_page(client, "start", [issue.id])
    body = step_page(client, "resolve", [issue.id], solution="")
    assert "Enter the solution before resolving." in body
    step_page(client, "resolve", [issue.id], solution="更换传感器并重新校准")
    assert M.VisitIssue.get_by_id(issue.id).status == "resolved"
    # Department staff do not close for the customer.
    assert client.get(f"/admin/visit_issue/step/?step=confirm&ids={issue.id}").status_code == 403
    client.post("/logout")
    login(client, "spec1")
    body = step_page(client, "confirm", [issue.id], note="客户确认")
    assert "Record the customer&#39;s evaluation (1-5) before closing." in body
    assert M.VisitIssue.get_by_id(issue.id).status == "resolved"
    body = step_page(client, "confirm", [issue.id], evaluation="4", note="客户确认")
    assert "1 problem updated." in body
    closed = M.VisitIssue.get_by_id(issue.id)
    assert closed.status == "closed" and closed.confirmed_at and closed.responded_at
    assert closed.customer_evaluation == 4 and closed.next_follow_up_on is None


def test_department_staff_act_only_on_their_department(client, users, customer):
    mine = make(customer, department="technical")
    theirs = make(customer, department="quality")
    issues.transition([mine.id, theirs.id], "dispatch", user=users["owner"], now=NOW)
    login(client, "tech")
    body = step_page(client, "start", [mine.id, theirs.id])
    assert "1 problem updated." in body
    assert "1 refused: Not found, or not yours to change." in body
    assert M.VisitIssue.get_by_id(mine.id).status == "in_progress"
    assert M.VisitIssue.get_by_id(theirs.id).status == "dispatched"
    # Staff neither dispatch nor confirm for the customer.
    assert client.get(f"/admin/visit_issue/dispatch/?ids={mine.id}").status_code == 403


def test_service_transition_reports_each_refusal(users, customer):
    a = make(customer, department="technical")
    b = make(customer)
    done, refused = issues.transition([a.id, b.id, 999999], "dispatch", user=users["manager"],
                                      now=NOW)
    assert done == [a.id]
    reasons = {i: ex.msgid for i, ex in refused}
    assert reasons[b.id] == "Choose the department to dispatch to."
    assert reasons[999999] == NOT_YOURS
    done, refused = issues.transition([b.id], "start", user=users["manager"], now=NOW)
    assert done == [] and refused[0][1].msgid == "Only a dispatched problem can be started."


def test_specialist_only_on_own_customers(users, customer):
    issue = make(customer, department="technical")
    done, refused = issues.transition([issue.id], "dispatch", user=users["spec2"], now=NOW)
    assert done == [] and refused[0][1].msgid == NOT_YOURS


def test_level_change_needs_a_reason_and_recomputes(client, users, customer):
    issue = make(customer, level="general")
    login(client, "owner")
    url = f"/admin/visit_issue/edit/?id={issue.id}"
    r = client.post(url, data=form(customer, level="urgent"))
    assert r.status_code == 200
    assert "Give the reason for changing the level." in r.get_data(as_text=True)
    assert M.VisitIssue.get_by_id(issue.id).level == "general"
    r = client.post(url, data=form(customer, level="urgent",
                                   level_change_reason="客户生产线停机"))
    assert r.status_code == 302
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.level == "urgent" and issue.level_reason == "客户生产线停机"
    assert issue.dispatch_due == datetime(2026, 11, 6, 16, 0)  # from raised_at, not now
    assert issue.response_due == datetime(2026, 11, 7, 15, 0)
    # Editing other fields needs no reason.
    r = client.post(url, data=form(customer, level="urgent", description="改描述"))
    assert r.status_code == 302


def test_service_change_level(users, customer):
    issue = make(customer, level="general")
    with pytest.raises(TransitionError):
        issues.change_level(issue, "important", "", user=users["manager"],
                            rules=Rules(), calendar=WorkCalendar())
    issues.change_level(issue, "important", "影响交付", user=users["manager"],
                        rules=Rules(), calendar=WorkCalendar())
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.level == "important" and issue.response_due == datetime(2026, 11, 13, 15, 0)
    entry = M.AuditLog.select().where(M.AuditLog.action == "action").get()
    assert json.loads(entry.changes)["level"] == ["general", "important"]


def test_list_shows_time_left_and_overdue(client, users, customer, monkeypatch):
    monkeypatch.setattr("views.deadlines.now", lambda: NOW)
    make(customer, level="urgent")  # resolve_due 2026-11-17 15:00
    late = make(customer, level="urgent")
    M.VisitIssue.update(resolve_due=datetime(2026, 11, 6, 8, 0)).where(
        M.VisitIssue.id == late.id).execute()
    login(client, "owner")
    html = client.get("/admin/visit_issue/").get_data(as_text=True)
    assert "11-17 15:00" in html and "8 d 5 h left" in html
    assert "overdue by 3 d 2 h" in html and 'class="text-danger overdue"' in html
