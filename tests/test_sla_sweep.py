"""The SLA sweep (services/escalation.py) and escalation rules (domain/escalation.py):
levels, never twice for one miss, idempotence, two sweeps at once, manual escalation."""
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

import models as M
from domain import escalation as D
from services import complaints, escalation
from tests import factories as F

RECEIVED = datetime(2026, 11, 10, 9, 0)  # Tuesday; contact due 21:00, response 11th 9:00


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], name="常州恒达机械")


def new_complaint(customer, user, received=RECEIVED, **kw):
    return complaints.register(user=user, now=received, customer=customer.id,
                               category="product_quality", description="读数漂移",
                               received_at=received, **kw)


def reload(record):
    return type(record).get_by_id(record.id)


# ------------------------------------------------------------------ pure rules

def test_missed_lists_passed_unmet_unswept_deadlines_in_order():
    due = datetime(2026, 11, 10, 12, 0)
    rec = SimpleNamespace(status="acknowledged", sla_missed=0, contact_due=due,
                          contacted_at=due + timedelta(hours=1),  # met, but late
                          response_due=due, responded_at=None,
                          plan_due=due + timedelta(days=5), planned_at=None,
                          close_due=None, closed_at=None)
    now = due + timedelta(hours=2)
    assert [d.name for d in D.missed("complaint", rec, now)] == ["contact", "response"]
    rec.sla_missed = 1
    assert [d.name for d in D.missed("complaint", rec, now)] == ["response"]
    rec.status = "closed"
    assert D.missed("complaint", rec, now) == []


def test_manual_escalation_rules():
    rec = SimpleNamespace(escalation_level=0)
    assert D.manual(rec, " 客户要求经理出面 ", "manager") == {
        "escalation_level": 1, "escalation_reason": "客户要求经理出面"}
    for role in ("specialist", "staff"):
        with pytest.raises(D.EscalationError):
            D.manual(rec, "x", role)
    with pytest.raises(D.EscalationError):
        D.manual(rec, "  ", "manager")
    with pytest.raises(D.EscalationError):
        D.manual(SimpleNamespace(escalation_level=2), "x", "owner")


def test_sweep_reasons_are_translatable_labels():
    assert D.reason_label("complaint", "sla:contact") == D.SLA[0].label
    assert D.reason_label("complaint", "客户要求") is None


# ------------------------------------------------------------------ the sweep

def test_first_miss_is_level_1_the_next_level_2(customer, users):
    c = new_complaint(customer, users["spec1"])
    assert escalation.sweep(datetime(2026, 11, 10, 20, 0)) == {"complaint": 0, "visit_issue": 0}

    assert escalation.sweep(datetime(2026, 11, 10, 21, 1))["complaint"] == 1
    c = reload(c)
    assert (c.escalation_level, c.escalation_reason) == (1, "sla:contact")
    assert c.escalated_at == datetime(2026, 11, 10, 21, 1)

    # Contacted late, then the response deadline passes too.
    complaints.take_step([c.id], "acknowledge", user=users["spec1"],
                         now=datetime(2026, 11, 10, 22, 0), note="已电话联系")
    assert escalation.sweep(datetime(2026, 11, 11, 9, 5))["complaint"] == 1
    c = reload(c)
    assert (c.escalation_level, c.escalation_reason) == (2, "sla:response")
    log = escalation.history("complaint", c.id)
    assert [(e.deadline, e.level, e.by_id) for e in log] == [("contact", 1, None),
                                                             ("response", 2, None)]
    assert log[0].due == datetime(2026, 11, 10, 21, 0)


def test_a_second_sweep_changes_nothing(customer, users):
    c = new_complaint(customer, users["spec1"])
    late = datetime(2026, 11, 30, 9, 0)  # every deadline passed
    first = escalation.sweep(late)
    assert first["complaint"] == 4
    c = reload(c)
    assert c.escalation_level == 2 and c.sla_missed == 15
    before = (c.escalated_at, c.escalation_reason, c.updated_at)
    assert escalation.sweep(late + timedelta(hours=3)) == {"complaint": 0, "visit_issue": 0}
    c = reload(c)
    assert (c.escalated_at, c.escalation_reason, c.updated_at) == before
    assert M.Escalation.select().count() == 4


def test_deadlines_met_in_time_and_closed_records_never_escalate(customer, users):
    on_time = new_complaint(customer, users["spec1"])
    complaints.take_step([on_time.id], "acknowledge", user=users["spec1"],
                         now=RECEIVED + timedelta(hours=1), note="已联系")
    closed = new_complaint(customer, users["spec1"])
    M.Complaint.update(status="closed", closed_at=RECEIVED).where(
        M.Complaint.id == closed.id).execute()
    escalation.sweep(datetime(2026, 11, 10, 22, 0))
    assert reload(on_time).escalation_level == 0
    assert reload(closed).escalation_level == 0


def test_manual_then_sweep_goes_one_level_per_miss(customer, users):
    c = new_complaint(customer, users["spec1"])
    done, refused = escalation.escalate("complaint", [c.id], "客户威胁投诉到媒体",
                                        user=users["manager"], now=RECEIVED)
    assert done == [c.id] and not refused
    escalation.sweep(datetime(2026, 11, 10, 21, 30))
    c = reload(c)
    assert c.escalation_level == 2 and c.escalation_reason == "sla:contact"
    log = escalation.history("complaint", c.id)
    assert [(e.level, e.by_id, e.reason) for e in log] == [
        (1, users["manager"].id, "客户威胁投诉到媒体"), (2, None, "sla:contact")]


def test_manual_escalation_respects_scope_and_role(customer, users):
    c = new_complaint(customer, users["spec1"])
    done, refused = escalation.escalate("complaint", [c.id], "x", user=users["spec1"],
                                        now=RECEIVED)
    assert done == [] and len(refused) == 1
    other = F.customer(owner=users["spec2"])
    theirs = new_complaint(other, users["spec2"])
    done, refused = escalation.escalate("complaint", [theirs.id], "x", user=users["spec1"],
                                        now=RECEIVED)
    assert done == [] and "yours" in str(refused[0][1])
    assert reload(theirs).escalation_level == 0


def test_visit_problems_escalate_too(customer, users):
    issue = F.visit_issue(customer, level="urgent", raised_at=RECEIVED,
                          dispatch_due=RECEIVED + timedelta(hours=1),
                          response_due=RECEIVED + timedelta(hours=24),
                          resolve_due=RECEIVED + timedelta(days=9))
    counts = escalation.sweep(RECEIVED + timedelta(hours=2))
    assert counts == {"complaint": 0, "visit_issue": 1}
    issue = reload(issue)
    assert (issue.escalation_level, issue.escalation_reason) == (1, "sla:dispatch")
    # Resolved in time is not the end: the follow-up date still counts.
    M.VisitIssue.update(status="resolved", responded_at=RECEIVED + timedelta(hours=3),
                        resolved_at=RECEIVED + timedelta(hours=3),
                        next_follow_up_on=(RECEIVED + timedelta(days=30)).date()).where(
        M.VisitIssue.id == issue.id).execute()
    assert escalation.sweep(RECEIVED + timedelta(days=30))["visit_issue"] == 0
    assert escalation.sweep(RECEIVED + timedelta(days=31))["visit_issue"] == 1
    issue = reload(issue)
    assert (issue.escalation_level, issue.escalation_reason) == (2, "sla:follow_up")
    # Confirmed by the customer (closed): nothing more.
    M.VisitIssue.update(status="closed", confirmed_at=RECEIVED + timedelta(days=31),
                        next_follow_up_on=(RECEIVED + timedelta(days=31)).date(),
                        sla_missed=1).where(M.VisitIssue.id == issue.id).execute()
    assert escalation.sweep(RECEIVED + timedelta(days=60))["visit_issue"] == 0


def test_sweep_matches_the_python_rule(customer, users):
    """The set-based SQL escalates exactly what domain.escalation.missed names."""
    now = datetime(2026, 11, 12, 10, 0)
    states = [("received", {}), ("acknowledged", {"contacted_at": RECEIVED}),
              ("investigating", {"contacted_at": RECEIVED, "responded_at": RECEIVED
                                 + timedelta(hours=30)}),
              ("closed", {"closed_at": RECEIVED})]
    made = []
    for status, stamps in states:
        c = new_complaint(customer, users["spec1"])
        M.Complaint.update(status=status, **stamps).where(M.Complaint.id == c.id).execute()
        made.append(reload(c))
    expected = {c.id: [d.name for d in D.missed("complaint", c, now)] for c in made}
    escalation.sweep(now)
    got = {c.id: [e.deadline for e in escalation.history("complaint", c.id)] for c in made}
    assert got == expected
    assert expected[made[0].id] == ["contact", "response", "plan"]


def test_two_sweeps_at_once_escalate_once(app, customer, users):
    for _ in range(20):
        new_complaint(customer, users["spec1"])
    now = datetime(2026, 11, 30, 9, 0)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                M.db.connect(reuse_if_open=True)
                barrier.wait()
                results.append(escalation.sweep(now))
                M.db.close()
        except Exception as ex:  # noqa: BLE001 — reported below
            errors.append(ex)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r["complaint"] for r in results) == [0, 80]
    assert M.Escalation.select().count() == 80
    assert {c.escalation_level for c in M.Complaint.select()} == {2}


def test_sweep_if_due_waits_for_the_interval(customer, users):
    new_complaint(customer, users["spec1"])
    t = datetime(2026, 11, 30, 9, 0)
    assert escalation.sweep_if_due(t, 5) is not None
    assert escalation.sweep_if_due(t + timedelta(minutes=4), 5) is None
    assert escalation.sweep_if_due(t + timedelta(minutes=6), 5) is not None


def test_cli(app, customer, users):
    new_complaint(customer, users["spec1"])
    runner = app.test_cli_runner()
    out = runner.invoke(args=["sla-sweep", "--now", "2026-11-10T21:30"])
    assert out.exit_code == 0, out.output
    assert "escalated 1 complaint" in out.output
    again = runner.invoke(args=["sla-sweep", "--now", "2026-11-10T21:30"])
    assert "escalated 0 complaint" in again.output
    bad = runner.invoke(args=["sla-sweep", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "not a date" in bad.output
