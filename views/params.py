"""URL and form parameters, read once at the edge with domain.values' rules.

A record id that is not one (letters, a sign, beyond a 64-bit key) names no
record: 404. A parameter that cannot be read — a page, offset or limit, a
list of selected ids, a period — answers 400 with a message in the user's
language (admin_app/errors.py draws it). Nothing reaches a query or a date
calculation unchecked, so no input makes a 500.

``ParamsMixin`` applies this to the Flask-Admin URLs every register has:
list paging and sorting, filters, list actions and ajax lookups.
"""
from datetime import date, datetime
from decimal import Decimal

from flask import Request, abort, flash, redirect, request
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest

from domain import periods, values
from domain.i18n import N_
from services.bulk import chunks

from .field_rules import safe_keys
from .messages import NOTHING_VISIBLE, translated

PAGE_MAX = 1_000_000            # list pages: far beyond any register
LIMIT_MAX = 50                  # rows an ajax lookup answers at most


class CleanParameters(ImmutableMultiDict):
    """Query-string and form values without NUL or other control characters
    (tab and newline kept for long text): what every form field, list cell
    and parameter reads, whichever form it comes from."""

    def __init__(self, mapping=None):
        if mapping is not None and not isinstance(mapping, (dict, MultiDict)):
            mapping = [(key, values.clean_text(value, multiline=True)) for key, value in mapping]
        super().__init__(mapping)


class CleanRequest(Request):
    """The app's request class (admin_app sets it)."""
    parameter_storage_class = CleanParameters


class ParameterRefused(BadRequest):
    """400 whose description is a message for the user (errors.py shows it)."""
    user_message = True

    def __init__(self, message):
        super().__init__(description=message)


def refuse(error):
    """Raise ParameterRefused for a TranslatableError (or a plain message)."""
    raise ParameterRefused(translated(error) if hasattr(error, "msgid") else str(error))


def record_id(raw):
    """The id a URL or form names, or 404: no record has any other."""
    key = values.parse_key(raw)
    if key is None:
        abort(404)
    return key


def id_list(raw):
    """Selected ids (a list, or one comma-separated text), or 400."""
    try:
        return values.parse_keys(raw)
    except values.ValueRefused as ex:
        refuse(ex)


def count(name, default=None, maximum=values.MAX_KEY, source=None):
    """A whole number 0 … ``maximum`` from the query string (or ``source``),
    ``default`` when absent or empty, or 400."""
    raw = (request.args if source is None else source).get(name)
    if raw is None or raw == "":
        return default
    try:
        return values.parse_count(raw, maximum)
    except values.ValueRefused as ex:
        refuse(ex)


def person_id(raw):
    """A user id from the query string (None when empty), or 400."""
    if raw in (None, ""):
        return None
    key = values.parse_key(raw)
    if key is None:
        refuse(values.ValueRefused(N_("%(value)s is not a record number."),
                                   value=values.clean_text(str(raw))[:40]))
    return key


def period(args, today):
    """The period the query string asks for, or 400."""
    try:
        return periods.from_query(args, today)
    except periods.PeriodError as ex:
        refuse(ex)


def month(raw):
    """A month written 2027-01, or 400."""
    try:
        return periods.parse("month", raw)
    except periods.PeriodError as ex:
        refuse(ex)


def storable(value):
    """Whether a filter's cleaned value can reach a query: whole numbers
    within a 64-bit key, finite decimals of at most 15 digits, dates of
    1900–2100. Text always can."""
    if isinstance(value, (list, tuple)):
        return all(storable(v) for v in value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return abs(value) <= values.MAX_KEY
    if isinstance(value, (float, Decimal)):
        return value == value and abs(value) < 10 ** 15
    if isinstance(value, (date, datetime)):
        return values.FIRST_YEAR <= value.year <= values.LAST_YEAR
    return True


def _query_ready(column, cleaned):
    """Whether a filter's cleaned value becomes parameters a query can take:
    as the column stores it (a key's text becomes its int), ``storable``."""
    items = cleaned if isinstance(cleaned, (list, tuple)) else [cleaned]
    convert = getattr(column, "db_value", None)
    for item in items:
        stored = convert(item) if convert is not None and item not in (None, "") else item
        if not storable(stored):
            return False
    return True


class ParamsMixin:
    """Mixed into BaseView: the stock list, action and lookup URLs read
    their parameters through this module."""

    def _get_list_extra_args(self):
        count("page", maximum=PAGE_MAX)
        count("page_size", maximum=max(self.page_size_options or (self.page_size,)))
        count("sort", maximum=PAGE_MAX)
        count("desc", maximum=1)
        return super()._get_list_extra_args()

    def _get_list_filter_args(self):
        kept = []
        for index, name, value in super()._get_list_filter_args() or ():
            flt = self._filters[index]
            try:
                ok = _query_ready(getattr(flt, "column", None), flt.clean(value))
            except (ValueError, TypeError, ArithmeticError):
                ok = False
            if ok:
                kept.append((index, name, value))
            else:  # as Flask-Admin does with a value its filter cannot read
                flash(self.get_invalid_value_msg(values.clean_text(value)[:40], flt), "error")
        return kept if self._filters else None

    def scaffold_form(self):
        return safe_keys(super().scaffold_form())

    @expose("/action/", methods=("POST",))
    def action_view(self):
        ids = id_list(request.form.getlist("rowid"))  # 400 before any action sees them
        name = request.form.get("action")
        if name in self._actions_data:
            if not self.is_action_allowed(name):
                abort(403)  # a hidden button is no permission
            if not self._any_visible(ids):
                # Only rows the user may not see (or none): no action runs.
                flash(_(NOTHING_VISIBLE), "error")
                return redirect(get_redirect_target() or self.get_url(".index_view"))
        return super().action_view()

    def _any_visible(self, ids):
        for part in chunks(ids):
            if self.scoped(self.model.select(self.model.id)).where(
                    self.model.id.in_(part)).exists():
                return True
        return False

    @expose("/ajax/lookup/")
    def ajax_lookup(self):
        count("offset")
        count("limit", maximum=LIMIT_MAX)
        return super().ajax_lookup()

