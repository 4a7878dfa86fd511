"""Human-readable record numbers: C000001, TS-2026-0001, WX-2026-0001, CA-2026-0001.

Each prefix has a row in ``number_sequence`` holding the last number handed
out. ``allocate`` bumps that row inside the caller's transaction: a second
clerk saving at the same moment waits on the row lock (MySQL) or the write
lock (SQLite) and gets the next number; a save that fails rolls the bump back
with it, so numbering has no gaps. Call it inside ``services.transactions.writing()``.
"""
from peewee import fn

from models import NumberSequence


def _highest_existing(field, prefix):
    """The sequence part of the highest ``prefix…`` number already stored (0 if none)."""
    model = field.model
    last = model.select(fn.MAX(field)).where(field.startswith(prefix)).scalar()
    tail = (last or "")[len(prefix):]
    return int(tail) if tail.isdigit() else 0


def _ensure_sequence(field, prefix):
    """The prefix's counter row: on its first use (a new year, or records
    imported with their own numbers) it starts at the highest number stored."""
    if NumberSequence.get_or_none(NumberSequence.name == prefix) is None:
        NumberSequence.insert(name=prefix, value=_highest_existing(field, prefix)) \
            .on_conflict_ignore().execute()


def allocate(field, prefix, width):
    """The next free ``prefix`` + zero-padded number for ``field``, reserved in
    the current transaction."""
    _ensure_sequence(field, prefix)
    model = field.model
    while True:
        NumberSequence.update(value=NumberSequence.value + 1).where(
            NumberSequence.name == prefix).execute()
        value = NumberSequence.get(NumberSequence.name == prefix).value
        number = f"{prefix}{value:0{width}d}"
        # An imported record may already hold this number: skip past it.
        if not model.select().where(field == number).exists():
            return number


def note_used(field, prefix, number):
    """Tell the sequence about a number given from outside (an import), so the
    next allocated number comes after it."""
    tail = number[len(prefix):] if number.startswith(prefix) else ""
    if not tail.isdigit():
        return
    _ensure_sequence(field, prefix)
    NumberSequence.update(value=int(tail)).where(
        (NumberSequence.name == prefix) & (NumberSequence.value < int(tail))).execute()


def customer_code(field):
    return allocate(field, "C", 6)


def yearly_number(field, letters, year):
    return allocate(field, f"{letters}-{year}-", 4)
