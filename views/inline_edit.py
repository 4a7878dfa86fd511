"""Inline editing of list cells (x-editable), for every register, in one place.

Flask-Admin's peewee backend cannot edit a choice field in the list
("Unsupported field type: SelectChoicesField", upstream #1306/#1972) and
ignores ``form_choices`` (#2235); ``get_list_form`` also drops every
``form_args`` entry but the validators, so the translated choices never reach
the list form. ``scaffold_list_form`` below builds the list form itself:
choice fields become a ``Select2Field`` fed with the translated choices,
foreign keys a checked ajax lookup (the scoped loader, or ``sheet_users`` for
users). That form validates what a cell posts; the list page itself draws
cheap cells and one description per column (views.sheet_cells), from which
admin_app/static/sheet.js builds an editor when a cell is clicked.

The ajax update URL refuses what the list does not offer: a column that is
not editable for the user's role (403), a row outside their scope (404), a
cell whose column someone else changed since the page was read (409, with
the stored value). The save itself is the base view's ``update_model``: the
register's own checks, one transaction, one audit row; a refusal comes back
as the cell's error.
"""
import json
from functools import partial

from flask import Response, abort, g, request, session
from flask_admin import expose
from flask_admin.contrib.peewee.form import get_form
from flask_admin.form import Select2Field
from flask_admin.model.fields import AjaxSelectField
from flask_admin.model.form import create_editable_list_form
from flask_admin.model.widgets import XEditableWidget
from flask_babel import format_datetime, gettext as _
from flask_login import current_user
from peewee import ForeignKeyField, IntegerField
from wtforms.validators import ValidationError

from domain import access
from domain.conflicts import cell_is_stale
from models import User
from queries.record_history import last_change

from . import params, sheet_cells
from .sheet_cells import RowCells
from .stale_edits import posted_version

# endpoint -> the list columns a clerk edits in place. Columns the register's
# form leaves out (workflow fields, computed values) are never editable, and
# a view's MANAGEMENT_FIELDS only for owners and managers.
EDITABLE = {
    "customer": ("name", "nature", "industry", "region", "phone", "owner",
                 "customer_class", "tier"),
    "contact": ("customer", "name", "position", "department", "phone", "email",
                "is_decision_maker", "is_primary"),
    "sale": ("customer", "sold_on", "product", "quantity", "amount"),
    "equipment": ("customer", "model_name", "serial_no", "purchased_on", "warranty_until"),
    "repair_order": ("customer", "equipment", "under_warranty", "technician", "status",
                     "cost"),
    "interaction": ("direction", "channel", "staff", "summary"),
    "demand": ("raised_on", "source", "kind", "description", "forwarded_to", "status",
               "expected_value"),
    "visit_plan": ("kind", "period_start", "period_end"),
    "planned_visit": ("due_on", "channel", "focus", "assignee", "reason"),
    "my_visit": ("due_on", "channel", "focus"),
    "visit": ("visited_at", "channel", "staff", "contact_person", "purpose", "satisfaction",
              "follow_up_needed"),
    "visit_issue": ("category", "assignee"),
    "care_event": ("contact", "kind", "scheduled_for", "channel"),
    "satisfaction_survey": ("period", "method", "sent_at", "returned_at", "score_quality",
                            "score_service"),
    "complaint": ("category", "handler"),
    "complaint_follow_up": ("action", "result", "next_step"),
    "corrective_action": ("source_ref", "action_type", "department", "owner", "due_on"),
    "rule": ("value", "description"),
    "holiday": ("day", "name", "is_working_day"),
}

LIST_TEMPLATE = "admin/import/list.html"
# What a cell posts beside its one column: the row, the token, the version of
# the row it was read at and the value the cell showed (sheet.js).
CELL_META = ("list_form_pk", "csrf_token", "version", "base_value")


def _user_choices(name):
    """Users the editor may assign (domain.access) as (id, name), to check a
    user posted for column ``name``; the user the cell holds stays valid."""
    held = g.get("current_fk_values", {}).get(name)
    query = access.assignable_users(User.select(), current_user,
                                    also=() if held is None else (held,))
    return [(u.id, str(u)) for u in query.order_by(User.name)]


def _int_or_none(value):
    if value in (None, "", "__None"):
        return None
    return value.id if hasattr(value, "id") else int(value)


class UserSelectField(Select2Field):
    """A foreign key to a user. The cell looks users up when it opens
    (``sheet_users``), so a list page reads no user table for its cells; the
    users are read only to check a posted value."""

    def __init__(self, label=None, validators=None, **kwargs):
        for unused in ("coerce", "choices"):
            kwargs.pop(unused, None)
        super().__init__(label, validators, coerce=_int_or_none, choices=[], **kwargs)

    def pre_validate(self, form):
        self.choices = _user_choices(self.name)
        super().pre_validate(form)


class CheckedAjaxSelectField(AjaxSelectField):
    """The ajax lookup, refusing an id the user may not see instead of
    quietly emptying a nullable key (the scoped loader finds nothing)."""

    def process_formdata(self, valuelist):
        self._posted = valuelist[0] if valuelist else None
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        posted = getattr(self, "_posted", None)
        if posted not in (None, "", "__None") and self.data is None:
            raise ValidationError(self.gettext("Not a valid choice"))
        super().pre_validate(form)


def _json(value):
    return json.dumps(value, ensure_ascii=False)


class InlineEditMixin:
    """Mixed into BaseView: ``column_editable_list`` from EDITABLE, the list
    form and the guarded ajax update."""

    def __init__(self, model, *args, **kwargs):
        endpoint = kwargs.get("endpoint")
        if self.column_editable_list is None and endpoint in EDITABLE:
            # Only columns the register's list shows (its column_list may change).
            shown = set(self.column_list or ())
            self.column_editable_list = tuple(c for c in EDITABLE[endpoint] if c in shown)
        # Every list page gets the sheet tools (import button, sheet.js),
        # wrapped around a register's own list template when it has one.
        if self.list_template != LIST_TEMPLATE:
            self.sheet_parent_template = self.list_template
            self.list_template = LIST_TEMPLATE
        super().__init__(model, *args, **kwargs)

    # ------------------------------------------------------------- who edits what
    def editable_columns(self):
        """The editable columns of the current user (role and view rules),
        worked out once per request (the list template asks per cell)."""
        cache = g.setdefault("_editable_columns", {})
        if self.endpoint not in cache:
            cache[self.endpoint] = self._editable_columns()
        return cache[self.endpoint]

    def _editable_columns(self):
        if not self.column_editable_list or not self.can_edit:
            return ()
        excluded = set(self.form_excluded_columns or ())
        if current_user.role not in access.MANAGEMENT:
            excluded |= set(getattr(self, "MANAGEMENT_FIELDS", ()))
        return tuple(c for c in self.column_editable_list if c not in excluded)

    def is_editable(self, name):
        return name in self.editable_columns()

    # ------------------------------------------------------------- the list form
    def scaffold_list_form(self, widget=None, validators=None):
        converter = self.model_form_converter(self)
        fields = self.model._meta.fields
        overrides, args = {}, {}
        for name in self.column_editable_list:
            field = fields[name]
            extra = (self.form_args or {}).get(name, {})
            args[name] = {k: extra[k] for k in ("label", "validators") if k in extra}
            if isinstance(field, ForeignKeyField):
                loader = self._form_ajax_refs.get(name)
                args[name]["allow_blank"] = field.null
                overrides[name] = (partial(CheckedAjaxSelectField, loader) if loader
                                   else UserSelectField)
            elif field.choices:
                args[name].update(
                    choices=list(self.column_choices.get(name, field.choices)),
                    coerce=int if isinstance(field, IntegerField) else str,
                    allow_blank=field.null)
                overrides[name] = Select2Field
        converter.overrides = {**converter.overrides, **overrides}
        form_class = get_form(self.model, converter, base_class=self.form_base_class,
                              only=self.column_editable_list, field_args=args)
        return create_editable_list_form(self.form_base_class, form_class,
                                         widget or XEditableWidget())

    def list_form(self, obj=None):
        # The list page asks for one per row: cheap cells instead of a form
        # (views.sheet_cells); the update URL validates with the real form.
        return RowCells(obj) if obj is not None else super().list_form()

    def sheet_columns(self):
        """What sheet.js needs to build each editable column's editor."""
        return sheet_cells.columns(self)

    def _stored_cell(self, record, name):
        """The raw value and the shown text of one stored cell."""
        field = self.model._meta.fields[name]
        return sheet_cells.raw_value(field, record.__data__.get(name)), self._shown_stored(record, name)

    def _cell_conflict(self, record, name, opened):
        raw, shown = self._stored_cell(record, name)
        change = last_change(self.model, record.id, opened)
        when = format_datetime(change.at, "HH:mm") if change.at else "—"
        message = (_("Changed by %(who)s at %(when)s: %(value)s", who=change.who,
                     when=when, value=shown) if change.who else
                   _("Changed at %(when)s: %(value)s", when=when, value=shown))
        body = {"message": message, "value": raw, "display": shown,
                "version": record.version}
        response = Response(_json(body), status=409, mimetype="application/json")
        response.headers["X-Record-Version"] = str(record.version)
        return response

    @expose("/ajax/users/")
    def sheet_users(self):
        """Users for a cell's lookup, as Flask-Admin's ajax lookup answers:
        [[id, name], …], searched by name or username."""
        if not self.editable_columns():
            abort(403)
        term = (request.args.get("query") or "").strip()
        query = access.assignable_users(
            User.select(User.id, User.name, User.username).where(User.active), current_user)
        if term:
            query = query.where(User.name.contains(term) | User.username.contains(term))
        offset = params.count("offset", default=0)
        limit = params.count("limit", default=20, maximum=params.LIMIT_MAX)
        users = query.order_by(User.name).offset(offset).limit(limit)
        return Response(json.dumps([[u.id, str(u)] for u in users], ensure_ascii=False),
                        mimetype="application/json")

    # ------------------------------------------------------------- the update URL
    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        allowed = self.editable_columns()
        posted = [n for n in request.form if n not in CELL_META]
        if not allowed or not posted or any(n not in allowed for n in posted):
            return _("You may not change this column."), 403
        record = self.get_one(request.form.get("list_form_pk"))  # 404 outside the scope
        opened = posted_version()
        if opened is not None and len(posted) == 1 and cell_is_stale(
                opened, record.version, request.form.get("base_value"),
                self._stored_cell(record, posted[0])[0]):
            return self._cell_conflict(record, posted[0], opened)
        g.current_fk_values = {n: record.__data__.get(n) for n in posted}
        form = self.list_form()
        for field in list(form):
            if field.name not in posted and field.name != "csrf_token":
                del form[field.name]
        if not form.validate():
            errors = [str(e) for f in form for e in f.errors]
            return _("Not saved: %(error)s", error="; ".join(errors)), 400
        waiting = list(session.get("_flashes", []))
        saved = self.update_model(form, record)
        # The save's own flash messages go back to the cell, not to the next page.
        messages = [text for _cat, text in session.get("_flashes", [])[len(waiting):]]
        if len(waiting) != len(session.get("_flashes", [])):
            session["_flashes"] = waiting
        if saved:
            return Response(_("Saved."), mimetype="text/plain",
                            headers={"X-Record-Version": str(saved.version)})
        return _("Not saved: %(error)s", error="; ".join(messages)), 400
