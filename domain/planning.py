"""Visit plan generation as plain data: which customer is due when, and what a
regeneration changes. No Flask, no database: callers pass customers, rules and
a working-day calendar (domain.calendar.WorkCalendar).

Frequency windows are anchored at 1 January: a customer visited every N months
has windows [Jan + kN, Jan + (k+1)N). A plan holds the windows that start
inside its period, so a quarterly plan of Q1 and Q3 carries the half-yearly
class C visits and Q2/Q4 do not. Inside a window, customers are spread evenly
over its working days (by their order), so a clerk's load is level.
"""
from collections import namedtuple
from datetime import date

from .choices import PLAN_STATUS
from .i18n import N_, TranslatableError

PlanCustomer = namedtuple("PlanCustomer", "id customer_class lifecycle owner_id")
Item = namedtuple("Item", "customer_id slot due_on channel focus assignee_id")
Existing = namedtuple("Existing", "id customer_id slot status")
Changes = namedtuple("Changes", "add restore cancel kept")

QUARTER_NAMES = "一二三四"


def _add_months(d, months):
    month = d.month - 1 + months
    return date(d.year + month // 12, month % 12 + 1, 1)


def period(year, quarter=None):
    """(kind, start, end, name) of the annual plan or of one quarter's plan."""
    if quarter is None:
        return "annual", date(year, 1, 1), date(year, 12, 31), f"{year}年度回访计划"
    if quarter not in (1, 2, 3, 4):
        raise TranslatableError(N_("A quarter is 1, 2, 3 or 4."))
    start = date(year, 3 * quarter - 2, 1)
    end = date.fromordinal(_add_months(start, 3).toordinal() - 1)
    return "quarterly", start, end, f"{year}年第{QUARTER_NAMES[quarter - 1]}季度回访计划"


def windows(start, end, every_months):
    """[(slot, window_start, window_end)] of the frequency windows starting in
    [start, end]; slot numbers count from 1 January so they stay stable across
    quarterly and annual plans of the same year."""
    found = []
    year_start = date(start.year, 1, 1)
    k = 0
    while True:
        w_start = _add_months(year_start, k * every_months)
        if w_start > end:
            return found
        if w_start >= start:
            w_end = min(end, date.fromordinal(_add_months(w_start, every_months).toordinal() - 1))
            found.append((k + 1, w_start, w_end))
        k += 1


def _working_days(calendar, start, end):
    days, d = [], start
    while d <= end:
        if calendar.is_working_day(d):
            days.append(d)
        d = date.fromordinal(d.toordinal() + 1)
    return days or [start]


def desired_items(customers, start, end, rules, calendar):
    """Every Item the plan for [start, end] should hold for ``customers``."""
    by_class = {}
    for c in sorted(customers, key=lambda c: c.id):
        by_class.setdefault(c.customer_class, []).append(c)
    items = []
    for customer_class, group in by_class.items():
        every = rules.frequency_months(customer_class)
        channel = rules.channel(customer_class)
        n = len(group)
        for slot, w_start, w_end in windows(start, end, every):
            days = _working_days(calendar, w_start, w_end)
            for position, c in enumerate(group):
                due = days[position * len(days) // n]
                items.append(Item(c.id, slot, due, channel, rules.focus(c.lifecycle), c.owner_id))
    return items


def changes(desired, existing, prune=True):
    """What a (re)generation does to a plan.

    - add: desired items with no existing row for (customer, slot);
    - restore: cancelled rows whose (customer, slot) is wanted again;
    - cancel: still-planned rows no longer wanted (the customer left the plan or
      visits less often now) — only when ``prune``; done and missed rows are
      history and never touched; ad hoc rows (no slot) are never touched;
    - kept: existing rows that stay as they are, hand edits included.
    """
    have = {(e.customer_id, e.slot): e for e in existing if e.slot is not None}
    wanted = {(i.customer_id, i.slot): i for i in desired}
    add = [i for key, i in wanted.items() if key not in have]
    restore = [e.id for key, e in have.items() if key in wanted and e.status == "cancelled"]
    cancel = []
    if prune:
        cancel = [e.id for key, e in have.items()
                  if key not in wanted and e.status == "planned"]
    kept = len(have) - len(restore) - len(cancel)
    return Changes(add, restore, cancel, kept)


# Plan approval as data: action -> (from statuses, to status, roles allowed).
PLAN_TRANSITIONS = {
    "submit": (("draft",), "submitted", ("owner", "manager", "specialist")),
    "approve": (("submitted",), "approved", ("owner", "manager")),
    "return": (("submitted",), "draft", ("owner", "manager")),
    "close": (("approved",), "closed", ("owner", "manager")),
}


ACTION_LABELS = {"submit": N_("Submit for approval"), "approve": N_("Approve"),
                 "return": N_("Return to draft"), "close": N_("Close")}


def plan_transition(name, status, role):
    """The new status, or a (msgid, params) refusal; params are msgids too."""
    sources, target, roles = PLAN_TRANSITIONS[name]
    action = ACTION_LABELS[name]
    if role not in roles:
        return None, (N_("Your role may not %(action)s a plan."), {"action": action})
    if status not in sources:
        return None, (N_("A %(status)s plan cannot be %(action)s."),
                      {"status": dict(PLAN_STATUS)[status], "action": action})
    return target, None


def adhoc_due(now, calendar, within_hours):
    """The working day an ad hoc visit is due: the next working day when it
    lies within ``within_hours``; otherwise (a long weekend ahead) today if
    today is a working day, else the next working day — no earlier slot exists."""
    limit = calendar.add_hours(now, within_hours).date()
    nxt = calendar.next_working_day(now.date())
    if nxt <= limit or not calendar.is_working_day(now.date()):
        return nxt
    return now.date()
