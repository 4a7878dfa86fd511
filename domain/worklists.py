"""Work queues: "overdue", "due today", "escalated", "mine", "my department",
"escalated to me" as WHERE conditions on complaints, visit problems and
corrective actions, for one user at one moment. The list filters and the
"My work" menu use them; they narrow what ``access.scope_query`` lets the
user see, they never widen it.

- overdue: open, and a deadline has passed without the step that meets it;
- due today: open, and an unmet deadline falls between now and midnight;
- escalated: open and escalation level 1 or more;
- mine: assigned to me (handler / assignee / person responsible), or the
  customer is mine;
- my department: dispatched to my department;
- escalated to me: level addressed to my role (escalation.ESCALATED_TO);
  for others, escalated and mine;
- recurrence check due (complaints): closed, mine, and its recurrence check
  date (``recheck_on``) has come;
- follow-up due (visit problems): not closed, mine, and its next follow-up
  date has come.
"""
from datetime import datetime, time, timedelta

from peewee import Value

import models as M

from .escalation import ESCALATED_TO, FINISHED, deadlines_of
from .i18n import N_

QUEUES = (
    ("overdue", N_("Overdue")),
    ("due_today", N_("Due today")),
    ("escalated", N_("Escalated")),
    ("mine", N_("Mine")),
    ("my_department", N_("My department")),
    ("escalated_to_me", N_("Escalated to me")),
    ("recheck_due", N_("Recurrence check due")),
    ("follow_up_due", N_("Follow-up due")),
    ("awaiting_approval", N_("Awaiting approval")),
    ("survey_due", N_("Surveys due")),
)

# The queues that only make sense on one register.
ONLY_ON = {"recheck_due": "complaint", "follow_up_due": "visit_issue",
           "awaiting_approval": "adhoc_request", "survey_due": "satisfaction_survey"}

MODELS = {"complaint": M.Complaint, "visit_issue": M.VisitIssue,
          "corrective_action": M.CorrectiveAction, "adhoc_request": M.AdhocRequest,
          "satisfaction_survey": M.SatisfactionSurvey}
ASSIGNED = {"complaint": "handler", "visit_issue": "assignee", "corrective_action": "owner",
            "adhoc_request": "requested_by"}
CAPA_UNFINISHED = ("open", "in_progress")


def _any(terms):
    out = Value(1) == 0
    for term in terms:
        out = out | term
    return out


def _open(register):
    model = MODELS[register]
    if register == "corrective_action":
        return model.status.in_(CAPA_UNFINISHED)
    return model.status.not_in(FINISHED[register])


def _unmet_between(register, start, end):
    """Open, and an unmet deadline in [start, end) (start None = any time before end)."""
    model = MODELS[register]
    terms = []
    for d in deadlines_of(register):
        due, done = getattr(model, d.due), getattr(model, d.done)
        if d.by_day:  # a date: overdue once its day has passed, due on that day
            term = (due < end.date()) & done.is_null()
            if start is not None:
                term = term & (due >= start.date())
        else:
            term = (due < end) & done.is_null()
            if start is not None:
                term = term & (due >= start)
        if d.statuses is not None:
            term = term & model.status.in_(d.statuses)
        terms.append(term)
    return _open(register) & _any(terms)


def _mine(register, user):
    model = MODELS[register]
    term = getattr(model, ASSIGNED[register]) == user.id
    if register not in ("corrective_action", "adhoc_request"):
        owned = M.Customer.select(M.Customer.id).where(M.Customer.owner == user.id)
        term = term | model.customer.in_(owned)
    return term


def _quarter_key(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def condition(register, queue, user, now):
    """The WHERE expression of ``queue`` on ``register`` for ``user`` at ``now``."""
    model = MODELS[register]
    if queue == "overdue":
        if register == "corrective_action":
            return _open(register) & (model.due_on < now.date())
        return _unmet_between(register, None, now)
    if queue == "due_today":
        midnight = datetime.combine(now.date() + timedelta(days=1), time())
        if register == "corrective_action":
            return _open(register) & (model.due_on == now.date())
        return _unmet_between(register, now, midnight)
    if queue == "mine":
        return _mine(register, user)
    if queue in ONLY_ON:
        if ONLY_ON[queue] != register:
            return Value(1) == 0
        if queue == "recheck_due":
            return ((model.status == "closed") & (model.recheck_on <= now.date())
                    & _mine(register, user))
        if queue == "awaiting_approval":
            return model.status == "requested"
        if queue == "survey_due":  # planned, its quarter begun (or past)
            return (model.status == "planned") & (model.period <= _quarter_key(now.date()))
        return (_open(register) & (model.next_follow_up_on <= now.date())
                & _mine(register, user))
    if queue == "my_department":
        if not user.department:
            return Value(1) == 0
        return model.department == user.department
    escalated = getattr(model, "escalation_level", None)
    if escalated is None:  # corrective actions do not escalate
        return Value(1) == 0
    if queue == "escalated":
        return _open(register) & (escalated > 0)
    if queue == "escalated_to_me":
        level = ESCALATED_TO.get(user.role)
        if level is None:
            return _open(register) & (escalated > 0) & _mine(register, user)
        return _open(register) & (escalated >= level)
    raise ValueError(f"unknown queue {queue!r}")
