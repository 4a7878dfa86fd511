"""The columns of an import: which field each header means, how each cell is
read, how the customers and users a file names are found, and how a row's
key compares with a stored record's.
"""
import re

from peewee import (AutoField, BooleanField, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, TextField, CharField)

import models as M
from domain import import_values as V, values as rules
from domain.i18n import N_

from .bulk import tuples_in
from .import_registers import ALWAYS_IGNORED

IGNORE = ""          # a column recognised (or mapped) as not imported
EXACT = ("code", "number")   # compared as typed (width-folded); other text keys loosely
# Fields the system numbers when the file leaves them empty.
AUTO_NUMBERED = {"customer": ("code",), "complaint": ("number",)}
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CALC!"}


# ---------------------------------------------------------------- headers
def header_names(spec, translators):
    """{header_key: field name or IGNORE} — a field's own name, its label in
    every language and the register's aliases; derived fields are ignored."""
    names = {}
    fields = spec.model._meta.fields
    for name in spec.fields:
        label = fields[name].verbose_name or name
        for text in (name, label, *(t(label) for t in translators)):
            names.setdefault(V.header_key(text), name)
    for name, (label, _size) in spec.extra.items():
        for text in (name, label, *(t(label) for t in translators)):
            names.setdefault(V.header_key(text), name)
    for name in spec.ignored:
        label = fields[name].verbose_name or name
        for text in (name, label, *(t(label) for t in translators)):
            names.setdefault(V.header_key(text), IGNORE)
    for text in ALWAYS_IGNORED:
        for t in (lambda x: x, *translators):
            names.setdefault(V.header_key(t(text)), IGNORE)
    for name, aliases in spec.aliases.items():
        for text in aliases:
            names.setdefault(V.header_key(text), name)
    return names


def match_headers(spec, header, mapping, translators):
    """(a field name or IGNORE per column, unknown columns [(index, header)]).

    ``mapping`` {column index: field or IGNORE} is the user's answer for
    the unknown ones; a field named by two columns keeps the first."""
    known = header_names(spec, translators)
    mapping = {int(k): v for k, v in (mapping or {}).items()}
    columns, unknown, taken = [], [], set()
    for index, text in enumerate(header):
        field = mapping[index] if index in mapping else known.get(V.header_key(text))
        if field is None:
            unknown.append((index, text))
            field = IGNORE
        elif field and field in taken:
            unknown.append((index, text))  # a second column for the same field
            field = IGNORE
        if field and field not in spec.fields and field not in spec.extra:
            field = IGNORE  # a mapping to something not importable
        taken.add(field)
        columns.append(field)
    return columns, unknown


# ---------------------------------------------------------------- cells
class References:
    """The customers and users a file names, looked up once per import."""

    def __init__(self):
        self._customers = self._users = None

    def resolver(self, model):
        return {M.Customer: self.customer, M.User: self.user}[model]

    def customer(self, raw):
        text = V.clean_text(raw)
        if text is None:
            return None
        by_code, by_name = self._customer_index()
        folded = V.fold(text).strip()
        if folded in by_code:
            return by_code[folded]
        # "name (code)" as the customer list and exports show a customer.
        m = re.match(r"^(.*)\((.+)\)$", folded)
        if m and m.group(2).strip() in by_code:
            return by_code[m.group(2).strip()]
        return self._unique(by_name.get(V.match_key(text), ()), text,
                            N_("Unknown customer: %(value)s."),
                            N_("Several customers are called %(value)s; give the code."))

    def user(self, raw):
        text = V.clean_text(raw)
        if text is None:
            return None
        if self._users is None:
            self._users = {}
            for uid, username, name in M.User.select(M.User.id, M.User.username,
                                                     M.User.name).tuples():
                for key in {V.match_key(username), V.match_key(name)}:
                    self._users.setdefault(key, []).append(uid)
        return self._unique(self._users.get(V.match_key(text), ()), text,
                            N_("Unknown user: %(value)s."),
                            N_("Several users are called %(value)s; give the username."))

    def _customer_index(self):
        if self._customers is None:
            by_code, by_name = {}, {}
            for cid, code, name in M.Customer.select(M.Customer.id, M.Customer.code,
                                                     M.Customer.name).tuples():
                by_code[code] = cid
                by_name.setdefault(V.match_key(name), []).append(cid)
            self._customers = by_code, by_name
        return self._customers

    @staticmethod
    def _unique(ids, text, unknown, ambiguous):
        ids = sorted(set(ids))
        if not ids:
            raise V.ValueRefused(unknown, value=text)
        if len(ids) > 1:
            raise V.ValueRefused(ambiguous, value=text)
        return ids[0]


def _sized(read, field):
    def read_sized(raw):
        value = read(raw)
        if value is not None and field.max_length and len(value) > field.max_length:
            raise V.ValueRefused(N_("Longer than %(num)d characters."), num=field.max_length)
        return value
    return read_sized


def _email(raw):
    value = V.clean_code(raw)
    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise V.ValueRefused(N_("Not an email address: %(value)s."), value=value)
    return value


def _reader(field, refs, translators):
    if isinstance(field, ForeignKeyField):
        return refs.resolver(field.rel_model)
    if field.choices:
        lookup = V.choice_lookup(field.choices, translators)
        return lambda raw: V.parse_choice(raw, lookup)
    if field.name == "phone":
        return _sized(V.parse_phone, field)
    if field.name == "email":
        return _sized(_email, field)
    if field.name in EXACT or field.name == "serial_no":
        return _sized(V.clean_code, field)
    if isinstance(field, DateTimeField):
        return V.parse_datetime
    if isinstance(field, DateField):
        return V.parse_date
    if isinstance(field, DecimalField):
        return lambda raw: V.parse_amount(raw, field.decimal_places)
    if isinstance(field, BooleanField):
        return V.parse_bool
    if isinstance(field, IntegerField):
        return V.parse_int
    if isinstance(field, (CharField, TextField)):
        return _sized(V.clean_text, field) if isinstance(field, CharField) else V.clean_text
    raise TypeError(f"no import reader for {field!r}")


def text_converter(size):
    """A column that is not a field (Spec.extra): text of at most ``size`` characters."""
    def convert(raw):
        value = V.clean_text(raw)
        if value is not None and len(value) > size:
            raise V.ValueRefused(N_("Longer than %(num)d characters."), num=size)
        return value
    return convert


def converter(field, refs, translators):
    """raw cell → the field's value (None when empty), or ValueRefused."""
    read = _reader(field, refs, translators)

    def convert(raw):
        if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
            raise V.ValueRefused(N_("Excel shows an error in this cell: %(value)s."),
                                 value=raw.strip())
        return rules.check_field(field, read(raw))  # ranges, places, control characters
    return convert


# ---------------------------------------------------------------- keys
def key_value(model, name, value):
    """How a key field's value compares: loose (no spaces, any case, any
    width) for names, as typed for codes and everything else."""
    field = model._meta.fields[name]
    if value is not None and isinstance(field, (CharField, TextField)) and name not in EXACT:
        return V.match_key(value)
    return value


def required(field):
    """A new record cannot be created without a value for it."""
    return not field.null and field.default is None and not isinstance(field, AutoField)


def existing_index(model, tier, rows):
    """{key tuple: [ids]} of the stored records that rows' values for the
    fields of ``tier`` may match. Looked up by the tier's first field when it
    is a foreign key or a code; a loosely compared name reads the column."""
    first = model._meta.fields[tier[0]]
    wanted = {r[tier[0]] for r in rows if all(r.get(f) is not None for f in tier)}
    if not wanted:
        return {}
    query = model.select(model.id, *[model._meta.fields[f] for f in tier])
    if isinstance(first, ForeignKeyField) or tier[0] in EXACT:
        found = tuples_in(query, first, sorted(wanted))
    else:
        found = query.tuples()
    index = {}
    for row in found:
        key = tuple(key_value(model, f, v) for f, v in zip(tier, row[1:]))
        index.setdefault(key, []).append(row[0])
    return index
