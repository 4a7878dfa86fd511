"""Visit plan generation as plain data: which customer is due when, and what a
regeneration changes. No Flask, no database: callers pass customers, rules and
a working-day calendar (domain.calendar.WorkCalendar).

Frequency windows are anchored at 1 January: a customer visited every N months
has windows [Jan + kN, Jan + (k+1)N). A plan holds the windows that start
inside its period, so a quarterly plan of Q1 and Q3 carries the half-yearly
class C visits and Q2/Q4 do not. Inside a window, customers are spread evenly
over its working days (by their order), so a clerk's load is level.

A visit's *slot* is the month its window starts (1-12): the same slot means
the same window whatever the class, so a reclassified customer keeps the
visit of a window both classes share (only its due date moves into the new,
shorter window), and no two plans of a year may hold one customer's visit of
one slot. The quarterly adjustment (000 §9 每季度首月5日前调整) changes the annual
plan's visits of the quarter's slots; it never makes a second plan.

Monthly plans carry the month's extra tasks (a campaign: a focus such as
new-product promotion), one per customer and focus, outside the slots.
"""
from collections import namedtuple
from datetime import date

from .choices import PLAN_STATUS
from .i18n import N_, TranslatableError

PlanCustomer = namedtuple("PlanCustomer", "id customer_class lifecycle owner_id")
Item = namedtuple("Item", "customer_id slot due_on channel focus assignee_id window_end",
                  defaults=(None,))
Existing = namedtuple("Existing", "id customer_id slot status due_on", defaults=(None,))
Changes = namedtuple("Changes", "add restore cancel kept move", defaults=((),))

# The extra tasks a monthly plan is made for (visit focus codes, domain.choices).
CAMPAIGN_FOCUS = ("product_promotion", "policy_briefing", "satisfaction_survey")

QUARTER_NAMES = "一二三四"


def _add_months(d, months):
    month = d.month - 1 + months
    return date(d.year + month // 12, month % 12 + 1, 1)


def period(year, quarter=None, month=None):
    """(kind, start, end, name) of the annual plan, one quarter's or one month's."""
    if month is not None:
        if month not in range(1, 13):
            raise TranslatableError(N_("A month is 1 to 12."))
        start = date(year, month, 1)
        end = date.fromordinal(_add_months(start, 1).toordinal() - 1)
        return "monthly", start, end, f"{year}年{month}月回访计划"
    if quarter is None:
        return "annual", date(year, 1, 1), date(year, 12, 31), f"{year}年度回访计划"
    if quarter not in (1, 2, 3, 4):
        raise TranslatableError(N_("A quarter is 1, 2, 3 or 4."))
    start = date(year, 3 * quarter - 2, 1)
    end = date.fromordinal(_add_months(start, 3).toordinal() - 1)
    return "quarterly", start, end, f"{year}年第{QUARTER_NAMES[quarter - 1]}季度回访计划"


def quarter_slots(quarter):
    """The slots (window start months) of a quarter."""
    return tuple(range(3 * quarter - 2, 3 * quarter + 1))


def windows(start, end, every_months):
    """[(slot, window_start, window_end)] of the frequency windows starting in
    [start, end]; the slot is the window's start month, counted from 1 January,
    so it is the same in quarterly and annual plans of the year and for every
    class."""
    found = []
    year_start = date(start.year, 1, 1)
    k = 0
    while True:
        w_start = _add_months(year_start, k * every_months)
        if w_start > end:
            return found
        if w_start >= start:
            w_end = min(end, date.fromordinal(_add_months(w_start, every_months).toordinal() - 1))
            found.append((w_start.month, w_start, w_end))
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
                items.append(Item(c.id, slot, due, channel, rules.focus(c.lifecycle),
                                  c.owner_id, w_end))
    return items


def campaign_items(customers, start, end, focus, rules, calendar):
    """One Item per customer for a monthly plan's extra task ``focus``: no
    slot, spread over the month's working days."""
    days = _working_days(calendar, start, end)
    group = sorted(customers, key=lambda c: c.id)
    return [Item(c.id, None, days[i * len(days) // len(group)], rules.channel(c.customer_class),
                 focus, c.owner_id, end) for i, c in enumerate(group)]


def changes(desired, existing, prune=True):
    """What a (re)generation does to a plan.

    - add: desired items with no existing row for (customer, slot);
    - restore: cancelled rows whose (customer, slot) is wanted again;
    - cancel: still-planned rows no longer wanted (the customer left the plan or
      visits less often now) — only when ``prune``; done and missed rows are
      history and never touched; ad hoc rows (no slot) are never touched;
    - kept: existing rows that stay as they are, hand edits included;
    - move: [(id, due_on)] still-planned (or restored) rows whose due date lies
      outside their window now (the customer was reclassified to a shorter
      one): moved to the desired day. A hand-moved date inside the window stays.
    """
    have = {(e.customer_id, e.slot): e for e in existing if e.slot is not None}
    wanted = {(i.customer_id, i.slot): i for i in desired}
    add = [i for key, i in wanted.items() if key not in have]
    restore = [e.id for key, e in have.items() if key in wanted and e.status == "cancelled"]
    cancel = []
    if prune:
        cancel = [e.id for key, e in have.items()
                  if key not in wanted and e.status == "planned"]
    move = []
    for key, e in have.items():
        item = wanted.get(key)
        if item is None or e.status not in ("planned", "cancelled") or e.due_on is None \
                or item.window_end is None:
            continue
        window_start = date(item.due_on.year, item.slot, 1)
        if not window_start <= e.due_on <= item.window_end:
            move.append((e.id, item.due_on))
    kept = len(have) - len(restore) - len(cancel)
    return Changes(add, restore, cancel, kept, move)


def uncovered(desired, covered):
    """``desired`` without the items another plan already holds, and
    {other plan: how many left out}. ``covered``: {(customer, slot): plan}."""
    keep, left_out = [], {}
    for item in desired:
        other = covered.get((item.customer_id, item.slot))
        if other is None:
            keep.append(item)
        else:
            left_out[other] = left_out.get(other, 0) + 1
    return keep, left_out


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
