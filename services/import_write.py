"""Writing an analysed import: exactly the ``changes`` of its rows
(services.import_plan), set-based, inside the caller's transaction.

New records go in with one executemany per chunk (services.bulk.insert_rows):
the values the dry run showed, the model's defaults for the rest, and the
codes and numbers the dry run said would be handed out. Changed records get
one executemany per set of changed columns (their version raised, as every
save raises it) and an audit row each (before → after). Then what a save
does besides: a customer list's contacts, and the class of the customers
whose sales changed.
"""
import json
import re

import models as M
from models import db

from . import numbering
from .bulk import chunks, insert_rows
from .classification import on_sales_changed
from .import_plan import NUMBERED

CHUNK = 5000


def write_outcomes(spec, outcomes, *, user_id, ip, now):
    """The one write path of an import: created rows inserted, updated rows
    updated, each with the changes its outcome reports."""
    created = [o for o in outcomes if o.status == "created"]
    updated = [o for o in outcomes if o.status == "updated"]
    rows = [{f: new for f, (_old, new) in o.changes.items()} for o in created]
    NUMBER.get(spec.endpoint, lambda rows, now: None)(rows, now)
    _insert(spec.model, rows, now)
    _update(spec.model, updated, now)
    _audit_changes(spec.endpoint, updated, user_id, ip, now)
    AFTER.get(spec.endpoint, lambda *args: None)(created, rows, updated, now)


def new_rows(model, rows, now):
    """Tuples of every column but the id for ``rows`` ({field: value}): the
    value given, else the model's default (as a save would)."""
    fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
    for values in rows:
        values = {**values, "created_at": now, "updated_at": now}
        yield tuple(_value_or_default(f, values.get(f.name)) for f in fields)


def _insert(model, rows, now):
    fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
    tuples = new_rows(model, rows, now)
    while True:
        part = [t for _n, t in zip(range(CHUNK), tuples)]
        if not part:
            return
        insert_rows(fields, part)


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
    versioned = "version" in model._meta.fields
    for names, group in groups.items():
        fields = [model._meta.fields[n] for n in names] + [model.updated_at]
        sets = [f"{left}{f.column_name}{right} = {mark}" for f in fields]
        if versioned:  # a form opened before the import is then refused as stale
            sets.append(f"{left}version{right} = {left}version{right} + 1")
        sql = (f"UPDATE {left}{model._meta.table_name}{right} SET {', '.join(sets)} "
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


# ---------------------------------------------------------------- numbers
def _number_customers(rows, now):
    """Codes for new customers the dry run said would be numbered: a block
    after the highest in use."""
    missing = [r for r in rows if r.get("code") is NUMBERED]
    if missing:
        for row, code in zip(missing, customer_codes(len(missing))):
            row["code"] = code


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
    row = M.NumberSequence.get_or_none(M.NumberSequence.name == prefix)
    highest = max(highest, row.value if row else 0)
    codes = [f"{prefix}{n:0{width}d}" for n in range(highest + 1, highest + count + 1)]
    numbering.note_used(field, prefix, codes[-1])
    return codes


def _number_complaints(rows, now):
    """Numbers kept as the file gives them (the sequence told, so the next
    complaint continues after them); the others numbered like a new complaint."""
    highest = {}
    for row in rows:
        number = row.get("number")
        m = re.match(r"^(.*?)(\d+)$", number) if isinstance(number, str) else None
        if m and (m.group(1) not in highest or highest[m.group(1)][0] < int(m.group(2))):
            highest[m.group(1)] = (int(m.group(2)), number)
    for prefix, (_n, number) in highest.items():
        numbering.note_used(M.Complaint.number, prefix, number)
    for row in rows:
        if row.get("number") is NUMBERED:
            year = (row.get("received_at") or now).year
            row["number"] = numbering.yearly_number(M.Complaint.number, "TS", year)


# ---------------------------------------------------------------- afterwards
def _after_customers(created, rows, updated, now):
    """The contacts the dry run showed; a customer's first one is its primary."""
    added = [(o, row.get("code")) for o, row in zip(created, rows) if "contact" in o.changes]
    added += [(o, None) for o in updated if "contact" in o.changes]
    if not added:
        return
    by_code = {}
    for part in chunks([code for _o, code in added if code]):
        by_code.update(M.Customer.select(M.Customer.code, M.Customer.id)
                       .where(M.Customer.code.in_(part)).tuples())
    customer_ids = [o.record_id or by_code[code] for o, code in added]
    with_primary = set()
    for part in chunks(customer_ids):
        with_primary.update(cid for (cid,) in M.Contact.select(M.Contact.customer).where(
            M.Contact.customer.in_(part) & M.Contact.is_primary).tuples())
    contacts = []
    for (o, _code), cid in zip(added, customer_ids):
        contacts.append({"customer": cid, "name": o.changes["contact"][1],
                         "is_primary": cid not in with_primary})
        with_primary.add(cid)
    _insert(M.Contact, contacts, now)


def _after_sales(created, rows, updated, now):
    """Sales keep their customers' last deal date and class current."""
    customers = {row.get("customer") for row in rows}
    # An updated sale's customer now, and the one it was moved away from.
    customers.update(_sale_customers([o.record_id for o in updated]))
    customers.update(o.changes["customer"][0] for o in updated if "customer" in o.changes)
    customers.discard(None)
    if customers:
        on_sales_changed(sorted(customers), today=now.date())


def _sale_customers(sale_ids):
    found = set()
    for part in chunks(sale_ids):
        found.update(c for (c,) in M.Sale.select(M.Sale.customer)
                     .where(M.Sale.id.in_(part)).tuples())
    return found


NUMBER = {"customer": _number_customers, "complaint": _number_complaints}
AFTER = {"sale": _after_sales, "customer": _after_customers}
