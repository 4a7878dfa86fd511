"""One workflow step on many selected rows: the loop every list action shares.

Only the rows the user may see are touched; each row either changes (saved,
audited with the step's name) or is refused with the reason the domain gave.
All in one transaction.
"""
from domain import access
from domain.i18n import N_, NOT_YOURS, TranslatableError
from models import StaleRecord
from services import audit
from services.transactions import writing


CHANGED_MEANWHILE = N_("Someone else changed this record at the same moment; nothing was "
                       "done to it. Open it again to see where it stands.")


def apply_each(model, register, ids, name, *, user, decide, error=TranslatableError,
               after=None, reason=None, ip=None):
    """For each id: ``decide(record)`` returns the field changes (or raises a
    TranslatableError with the refusal); the changes are saved, ``after(record)``
    runs (a follow-up row, a log entry) and an audit row names step ``name``
    (and ``reason`` when given). Returns (changed ids, [(id, error)])."""
    ids = sorted({int(i) for i in ids})
    done, refused = [], []
    with writing():
        query = access.scope_query(model.select(), model, user)
        rows = {r.id: r for r in query.where(model.id.in_(ids or [0]))}
        for record_id in ids:
            record = rows.get(record_id)
            if record is None:
                refused.append((record_id, error(NOT_YOURS)))
                continue
            try:
                changes = decide(record)
            except TranslatableError as ex:
                refused.append((record_id, ex))
                continue
            try:
                save_step(record, register, name, changes, user=user, reason=reason, ip=ip)
            except StaleRecord:
                # Saved by someone else between reading and writing (MariaDB's
                # snapshot read): refused like any step on a record that moved on.
                refused.append((record_id, error(CHANGED_MEANWHILE)))
                continue
            if after is not None:
                after(record)
            done.append(record_id)
    return done, refused


def save_step(record, register, name, changes, *, user, reason=None, ip=None):
    """Apply ``changes`` to ``record``, save it, and audit it as step ``name``."""
    before = audit.snapshot(record)
    for field, value in changes.items():
        setattr(record, field, value)
    record.save()
    diff = dict({"action": [None, name]}, **audit.diff(before, audit.snapshot(record)))
    if reason:
        diff["reason"] = [None, reason]
    audit.record(user=getattr(user, "id", user), action="action", register=register,
                 record_id=record.id, changes=diff, ip=ip)
