"""Visit problems: raising with deadlines, workflow steps on many rows, level changes.

Each function is one transaction and writes one audit row per changed problem.
The rules themselves are in domain/issues.py.
"""
from peewee import JOIN

from domain import issues as D
from domain.issues import TransitionError
from models import User, VisitIssue, VisitIssueFollowUp, db
from services import audit
from services.calendar import load_calendar
from services.rules import current_rules
from services.steps import apply_each, save_step



def _context(rules, calendar):
    rules = rules or current_rules()
    return rules, calendar or load_calendar(rules)


def _set(record, changes):
    for name, value in changes.items():
        setattr(record, name, value)


def apply_deadlines(issue, *, now, rules=None, calendar=None):
    """Fill a new (unsaved) problem's deadlines, first follow-up and status;
    raised_at defaults to ``now``. A department and handler given count as
    dispatched now. Saves nothing: the caller saves."""
    rules, calendar = _context(rules, calendar)
    if not issue.raised_at:
        issue.raised_at = now
    _set(issue, D.on_raise(issue.raised_at, issue.level, issue.is_complex, rules, calendar))
    _set(issue, D.dispatched_on_raise(issue, now))
    return issue


def raise_issue(*, user, now, rules=None, calendar=None, ip=None, **fields):
    """Create a problem (``fields``: customer, description, level, visit, …)
    with its deadlines, and its audit row."""
    with db.atomic():
        issue = VisitIssue(**fields)
        if issue.visit_id and not issue.customer_id:
            issue.customer = issue.visit.customer_id
        apply_deadlines(issue, now=now, rules=rules, calendar=calendar)
        issue.save(force_insert=True)
        audit.record(user=getattr(user, "id", user), action="create", register="visit_issue",
                     record_id=issue.id, changes=audit.diff({}, audit.snapshot(issue)), ip=ip)
    return issue


def transition(issue_ids, name, *, user, now, department=None, solution=None, reason=None,
               note=None, result=None, next_step=None, evaluation=None, confirmed_at=None,
               assignee=None, rules=None, calendar=None, ip=None):
    """Take step ``name`` (domain.issues.TRANSITIONS) on each problem the user
    may see among ``issue_ids``, in one transaction; each problem changed gets
    a line in its follow-up log (who, when, ``note``, ``result``, ``next_step``).

    Returns ``(done, refused)``: the ids changed, and (id, TransitionError)
    for each problem that could not take the step.
    """
    rules, calendar = _context(rules, calendar)

    def decide(issue):
        return D.apply(name, issue, now=now, rules=rules, calendar=calendar, role=user.role,
                       department=department, solution=solution, note=note,
                       evaluation=evaluation, confirmed_at=confirmed_at, assignee=assignee)

    def log(issue):
        VisitIssueFollowUp.create(issue=issue.id, at=now, by=user.id, step=name,
                                  action=(note or "").strip(),
                                  result=(result or "").strip() or None,
                                  next_step=(next_step or "").strip() or None)

    return apply_each(VisitIssue, "visit_issue", issue_ids, name, user=user, decide=decide,
                      error=TransitionError, reason=reason, after=log, ip=ip)


def follow_up_log(issue):
    """The problem's follow-up log, oldest first, with who wrote each line."""
    return list(VisitIssueFollowUp.select(VisitIssueFollowUp, User)
                .join(User, JOIN.LEFT_OUTER, on=(VisitIssueFollowUp.by == User.id))
                .where(VisitIssueFollowUp.issue == issue.id)
                .order_by(VisitIssueFollowUp.at, VisitIssueFollowUp.id))


def change_level(issue, new_level, reason, *, user, now=None, rules=None, calendar=None,
                 ip=None):
    """Move ``issue`` to ``new_level``: deadlines recomputed from its raised_at,
    the reason stored in level_reason. TransitionError without a reason.
    ``now`` is accepted for symmetry; deadlines never count from it."""
    rules, calendar = _context(rules, calendar)
    with db.atomic():
        changes = D.level_change(issue, new_level, reason, rules, calendar)
        if changes:
            save_step(issue, "visit_issue", "change_level", changes, user=user, ip=ip)
    return issue
