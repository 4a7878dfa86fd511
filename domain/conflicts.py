"""Saves from a stale copy: which fields conflict, which simply moved on.

A form remembers, per field, a fingerprint of the value it was opened with
(its *base*). When it is saved after someone else saved the record, each field
falls in one of three cases:

- the other save did not change it (stored == base): the user's value stands;
- the other save changed it and the user did not (mine == base): the form
  takes the stored value, so the user's save cannot undo the other one;
- both changed it to different values: a conflict, shown side by side.

The save is refused when any field is in the second or third case; the user
sees the merged form and saves again. Without a base (an old page, a script)
every field whose value differs from the stored one counts as a conflict.
Pure functions of plain values; no Flask, no ORM.
"""
import hashlib
import json
from typing import Mapping, NamedTuple, Optional


def fingerprint(value) -> str:
    """A short, stable digest of a plain (JSON-able) value."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2s(text.encode("utf-8"), digest_size=6).hexdigest()


def fingerprints(values: Mapping[str, object]) -> dict:
    return {name: fingerprint(value) for name, value in values.items()}


def encode_base(values: Mapping[str, object]) -> str:
    return json.dumps(fingerprints(values), separators=(",", ":"), sort_keys=True)


def decode_base(text: Optional[str]) -> Optional[dict]:
    """The fingerprints a form carried, or None when it carried none (or junk)."""
    try:
        base = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(base, dict) or not all(isinstance(v, str) for v in base.values()):
        return None
    return base


class Outcome(NamedTuple):
    conflicts: tuple      # fields both sides changed differently
    take_stored: tuple    # fields only the other save changed
    refuse: bool


def merge(mine: Mapping, stored: Mapping, base: Optional[Mapping[str, str]],
          fields) -> Outcome:
    """Compare the user's values with the stored ones, field by field."""
    conflicts, take = [], []
    for name in fields:
        if mine.get(name) == stored.get(name):
            continue
        opened = base.get(name) if base is not None else None
        if opened is None:
            conflicts.append(name)
        elif fingerprint(stored.get(name)) == opened:
            continue  # only the user changed it
        elif fingerprint(mine.get(name)) == opened:
            take.append(name)
        else:
            conflicts.append(name)
    return Outcome(tuple(conflicts), tuple(take), bool(conflicts or take))


def cell_is_stale(posted_version: int, stored_version: int, opened_raw: Optional[str],
                  stored_raw: str) -> bool:
    """An inline cell saved from an older row (its raw values as the cell
    carries them): stale only when its own column changed since; another
    column of the row moving on is no conflict."""
    if posted_version >= stored_version:
        return False
    return opened_raw is None or opened_raw != stored_raw
