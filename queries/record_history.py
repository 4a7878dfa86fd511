"""A record's history from the audit log: who last changed it, and when."""
import json
from typing import NamedTuple, Optional

from peewee import JOIN

from domain.registers import QUEUES, REGISTERS
import models as M


class Change(NamedTuple):
    who: Optional[str]   # None: a system job (reclassification, the SLA sweep)
    at: object


def _registers_of(model):
    # The audit names a record by the endpoint it was saved through; a queue
    # (My visits) saves the same rows as its register.
    return [r.endpoint for r in REGISTERS + QUEUES if r.model is model]


def last_change(model, record_id, after_version: int) -> Change:
    """The newest audited save that raised the record past ``after_version``;
    a save that left no audit row (a set-based job) is named by the time the
    record was last updated."""
    A, U = M.AuditLog, M.User
    rows = (A.select(A.at, A.changes, U.name, U.username)
            .join(U, JOIN.LEFT_OUTER, on=(A.user == U.id))
            .where(A.register.in_(_registers_of(model)) & (A.record_id == str(record_id)))
            .order_by(A.id.desc()).limit(50).objects())
    for row in rows:
        try:
            version = (json.loads(row.changes or "{}").get("version") or [None, None])[1]
        except (ValueError, AttributeError, IndexError, TypeError):
            continue
        if isinstance(version, int) and version > after_version:
            return Change(row.name or row.username, row.at)
    updated = model.select(model.updated_at).where(model.id == record_id).scalar()
    return Change(None, updated)
