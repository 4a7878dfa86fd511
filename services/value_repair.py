"""Repair stored values that break domain.values' rules (migration m0009).

Before the rules, a form took 99999999999999999999999999.99 as an amount
(stored as 1e+26, after which the record's edit page failed for good), a
NUL in a name, a negative quantity or the year 0001. This finds each such
value and sets it to what the rules allow: text loses its control
characters; a number or date out of range is cleared (NULL), or, where the
column must hold a value, set to its default (a number) or left for a
person to fix (a date). Every change is described in the returned lines.

Only columns the table has are read (a later migration may add more), so
it runs at its place in the migration order on any older schema.
"""
from decimal import Decimal, InvalidOperation

import models as M
from domain import values

from .bulk import chunks


def _numeric_out_of_range(value, rule):
    """Whether a stored number breaks ``rule`` (a float 1e+26, NaN, -3 …)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return True
    if not number.is_finite() or not rule.minimum <= number <= rule.maximum:
        return True
    places = rule.places if rule.kind == "decimal" else 0
    return number != number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN")


def _replacement(field, rule):
    """What an out-of-range value becomes: None, the default, or the minimum."""
    if field.null:
        return None
    default = field.default() if callable(field.default) else field.default
    try:
        return values.check(rule, default) if default is not None else rule.minimum
    except values.ValueRefused:
        return rule.minimum


def _repairs_of(model, columns):
    """[(field, rule)] of the model's fields that have a rule and a column."""
    out = []
    for field in model._meta.sorted_fields:
        rule = values.rule_of(field)
        if rule is None or rule.kind == "key" or field.column_name not in columns:
            continue
        out.append((field, rule))
    return out


def _scan(model, fields):
    """{id: {field: new value}} for the rows of ``model`` to repair."""
    found = {}
    selected = [model.id] + [f for f, _rule in fields]
    for row in model.select(*selected).tuples().iterator():
        for (field, rule), raw in zip(fields, row[1:]):
            if raw is None:
                continue
            if rule.kind == "text":
                clean = values.clean_text(raw, rule.multiline)
                if clean != raw:
                    found.setdefault(row[0], {})[field] = (raw, clean)
            elif rule.kind in ("date", "datetime"):
                year = getattr(raw, "year", None)
                if year is None or not values.FIRST_YEAR <= year <= values.LAST_YEAR:
                    found.setdefault(row[0], {})[field] = (raw, None if field.null else raw)
            elif _numeric_out_of_range(raw, rule):
                found.setdefault(row[0], {})[field] = (raw, _replacement(field, rule))
    return found


def _shown(value):
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def repair(database):
    """Repair every register; returns the report lines (empty: nothing to do)."""
    report = []
    for model in M.ALL_MODELS:
        table = model._meta.table_name
        if "id" not in model._meta.fields or not database.table_exists(table):
            continue
        columns = {c.name for c in database.get_columns(table)}
        fields = _repairs_of(model, columns)
        if not fields:
            continue
        found = _scan(model, fields)
        for ids in chunks(sorted(found)):
            for record_id in ids:
                updates = {f: new for f, (old, new) in found[record_id].items() if old != new}
                if updates:
                    model.update(updates).where(model.id == record_id).execute()
                for field, (old, new) in found[record_id].items():
                    what = ("left as it is: the column needs a value, fix it by hand"
                            if old == new else f"now {_shown(new)}")
                    report.append(f"{table}.{field.column_name} #{record_id}: "
                                  f"{_shown(old)} refused, {what}")
    return report
