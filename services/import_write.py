"""Writing an analysed import: set-based, inside the caller's transaction.

New records go in with one executemany (services.bulk.insert_rows); changed
records with one executemany per set of changed columns; each changed record
gets its audit row (before → after) the same way. What the record views do
on save is done here for the whole file at once: customer codes and complaint
numbers for rows without one, the key-customer flag, and the class of the
customers whose sales changed.
"""
import json
import re

import models as M
from domain import complaints as complaint_rules
from domain.classification import is_key
from domain.import_values import match_key
from models import db

from . import numbering
from .bulk import chunks, insert_rows
from .calendar import load_calendar
from .classification import on_sales_changed
from .rules import current_rules

CHUNK = 5000


def write_outcomes(spec, outcomes, *, user_id, ip, now):
    created = [o for o in outcomes if o.status == "created"]
    updated = [o for o in outcomes if o.status == "updated"]
    PREPARE.get(spec.endpoint, lambda rows, now: None)([o.values for o in created], now)
    _insert(spec, created, now)
    _update(spec.model, updated, now)
    _audit_changes(spec.endpoint, updated, user_id, ip, now)
    AFTER.get(spec.endpoint, lambda created, updated, now: None)(created, updated, now)


def plan_extras(spec, outcomes):
    """What the extra columns of a file will add (part of the dry run)."""
    if "contact" in spec.extra:
        _plan_contacts(outcomes)


def _insert(spec, created, now):
    if not created:
        return
    model = spec.model
    # Every column: the file's values, else the model's defaults (as a save would).
    fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
    rows = []
    for o in created:
        values = {**o.values, "created_at": now, "updated_at": now}
        rows.append(tuple(_value_or_default(f, values.get(f.name)) for f in fields))
    insert_rows(fields, rows)


def _value_or_default(field, value):
    if value is None and field.default is not None:
        return field.default() if callable(field.default) else field.default
    return value


def _update(model, updated, now):
    """One executemany of ``UPDATE … SET a = ?, b = ? WHERE id = ?`` per set of
    changed columns."""
    groups = {}
    for o in updated:
        names = tuple(sorted(n for n in o.changes if n in model._meta.fields))
        if names:
            groups.setdefault(names, []).append(o)
    database = db.obj
    left, right = database.quote
    mark = database.param
    cursor = database.cursor()
    for names, group in groups.items():
        fields = [model._meta.fields[n] for n in names] + [model.updated_at]
        sets = ", ".join(f"{left}{f.column_name}{right} = {mark}" for f in fields)
        sql = (f"UPDATE {left}{model._meta.table_name}{right} SET {sets} "
               f"WHERE {left}{model._meta.primary_key.column_name}{right} = {mark}")
        rows = [tuple(f.db_value(o.changes[f.name][1]) for f in fields[:-1])
                + (model.updated_at.db_value(now), o.record_id) for o in group]
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])


def _audit_changes(endpoint, updated, user_id, ip, now):
    a = M.AuditLog
    rows = [(now, user_id, "update", endpoint, str(o.record_id),
             json.dumps(o.changes, ensure_ascii=False, default=str), ip) for o in updated]
    insert_rows([a.at, a.user, a.action, a.register, a.record_id, a.changes, a.ip], rows)


# ---------------------------------------------------------------- per register
def _prepare_customers(rows, now):
    """Codes for new customers without one (a block after the highest in
    use), and the key-customer flag as the customer view sets it."""
    missing = [r for r in rows if not r.get("code")]
    if missing:
        for row, code in zip(missing, customer_codes(len(missing))):
            row["code"] = code
    for row in rows:
        row["is_key"] = is_key(row.get("customer_class") or "C", row.get("is_strategic"))


def customer_codes(count, prefix="C", width=6):
    """``count`` new customer codes after the highest ``prefix`` number in use.

    services.numbering hands out one code at a time (four queries each); for
    an import of 50,000 customers we take a block and tell the numbering
    sequence where it ends first, so a clerk saving a customer meanwhile
    waits for our transaction and then continues after the block."""
    field = M.Customer.code
    highest = 0
    for (code,) in M.Customer.select(field).where(field.startswith(prefix)).tuples():
        tail = code[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    sequence = getattr(M, "NumberSequence", None)
    if sequence is not None:
        row = sequence.get_or_none(sequence.name == prefix)
        highest = max(highest, row.value if row else 0)
    codes = [f"{prefix}{n:0{width}d}" for n in range(highest + 1, highest + count + 1)]
    note_used = getattr(numbering, "note_used", None)
    if note_used is not None:
        note_used(field, prefix, codes[-1])
    return codes


def _prepare_complaints(rows, now):
    """Numbers kept as the file gives them (the sequence told, so the next
    complaint continues after them); the others numbered like a new
    complaint; deadlines from the received time, as a registered complaint gets."""
    highest = {}
    for row in rows:
        m = re.match(r"^(.*?)(\d+)$", row.get("number") or "")
        if m and (m.group(1) not in highest or highest[m.group(1)][0] < int(m.group(2))):
            highest[m.group(1)] = (int(m.group(2)), row["number"])
    for prefix, (_n, number) in highest.items():
        numbering.note_used(M.Complaint.number, prefix, number)
    rules = current_rules()
    calendar = load_calendar(rules)
    for row in rows:
        if not row.get("number"):
            year = (row.get("received_at") or now).year
            row["number"] = numbering.yearly_number(M.Complaint.number, "TS", year)
        if row.get("received_at"):
            row.update(complaint_rules.deadlines(row["received_at"], rules, calendar))


def _plan_contacts(outcomes):
    """A customer list's 联系人 column: the customer's contact of that name,
    added when the customer has none yet (shown as a change of the row)."""
    rows = [o for o in outcomes if o.extra.get("contact")
            and o.status in ("created", "updated", "unchanged")]
    known = set()
    ids = [o.record_id for o in rows if o.record_id]
    for part in chunks(ids):
        known.update((cid, match_key(name)) for cid, name in M.Contact.select(
            M.Contact.customer, M.Contact.name).where(M.Contact.customer.in_(part)).tuples())
    for o in rows:
        name = o.extra["contact"]
        if o.record_id is None or (o.record_id, match_key(name)) not in known:
            o.changes["contact"] = [None, name]
            if o.status == "unchanged":
                o.status = "updated"


def _after_customers(created, updated, now):
    """The contacts planned by _plan_contacts; the customer's first one is its primary."""
    rows = [o for o in created + updated if "contact" in o.changes]
    if not rows:
        return
    codes = [o.values["code"] for o in rows if o.record_id is None]
    by_code = {}
    for part in chunks(codes):
        by_code.update(M.Customer.select(M.Customer.code, M.Customer.id)
                       .where(M.Customer.code.in_(part)).tuples())
    customer_ids = [o.record_id or by_code[o.values["code"]] for o in rows]
    with_primary = set()
    for part in chunks(customer_ids):
        with_primary.update(cid for (cid,) in M.Contact.select(M.Contact.customer).where(
            M.Contact.customer.in_(part) & M.Contact.is_primary).tuples())
    fields = [M.Contact.customer, M.Contact.name, M.Contact.is_primary,
              M.Contact.is_decision_maker, M.Contact.created_at, M.Contact.updated_at]
    new = []
    for o, cid in zip(rows, customer_ids):
        new.append((cid, o.changes["contact"][1], cid not in with_primary, False, now, now))
        with_primary.add(cid)
    insert_rows(fields, new)


def _after_sales(created, updated, now):
    """Sales keep their customers' last deal date and class current."""
    customers = {o.values.get("customer") for o in created + updated}
    customers.discard(None)
    if customers:
        on_sales_changed(sorted(customers), today=now.date())


PREPARE = {"customer": _prepare_customers, "complaint": _prepare_complaints}
AFTER = {"sale": _after_sales, "customer": _after_customers}
