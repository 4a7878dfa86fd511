"""domain/issues.py: deadlines by level, the workflow as data, follow-ups (no app)."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from domain import issues as D
from domain.calendar import WorkCalendar
from domain.rules import Rules

RULES = Rules()
PLAIN = WorkCalendar()
# Wednesday 11 November 2026 off; Saturday 7 November a make-up working day.
SHIFTED = WorkCalendar(holidays=[date(2026, 11, 11)], workdays=[date(2026, 11, 7)])
FRIDAY = datetime(2026, 11, 6, 15, 0)
NOW = datetime(2026, 11, 9, 10, 0)  # the Monday after


def test_urgent_counts_clock_hours_over_the_weekend():
    d = D.deadlines("urgent", FRIDAY, False, RULES, PLAIN)
    assert d == dict(dispatch_due=datetime(2026, 11, 6, 16, 0),
                     response_due=datetime(2026, 11, 7, 15, 0),
                     resolve_due=datetime(2026, 11, 17, 15, 0))


def test_important_plan_in_working_days():
    d = D.deadlines("important", FRIDAY, False, RULES, PLAIN)
    assert d["dispatch_due"] == datetime(2026, 11, 7, 15, 0)
    assert d["response_due"] == datetime(2026, 11, 13, 15, 0)  # Mon..Fri = 5 working days


def test_general_has_no_dispatch_deadline_and_is_done_in_three_working_days():
    d = D.deadlines("general", FRIDAY, False, RULES, PLAIN)
    assert d["dispatch_due"] is None
    assert d["response_due"] == datetime(2026, 11, 11, 15, 0)


def test_holidays_and_make_up_days_move_working_day_deadlines():
    d = D.deadlines("important", FRIDAY, False, RULES, SHIFTED)
    # Sat 7 (make-up), Mon 9, Tue 10, Thu 12, Fri 13.
    assert d["response_due"] == datetime(2026, 11, 13, 15, 0)
    assert D.deadlines("general", FRIDAY, False, RULES, SHIFTED)["response_due"] == \
        datetime(2026, 11, 10, 15, 0)  # Sat 7, Mon 9, Tue 10
    # 7 working days skipping Wed 11: 7, 9, 10, 12, 13, 16, 17.
    assert d["resolve_due"] == datetime(2026, 11, 17, 15, 0)
    assert D.deadlines("urgent", FRIDAY, False, RULES, WorkCalendar(
        holidays=[date(2026, 11, 11)]))["resolve_due"] == datetime(2026, 11, 18, 15, 0)


def test_complex_problems_have_no_resolution_deadline():
    for level in D.LEVELS:
        assert D.deadlines(level, FRIDAY, True, RULES, PLAIN)["resolve_due"] is None


def test_deadlines_follow_the_rules():
    rules = Rules([("issue_urgent_dispatch_hours", "2", "hours"),
                   ("issue_resolve_working_days", "1", "working_days")])
    d = D.deadlines("urgent", FRIDAY, False, rules, PLAIN)
    assert d["dispatch_due"] == datetime(2026, 11, 6, 17, 0)
    assert d["resolve_due"] == datetime(2026, 11, 9, 15, 0)


def test_unknown_level_is_refused():
    with pytest.raises(D.TransitionError):
        D.deadlines("whenever", FRIDAY, False, RULES, PLAIN)


def test_follow_up_every_three_working_days():
    assert D.next_follow_up(FRIDAY, RULES, PLAIN) == date(2026, 11, 11)
    assert D.next_follow_up(date(2026, 11, 6), RULES, SHIFTED) == date(2026, 11, 10)


def test_on_raise_sets_deadlines_follow_up_and_status():
    values = D.on_raise(FRIDAY, "general", False, RULES, PLAIN)
    assert values["status"] == "open" and values["next_follow_up_on"] == date(2026, 11, 11)
    assert values["resolve_due"] == datetime(2026, 11, 17, 15, 0)


def issue(**kw):
    data = dict(status="open", department=None, solution=None, responded_at=None,
                resolved_at=None, confirmed_at=None, level="important", raised_at=FRIDAY,
                is_complex=False, sla_missed=0, assignee_id=None)
    data.update(kw)
    return SimpleNamespace(**data)


def step(name, record, **kw):
    return D.apply(name, record, now=NOW, rules=RULES, calendar=PLAIN, **kw)


def test_dispatch_needs_a_department_and_stamps_the_time():
    with pytest.raises(D.TransitionError) as ex:
        step("dispatch", issue())
    assert ex.value.msgid == D.REQUIREMENT_MESSAGES["department"]
    changes = step("dispatch", issue(), department="technical")
    assert changes == dict(status="dispatched", department="technical", dispatched_at=NOW,
                           next_follow_up_on=date(2026, 11, 12), sla_missed=0)
    assert step("dispatch", issue(department="quality"))["department"] == "quality"


def test_the_legal_path_to_closed():
    record = issue()
    for name, extra, status in (("dispatch", {"department": "technical"}, "dispatched"),
                                ("start", {}, "in_progress"),
                                ("resolve", {"solution": "更换传感器"}, "resolved"),
                                ("follow_up", {"note": "电话回访,客户试用中"}, "resolved"),
                                ("confirm", {"evaluation": "5"}, "closed")):
        for field, value in step(name, record, **extra).items():
            setattr(record, field, value)
        assert record.status == status, name
    assert record.responded_at == NOW and record.confirmed_at == NOW
    assert record.customer_evaluation == 5
    assert record.solution == "更换传感器" and record.next_follow_up_on is None


@pytest.mark.parametrize("name,status", [
    ("dispatch", "dispatched"), ("start", "open"), ("start", "in_progress"),
    ("resolve", "open"), ("resolve", "closed"), ("confirm", "in_progress"),
    ("confirm", "closed"), ("follow_up", "closed"), ("reopen", "open"),
    ("reopen", "dispatched"),
])
def test_illegal_steps_are_refused(name, status):
    with pytest.raises(D.TransitionError) as ex:
        step(name, issue(status=status, department="technical", solution="x",
                         confirmed_at=NOW))
    assert ex.value.msgid == D.TRANSITIONS[name].refusal


def test_resolve_needs_a_solution():
    with pytest.raises(D.TransitionError) as ex:
        step("resolve", issue(status="in_progress", solution="  "))
    assert ex.value.msgid == D.REQUIREMENT_MESSAGES["solution"]
    assert step("resolve", issue(status="dispatched", solution="已处理"))["status"] == "resolved"


@pytest.mark.parametrize("evaluation", [None, "", "0", "6", "good"])
def test_closing_needs_the_customers_evaluation(evaluation):
    with pytest.raises(D.TransitionError) as ex:
        step("confirm", issue(status="resolved"), evaluation=evaluation)
    assert ex.value.msgid == D.REQUIREMENT_MESSAGES["evaluation"]


def test_confirmation_time_is_given_or_now_never_future_nor_before_resolution():
    resolved = datetime(2026, 11, 8, 9, 0)
    record = issue(status="resolved", resolved_at=resolved)
    at = datetime(2026, 11, 8, 16, 0)
    assert step("confirm", record, evaluation=4, confirmed_at=at)["confirmed_at"] == at
    assert step("confirm", record, evaluation=4)["confirmed_at"] == NOW
    for wrong in (datetime(2026, 11, 10, 9, 0), datetime(2026, 11, 8, 8, 0)):
        with pytest.raises(D.TransitionError):
            step("confirm", record, evaluation=4, confirmed_at=wrong)


def test_every_step_moves_the_follow_up_date_and_clears_its_miss():
    for name, status, extra in (("start", "dispatched", {}),
                                ("follow_up", "resolved", {"note": "已回访"}),
                                ("follow_up", "in_progress", {"note": "已回访"})):
        changes = step(name, issue(status=status, sla_missed=8 | 1), **extra)
        assert changes["next_follow_up_on"] == date(2026, 11, 12), name
        assert changes["sla_missed"] == 1, name
    with pytest.raises(D.TransitionError) as ex:
        step("follow_up", issue(status="resolved"), note=" ")
    assert ex.value.msgid == D.REQUIREMENT_MESSAGES["note"]


def test_a_department_and_handler_at_raising_count_as_dispatched():
    raised = datetime(2026, 11, 9, 9, 0)
    both = issue(department="technical", assignee_id=7, raised_at=raised)
    assert D.dispatched_on_raise(both, NOW) == {"status": "dispatched", "dispatched_at": NOW}
    assert D.dispatched_on_raise(issue(department="technical"), NOW) == {}
    assert D.dispatched_on_raise(issue(assignee_id=7), NOW) == {}
    later = issue(department="technical", assignee_id=7, raised_at=datetime(2026, 11, 9, 11))
    assert D.dispatched_on_raise(later, NOW)["dispatched_at"] == datetime(2026, 11, 9, 11)
    assert D.dispatched_on_raise(issue(status="in_progress", department="x", assignee_id=7),
                                 NOW) == {}


def test_buttons_follow_the_status_and_role():
    assert D.allowed_steps("open", "specialist") == ["dispatch", "follow_up"]
    assert D.allowed_steps("resolved", "specialist") == ["follow_up", "confirm", "reopen"]
    assert D.allowed_steps("resolved", "staff") == ["follow_up"]
    assert D.allowed_steps("closed", "manager") == ["reopen"]


def test_reopen_clears_resolution_and_confirmation():
    changes = step("reopen", issue(status="closed", confirmed_at=NOW))
    assert changes["status"] == "in_progress" and changes["customer_evaluation"] is None
    assert changes["resolved_at"] is None and changes["confirmed_at"] is None
    assert changes["next_follow_up_on"] == date(2026, 11, 12)


def test_first_response_is_kept():
    earlier = datetime(2026, 11, 7, 9, 0)
    changes = step("resolve", issue(status="in_progress", solution="x", responded_at=earlier))
    assert "responded_at" not in changes


def test_roles():
    with pytest.raises(D.TransitionError):
        step("dispatch", issue(), department="technical", role="staff")
    with pytest.raises(D.TransitionError):
        step("confirm", issue(status="resolved"), role="staff", evaluation=5)
    assert step("start", issue(status="dispatched"), role="staff")["status"] == "in_progress"
    with pytest.raises(D.TransitionError):
        step("fly", issue())


def test_level_change_needs_a_reason_and_counts_from_raised_at():
    with pytest.raises(D.TransitionError):
        D.level_change(issue(), "urgent", " ", RULES, PLAIN)
    assert D.level_change(issue(), "important", "", RULES, PLAIN) == {}
    changes = D.level_change(issue(), "urgent", "客户停产", RULES, PLAIN)
    assert changes["level"] == "urgent" and changes["level_reason"] == "客户停产"
    assert changes["dispatch_due"] == datetime(2026, 11, 6, 16, 0)


def test_edit_changes():
    before = issue()
    assert D.edit_changes(before, issue(), None, RULES, PLAIN) == {}
    with pytest.raises(D.TransitionError):
        D.edit_changes(before, issue(level="general"), "", RULES, PLAIN)
    changes = D.edit_changes(before, issue(is_complex=True), None, RULES, PLAIN)
    assert changes["resolve_due"] is None and "level_reason" not in changes


def test_remaining():
    assert D.remaining(None, NOW) is None
    assert D.remaining(datetime(2026, 11, 10, 13, 0), NOW) == (False, 1, 3)
    assert D.remaining(datetime(2026, 11, 9, 8, 0), NOW) == (True, 0, 2)
