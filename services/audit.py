"""The audit trail: one row per create / update / delete / action / login."""
import json
from datetime import date, datetime
from decimal import Decimal

from models import AuditLog


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def plain_value(field, value):
    """A field's value as the database holds it, made JSON-able: a related
    record by its id, an amount rounded to its places."""
    return None if value is None else _plain(field.db_value(value))


def snapshot(record, skip=("created_at", "updated_at", "password_hash")):
    """Field name -> plain value, FKs by id, secrets left out."""
    out = {}
    for name, field in record._meta.fields.items():
        if name in skip:
            continue
        out[name] = _plain(record.__data__.get(name))
    return out


def diff(before, after):
    """{field: [old, new]} of what changed between two snapshots."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys)
            if before.get(k) != after.get(k)}


def record(*, user, action, register, record_id=None, changes=None, ip=None):
    return AuditLog.create(
        user=user, action=action, register=register,
        record_id=None if record_id is None else str(record_id),
        changes=None if changes is None else json.dumps(changes, ensure_ascii=False),
        ip=ip,
    )
