"""Inline editing of list cells (x-editable), for every register, in one place.

Flask-Admin's peewee backend cannot edit a choice field in the list
("Unsupported field type: SelectChoicesField", upstream #1306/#1972) and
ignores ``form_choices`` (#2235); ``get_list_form`` also drops every
``form_args`` entry but the validators, so the translated choices never reach
the list form. ``scaffold_list_form`` below builds the list form itself:
choice fields become a ``Select2Field`` fed with the translated choices,
foreign keys a select2 lookup as the cell opens (the scoped ajax loader, or
``sheet_users`` for users), so a list page reads nothing more per row. The
cell widget keeps the stored value (a code, an id, an ISO date) apart from
what the cell shows; admin_app/static/sheet.js sets up the cells Flask-Admin's
form.js does not know (dates, lookups).

The ajax update URL refuses what the list does not offer: a column that is
not editable for the user's role (403), a row outside their scope (404). The
save itself is the base view's ``update_model``: the register's own checks,
one transaction, one audit row; a refusal comes back as the cell's error.
"""
import json
from functools import partial

from flask import Response, abort, g, request, session
from flask_admin import expose
from flask_admin.contrib.peewee.form import get_form
from flask_admin.form import Select2Field
from flask_admin.helpers import get_url
from flask_admin.model.fields import AjaxSelectField
from flask_admin.model.form import create_editable_list_form
from flask_admin.model.widgets import XEditableWidget
from flask_babel import format_datetime, gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from peewee import ForeignKeyField, IntegerField
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from domain import access
from domain.conflicts import cell_is_stale
from models import User
from queries.record_history import last_change

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


def _user_choices():
    """Users as (id, name), read once per request (to check a posted user)."""
    if "_sheet_users" not in g:
        g._sheet_users = [(u.id, str(u)) for u in User.select().order_by(User.name)]
    return g._sheet_users


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
        self.choices = _user_choices()
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


class CellWidget(XEditableWidget):
    """The x-editable link of one cell: ``data-value`` carries the stored value,
    the link text is what the list shows (formatted, possibly HTML)."""

    def __call__(self, field, **kwargs):
        display = kwargs.pop("display_value", "")
        pk = str(kwargs.pop("pk"))
        # x-editable posts the field under data-name (else the id): ids are per row.
        kwargs.update({"data-role": "x-editable", "data-url": "./ajax/update/",
                       "id": f"{field.id}-{pk}", "data-name": field.name, "href": "#",
                       "data-pk": pk, "data-csrf": kwargs.pop("csrf", ""),
                       "data-value": self._raw(field),
                       "data-version": getattr(field, "row_version", "")})
        kwargs = self.get_kwargs(field, kwargs)
        # sheet.js sets every cell up (posting its row's version and the value
        # it opened with); Flask-Admin's form.js leaves unknown roles alone.
        kwargs["data-kind"], kwargs["data-role"] = kwargs["data-role"], "sheet-cell"
        text = display if isinstance(display, Markup) else escape(display)
        return Markup(f'<a class="sheet-cell" {html_params(**kwargs)}>{text}</a>')

    @staticmethod
    def _raw(field):
        data = field.data
        if field.type == "BooleanField":
            return "1" if data else ""
        if data is None:
            return "__None" if getattr(field, "allow_blank", False) else ""
        if field.type == "CheckedAjaxSelectField":
            return str(data.id)
        if field.type == "UserSelectField":
            return str(data)
        if field.type == "DateField":
            return data.isoformat()
        if field.type == "DateTimeField":
            return data.strftime("%Y-%m-%d %H:%M:%S")
        return str(data)

    def get_kwargs(self, field, kwargs):
        if field.type in ("CheckedAjaxSelectField", "UserSelectField"):
            # Initialised by admin_app/static/sheet.js (select2 with ajax lookup).
            loader = getattr(field, "loader", None)
            kwargs.update({
                "data-role": "x-editable-ajax", "data-type": "select2",
                "data-lookup": (get_url(".ajax_lookup", name=loader.name) if loader
                                else get_url(".sheet_users")),
                "data-allow-blank": "1" if field.allow_blank else "",
                "data-placeholder": str(loader.options.get("placeholder", "")) if loader
                else ""})
            return kwargs
        if field.type == "DateField":
            # A native date input (sheet.js): combodate stops at 2030.
            kwargs.update({"data-role": "x-editable-date", "data-type": "text"})
            return kwargs
        if field.type == "Select2Field":
            choices = [{"value": str(v), "text": str(t)} for v, t in field.choices]
            if field.allow_blank:
                choices.insert(0, {"value": "__None", "text": ""})
            kwargs.update({"data-type": "select2", "data-source": _json(choices)})
            return kwargs
        return super().get_kwargs(field, kwargs)


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
        """The editable columns of the current user (role and view rules)."""
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
                                         widget or CellWidget())

    def list_form(self, obj=None):
        form = super().list_form(obj)
        if obj is not None:
            for field in form:
                field.row_version = obj.version
        return form

    def _stored_cell(self, record, name):
        """The raw value and the shown text of one stored cell."""
        field = self._list_form_class(None, obj=record)[name]
        raw = CellWidget._raw(field)
        return raw, self._shown(record, name)

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
        query = User.select(User.id, User.name, User.username).where(User.active)
        if term:
            query = query.where(User.name.contains(term) | User.username.contains(term))
        offset = request.args.get("offset", 0, type=int)
        limit = min(request.args.get("limit", 20, type=int), 50)
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
