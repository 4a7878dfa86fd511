"""Human-readable record numbers: C000001, TS-2026-0001, WX-2026-0001, CA-2026-0001."""
from peewee import fn


def next_number(field, prefix, width):
    """``prefix`` followed by the next zero-padded sequence after the highest
    existing number with that prefix. The field's unique index refuses a
    collision, so a concurrent save fails loudly rather than duplicating."""
    model = field.model
    last = (model.select(fn.MAX(field)).where(field.startswith(prefix)).scalar())
    seq = 0
    if last:
        tail = last[len(prefix):]
        seq = int(tail) if tail.isdigit() else 0
    return f"{prefix}{seq + 1:0{width}d}"


def customer_code(model_field):
    return next_number(model_field, "C", 6)


def yearly_number(model_field, letters, year):
    return next_number(model_field, f"{letters}-{year}-", 4)
