"""Issue 15 item 1: a complaint closes only when the customer is satisfied,
is tracked after closing (recurrence checks), names what it is about, and the
date promised to the customer is a deadline. End to end through the web."""
import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

import models as M
from domain import kpis, periods
from services import complaints, escalation
from services.rules import current_rules
from tests import factories as F
from tests.conftest import login

RECEIVED = datetime(2026, 11, 10, 9, 0)  # a Tuesday


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    """One time for every view that asks the clock (steps, queues, deadlines, sweep)."""
    c = Clock(RECEIVED)
    for target in ("views.complaints.now", "views.worklists.now", "views.deadlines.now",
                   "views.escalate_actions.now"):
        monkeypatch.setattr(target, c)
    return c


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司")


def _form(customer, **extra):
    data = {"customer": customer.id, "complainant": "陈工",
            "complainant_phone": "138 1234 5678", "received_at": "2026-11-10 09:00:00",
            "channel": "hotline", "category": "product_quality",
            "description": "示波器开机无显示", "severity": "high", "department": "quality",
            "handler": "", "target_kind": "", "target_department": "",
            "promised_due": "2026-11-14 18:00:00"}
    data.update(extra)
    return data


def _step(client, complaint, step, **data):
    return client.post(f"/admin/complaint/step/?step={step}&ids={complaint.id}", data=data)


def _pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_registration_keeps_phone_target_and_promise(client, users, customer, clock):
    eq = M.Equipment.create(customer=customer, model_name="XJ-200", serial_no="SN-7")
    login(client, "spec1")
    r = client.post("/admin/complaint/new/", data=_form(
        customer, target_kind="equipment", target_equipment=str(eq.id)))
    assert r.status_code == 302, r.get_data(as_text=True)[:1500]
    c = M.Complaint.get()
    assert c.complainant_phone == "13812345678"  # cleaned like every phone field
    assert (c.target_kind, c.target_equipment_id) == ("equipment", eq.id)
    assert c.promised_due == datetime(2026, 11, 14, 18, 0)
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "Promised to the customer by" in html and "13812345678" in html
    text = _pdf_text(client.get(f"/admin/complaint/print/?id={c.id}"
                                "&form=complaint_registration&lang=en"))
    assert "13812345678" in text and "SN-7" in text and "2026-11-14 18:00" in text


@pytest.mark.parametrize("extra,message", [
    ({"target_kind": "department"}, "Choose the department the complaint is about."),
    ({"target_kind": "", "target_department": "sales"}, "Choose what kind of target"),
    ({"promised_due": "2026-11-09 18:00:00"}, "cannot be before the complaint was received"),
])
def test_an_incomplete_target_or_a_past_promise_is_refused(client, users, customer, clock,
                                                           extra, message):
    login(client, "spec1")
    r = client.post("/admin/complaint/new/", data=_form(customer, **extra))
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert M.Complaint.select().count() == 0


def test_equipment_of_another_customer_is_refused(client, users, customer, clock):
    other = F.customer(owner=users["spec1"])
    eq = M.Equipment.create(customer=other, model_name="XJ-200", serial_no="SN-8")
    login(client, "spec1")
    r = client.post("/admin/complaint/new/", data=_form(
        customer, target_kind="equipment", target_equipment=str(eq.id)))
    assert "must belong to the complaint&#39;s customer" in r.get_data(as_text=True)
    assert M.Complaint.select().count() == 0


def test_not_satisfied_reopens_then_satisfied_closes_then_tracking(client, users, customer,
                                                                   clock):
    login(client, "spec1")
    client.post("/admin/complaint/new/", data=_form(customer, handler=str(users["spec1"].id)))
    c = M.Complaint.get()
    for step, data in (("acknowledge", {"note": "已致电"}), ("investigate", {"note": "已答复"}),
                       ("resolve", {"note": "方案", "root_cause_category": "production"}),
                       ("await_customer", {"solution": "更换主板"})):
        clock.at += timedelta(hours=2)
        assert _step(client, c, step, **data).status_code == 302
    # The customer is not satisfied: not closed, back to handling.
    clock.at = datetime(2026, 11, 11, 15, 0)
    r = _step(client, c, "close", customer_satisfied="no", customer_score="2",
              note="客户认为仍有噪声")
    assert r.status_code == 302
    c = M.Complaint.get_by_id(c.id)
    assert c.status == "reopened" and c.closed_at is None and c.reopen_count == 1
    assert c.planned_at is None and c.plan_due == datetime(2026, 11, 13, 15, 0)
    verdict = M.ComplaintFollowUp.select().order_by(M.ComplaintFollowUp.id.desc()).get()
    assert (verdict.step, verdict.customer_satisfied, verdict.customer_score) == (
        "not_satisfied", False, 2)
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):]
    assert "Customer not satisfied: handled again" in timeline and "客户认为仍有噪声" in timeline
    # The new handling plan is a deadline: missed, it escalates (and is logged again).
    escalation.sweep(datetime(2026, 11, 13, 16, 0))
    c = M.Complaint.get_by_id(c.id)
    assert c.escalation_level >= 1
    assert M.Escalation.select().where((M.Escalation.record_id == c.id)
                                       & (M.Escalation.deadline == "plan")).count() == 1
    # Handled again, and this time the customer is satisfied.
    clock.at = datetime(2026, 11, 13, 17, 0)
    for step, data in (("investigate", {"note": "再次检测"}),
                       ("resolve", {"note": "更换电源", "root_cause_category": "production"}),
                       ("await_customer", {"solution": "更换电源模块"})):
        assert _step(client, c, step, **data).status_code == 302
    r = _step(client, c, "close", customer_satisfied="yes", customer_score="5", note="满意")
    c = M.Complaint.get_by_id(c.id)
    assert c.status == "closed" and c.customer_satisfied is True and c.customer_score == 5
    assert c.recheck_on == date(2026, 12, 13)  # rule complaint_recheck_days: 30
    # Reopened once: it never counts as closed on time.
    by = {f.code: f for f in kpis.figures(periods.month(2026, 11), rules=current_rules(),
                                          now=datetime(2026, 12, 1), compare=False)}
    assert (by["complaints_closed_on_time"].numerator,
            by["complaints_closed_on_time"].denominator) == (0, 1)

    # Not in the recurrence-check queue before the date, in it from then on.
    html = client.get("/admin/").get_data(as_text=True)
    queue = _queue_link(html, "Recurrence checks due")
    assert c.number not in client.get(queue).get_data(as_text=True)
    clock.at = datetime(2026, 12, 14, 9, 0)
    assert c.number in client.get(queue).get_data(as_text=True)
    # The note step is a tracking note now: the complaint stays closed.
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "Add a tracking note (recurrence check)" in html
    r = _step(client, c, "note", note="回访确认未再复发", result="运行正常",
              recheck_on="2027-01-14")
    assert r.status_code == 302
    c = M.Complaint.get_by_id(c.id)
    assert c.status == "closed" and c.recheck_on == date(2027, 1, 14) and c.reopen_count == 1
    track = M.ComplaintFollowUp.select().order_by(M.ComplaintFollowUp.id.desc()).get()
    assert track.step == "track" and track.action == "回访确认未再复发"
    assert c.number not in client.get(queue).get_data(as_text=True)
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "Tracking note (recurrence check)" in html[html.index('id="timeline"'):]
    text = _pdf_text(client.get(f"/admin/complaint/print/?id={c.id}&form=complaint_report"
                                "&lang=en"))
    assert "回访确认未再复发" in text and "2026-11-14 18:00" in text


def test_department_staff_may_not_write_tracking_notes(client, users, customer, clock):
    c = complaints.register(user=users["spec1"], now=RECEIVED, customer=customer.id,
                            category="delivery", description="延迟", received_at=RECEIVED,
                            department="technical")
    M.Complaint.update(status="closed", closed_at=RECEIVED, version=M.Complaint.version + 1
                       ).where(M.Complaint.id == c.id).execute()
    login(client, "tech")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "step=note" not in html
    client.post(f"/admin/complaint/step/?step=note&ids={c.id}", data={"note": "x"})
    assert M.ComplaintFollowUp.select().count() == 0


def test_a_missed_promise_escalates(users, customer, app):
    c = complaints.register(user=users["spec1"], now=RECEIVED, customer=customer.id,
                            category="price", description="报价", received_at=RECEIVED,
                            promised_due=datetime(2026, 11, 12, 18, 0))
    M.Complaint.update(contacted_at=RECEIVED, responded_at=RECEIVED, planned_at=RECEIVED,
                       status="resolving").where(M.Complaint.id == c.id).execute()
    assert escalation.sweep(datetime(2026, 11, 12, 17, 0))["complaint"] == 0
    assert escalation.sweep(datetime(2026, 11, 12, 19, 0))["complaint"] == 1
    c = M.Complaint.get_by_id(c.id)
    assert c.escalation_reason == "sla:promise" and c.escalation_level == 1
    assert escalation.sweep(datetime(2026, 11, 12, 20, 0))["complaint"] == 0


def _queue_link(html, label):
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(label), html)
    assert match, label
    return match.group(1).replace("&amp;", "&")
