"""The "Recently deleted" list: deletions of the last 30 days, newest first,
each with what was deleted and whether it can still be brought back."""
import json
from datetime import timedelta
from typing import NamedTuple, Optional

from peewee import JOIN

import models as M
from services.undelete import MODELS

DAYS = 30
PAGE = 50
# What names a deleted row in the list: the first of these found, then its
# code or number in brackets ("苏州精诚 (C000123)").
NAME_FIELDS = ("name", "username", "key", "product", "serial_no", "model_name", "day",
               "visited_at", "description", "purpose", "title")
CODE_FIELDS = ("number", "code")


class Deleted(NamedTuple):
    entry_id: int
    at: object
    who: Optional[str]
    register: str          # the endpoint it was deleted through
    record_id: str
    label: str
    state: str             # "restorable", "restored" or "taken" (its id is in use again)


def _label(changes, record_id):
    try:
        old = {k: v[0] for k, v in json.loads(changes or "{}").items() if isinstance(v, list)}
    except ValueError:
        old = {}
    def first(names):
        return next((str(old[n]) for n in names if old.get(n) not in (None, "")), None)

    name, code = first(NAME_FIELDS), first(CODE_FIELDS)
    if name and len(name) > 60:
        name = name[:59] + "…"
    if name and code:
        return f"{name} ({code})"
    return name or code or f"#{record_id}"


def recently_deleted(now, page=0, days=DAYS):
    """(rows of one page, how many in all) of deletions since ``days`` ago."""
    A, U = M.AuditLog, M.User
    where = (A.action == "delete") & (A.at >= now - timedelta(days=days)) & \
        A.register.in_(list(MODELS))
    total = A.select().where(where).count()
    entries = list(A.select(A.id, A.at, A.register, A.record_id, A.changes, U.name, U.username)
                   .join(U, JOIN.LEFT_OUTER, on=(A.user == U.id)).where(where)
                   .order_by(A.id.desc()).offset(page * PAGE).limit(PAGE).objects())
    restored = _restored_after(entries)
    existing = _existing(entries)
    rows = []
    for e in entries:
        key = (e.register, e.record_id)
        if restored.get(key, 0) > e.id:
            state = "restored"
        elif key in existing:
            state = "taken"
        else:
            state = "restorable"
        rows.append(Deleted(e.id, e.at, e.name or e.username, e.register, e.record_id,
                            _label(e.changes, e.record_id), state))
    return rows, total


def _restored_after(entries):
    """(register, record id) -> id of its newest restore audit row."""
    A = M.AuditLog
    if not entries:
        return {}
    ids = list({e.record_id for e in entries})
    rows = (A.select(A.register, A.record_id, A.id)
            .where((A.action == "restore") & A.register.in_(list({e.register for e in entries}))
                   & A.record_id.in_(ids)).tuples())
    found = {}
    for register, record_id, entry_id in rows:
        found[(register, record_id)] = max(found.get((register, record_id), 0), entry_id)
    return found


def _existing(entries):
    """The (register, record id) pairs whose id is in its table now."""
    found = set()
    by_register = {}
    for e in entries:
        if str(e.record_id).isdigit():
            by_register.setdefault(e.register, set()).add(int(e.record_id))
    for register, ids in by_register.items():
        model = MODELS[register]
        for (pk,) in model.select(model.id).where(model.id.in_(list(ids))).tuples():
            found.add((register, str(pk)))
    return found
