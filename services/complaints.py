"""Complaints: registering with a number and deadlines, workflow steps on many
rows, the follow-up timeline. Each function is one transaction; every step
writes a complaint_follow_up row and an audit row. The rules are in
domain/complaints.py.
"""
from peewee import JOIN

from domain import complaints as D
from domain.complaints import StepError
from models import Complaint, ComplaintFollowUp, User
from services import audit, escalation
from services.calendar import load_calendar
from services.numbering import yearly_number
from services.rules import current_rules
from services.steps import apply_each
from services.transactions import writing



def _context(rules, calendar):
    rules = rules or current_rules()
    return rules, calendar or load_calendar(rules)


def prepare_new(complaint, *, now, rules=None, calendar=None):
    """Number a new (unsaved) complaint and set its deadlines and status;
    received_at defaults to ``now``. Call inside the saving transaction
    (``writing()``): the number is reserved there."""
    rules, calendar = _context(rules, calendar)
    if not complaint.received_at:
        complaint.received_at = now
    if not (complaint.number or "").strip():
        complaint.number = yearly_number(Complaint.number, "TS", complaint.received_at.year)
    for field, value in D.on_register(complaint.received_at, rules, calendar).items():
        setattr(complaint, field, value)
    return complaint


def redo_deadlines(complaint, *, rules=None, calendar=None):
    """Deadlines again from a corrected received_at (an edit)."""
    rules, calendar = _context(rules, calendar)
    for field, value in D.deadlines(complaint.received_at, rules, calendar).items():
        setattr(complaint, field, value)


def register(*, user, now, rules=None, calendar=None, ip=None, **fields):
    """Create a complaint (``fields``: customer, category, description, …)
    with its number, deadlines and audit row."""
    with writing():
        complaint = prepare_new(Complaint(**fields), now=now, rules=rules, calendar=calendar)
        complaint.save(force_insert=True)
        audit.record(user=getattr(user, "id", user), action="create", register="complaint",
                     record_id=complaint.id, ip=ip,
                     changes=audit.diff({}, audit.snapshot(complaint)))
    return complaint


def take_step(complaint_ids, name, *, user, now, ip=None, result=None, next_step=None,
              **values):
    """Take step ``name`` (domain.complaints.STEPS) on each complaint the user
    may see among ``complaint_ids``, in one transaction. ``values``: the note
    and the step's inputs (see domain.complaints.INPUTS).

    Returns ``(done, refused)``: the ids changed, and (id, StepError) for each
    complaint that could not take the step.
    """
    def follow_up(complaint):
        ComplaintFollowUp.create(complaint=complaint.id, at=now, by=user.id, step=name,
                                 action=(values.get("note") or "").strip(),
                                 result=(result or "").strip() or None,
                                 next_step=(next_step or "").strip() or None)

    return apply_each(Complaint, "complaint", complaint_ids, name, user=user, error=StepError,
                      decide=lambda c: D.apply(name, c, now=now, role=user.role, **values),
                      after=follow_up, ip=ip)


def timeline(complaint):
    """What happened to ``complaint``, oldest first, as (at, kind, row): its
    receipt ("received", the complaint itself), each follow-up ("follow_up")
    and each escalation ("escalation")."""
    follow_ups = (ComplaintFollowUp.select(ComplaintFollowUp, User)
                  .join(User, JOIN.LEFT_OUTER, on=(ComplaintFollowUp.by == User.id))
                  .where(ComplaintFollowUp.complaint == complaint.id)
                  .order_by(ComplaintFollowUp.at, ComplaintFollowUp.id))
    entries = [(complaint.received_at, "received", complaint)]
    entries += [(f.at, "follow_up", f) for f in follow_ups]
    entries += [(e.at, "escalation", e) for e in escalation.history("complaint", complaint.id)]
    order = {"received": 0, "follow_up": 1, "escalation": 2}
    return sorted(entries, key=lambda e: (e[0], order[e[1]]))
