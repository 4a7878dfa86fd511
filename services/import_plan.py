"""What importing a file does, row by row: the one computation behind both
the dry run and the import. services.import_write writes the ``changes``
computed here and nothing else, so the two cannot differ.

Each row is read and cleaned (import_columns), merged into an earlier row
naming the same record (a duplicate), matched to its stored record (a
customer by code, else by exact name …) and decided: created (every value
it sets, derived ones included), updated (the fields that change, before →
after), unchanged, duplicate or refused. On an update a blank cell leaves the
stored value alone unless ``clear_blanks`` asks to empty it, and a field that
may not be empty is never emptied. What a row keeps afterwards is what the
report shows: its line, a label, its status, its changes and its problems.
"""
import models as M
from domain import complaints as complaint_rules
from domain import import_values as V
from domain import phones
from domain.i18n import N_, TranslatableError

from . import import_columns as C
from .bulk import chunks, tuples_in
from .bulk_edit import derive_changes
from .calendar import load_calendar
from .rules import current_rules

CHUNK = 1000   # rows decided together (their stored records read at once)


class RowProblem(TranslatableError):
    """Why a row as a whole is refused (rather than one of its cells)."""


class _Numbered:
    """The value of a code or number the import hands out as it writes."""

    def __repr__(self):
        return "<numbered when imported>"


NUMBERED = _Numbered()


class Outcome:
    """What happens to one row of the file."""
    __slots__ = ("changes", "extra", "label", "line", "problems", "record_id", "same_as",
                 "status", "values")

    def __init__(self, line, label):
        self.line, self.label = line, label
        self.status, self.values, self.problems = None, {}, []
        self.changes, self.record_id, self.same_as = {}, None, None
        self.extra = {}  # values of Spec.extra columns (not fields of the register)

    def refuse(self, field, error):
        """``field`` None: the row as a whole."""
        self.problems.append((field, error))
        self.status = "refused"


# ---------------------------------------------------------------- reading rows
def read_rows(spec, table, columns, translators):
    """Every non-empty row of ``table`` as an Outcome with its cleaned values;
    duplicates already merged into their first row."""
    refs = C.References()
    convert = {f: (C.text_converter(spec.extra[f][1]) if f in spec.extra
                   else C.converter(spec.model._meta.fields[f], refs, translators))
               for f in columns if f}
    keys = key_fields(spec)
    labelled = [i for i, f in enumerate(columns) if f in keys]
    first_of, outcomes = {}, []
    for line, raw in table.rows():
        if all(V.is_empty(v) for v in raw):
            continue  # empty rows are left out without a word
        label = " · ".join(str(raw[i]) for i in labelled if not V.is_empty(raw[i]))
        outcome = Outcome(line, label[:200])
        for index, field in enumerate(columns):
            if field:
                try:
                    value = convert[field](raw[index])
                except TranslatableError as ex:
                    outcome.refuse(field, ex)
                    continue
                if value is not None:  # only what the row gives: blanks are known by column
                    (outcome.extra if field in spec.extra else outcome.values)[field] = value
        if outcome.status is None:
            _merge_duplicate(spec, outcome, first_of)
        if outcome.status is not None:
            outcome.values = outcome.extra = None
        outcomes.append(outcome)
    return outcomes


def key_fields(spec):
    return frozenset(f for tier in spec.match for f in tier)


def same(spec, name, a, b):
    if name in key_fields(spec):
        return C.key_value(spec.model, name, a) == C.key_value(spec.model, name, b)
    if name == "phone" and a is not None and b is not None:
        return phones.same_number(a, b)  # an export of an old spelling imports unchanged
    return a == b


def _merge_duplicate(spec, outcome, first_of):
    """A row naming the same record as an earlier row (a customer typed twice
    with other spaces): merged into it when every value agrees or is empty,
    refused when one differs."""
    for tier in spec.match:
        if all(outcome.values.get(f) is not None for f in tier):
            key = (tier, tuple(C.key_value(spec.model, f, outcome.values[f]) for f in tier))
            break
    else:
        return
    first = first_of.setdefault(key, outcome)
    if first is outcome:
        return
    differ = [f for mine, theirs in ((outcome.values, first.values),
                                     (outcome.extra, first.extra))
              for f, v in mine.items() if f in theirs and not same(spec, f, v, theirs[f])]
    if differ:
        outcome.refuse(None, RowProblem(N_("Same record as line %(line)d, with other "
                                           "values (%(fields)s)."),
                                        line=first.line, fields=tuple(differ)))
        return
    for mine, theirs in ((outcome.values, first.values), (outcome.extra, first.extra)):
        for f, v in mine.items():
            theirs.setdefault(f, v)
    outcome.status, outcome.same_as = "duplicate", first.line


# ---------------------------------------------------------------- deciding
def decide(spec, outcomes, columns, clear_blanks=False):
    """Match the rows still open to their stored records, then decide them
    chunk by chunk; afterwards no row keeps its values, only its changes."""
    pending = [o for o in outcomes if o.status is None]
    _match_existing(spec, pending)
    in_file = [f for f in columns if f and f not in spec.extra]
    derived = _Derived(spec)
    for start in range(0, len(pending), CHUNK):
        part = [o for o in pending[start:start + CHUNK] if o.status is None]
        current = _current_values(spec.model, [o.record_id for o in part if o.record_id])
        for o in part:
            if o.record_id is None:
                _created(spec, o, derived)
            else:
                _updated(spec, o, current[o.record_id], in_file, clear_blanks)
        if "contact" in spec.extra:
            _plan_contacts(part)
        for o in part:
            o.values = o.extra = None


def _match_existing(spec, outcomes):
    """Each row's stored record, tier by tier (code first, then name …)."""
    claimed = {}
    for tier in spec.match:
        index = C.existing_index(spec.model, tier, [o.values for o in outcomes])
        for o in outcomes:
            if o.record_id is not None or o.status is not None:
                continue
            if any(o.values.get(f) is None for f in tier):
                continue
            ids = index.get(tuple(C.key_value(spec.model, f, o.values[f]) for f in tier), ())
            if len(ids) > 1:
                o.refuse(None, RowProblem(N_("%(num)d records match this row; give its "
                                             "code or number."), num=len(ids)))
            elif ids:
                o.record_id = ids[0]
                if ids[0] in claimed:
                    o.refuse(None, RowProblem(N_("Same record as line %(line)d."),
                                              line=claimed[ids[0]]))
                claimed.setdefault(ids[0], o.line)


def _created(spec, o, derived):
    """Every value the new record gets besides the model's defaults."""
    fields = spec.model._meta.fields
    auto = C.AUTO_NUMBERED.get(spec.endpoint, ())
    for f in spec.fields:
        if f not in auto and C.required(fields[f]) and f not in o.values:
            o.refuse(f, RowProblem(N_("Required for a new record.")))
    if o.status is not None:
        return
    o.changes = {f: [None, v] for f, v in o.values.items()}
    for f in auto:
        o.changes.setdefault(f, [None, NUMBERED])
    derived.add(o.changes)
    o.status = "created"


def _updated(spec, o, before, in_file, clear_blanks):
    """The fields that change. A blank cell changes nothing unless
    ``clear_blanks``; a field that may not be empty is never emptied, nor a
    key the row was matched by."""
    fields, keys = spec.model._meta.fields, key_fields(spec)
    for f in in_file:
        new = o.values.get(f)
        if new is None and not (clear_blanks and fields[f].null and f not in keys):
            continue
        if not same(spec, f, before.get(f), new):
            o.changes[f] = [before.get(f), new]
    _refuse_other_code(spec, o, before)
    derive_changes(spec.model, before, o.changes)
    o.status = o.status or ("updated" if o.changes else "unchanged")


def _refuse_other_code(spec, outcome, before):
    """A row matched by name whose code in the file is another record's."""
    if len(spec.match) < 2:
        return
    for f in spec.match[0]:
        if f in outcome.changes and before.get(f) is not None:
            outcome.refuse(f, RowProblem(N_("The record with this name has the code "
                                            "%(code)s."), code=before[f]))


class _Derived:
    """What a new record's view would derive on save: a customer's key flag,
    a complaint's deadlines from the time it was received."""

    def __init__(self, spec):
        self.spec, self._calendar = spec, None
        model = spec.model
        self.defaults = {f.name: f.default for f in model._meta.sorted_fields
                         if not callable(f.default)}

    def add(self, changes):
        if self.spec.model is M.Customer:
            derive_changes(M.Customer, self.defaults, changes)
        if self.spec.model is M.Complaint and "received_at" in changes:
            if self._calendar is None:
                rules = current_rules()
                self._calendar = (rules, load_calendar(rules))
            rules, calendar = self._calendar
            due = complaint_rules.deadlines(changes["received_at"][1], rules, calendar)
            for name, value in due.items():
                changes[name] = [None, value]


def _current_values(model, ids):
    """{id: {field: value}} of the records ``ids``."""
    if not ids:
        return {}
    names = ["id"] + [n for n in model._meta.fields
                      if n not in ("id", "created_at", "updated_at", "version")]
    rows = tuples_in(model.select(*[model._meta.fields[n] for n in names]), model.id,
                     sorted(set(ids)))
    return {row[0]: dict(zip(names, row)) for row in rows}


def _plan_contacts(outcomes):
    """A customer list's 联系人 column: the customer's contact of that name,
    added when the customer has none of that name yet (a change of the row)."""
    rows = [o for o in outcomes if o.extra and o.extra.get("contact")
            and o.status in ("created", "updated", "unchanged")]
    known = set()
    ids = [o.record_id for o in rows if o.record_id]
    for part in chunks(ids):
        known.update((cid, V.match_key(name)) for cid, name in M.Contact.select(
            M.Contact.customer, M.Contact.name).where(M.Contact.customer.in_(part)).tuples())
    for o in rows:
        name = o.extra["contact"]
        if o.record_id is None or (o.record_id, V.match_key(name)) not in known:
            o.changes["contact"] = [None, name]
            if o.status == "unchanged":
                o.status = "updated"

