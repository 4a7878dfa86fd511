"""SQL building blocks of the figures: period conditions, "counted if"
aggregates, and the conditions that decide whether a record met its target.

Shared by the figures (kpis.py), the specialist table, the charts and the
drill-down filters on the lists (views/dashboard_links.py), so a figure and
the list behind it can never disagree. ``now`` decides what is known yet.
"""
from peewee import Case, DateField, fn

import models as M

from . import access

RELEASED_PLANS = ("approved", "closed")


def count_if(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def sum_if(condition, value):
    return fn.SUM(Case(None, [(condition, value)], 0))


def within(field, period):
    """``field`` in the period: a DateField against days, else against moments."""
    if isinstance(field, DateField):
        return (field >= period.start) & (field < period.end)
    return (field >= period.start_at) & (field < period.end_at)


def scoped(query, model, user):
    return query if user is None else access.scope_query(query, model, user)


def planned_visits(period):
    """Planned visits of released plans due in the period, not cancelled."""
    PV = M.PlannedVisit
    released = M.VisitPlan.select(M.VisitPlan.id).where(M.VisitPlan.status.in_(RELEASED_PLANS))
    return within(PV.due_on, period) & (PV.status != "cancelled") & PV.plan.in_(released)


def due_so_far(today):
    PV = M.PlannedVisit
    return (PV.due_on < today) | (PV.status == "done")


def response_known(now):
    I = M.VisitIssue
    return I.response_due.is_null(False) & (I.responded_at.is_null(False) | (I.response_due < now))


def response_on_time():
    I = M.VisitIssue
    return I.response_due.is_null(False) & (I.responded_at <= I.response_due)


def resolution_known(now):
    I = M.VisitIssue
    return I.resolve_due.is_null(False) & (I.resolved_at.is_null(False) | (I.resolve_due < now))


def resolved_on_time():
    I = M.VisitIssue
    return I.resolve_due.is_null(False) & (I.resolved_at <= I.resolve_due)


def complaint_known(now):
    C = M.Complaint
    return (C.status == "closed") | (C.reopen_count > 0) | (C.close_due < now)


def complaint_on_time():
    """SQL twin of domain.complaints.closed_on_time."""
    C = M.Complaint
    never_reopened = (C.reopen_count == 0) | C.reopen_count.is_null()
    return ((C.status == "closed") & (C.closed_at <= C.close_due)
            & (C.customer_satisfied == True) & never_reopened)  # noqa: E712 — SQL


def is_not(condition):
    """NOT ``condition`` where NULL counts as false (a plain NOT of NULL is NULL)."""
    return Case(None, [(condition, 1)], 0) == 0


def response_missed(now):
    return response_known(now) & is_not(response_on_time())


def resolution_missed(now):
    return resolution_known(now) & is_not(resolved_on_time())


def complaint_missed(now):
    return complaint_known(now) & is_not(complaint_on_time())


def not_done():
    """Planned visits of released plans still to do (planned or missed)."""
    PV = M.PlannedVisit
    released = M.VisitPlan.select(M.VisitPlan.id).where(M.VisitPlan.status.in_(RELEASED_PLANS))
    return PV.status.in_(("planned", "missed")) & PV.plan.in_(released)
