"""Visit problems: deadlines by level and the open → closed workflow, as data.

SPEC.md "Rules" (visit problem deadlines) and register 9. Pure functions: they
take ``now``, a ``Rules`` object and a ``WorkCalendar`` and return the field
changes to apply; services/issues.py loads, saves and audits.

Decisions:
- *general* problems have no dispatch deadline (the rules give them only "done
  within 3 working days"), so ``dispatch_due`` is None and ``response_due`` is
  the "done" deadline. Urgent: response = the solution (24 h); important:
  response = the handling plan (5 working days).
- Every level gets ``resolve_due`` (7 working days) unless the problem is
  marked complex.
- Deadlines always count from ``raised_at``, also when the level changes later.
- ``responded_at`` is stamped by the department's first answer: *start*
  (handling begun, a plan given) or *resolve*, whichever comes first.
- "Resolved" is not the end: the problem stays in the loop until the customer
  confirms. *confirm* closes it with the customer's evaluation (1-5) and the
  time of the confirmation. Until then every step — and *follow_up*, a
  follow-up without a status change — moves the next follow-up date N working
  days on (rule issue_follow_up_working_days); a resolved problem past that
  date escalates like a missed deadline (domain.escalation "follow_up").
- A problem raised with its department and handler given counts as
  dispatched when it is raised (``dispatched_on_raise``).
- Every step writes a line of the problem's follow-up log (services/issues.py).
"""
from collections import namedtuple
from datetime import datetime

from .i18n import N_, TranslatableError

LEVELS = ("urgent", "important", "general")
OFFICE = ("owner", "manager", "specialist")
EVERYONE = OFFICE + ("staff",)


class TransitionError(TranslatableError):
    """A step the problem cannot take."""


# sources: statuses it starts from; target: the status after it (None = the
# status stays); requires: what must be known first; roles: who may take it;
# refusal: the message when the status is wrong.
Transition = namedtuple("Transition", "sources target requires roles refusal")

UNCLOSED = ("open", "dispatched", "in_progress", "resolved")

TRANSITIONS = {
    "dispatch": Transition(("open",), "dispatched", ("department",), OFFICE,
                           N_("Only an open problem can be dispatched.")),
    "start": Transition(("dispatched",), "in_progress", (), EVERYONE,
                        N_("Only a dispatched problem can be started.")),
    "resolve": Transition(("dispatched", "in_progress"), "resolved", ("solution",), EVERYONE,
                          N_("Only a dispatched or in-progress problem can be resolved.")),
    "follow_up": Transition(UNCLOSED, None, ("note",), EVERYONE,
                            N_("A closed problem needs no more follow-ups.")),
    "confirm": Transition(("resolved",), "closed", ("evaluation",), OFFICE,
                          N_("Only a resolved problem can be confirmed by the customer.")),
    "reopen": Transition(("resolved", "closed"), "in_progress", (), OFFICE,
                         N_("Only a resolved or closed problem can be reopened.")),
}

REQUIREMENT_MESSAGES = {
    "department": N_("Choose the department to dispatch to."),
    "solution": N_("Enter the solution before resolving."),
    "note": N_("Say what was done (the follow-up note)."),
    "evaluation": N_("Record the customer's evaluation (1-5) before closing."),
}

# The bit of the follow-up deadline in sla_missed: a follow-up clears it, so
# the next missed follow-up date escalates again.
FOLLOW_UP_BIT = 8


def deadlines(level, raised_at, is_complex, rules, calendar):
    """{dispatch_due, response_due, resolve_due} of a problem of ``level``
    raised at ``raised_at`` (see the module docstring for general problems)."""
    if level == "urgent":
        dispatch = calendar.add_hours(raised_at, rules["issue_urgent_dispatch_hours"])
        response = calendar.add_hours(raised_at, rules["issue_urgent_solution_hours"])
    elif level == "important":
        dispatch = calendar.add_hours(raised_at, rules["issue_important_dispatch_hours"])
        response = calendar.add_working_days(raised_at,
                                             rules["issue_important_plan_working_days"])
    elif level == "general":
        dispatch = None
        response = calendar.add_working_days(raised_at, rules["issue_general_done_working_days"])
    else:
        raise TransitionError(N_("Unknown problem level %(level)s."), level=level)
    resolve = None if is_complex else calendar.add_working_days(
        raised_at, rules["issue_resolve_working_days"])
    return dict(dispatch_due=dispatch, response_due=response, resolve_due=resolve)


def next_follow_up(after, rules, calendar):
    """The date of the next follow-up: N working days after ``after``."""
    day = after.date() if isinstance(after, datetime) else after
    return calendar.add_working_days(day, rules["issue_follow_up_working_days"])


def on_raise(raised_at, level, is_complex, rules, calendar):
    """Field values of a newly raised problem: deadlines, first follow-up, status."""
    out = deadlines(level, raised_at, is_complex, rules, calendar)
    out.update(next_follow_up_on=next_follow_up(raised_at, rules, calendar), status="open")
    return out


def allowed_steps(status, role):
    """The step names ``role`` may take on a problem in ``status`` (buttons)."""
    return [name for name, step in TRANSITIONS.items()
            if status in step.sources and role in step.roles]


def dispatched_on_raise(issue, now):
    """The changes making a problem raised with its department and handler
    count as dispatched when it was entered (never before it was raised)."""
    if issue.status not in (None, "open") or not issue.department \
            or not getattr(issue, "assignee_id", None):
        return {}
    at = max(now, issue.raised_at) if issue.raised_at else now
    return {"status": "dispatched", "dispatched_at": at}


def _evaluation(value):
    try:
        score = int(value)
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


def apply(name, issue, *, now, rules, calendar, role=None, department=None, solution=None,
          note=None, evaluation=None, confirmed_at=None, assignee=None):
    """The field changes of taking step ``name`` on ``issue`` (anything with
    the VisitIssue fields as attributes).

    ``role`` (when given) must be allowed to take the step; ``department`` /
    ``solution`` / ``assignee`` override what the problem already holds;
    ``note`` is the follow-up's text; ``evaluation`` (1-5) and
    ``confirmed_at`` (default ``now``) are the customer's confirmation.
    Raises TransitionError with the reason when the step is not possible.
    """
    step = TRANSITIONS.get(name)
    if step is None:
        raise TransitionError(N_("Unknown action %(name)s."), name=name)
    if role is not None and role not in step.roles:
        raise TransitionError(N_("Your role may not take this step."))
    if issue.status not in step.sources:
        raise TransitionError(step.refusal)
    department = department or issue.department
    solution = solution if (solution or "").strip() else issue.solution
    known = {"department": department, "solution": (solution or "").strip(),
             "note": (note or "").strip(), "evaluation": _evaluation(evaluation)}
    for need in step.requires:
        if not known[need]:
            raise TransitionError(REQUIREMENT_MESSAGES[need])

    changes = {"next_follow_up_on": next_follow_up(now, rules, calendar),
               "sla_missed": (issue.sla_missed or 0) & ~FOLLOW_UP_BIT}
    if step.target:
        changes["status"] = step.target
    if name == "dispatch":
        changes.update(department=department, dispatched_at=now)
        if assignee:
            changes["assignee"] = assignee
    elif name == "start":
        if issue.responded_at is None:
            changes["responded_at"] = now
    elif name == "resolve":
        changes.update(solution=solution, resolved_at=now)
        if issue.responded_at is None:
            changes["responded_at"] = now
    elif name == "confirm":
        at = confirmed_at or now
        if at > now or (issue.resolved_at is not None and at < issue.resolved_at):
            raise TransitionError(N_("The customer confirms after the problem was resolved, "
                                     "and not in the future."))
        changes.update(confirmed_at=at, customer_evaluation=known["evaluation"],
                       next_follow_up_on=None)
    elif name == "reopen":
        changes.update(resolved_at=None, confirmed_at=None, customer_evaluation=None)
    return changes


def level_change(issue, new_level, reason, rules, calendar):
    """The changes of moving ``issue`` to ``new_level``: deadlines recomputed
    from its raised_at, and the reason kept. TransitionError without a reason."""
    if new_level not in LEVELS:
        raise TransitionError(N_("Unknown problem level %(level)s."), level=new_level)
    if new_level == issue.level:
        return {}
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(N_("Give the reason for changing the level."))
    changes = deadlines(new_level, issue.raised_at, issue.is_complex, rules, calendar)
    changes.update(level=new_level, level_reason=reason)
    return changes


def edit_changes(before, after, reason, rules, calendar):
    """What an edit from ``before`` to ``after`` implies: a level change needs
    ``reason`` and recomputes the deadlines; a new raised_at or complexity
    recomputes them too. Returns the changes to apply to ``after``."""
    if after.level != before.level:
        changes = level_change(before, after.level, reason, rules, calendar)
        # Count from the edited raised_at / complexity, not the stored ones.
        changes.update(deadlines(after.level, after.raised_at, after.is_complex, rules, calendar))
        return changes
    if after.raised_at != before.raised_at or bool(after.is_complex) != bool(before.is_complex):
        return deadlines(after.level, after.raised_at, after.is_complex, rules, calendar)
    return {}


def remaining(due, now):
    """(overdue?, days, hours) between ``now`` and ``due`` (None if no due)."""
    if due is None:
        return None
    delta = due - now
    overdue = delta.total_seconds() < 0
    seconds = int(abs(delta.total_seconds()))
    return overdue, seconds // 86400, seconds % 86400 // 3600
