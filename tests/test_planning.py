"""Plan generation as pure data: windows, spreading, regeneration, approval."""
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from domain import planning
from domain.calendar import WorkCalendar
from domain.rules import Rules

RULES = Rules()
# 2027 Spring Festival-ish block and a make-up Saturday, enough to exercise working days.
CAL = WorkCalendar(holidays=[date(2027, 2, d) for d in range(6, 14)],
                   workdays=[date(2027, 2, 20)], known_years=[2027])


def customers(n_a=0, n_b=0, n_c=0, lifecycle="stable"):
    out, i = [], 0
    for cls, n in (("A", n_a), ("B", n_b), ("C", n_c)):
        for _ in range(n):
            i += 1
            out.append(planning.PlanCustomer(i, cls, lifecycle, 100 + i % 3))
    return out


def test_periods():
    assert planning.period(2027)[1:3] == (date(2027, 1, 1), date(2027, 12, 31))
    assert planning.period(2027, 2)[1:3] == (date(2027, 4, 1), date(2027, 6, 30))
    assert planning.period(2027, 4)[1:3] == (date(2027, 10, 1), date(2027, 12, 31))
    with pytest.raises(ValueError):
        planning.period(2027, 5)


def test_annual_frequencies_follow_the_rules():
    items = planning.desired_items(customers(2, 3, 5), date(2027, 1, 1), date(2027, 12, 31),
                                   RULES, CAL)
    per = Counter(i.customer_id for i in items)
    assert [per[i] for i in (1, 2)] == [12, 12]           # A monthly
    assert [per[i] for i in (3, 4, 5)] == [4, 4, 4]       # B quarterly
    assert all(per[i] == 2 for i in range(6, 11))         # C half-yearly
    assert len(items) == 2 * 12 + 3 * 4 + 5 * 2


def test_quarterly_plans_carry_half_yearly_visits_in_q1_and_q3_only():
    counts = [len(planning.desired_items(customers(0, 0, 4), *planning.period(2027, q)[1:3],
                                         RULES, CAL)) for q in (1, 2, 3, 4)]
    assert counts == [4, 0, 4, 0]


def test_due_dates_are_working_days_inside_their_window_and_spread():
    items = planning.desired_items(customers(0, 60, 0), date(2027, 1, 1), date(2027, 3, 31),
                                   RULES, CAL)
    assert all(CAL.is_working_day(i.due_on) for i in items)
    assert all(date(2027, 1, 1) <= i.due_on <= date(2027, 3, 31) for i in items)
    # Spread: no day carries more than a few of 60 visits over ~57 working days.
    assert max(Counter(i.due_on for i in items).values()) <= 2
    assert date(2027, 2, 8) not in {i.due_on for i in items}  # holiday


def test_channel_focus_assignee_from_class_lifecycle_owner():
    rules = Rules([("visit_channel_b", "video", "text")])
    new_b = planning.desired_items([planning.PlanCustomer(7, "B", "new", 42)],
                                   date(2027, 1, 1), date(2027, 3, 31), rules, CAL)[0]
    assert (new_b.channel, new_b.focus, new_b.assignee_id) == ("video", "usage", 42)
    a = planning.desired_items([planning.PlanCustomer(8, "A", "dormant", None)],
                               date(2027, 1, 1), date(2027, 1, 31), RULES, CAL)[0]
    assert (a.channel, a.focus) == ("onsite", "reactivation")


def test_regeneration_adds_missing_keeps_edits_and_done_cancels_leavers():
    desired = [planning.Item(1, 1, date(2027, 1, 5), "phone", "upgrade", 9),
               planning.Item(1, 2, date(2027, 4, 5), "phone", "upgrade", 9),
               planning.Item(2, 1, date(2027, 1, 6), "phone", "upgrade", 9)]
    existing = [planning.Existing(10, 1, 1, "done"),        # kept
                planning.Existing(11, 2, 1, "cancelled"),   # wanted again: restored
                planning.Existing(12, 3, 1, "planned"),     # customer left: cancelled
                planning.Existing(13, 3, 2, "done"),        # history: kept
                planning.Existing(14, 3, None, "planned")]  # ad hoc: never touched
    change = planning.changes(desired, existing)
    assert [(i.customer_id, i.slot) for i in change.add] == [(1, 2)]
    assert change.restore == [11] and change.cancel == [12] and change.kept == 2
    assert planning.changes(desired, existing, prune=False).cancel == []


def test_plan_approval_rules():
    assert planning.plan_transition("submit", "draft", "specialist") == ("submitted", None)
    assert planning.plan_transition("approve", "submitted", "manager")[0] == "approved"
    target, refusal = planning.plan_transition("approve", "submitted", "specialist")
    assert target is None and "role" in refusal[0]
    target, refusal = planning.plan_transition("approve", "draft", "owner")
    assert target is None and refusal[1]["status"] == "Draft"


@pytest.mark.parametrize("now,expected", [
    (datetime(2027, 1, 6, 10), date(2027, 1, 7)),    # Wednesday -> Thursday
    (datetime(2027, 1, 8, 10), date(2027, 1, 8)),    # Friday: Monday is 72 h away -> today
    (datetime(2027, 1, 9, 10), date(2027, 1, 11)),   # Saturday: next working day
    (datetime(2027, 2, 5, 10), date(2027, 2, 5)),    # before the holiday block -> today
])
def test_adhoc_due_within_48_hours(now, expected):
    assert planning.adhoc_due(now, CAL, 48) == expected
