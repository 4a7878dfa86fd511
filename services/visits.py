"""Visit records: the late-entry flag and the link to the planned visit they fulfil.

A visit that names a planned visit marks it done and links both ways; a
planned visit that pointed at this visit before (the visit was re-pointed or
unlinked) goes back to planned. The admin view checks the link before the save
(``check_link``, ``is_entered_late``) and links after it (``link_planned_visit``);
``after_visit_saved`` does both for code that saved a visit itself.
"""
from datetime import datetime

from domain.i18n import N_, TranslatableError
from models import PlannedVisit, Visit, db
from services import audit


class VisitError(TranslatableError):
    """A visit that cannot be saved as it is."""


def is_entered_late(visited_at, entered_at, rules, calendar):
    """Whether a visit record entered at ``entered_at`` came later than the rule
    allows (visit_record_entry_working_days after the visit, same clock time)."""
    if visited_at is None or entered_at is None:
        return False
    deadline = calendar.add_working_days(visited_at, rules["visit_record_entry_working_days"])
    if not isinstance(deadline, datetime):  # a date-only visit counts to the day's end
        return entered_at.date() > deadline
    return entered_at > deadline


def check_link(visit):
    """VisitError unless ``visit`` may fulfil the planned visit it names."""
    if not visit.planned_visit_id:
        return
    planned = PlannedVisit.get_or_none(PlannedVisit.id == visit.planned_visit_id)
    if planned is None:
        raise VisitError(N_("The planned visit does not exist."))
    if planned.customer_id != visit.customer_id:
        raise VisitError(N_("The planned visit is for another customer."))
    if planned.visit_id and planned.visit_id != visit.id:
        raise VisitError(N_("The planned visit is already fulfilled by another visit record."))
    if planned.status == "cancelled":
        raise VisitError(N_("The planned visit was cancelled."))


def link_planned_visit(visit, *, user=None, ip=None):
    """Mark the visit's planned visit done and linked to it; send any other
    planned visit linked to this visit back to planned. One audit row per
    planned visit changed. Returns the ids of the planned visits changed."""
    changed = []
    with db.atomic():
        stale = PlannedVisit.select().where((PlannedVisit.visit == visit.id)
                                            & (PlannedVisit.id != (visit.planned_visit_id or 0)))
        for planned in stale:
            changed.append(_update(planned, status="planned", visit=None, user=user, ip=ip))
        if visit.planned_visit_id:
            planned = PlannedVisit.get_by_id(visit.planned_visit_id)
            if planned.status != "done" or planned.visit_id != visit.id:
                changed.append(_update(planned, status="done", visit=visit.id, user=user, ip=ip))
    return changed


def _update(planned, *, user, ip, **values):
    before = audit.snapshot(planned)
    for name, value in values.items():
        setattr(planned, name, value)
    planned.save()
    audit.record(user=user, action="update", register="planned_visit", record_id=planned.id,
                 changes=audit.diff(before, audit.snapshot(planned)), ip=ip)
    return planned.id


def after_visit_saved(visit, *, rules, calendar, now, user=None, ip=None):
    """Flag a late entry (entry time = the record's created_at, or ``now``)
    and link the planned visit, in one transaction. VisitError if the link is
    not possible."""
    with db.atomic():
        check_link(visit)
        late = is_entered_late(visit.visited_at, visit.created_at or now, rules, calendar)
        if bool(visit.entered_late) != late:
            visit.entered_late = late
            Visit.update(entered_late=late, version=Visit.version + 1).where(
                Visit.id == visit.id).execute()
            visit.version += 1  # this copy stays current
        link_planned_visit(visit, user=user, ip=ip)
    return visit
