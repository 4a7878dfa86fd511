"""Import a CSV/XLSX file into a register: a dry run, then all or nothing.

``analyse`` is the dry run: what importing the file would do, row by row
(services.import_plan): created, updated (with the changes), unchanged,
duplicate (the same record twice in the file, merged into the first) or
refused (with the reasons). Nothing is written. Its ``digest`` fingerprints
every row's outcome.

``run_import`` computes the same report again and writes exactly its
changes (services.import_write) in one transaction — nothing at all when a
row is refused, unless the caller asks to leave the refused rows out, and
nothing when the report is no longer the dry run the user confirmed (its
digest differs: someone changed a record meanwhile). No Flask here: the
views and the CLI call these functions.
"""
import hashlib
import os
from collections import Counter
from functools import lru_cache

from peewee import IntegrityError

from domain.clock import now as clock_now
from domain.i18n import N_, TranslatableError

from . import audit
from . import import_columns as C
from . import import_plan as P
from .import_files import open_table
from .import_limits import DEFAULT as DEFAULT_LIMITS
from .import_registers import SPECS
from .import_write import write_outcomes
from .transactions import writing

TRANSLATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "admin_app", "translations")
STATUSES = ("created", "updated", "unchanged", "duplicate", "refused")
REGISTERS = tuple(SPECS)
NUMBERED = P.NUMBERED
Outcome, RowProblem = P.Outcome, P.RowProblem


@lru_cache(maxsize=1)
def translators():
    """gettext of every UI language besides English (the msgids), so Chinese
    headers and labels are recognised whatever language the user reads."""
    from babel.support import Translations
    return (Translations.load(TRANSLATIONS, ["zh_Hans_CN"]).gettext,)


class ImportFailed(TranslatableError):
    """The database refused the import's writes; nothing was written."""


class Report:
    """Every row's outcome, the columns as matched, and the counts."""

    def __init__(self, endpoint, filename, kind, header, columns, unknown, clear_blanks):
        self.endpoint, self.filename, self.kind = endpoint, filename, kind
        self.header, self.columns, self.unknown = header, columns, unknown
        self.clear_blanks = clear_blanks
        self.outcomes, self.imported, self.stale = [], False, False

    @property
    def counts(self):
        counts = Counter(o.status for o in self.outcomes)
        return {s: counts.get(s, 0) for s in STATUSES}

    @property
    def refused(self):
        return [o for o in self.outcomes if o.status == "refused"]

    @property
    def digest(self):
        """A fingerprint of what the import would do: the same file, mapping
        and options over the same stored records give the same digest."""
        h = hashlib.sha256(repr((self.columns, self.clear_blanks)).encode())
        for o in self.outcomes:
            h.update(repr((o.line, o.status, o.record_id, o.same_as,
                           sorted((f, repr(v)) for f, v in o.changes.items()),
                           [(f, e.msgid, sorted(e.params.items())) for f, e in o.problems]
                           )).encode())
        return h.hexdigest()[:32]


# ---------------------------------------------------------------- the service
def analyse(endpoint, path, *, filename=None, mapping=None, clear_blanks=False,
            limits=DEFAULT_LIMITS):
    """The dry run: what importing ``path`` into ``endpoint`` would do."""
    spec = SPECS[endpoint]
    with open_table(path, filename, limits) as table:
        columns, unknown = C.match_headers(spec, table.header, mapping, translators())
        report = Report(endpoint, filename or os.path.basename(path), table.kind,
                        table.header, columns, unknown, clear_blanks)
        report.outcomes = P.read_rows(spec, table, columns, translators())
    P.decide(spec, report.outcomes, columns, clear_blanks)
    return report


def run_import(endpoint, path, *, filename=None, mapping=None, clear_blanks=False,
               user_id=None, ip=None, skip_refused=False, expected_digest=None, now=None,
               limits=DEFAULT_LIMITS):
    """Import for real, in one transaction. Nothing is written
    (``report.imported`` stays False) when a row is refused, unless
    ``skip_refused``, or when its digest is not ``expected_digest`` (when
    given: the dry run the user confirmed) — then ``report.stale``."""
    report = analyse(endpoint, path, filename=filename, mapping=mapping,
                     clear_blanks=clear_blanks, limits=limits)
    if expected_digest is not None and report.digest != expected_digest:
        report.stale = True
        return report
    if report.refused and not skip_refused:
        return report
    try:
        with writing():
            write_outcomes(SPECS[endpoint], report.outcomes, user_id=user_id, ip=ip,
                           now=now or clock_now())
            audit.record(user=user_id, action="import", register=endpoint, ip=ip, changes={
                "file": [None, report.filename],
                **{status: [None, n] for status, n in report.counts.items()}})
    except IntegrityError as ex:
        raise ImportFailed(N_("The database refused the import, so nothing was imported: "
                              "%(error)s"), error=str(ex)) from None
    report.imported = True
    return report


def read_header(path, filename=None, limits=DEFAULT_LIMITS):
    with open_table(path, filename, limits) as table:
        return table.header


def header_columns(endpoint, header, mapping=None):
    """(field or "" per column, unknown [(index, header)]) — the mapping step."""
    return C.match_headers(SPECS[endpoint], header, mapping, translators())


def refused_rows(report, path, limits=DEFAULT_LIMITS):
    """[(cells as in the file, outcome)] of the refused rows of ``report``,
    read again from the file (the analysis keeps no cells)."""
    refused = {o.line: o for o in report.refused}
    found = []
    with open_table(path, report.filename, limits) as table:
        for line, raw in table.rows():
            if line in refused:
                found.append((raw, refused[line]))
    return found


def _english(msgid, **params):
    return msgid % params if params else msgid


def problem_text(field, error, label, translate=_english):
    """One problem of a row in words: the field by its ``label``, field names
    among the error's parameters too (a duplicate's differing fields)."""
    params = dict(error.params)
    if isinstance(params.get("fields"), tuple):
        params["fields"] = ", ".join(label(f) for f in params["fields"])
    text = translate(error.msgid, **params) if params else translate(error.msgid)
    return f"{label(field)}: {text}" if field else text


def field_label(endpoint, name):
    """A field's label in English (the msgid), for the CLI and logs."""
    spec = SPECS[endpoint]
    if name in spec.extra:
        return spec.extra[name][0]
    field = spec.model._meta.fields.get(name)
    return (field.verbose_name if field is not None else None) or name
