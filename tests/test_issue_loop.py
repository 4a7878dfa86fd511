"""Issue 15 item 2: a visit problem stays in the loop until the customer
confirms — follow-up log, next follow-up every 3 working days, a queue per
assignee, escalation of a resolved problem not followed up, closing with the
customer's evaluation. End to end through the web, with fixed times."""
import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

import models as M
from services import escalation
from tests import factories as F
from tests.conftest import login

RAISED = datetime(2026, 11, 9, 10, 0)  # a Monday


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    c = Clock(RAISED)
    for target in ("views.follow_up.now", "views.worklists.now", "views.deadlines.now",
                   "views.escalate_actions.now"):
        monkeypatch.setattr(target, c)
    return c


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司")


def _step(client, issue, name, **data):
    return client.post(f"/admin/visit_issue/step/?step={name}&ids={issue.id}", data=data,
                       follow_redirects=True).get_data(as_text=True)


def _queue_link(html, label):
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(label), html)
    assert match, label
    return match.group(1).replace("&amp;", "&")


def _listed(client, url, issue):
    return f"/admin/visit_issue/details/?id={issue.id}" in client.get(url).get_data(as_text=True)


def test_the_whole_loop(client, users, customer, clock):
    login(client, "spec1")
    r = client.post("/admin/visit_issue/new/", data={
        "customer": customer.id, "description": "示波器读数漂移", "category": "product",
        "level": "urgent", "raised_at": "2026-11-09 10:00:00", "department": "technical",
        "assignee": users["tech"].id, "escalation_level": "0"})
    assert r.status_code == 302, r.get_data(as_text=True)[:1500]
    issue = M.VisitIssue.get()
    # Raised with its department and handler: dispatched then, never "not dispatched".
    assert issue.status == "dispatched" and issue.dispatched_at == RAISED
    assert escalation.sweep(datetime(2026, 11, 9, 11, 30))["visit_issue"] == 0
    client.post("/logout")

    login(client, "tech")
    clock.at = datetime(2026, 11, 9, 14, 0)
    html = client.get(f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    assert "step=start" in html and "step=resolve" in html and "step=confirm" not in html
    _step(client, issue, "start", note="已联系客户,安排上门")
    clock.at = datetime(2026, 11, 10, 9, 0)
    _step(client, issue, "resolve", solution="更换传感器并重新校准", note="上门处理完毕",
          next_step="3个工作日后回访")
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.status == "resolved" and issue.next_follow_up_on == date(2026, 11, 13)

    # The follow-up shows in the assignee's queue once its date has come.
    queue = _queue_link(client.get("/admin/").get_data(as_text=True), "Problem follow-ups due")
    assert not _listed(client, queue, issue)
    clock.at = datetime(2026, 11, 13, 9, 0)
    assert _listed(client, queue, issue)
    # Not followed up by the end of that day: escalated like a missed deadline.
    assert escalation.sweep(datetime(2026, 11, 13, 20, 0))["visit_issue"] == 0
    assert escalation.sweep(datetime(2026, 11, 14, 9, 0))["visit_issue"] == 1
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.escalation_reason == "sla:follow_up" and issue.escalation_level == 1
    html = client.get(f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    assert "The resolved problem was not followed up in time." in html

    # A follow-up moves the date on 3 working days; the next miss escalates again.
    clock.at = datetime(2026, 11, 16, 10, 0)  # Monday
    _step(client, issue, "follow_up", note="电话回访,客户仍在试用", result="暂无异常",
          next_step="再跟进")
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.status == "resolved" and issue.next_follow_up_on == date(2026, 11, 19)
    clock.at = datetime(2026, 11, 17, 9, 0)
    assert not _listed(client, queue, issue)
    assert escalation.sweep(datetime(2026, 11, 20, 9, 0))["visit_issue"] == 1
    assert M.VisitIssue.get_by_id(issue.id).escalation_level == 2
    assert M.Escalation.select().where(M.Escalation.deadline == "follow_up").count() == 2
    # Department staff do not close it for the customer.
    assert "step=confirm" not in client.get(
        f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    client.post("/logout")

    login(client, "spec1")
    clock.at = datetime(2026, 11, 20, 15, 0)
    html = client.get(f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    assert "step=confirm" in html and "step=dispatch" not in html
    body = _step(client, issue, "confirm", evaluation="5", note="客户确认已解决",
                 confirmed_at="2026-11-20T14:30")
    assert "1 problem updated." in body
    issue = M.VisitIssue.get_by_id(issue.id)
    assert issue.status == "closed" and issue.customer_evaluation == 5
    assert issue.confirmed_at == datetime(2026, 11, 20, 14, 30)
    assert issue.next_follow_up_on is None
    assert escalation.sweep(datetime(2026, 12, 30, 9, 0))["visit_issue"] == 0

    log = [(line.step, line.action) for line in
           M.VisitIssueFollowUp.select().order_by(M.VisitIssueFollowUp.id)]
    assert log == [("start", "已联系客户,安排上门"), ("resolve", "上门处理完毕"),
                   ("follow_up", "电话回访,客户仍在试用"), ("confirm", "客户确认已解决")]
    html = client.get(f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    timeline = html[html.index('id="follow-up-log"'):]
    assert "电话回访,客户仍在试用" in timeline and "钱工" in timeline
    pdf = client.get(f"/admin/visit_issue/print/?id={issue.id}&lang=en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "电话回访,客户仍在试用" in text and "客户确认已解决" in text
    assert re.search(r"Customer's\s*evaluation\s*5", text)


def test_list_actions_refuse_what_the_status_does_not_allow(client, users, customer, clock):
    opened = F.visit_issue(customer, status="open", department="technical")
    resolved = F.visit_issue(customer, status="resolved", department="technical",
                             solution="已处理")
    login(client, "spec1")
    r = client.post("/admin/visit_issue/action/", data={"action": "confirm",
                                                         "rowid": [opened.id, resolved.id]})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1 of the selected problems cannot take this step" in page
    assert "Only a resolved problem can be confirmed by the customer." in page
    body = client.post(r.headers["Location"], data={"evaluation": "4"},
                       follow_redirects=True).get_data(as_text=True)
    assert "1 problem updated." in body
    assert "1 refused: Only a resolved problem can be confirmed by the customer." in body
    assert M.VisitIssue.get_by_id(opened.id).status == "open"
    assert M.VisitIssue.get_by_id(resolved.id).status == "closed"


def test_a_follow_up_needs_what_was_done(client, users, customer, clock):
    issue = F.visit_issue(customer, status="resolved", department="technical")
    login(client, "spec1")
    body = _step(client, issue, "follow_up", note="  ")
    assert "Say what was done (the follow-up note)." in body
    assert M.VisitIssueFollowUp.select().count() == 0
