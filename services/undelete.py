"""Deleted records brought back: a delete keeps the whole row in its audit
entry, and the owner restores it from there under its old id.

A restore is refused, with the reason, when it would clash with what is
there now: the id taken again, a unique value (a code, a number) used by
another record, or a record it points at that no longer exists.
"""
import json
from datetime import date, datetime
from decimal import Decimal

from peewee import DateField, DateTimeField, DecimalField, ForeignKeyField, IntegrityError

import models as M
from domain.i18n import N_, TranslatableError
from domain.registers import QUEUES, REGISTERS, register_label
from services import audit
from services.transactions import writing

# Kept out of the audit log (anyone who reads it would read them); a restored
# user gets a password that matches nothing and the owner sets a new one.
SECRETS = ("password_hash",)
NO_PASSWORD = "!"
MODELS = {r.endpoint: r.model for r in REGISTERS + QUEUES}


class UndeleteError(TranslatableError):
    """A restore that cannot be done, and why. ``labels`` names the params
    that are themselves msgids (register and field names) to translate too."""

    def __init__(self, msgid, labels=(), **params):
        plain = {k: ", ".join(v) if isinstance(v, tuple) else v for k, v in params.items()}
        super().__init__(msgid, **plain)
        self.params, self.labels = params, labels


def deleted_changes(record):
    """The audit changes of deleting ``record``: every field, old value -> None
    (timestamps and version too: a restore puts them back)."""
    return {name: [value, None]
            for name, value in audit.snapshot(record, skip=SECRETS).items()}


def restore(*, entry_id, user, now, ip=None):
    """Put back the record whose deletion is the audit entry ``entry_id``,
    under its old id, with an audit row; returns (model, record id)."""
    entry = M.AuditLog.get_or_none((M.AuditLog.id == entry_id) & (M.AuditLog.action == "delete"))
    model = MODELS.get(entry.register) if entry is not None else None
    if model is None or not entry.changes or not str(entry.record_id).isdigit():
        raise UndeleteError(N_("There is no such deleted record."))
    pk = int(entry.record_id)
    row = _row(model, entry, pk, now)
    with writing():
        _check(model, pk, row)
        try:
            model.insert(**row).execute()
        except IntegrityError as ex:
            raise UndeleteError(N_("The database refused the restore: %(error)s"),
                                error=str(ex)) from ex
        after = audit.snapshot(model(**row), skip=SECRETS)
        audit.record(user=getattr(user, "id", user), action="restore", register=entry.register,
                     record_id=pk, ip=ip, changes={k: [None, v] for k, v in after.items()})
    return model, pk


def _row(model, entry, pk, now):
    """Field values to insert, from the deleted row's snapshot; what the
    snapshot lacks (entries written before deletes kept timestamps, or a
    field added since) gets its default or a sensible value."""
    old = {name: change[0] for name, change in json.loads(entry.changes).items()
           if isinstance(change, list) and change}
    row = {}
    for name, field in model._meta.fields.items():
        if name in old:
            row[name] = _value(field, old[name])
        elif name == "created_at":
            row[name] = _created_at(entry) or entry.at
        elif name in SECRETS:
            row[name] = NO_PASSWORD
        elif field.default is not None:
            row[name] = field.default() if callable(field.default) else field.default
    row["id"] = pk
    if "updated_at" in model._meta.fields:
        row["updated_at"] = now
    if "version" in model._meta.fields:
        # A restore is a change like any save: a form opened before the
        # delete must not overwrite the restored row unnoticed.
        row["version"] = int(row.get("version") or 0) + 1
    return row


def _created_at(entry):
    created = (M.AuditLog.select(M.AuditLog.at)
               .where((M.AuditLog.register == entry.register)
                      & (M.AuditLog.record_id == entry.record_id)
                      & (M.AuditLog.action == "create")
                      & (M.AuditLog.id < entry.id))
               .order_by(M.AuditLog.id.desc()).first())
    return created.at if created else None


def _value(field, value):
    """A snapshot's plain value (ISO dates, decimal strings) as the field's type."""
    if value is None:
        return None
    if isinstance(field, DateTimeField) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(field, DateField) and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(field, DecimalField):
        return Decimal(str(value))
    return value


def _check(model, pk, row):
    if model.select().where(model.id == pk).exists():
        raise UndeleteError(N_("%(register)s #%(id)s is there already (it was restored "
                               "before, or its id was given to a new record)."),
                            labels=("register",), register=register_label(model), id=pk)
    for name, field in model._meta.fields.items():
        value = row.get(name)
        if value is None or name == "id":
            continue
        if isinstance(field, ForeignKeyField):
            target = field.rel_model
            if not target.select().where(target.id == value).exists():
                raise UndeleteError(N_("It refers to %(register)s #%(id)s, which no longer "
                                       "exists: restore that first."),
                                    labels=("register",), register=register_label(target),
                                    id=value)
        elif field.unique and model.select().where(field == value).exists():
            raise UndeleteError(N_("%(field)s \"%(value)s\" is now used by another record."),
                                labels=("field",), field=field.verbose_name or name,
                                value=value)
    for columns, unique in model._meta.indexes:
        if not unique or isinstance(columns, str):
            continue
        fields = [model._meta.fields[c] for c in columns]
        cond = None
        for f in fields:
            term = f.is_null() if row.get(f.name) is None else (f == row[f.name])
            cond = term if cond is None else cond & term
        if all(row.get(f.name) is not None for f in fields) and \
                model.select().where(cond).exists():
            raise UndeleteError(N_("Another record now has the same %(fields)s."),
                                labels=("fields",),
                                fields=tuple(f.verbose_name or f.name for f in fields))
