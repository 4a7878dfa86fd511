"""The inline cells of a list page, drawn cheaply (issue 14).

A list page used to build one WTForms form per row and render each cell as a
whole widget with its choice list and a CSRF token (140 widgets on a customer
page: a third of its time, two thirds of its bytes). Now a cell is a bare link
carrying its row, its row's version and its stored value; what an editor needs
(kind, choices, lookup URL) is described once per column and page
(``columns``), with one CSRF token, and admin_app/static/sheet.js builds the
editor in the browser when the cell is first clicked. The save still goes
through the register's list form (views.inline_edit.ajax_update).
"""
from flask_admin.helpers import get_url
from flask_babel import gettext as _
from markupsafe import Markup, escape
from peewee import (BooleanField, DateField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField, TextField)

from models import User

DATETIME = "%Y-%m-%d %H:%M:%S"


def raw_value(field, value):
    """A stored value as its cell carries it (what the editor starts from and
    posts back as ``base_value``): a code, an id, an ISO date, '' or '__None'."""
    if isinstance(field, BooleanField):
        return "1" if value else ""
    if value is None:
        blankable = field.null and (isinstance(field, ForeignKeyField) or field.choices)
        return "__None" if blankable else ""
    if isinstance(field, ForeignKeyField):
        return str(getattr(value, "id", value))
    if isinstance(field, DateTimeField):
        return value.strftime(DATETIME)
    if isinstance(field, DateField):
        return value.isoformat()
    return str(value)


def _kind(field):
    if isinstance(field, ForeignKeyField):
        return "ajax"
    if isinstance(field, BooleanField):
        return "boolean"
    if field.choices:
        return "select"
    if isinstance(field, DateTimeField):
        return "datetime"
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, TextField):
        return "textarea"
    if isinstance(field, (IntegerField, DecimalField)):
        return "number"
    return "text"


def columns(view):
    """{column: description} of the user's editable columns, for sheet.js."""
    out = {}
    for name in view.editable_columns():
        field = view.model._meta.fields[name]
        kind = _kind(field)
        desc = {"kind": kind, "label": str(view.column_labels.get(name, name))}
        if kind == "select":
            desc["choices"] = ([{"value": "__None", "text": ""}] if field.null else []) + [
                {"value": str(v), "text": str(t)}
                for v, t in view.column_choices.get(name, field.choices)]
        elif kind == "boolean":
            desc["choices"] = [{"value": "", "text": _("No")}, {"value": "1", "text": _("Yes")}]
        elif kind == "ajax":
            loader = view._form_ajax_refs.get(name)
            desc.update(
                lookup=(get_url(".ajax_lookup", name=loader.name) if loader
                        else get_url(".sheet_users")),
                allow_blank=bool(field.null),
                placeholder=str(loader.options.get("placeholder", "")) if loader else "")
            if loader is None and field.rel_model is not User:
                continue  # no lookup to pick a value with
        out[name] = desc
    return out


class RowCells:
    """Stands in for Flask-Admin's per-row list form in the list template:
    ``cells[column](pk=…, display_value=…)`` draws the cell. No ``csrf_token``
    attribute, so the template passes none per cell (the page has one)."""

    def __init__(self, record):
        self.record = record

    def __getitem__(self, name):
        if name not in self.record._meta.fields:
            raise KeyError(name)  # so the template's `form.csrf_token is defined` is false
        return _Cell(self.record, name)


class _Cell:
    def __init__(self, record, name):
        self.record, self.name = record, name

    def __call__(self, pk, display_value="", **_ignored):
        return cell_html(self.record, self.name, pk, display_value)


def cell_html(record, name, pk, shown, on_row=False):
    """One editable cell: the value as the list shows it, in a link carrying
    the stored value, and the row's id and version unless the row's first
    cell carries them (``on_row``)."""
    field = record._meta.fields[name]
    raw = raw_value(field, record.__data__.get(name))
    row = "" if on_row else f' data-pk="{escape(pk)}" data-version="{record.version}"'
    return Markup(f'<a class="sheet-cell" href="#" id="{escape(name)}-{escape(pk)}" '
                  f'data-name="{escape(name)}"{row} data-value="{escape(raw)}">'
                  f'{escape(shown)}</a>')
