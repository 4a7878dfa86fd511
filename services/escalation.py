"""Escalating complaints and visit problems: the SLA sweep and a manager's hand.

The sweep applies domain/escalation.py's SLA table as one INSERT … SELECT
(the log) and one UPDATE (the records) per deadline — set-based, never a
Python loop over the records — in one transaction. Two sweeps never
interleave: MySQL takes a named lock (GET_LOCK), SQLite's BEGIN IMMEDIATE
holds the write lock; the second sweep then finds every miss already counted
(the per-deadline bit in ``sla_missed``, and the log's unique index) and
changes nothing.
"""
import json
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

from peewee import Case, MySQLDatabase, OperationalError, Value

import models as M
from domain import escalation as D
from domain.escalation import EscalationError
from services.steps import apply_each
from services.transactions import writing

JOB = "sla_sweep"
MODELS = {"complaint": M.Complaint, "visit_issue": M.VisitIssue}


def _mysql():
    return isinstance(M.db.obj, MySQLDatabase)


def _begin_sqlite(wait_seconds):
    """BEGIN IMMEDIATE, waiting at most ``wait_seconds`` for another writer;
    the open transaction, or None when the wait ran out."""
    database = M.db.obj
    usual = database.execute_sql("PRAGMA busy_timeout").fetchone()[0]
    database.execute_sql(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
    transaction = database.atomic("IMMEDIATE")
    try:
        transaction.__enter__()
        return transaction
    except OperationalError as ex:
        if "locked" in str(ex):
            return None
        raise
    finally:
        database.execute_sql(f"PRAGMA busy_timeout={int(usual)}")


@contextmanager
def _exclusive(wait_seconds):
    """Inside: the sweep's write transaction, held by one sweep at a time.
    Yields False (and runs nothing) when another sweep held it for longer
    than ``wait_seconds``."""
    if _mysql():
        got = M.db.execute_sql("SELECT GET_LOCK(%s, %s)", (JOB, wait_seconds)).fetchone()[0]
        if got != 1:
            yield False
            return
        try:
            with writing():
                yield True
        finally:
            M.db.execute_sql("SELECT RELEASE_LOCK(%s)", (JOB,))
        return
    transaction = _begin_sqlite(wait_seconds)
    if transaction is None:
        yield False
        return
    try:
        yield True
    except BaseException:
        transaction.__exit__(*sys.exc_info())
        raise
    transaction.__exit__(None, None, None)


def _sweep_deadline(deadline, now):
    """Escalate every open record that missed ``deadline``; return how many."""
    model = MODELS[deadline.register]
    due, done = getattr(model, deadline.due), getattr(model, deadline.done)
    if deadline.by_day:  # a date: missed once the day has passed, while not done
        missed = (due < now.date()) & done.is_null()
    else:
        missed = (due < now) & (done.is_null() | (done > due))
    missed = (missed & (model.sla_missed.bin_and(deadline.bit) == 0)
              & model.status.not_in(D.FINISHED[deadline.register]))
    if deadline.statuses is not None:
        missed = missed & model.status.in_(deadline.statuses)
    level = Case(None, [(model.escalation_level >= D.TOP_LEVEL, D.TOP_LEVEL)],
                 model.escalation_level + 1)
    reason = D.reason_code(deadline)
    E = M.Escalation
    log = model.select(Value(deadline.register), model.id, level, Value(now),
                       Value(deadline.name), due, Value(reason)).where(missed)
    E.insert_from(log, [E.register, E.record_id, E.level, E.at, E.deadline, E.due,
                        E.reason]).on_conflict_ignore().execute()
    return (model.update({model.escalation_level: level, model.escalated_at: now,
                          model.escalation_reason: reason,
                          model.sla_missed: model.sla_missed.bin_or(deadline.bit),
                          model.version: model.version + 1})
            .where(missed).execute())


def sweep(now, *, wait_seconds=60):
    """Escalate everything past a deadline at ``now``. Returns
    {"complaint": n, "visit_issue": n} (records escalated per register, a
    record counted once per missed deadline), or None when another sweep held
    the lock for longer than ``wait_seconds``."""
    started = time.monotonic()
    with _exclusive(wait_seconds) as got:
        if not got:
            return None
        counts = {register: 0 for register in MODELS}
        for deadline in D.SLA:
            counts[deadline.register] += _sweep_deadline(deadline, now)
        M.JobRun.insert(name=JOB, started_at=now, finished_at=now,
                        result=json.dumps(dict(counts, seconds=round(
                            time.monotonic() - started, 3)))).on_conflict_replace().execute()
    return counts


def last_run():
    """The last sweep's JobRun row, or None."""
    return M.JobRun.get_or_none(M.JobRun.name == JOB)


def sweep_if_due(now, interval_minutes):
    """Run the sweep when the last one is older than ``interval_minutes`` (a
    page opening: never waits for a sweep running elsewhere). Returns the
    counts, or None when nothing ran."""
    last = last_run()
    if last is not None and last.started_at is not None and \
            timedelta(0) <= now - last.started_at < timedelta(minutes=interval_minutes):
        return None
    return sweep(now, wait_seconds=0)


def escalate(register, ids, reason, *, user, now, ip=None):
    """A manager escalates the records ``ids`` of ``register`` (those the
    user may see) one level, with ``reason``. Returns (done ids, [(id, error)])."""
    def log(record):
        M.Escalation.create(register=register, record_id=record.id,
                            level=record.escalation_level, at=now, by=user.id,
                            reason=record.escalation_reason)

    return apply_each(MODELS[register], register, ids, "escalate", user=user,
                      error=EscalationError, after=log, ip=ip,
                      decide=lambda r: dict(D.manual(r, reason, user.role), escalated_at=now))


def history(register, record_id):
    """The escalations of one record, oldest first."""
    return list(M.Escalation.select().where((M.Escalation.register == register)
                                            & (M.Escalation.record_id == record_id))
                .order_by(M.Escalation.at, M.Escalation.id))
