"""The per-specialist table: completion, resolution, satisfaction and the
weighted score (domain/kpis.py defines them), one line per specialist.

Three GROUP BY queries, one per register. A record belongs to every
specialist who would see it under domain/access.py — the owner of its
customer and the person it is assigned to (or who made the visit) — so each
line equals that specialist's own dashboard. Sorted by score, best first;
specialists without any score last, by name.
"""
from dataclasses import dataclass
from decimal import Decimal

from peewee import SQL, fn

import models as M

from .kpi_sql import (count_if, due_so_far, planned_visits, resolution_known,
                      resolved_on_time, within)
from .kpis import mean, ratio, score


@dataclass(frozen=True)
class SpecialistLine:
    user_id: int
    name: str
    completion: Decimal | None
    resolution: Decimal | None
    satisfaction: Decimal | None
    score: Decimal | None
    done: int = 0           # the counts behind the ratios
    due: int = 0
    resolved: int = 0
    resolvable: int = 0
    scored_visits: int = 0


def _attributed(base, customer, assigned, aggregates, only):
    """{user id: [aggregate totals]} of ``base``'s rows, each added to its
    customer's owner and to its assignee (once when they are the same).

    One scan grouped by (owner, assignee) — at most users² groups — then the
    groups are added up per person. (A join on "owner or assignee" reads the
    same, but SQLite then walks the whole month once per specialist.)"""
    C = M.Customer.alias("owned")
    query = base.join(C, on=(customer == C.id))
    if only is not None:
        query = query.where((C.owner == only.id) | (assigned == only.id))
    query = query.select(C.owner, assigned, *aggregates).group_by(C.owner, assigned)
    totals = {}
    for owner, assignee, *sums in query.tuples():
        for uid in {owner, assignee} - {None}:
            line = totals.setdefault(uid, [0] * len(sums))
            for i, value in enumerate(sums):
                line[i] += value or 0
    return totals


def _completion(period, today, only):
    PV = M.PlannedVisit
    base = PV.select().where(planned_visits(period) & due_so_far(today))
    return _attributed(base, PV.customer, PV.assignee,
                       [count_if(PV.status == "done"), fn.COUNT(SQL("*"))], only)


def _resolution(period, now, only):
    I = M.VisitIssue
    base = I.select().where(within(I.raised_at, period))
    return _attributed(base, I.customer, I.assignee,
                       [count_if(resolution_known(now) & resolved_on_time()),
                        count_if(resolution_known(now))], only)


def _satisfaction(period, only):
    V = M.Visit
    base = V.select().where(within(V.visited_at, period))
    return _attributed(base, V.customer, V.staff,
                       [fn.SUM(V.satisfaction), fn.COUNT(V.satisfaction)], only)


def by_specialist(period, *, rules, now, only=None):
    """SpecialistLines of the period, best score first. ``only``: that one
    specialist's line (what a specialist is shown). Active specialists
    without any record get a line of "—"."""
    completion = _completion(period, now.date(), only)
    resolution = _resolution(period, now, only)
    satisfaction = _satisfaction(period, only)
    people = M.User.select(M.User.id, M.User.name, M.User.username).where(
        (M.User.role == "specialist")
        & ((M.User.active == True)  # noqa: E712 — SQL
           | M.User.id.in_(list(completion) + list(resolution) + list(satisfaction) or [0])))
    if only is not None:
        people = people.where(M.User.id == only.id)
    lines = []
    for uid, name, username in people.tuples():
        done, due = completion.get(uid, (0, 0))
        resolved, resolvable = resolution.get(uid, (0, 0))
        total, scored = satisfaction.get(uid, (0, 0))
        parts = {"completion": ratio(done, due), "resolved_in_time": ratio(resolved, resolvable),
                 "satisfaction": mean(total, scored)}
        lines.append(SpecialistLine(uid, name or username, parts["completion"],
                                    parts["resolved_in_time"], parts["satisfaction"],
                                    score(parts, rules), done, due, resolved, resolvable,
                                    scored))
    lines.sort(key=lambda l: (l.score is None, -(l.score or 0), l.name))
    return lines
