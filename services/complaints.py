"""Complaints: registering with a number and deadlines, workflow steps on many
rows, the follow-up timeline. Each function is one transaction; every step
writes a complaint_follow_up row and an audit row. The rules are in
domain/complaints.py.
"""
from peewee import JOIN

from domain import complaints as D
from domain.complaints import StepError
from domain.i18n import N_
from models import Complaint, ComplaintFollowUp, Equipment, User
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


def check_target_and_promise(complaint):
    """StepError when the complaint's target (投诉对象) is incomplete, names
    equipment of another customer, or its promised date is before receipt.
    A target field of another kind is cleared: only the chosen kind's stays."""
    values = {f: complaint.__data__.get(f) for f in D.TARGET_FIELDS.values()}
    problem = D.target_problem(complaint.target_kind, values)
    if problem is None and complaint.target_kind == "equipment":
        equipment = Equipment.get_or_none(Equipment.id == complaint.target_equipment_id)
        if equipment is None or equipment.customer_id != complaint.customer_id:
            problem = N_("The equipment must belong to the complaint's customer.")
    problem = problem or D.promise_problem(complaint.promised_due, complaint.received_at)
    if problem:
        raise StepError(problem)
    for kind, field in D.TARGET_FIELDS.items():
        if kind != complaint.target_kind:
            setattr(complaint, field, None)


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
              rules=None, calendar=None, **values):
    """Take step ``name`` (domain.complaints.STEPS) on each complaint the user
    may see among ``complaint_ids``, in one transaction. ``values``: the note
    and the step's inputs (see domain.complaints.INPUTS).

    Every step writes a follow-up: a note on a closed complaint is recorded as
    a tracking note, a close the customer did not accept as "not satisfied"
    with their verdict (the complaint goes back to handling).

    Returns ``(done, refused)``: the ids changed, and (id, StepError) for each
    complaint that could not take the step.
    """
    rules, calendar = _context(rules, calendar)
    verdict = name == "close"

    def follow_up(complaint):
        ComplaintFollowUp.create(
            complaint=complaint.id, at=now, by=user.id,
            step=D.follow_up_step(name, complaint.status),
            action=(values.get("note") or "").strip(),
            result=(result or "").strip() or None,
            next_step=(next_step or "").strip() or None,
            customer_satisfied=values.get("customer_satisfied") if verdict else None,
            customer_score=int(values["customer_score"])
            if verdict and values.get("customer_score") not in (None, "") else None)

    return apply_each(Complaint, "complaint", complaint_ids, name, user=user, error=StepError,
                      decide=lambda c: D.apply(name, c, now=now, role=user.role, rules=rules,
                                               calendar=calendar, **values),
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
