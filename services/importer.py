"""Import a CSV/XLSX file into a register: a dry run, then all or nothing.

``analyse`` reads every row, cleans its values (domain.import_values),
resolves the customers and users it names, finds the record each row updates
(services.import_registers: a customer by code, else by exact name …) and
says what would happen, row by row: created, updated (with the changes),
unchanged, duplicate (the same record twice in the file, merged into the
first) or refused (with the reasons). Nothing is written.

``run_import`` does the same, then writes everything in one transaction —
or nothing at all when a row is refused, unless the caller asks to leave the
refused rows out. Writes are set-based (services.import_write), so 50,000
rows take seconds. No Flask here: the views and the CLI call these functions.
"""
import os
from collections import Counter
from functools import cache, lru_cache

from peewee import BooleanField

from domain import import_values as V
from domain.clock import now as clock_now
from domain.i18n import N_, TranslatableError

from . import audit
from . import import_columns as C
from .bulk import tuples_in
from .import_files import open_table
from .import_registers import SPECS
from .bulk_edit import derive_changes
from .import_write import plan_extras, write_outcomes
from .transactions import writing

TRANSLATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "admin_app", "translations")
STATUSES = ("created", "updated", "unchanged", "duplicate", "refused")
REGISTERS = tuple(SPECS)


@lru_cache(maxsize=1)
def translators():
    """gettext of every UI language besides English (the msgids), so Chinese
    headers and labels are recognised whatever language the user reads."""
    from babel.support import Translations
    return (Translations.load(TRANSLATIONS, ["zh_Hans_CN"]).gettext,)


class RowProblem(TranslatableError):
    """Why a row as a whole is refused (rather than one of its cells)."""


class Outcome:
    """What happens to one row of the file."""
    __slots__ = ("changes", "extra", "line", "problems", "raw", "record_id", "same_as",
                 "status", "values")

    def __init__(self, line, raw):
        self.line, self.raw = line, raw
        self.status, self.values, self.problems = None, {}, []
        self.changes, self.record_id, self.same_as = {}, None, None
        self.extra = {}  # values of Spec.extra columns (not fields of the register)

    def refuse(self, field, error):
        """``field`` None: the row as a whole."""
        self.problems.append((field, error))
        self.status = "refused"


class Report:
    """Every row's outcome, the columns as matched, and the counts."""

    def __init__(self, endpoint, filename, kind, header, columns, unknown):
        self.endpoint, self.filename, self.kind = endpoint, filename, kind
        self.header, self.columns, self.unknown = header, columns, unknown
        self.outcomes, self.imported = [], False

    @property
    def counts(self):
        counts = Counter(o.status for o in self.outcomes)
        return {s: counts.get(s, 0) for s in STATUSES}

    @property
    def refused(self):
        return [o for o in self.outcomes if o.status == "refused"]


# ---------------------------------------------------------------- the service
def analyse(endpoint, path, *, filename=None, mapping=None):
    """The dry run: what importing ``path`` into ``endpoint`` would do."""
    with open_table(path, filename) as table:
        return _analyse(SPECS[endpoint], table, filename or os.path.basename(path), mapping)


def run_import(endpoint, path, *, filename=None, mapping=None, user_id=None, ip=None,
               skip_refused=False, now=None):
    """Import for real, in one transaction. A refused row means nothing is
    written (``report.imported`` stays False) unless ``skip_refused``."""
    report = analyse(endpoint, path, filename=filename, mapping=mapping)
    if report.refused and not skip_refused:
        return report
    with writing():
        write_outcomes(SPECS[endpoint], report.outcomes, user_id=user_id, ip=ip,
                       now=now or clock_now())
        audit.record(user=user_id, action="import", register=endpoint, ip=ip, changes={
            "file": [None, report.filename],
            **{status: [None, n] for status, n in report.counts.items()}})
    report.imported = True
    return report


def read_header(path, filename=None):
    with open_table(path, filename) as table:
        return table.header


def header_columns(endpoint, header, mapping=None):
    """(field or "" per column, unknown [(index, header)]) — the mapping step."""
    return C.match_headers(SPECS[endpoint], header, mapping, translators())


# ---------------------------------------------------------------- reading rows
def _analyse(spec, table, filename, mapping):
    columns, unknown = C.match_headers(spec, table.header, mapping, translators())
    report = Report(spec.endpoint, filename, table.kind, table.header, columns, unknown)
    refs = C.References()
    convert = {f: (C.text_converter(spec.extra[f][1]) if f in spec.extra
                   else C.converter(spec.model._meta.fields[f], refs, translators()))
               for f in columns if f}
    first_of = {}
    for line, raw in table.rows():
        if all(V.is_empty(v) for v in raw):
            continue  # empty rows are left out without a word
        outcome = Outcome(line, raw)
        for index, field in enumerate(columns):
            if field:
                into = outcome.extra if field in spec.extra else outcome.values
                try:
                    into[field] = convert[field](raw[index])
                except TranslatableError as ex:
                    outcome.refuse(field, ex)
        if outcome.status is None:
            _merge_duplicate(spec, outcome, first_of)
        report.outcomes.append(outcome)
    _match_existing(spec, [o for o in report.outcomes if o.status is None])
    return report


def _same(spec, name, a, b):
    if name in _key_fields(spec):
        return C.key_value(spec.model, name, a) == C.key_value(spec.model, name, b)
    return a == b


@cache
def _key_fields_of(endpoint):
    return frozenset(f for tier in SPECS[endpoint].match for f in tier)


def _key_fields(spec):
    return _key_fields_of(spec.endpoint)


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
    differ = [f for f, v in outcome.values.items() if v is not None
              and first.values.get(f) is not None and not _same(spec, f, v, first.values[f])]
    if differ:
        outcome.refuse(None, RowProblem(N_("Same record as line %(line)d, with other "
                                           "values (%(fields)s)."),
                                        line=first.line, fields=", ".join(differ)))
        return
    for mine, theirs in ((outcome.values, first.values), (outcome.extra, first.extra)):
        for f, v in mine.items():
            if theirs.get(f) is None:
                theirs[f] = v
    outcome.status, outcome.same_as = "duplicate", first.line


# ---------------------------------------------------------------- stored records
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
    _decide(spec, [o for o in outcomes if o.status is None])
    plan_extras(spec, outcomes)


def _decide(spec, outcomes):
    """created (required fields given) / updated (with the changes) / unchanged."""
    fields = spec.model._meta.fields
    current = _current_values(spec.model, [o.record_id for o in outcomes if o.record_id])
    auto = C.AUTO_NUMBERED.get(spec.endpoint, ())
    for o in outcomes:
        if o.record_id is None:
            for f in spec.fields:
                if f not in auto and C.required(fields[f]) and o.values.get(f) is None:
                    o.refuse(f, RowProblem(N_("Required for a new record.")))
            o.status = o.status or "created"
            continue
        before = current[o.record_id]
        for f, new in o.values.items():
            if new is None and (C.required(fields[f]) or isinstance(fields[f], BooleanField)):
                continue  # an empty cell never empties a required field
            if not _same(spec, f, before.get(f), new):
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


def _current_values(model, ids):
    """{id: {field: value}} of the records ``ids``."""
    if not ids:
        return {}
    names = ["id"] + [n for n in model._meta.fields
                      if n not in ("id", "created_at", "updated_at")]
    rows = tuples_in(model.select(*[model._meta.fields[n] for n in names]), model.id,
                     sorted(set(ids)))
    return {row[0]: dict(zip(names, row)) for row in rows}
