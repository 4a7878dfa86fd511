"""Bulk edit: one field set to one value on many records, in one transaction.

Set-based so 100,000 rows take a second or two: the current values are read
in chunks, only the records whose value differs are updated (chunked
``UPDATE … WHERE id IN (…)``), and each of them gets its audit row
(before → after) through one executemany; one more audit row sums it up.
What a record view derives on save is derived here too (a customer's key
flag follows its class and strategic mark). No Flask: the view passes the
ids the user may see and the fields the role may change.
"""
import json
from collections import namedtuple

from peewee import SqliteDatabase

import models as M
from domain import values
from domain.classification import is_key
from domain.clock import now as clock_now
from domain.conflicts import fingerprint
from models import db

from . import audit
from .bulk import IN_CHUNK, chunks, insert_rows
from .transactions import writing

Result = namedtuple("Result", "total changed token")


class PreviewOutdated(Exception):
    """A row of the preview changed (or the rows matched changed) since it was
    made: nothing was written; ``result`` is the preview as it is now."""

    def __init__(self, result):
        super().__init__("the rows changed since the preview")
        self.result = result

# model -> the fields derive_changes reads besides the edited one.
DERIVED_INPUTS = {M.Customer: ("customer_class", "is_strategic", "is_key")}


def derive_changes(model, before, changes):
    """Add to ``changes`` ({field: [old, new]}) what the record's view derives
    on save from the changed fields."""
    if model is M.Customer and {"customer_class", "is_strategic"} & set(changes):
        after = {**before, **{f: new for f, (_old, new) in changes.items()}}
        key = is_key(after["customer_class"], after["is_strategic"])
        if key != before["is_key"]:
            changes["is_key"] = [before["is_key"], key]


def stored_value(field, value):
    """``value`` as it reads back from the database (a record → its id, a
    number → a Decimal of the field's places …), to compare with stored ones."""
    return field.python_value(field.db_value(value))


def _plan(model, name, value, ids, lock=False):
    """(records seen, [(id, changes)], token) of setting ``name`` to ``value``
    on ``ids``. The token fingerprints every row's id and version: it differs
    as soon as one of them was saved, deleted or added. ``lock``: read the rows
    FOR UPDATE (MySQL; SQLite's BEGIN IMMEDIATE already holds the write lock)."""
    field = model._meta.fields[name]
    new = stored_value(field, values.check_field(field, value))  # the forms' rule, once more
    names = [name] + [n for n in DERIVED_INPUTS.get(model, ()) if n != name]
    query = model.select(model.id, model.version, *[model._meta.fields[n] for n in names])
    if lock and not isinstance(db.obj, SqliteDatabase):
        query = query.for_update()
    rows = []
    for condition in id_conditions(model.id, ids):
        rows.extend(query.where(condition).tuples())
    rows.sort()
    changed = []
    for row in rows:
        before = dict(zip(names, row[2:]))
        if before[name] == new:
            continue
        changes = {name: [before[name], new]}
        derive_changes(model, before, changes)
        changes["version"] = [row[1], row[1] + 1]
        changed.append((row[0], changes))
    return len(rows), changed, fingerprint([(r[0], r[1]) for r in rows])


RUN = 50  # consecutive ids from which BETWEEN beats listing them


def id_conditions(field, ids):
    """WHERE conditions selecting exactly ``ids``: a run of consecutive ids
    becomes ``BETWEEN first AND last`` (all rows matching a filter are mostly
    runs: a range scan instead of parsing 100,000 values), the rest ``IN (…)``
    lists of SQLite's size (older builds allow 999 variables), or 10,000 on
    MySQL/MariaDB where round trips cost more than long lists."""
    ids = sorted(set(ids))
    singles, start = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[i - 1] + 1:
            if i - start >= RUN:
                yield field.between(ids[start], ids[i - 1])
            else:
                singles.extend(ids[start:i])
            start = i
    size = IN_CHUNK if isinstance(db.obj, SqliteDatabase) else 10_000
    for part in chunks(singles, size):
        yield field.in_(part)


def preview(*, model, field, value, ids):
    """How many of ``ids`` exist and how many would change (nothing written)."""
    total, changed, token = _plan(model, field, value, ids)
    return Result(total, len(changed), token)


def bulk_edit(*, model, register, field, value, ids, user_id, ip=None, now=None,
              expected_token=None):
    """Set ``field`` to ``value`` on the records ``ids``; returns Result.
    With ``expected_token`` (the preview's), raises PreviewOutdated instead
    when the rows are no longer those the preview showed."""
    moment = now or clock_now()
    with writing():
        total, changed, token = _plan(model, field, value, ids, lock=True)
        if expected_token is not None and token != expected_token:
            raise PreviewOutdated(Result(total, len(changed), token))
        groups = {}
        for record_id, changes in changed:
            for name, (_old, new) in changes.items():
                if name != "version":
                    groups.setdefault((name, new), []).append(record_id)
        for (name, new), record_ids in groups.items():
            for condition in id_conditions(model.id, record_ids):
                model.update({model._meta.fields[name]: new, model.updated_at: moment}) \
                    .where(condition).execute()
        for condition in id_conditions(model.id, [record_id for record_id, _c in changed]):
            model.update({model.version: model.version + 1}).where(condition).execute()
        a = M.AuditLog
        insert_rows([a.at, a.user, a.action, a.register, a.record_id, a.changes, a.ip],
                    [(moment, user_id, "update", register, str(record_id),
                      json.dumps(changes, ensure_ascii=False, default=str), ip)
                     for record_id, changes in changed])
        audit.record(user=user_id, action="action", register=register, ip=ip, changes={
            "bulk_edit": [field, audit_value(value)],
            "rows": [total, len(changed)]})
    return Result(total, len(changed), token)


def audit_value(value):
    """A value as the audit log stores it (a record by its id)."""
    value = getattr(value, "id", value)
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)
