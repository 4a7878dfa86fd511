"""The shared base of every register's admin view.

It owns what each register must get right once: who may open it and which
rows they see (domain.access), translated labels and choice labels, a list
page with a fixed number of queries, writes in one transaction with their
audit row, and deletes that refuse to take a record's history with them.
"""
from flask import abort, flash, g, has_request_context, redirect, request, url_for
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee import filters as pf
from flask_admin.contrib.peewee.ajax import QueryAjaxModelLoader
from flask_admin.form import BaseForm
from flask_admin.model import typefmt
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from peewee import ForeignKeyField, IntegrityError, fn, SQL
from wtforms.validators import ValidationError

from domain import access
from domain.registers import register_label
import models as M
from models import StaleRecord, User
from admin_app.database import cannot_write
from services import audit, undelete
from services.transactions import writing

from .lists import display_field, fetch_page, foreign_key_to, search_condition
from .field_rules import add_rules
from .params import ParamsMixin
from .phone_fields import PHONE_FIELDS, clean_phone
from .sheet_mixins import SheetMixin
from .list_rows import FastRowsMixin
from .stale_edits import StaleEditMixin


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """Ajax lookup (select2) that only offers rows the user may see."""

    def __init__(self, name, model, **options):
        options.setdefault("page_size", 20)
        super().__init__(name, model, **options)

    def _scoped(self):
        return access.scope_query(self.model.select(), self.model, current_user)

    def get_one(self, pk):
        # The value a record already holds stays valid on save, even when the
        # editor cannot see its target (staff editing a complaint of a customer
        # they do not own); any other id must be inside the editor's scope.
        if str(pk) == str(g.get("current_fk_values", {}).get(self.name)):
            return self.model.get_or_none(self.model.id == pk)
        return access.visible_one(self.model, current_user, pk)

    def get_list(self, term, offset=0, limit=20):
        query = self._scoped()
        for word in (term or "").split():
            query = query.where(search_condition(self.model, self._cached_fields, word))
        key = display_field(self.model)
        order = key.desc() if key is self.model._meta.primary_key else key.asc()
        return list(query.order_by(order).offset(offset or 0).limit(min(limit or 20, 50)))


def _yes_no(view, value, name=None):
    words = g.get("_yes_no")
    if words is None:
        words = g._yes_no = (_("No"), _("Yes"))  # once per request
    return words[bool(value)]


class FilterConverter(pf.FilterConverter):
    """Stock converter plus SmallIntegerField (scores, escalation levels)."""

    @pf.filters.convert("SmallIntegerField")
    def conv_small_int(self, column, name):
        return self.conv_int(column, name)


class BaseView(ParamsMixin, StaleEditMixin, FastRowsMixin, SheetMixin, ModelView):
    """Subclasses set ``model``, ``endpoint`` and the columns; roles come from
    domain.access.POLICIES[endpoint]."""

    form_base_class = BaseForm  # CSRF is checked app-wide by Flask-WTF
    filter_converter = FilterConverter()
    can_view_details = True
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    column_display_pk = False
    details_modal = False
    edit_modal = False
    export_types = ["csv", "xlsx"]
    export_max_rows = 0
    column_default_sort = ("id", True)
    # Yes/No in words (a clerk reads 是/否, not an icon titled "is_key: false").
    column_type_formatters = {**typefmt.BASE_FORMATTERS, bool: _yes_no}
    column_type_formatters_detail = {**typefmt.DETAIL_FORMATTERS, bool: _yes_no}
    # Fields filled by the system, never typed in a form.
    form_excluded_columns = ("created_at", "updated_at", "version")
    # Ajax lookup of foreign keys: field -> searched fields of the target.
    AJAX_FIELDS = {
        "Customer": ("name", "code", "phone"),
        "Contact": ("name", "phone"),
        "Visit": (M.Customer.name, "purpose", "contact_person"),
        "PlannedVisit": (M.Customer.name,),
        "VisitPlan": ("name",),
        "Equipment": ("serial_no", "model_name"),
        "Complaint": ("number", "description", M.Customer.name),
    }

    def __init__(self, model, name, endpoint, category=None, **kwargs):
        self._prepare_labels(model)
        super().__init__(model, name=name, category=category, endpoint=endpoint,
                         url=f"/admin/{endpoint}", **kwargs)

    # ------------------------------------------------------------- labels
    def _prepare_labels(self, model):
        """Translated column labels, form labels and choice labels, from the
        verbose names and choices declared on the model."""
        labels, form_args, choices = {}, {}, {}
        for name, field in model._meta.fields.items():
            label = _l(field.verbose_name) if field.verbose_name else name
            labels[name] = label
            args = dict(label=label)
            if field.choices:
                translated = [(code, _l(text)) for code, text in field.choices]
                choices[name] = translated
                if not isinstance(field, ForeignKeyField):
                    args["choices"] = translated  # wtfpeewee adds the blank for nullable fields
            if name in PHONE_FIELDS:  # forms and list cells (inline_edit copies validators)
                args["validators"] = [clean_phone]
            form_args[name] = args
        for name, extra in (self.form_args or {}).items():
            form_args.setdefault(name, {}).update(extra)
        for name, field in model._meta.fields.items():  # ranges, places, control characters
            add_rules(form_args[name], field)
        self.column_labels = {**labels, **(self.column_labels or {})}
        self.form_args = form_args
        self.column_choices = {**choices, **(self.column_choices or {})}
        refs = dict(self.form_ajax_refs or {})
        for name, field in model._meta.fields.items():
            if isinstance(field, ForeignKeyField) and name not in refs:
                fields = self.AJAX_FIELDS.get(field.rel_model.__name__)
                if fields:
                    refs[name] = {"fields": fields, "placeholder": _l("Type to search…"),
                                  "minimum_input_length": 0}
        self.form_ajax_refs = refs

    def _create_ajax_loader(self, name, options):
        field = getattr(self.model, name)
        return ScopedAjaxLoader(name, field.rel_model, **options)

    def scaffold_filters(self, name):
        # Choice fields filter by their translated labels; user FKs by name.
        field = getattr(self.model, name, None) if isinstance(name, str) else name
        if field is not None and getattr(field, "model", None) is self.model:
            label = self.column_labels.get(field.name, field.name)
            if field.choices and not isinstance(field, ForeignKeyField):
                options = [(str(c), t) for c, t in self.column_choices[field.name]]
                return [pf.FilterEqual(field, label, options=options),
                        pf.FilterNotEqual(field, label, options=options),
                        pf.FilterEmpty(field, label)]
            if isinstance(field, ForeignKeyField) and field.rel_model is not User:
                return [pf.FilterEqual(field, label), pf.FilterEmpty(field, label)]
            if isinstance(field, ForeignKeyField) and field.rel_model is User:
                def user_options():
                    # Evaluated per request (see _get_filter_groups): users change.
                    if not has_request_context():
                        return [("", "")]
                    return [(str(u.id), str(u)) for u in User.select().order_by(User.name)]
                return [pf.FilterEqual(field, label, options=user_options),
                        pf.FilterEmpty(field, label)]
        return super().scaffold_filters(name)

    def _get_list_value(self, context, model, name, column_formatters,
                        column_type_formatters):
        labels = self._choice_labels().get(name)
        if labels is not None and name not in column_formatters:
            # Translated once per request, not once per cell (lazy strings).
            value = self._get_field_value(model, name)
            return "" if value is None else labels.get(value, value)
        value = super()._get_list_value(context, model, name, column_formatters,
                                        column_type_formatters)
        # An empty choice field (no department yet) would print "None": the
        # choice lookup returns before the type formatters that blank it.
        return "" if value is None else value

    def _choice_labels(self):
        """{column: {code: label in the user's language}} for this request."""
        cache = g.setdefault("_choice_labels", {})
        if self.endpoint not in cache:
            cache[self.endpoint] = {name: {code: str(label) for code, label in choices.items()}
                                    for name, choices in self._column_choices_map.items()}
        return cache[self.endpoint]

    def get_details_columns(self):
        # The database id means nothing to a clerk; codes and numbers do.
        return [c for c in super().get_details_columns() if c[0] != "id"]

    def search_placeholder(self):
        labels = []
        for field in self._search_fields or ():
            if field.model is self.model:
                labels.append(str(self.column_labels.get(field.name, field.name)))
            else:  # a field of the register a foreign key points to: name it by that key
                fk = foreign_key_to(self.model, field.model)
                labels.append(str(self.column_labels.get(fk.name, fk.name)))
        return _(", ").join(labels) if labels else None

    def _get_filter_groups(self):
        self._refresh_filters_cache()
        return super()._get_filter_groups()

    # ------------------------------------------------------------- access
    def _may(self, operation):
        if not has_request_context():
            return False
        return access.may(current_user, operation, self.endpoint)

    def is_accessible(self):
        return self._may("read")

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    @property
    def can_create(self):
        return self._may("write")

    @property
    def can_edit(self):
        return self._may("write")

    @property
    def can_delete(self):
        return self._may("delete")

    @property
    def can_export(self):
        return self._may("export")

    def _handle_view(self, name, **kwargs):
        # Hidden buttons are not enforcement: refuse the URLs themselves.
        needed = {"create_view": "write", "edit_view": "write", "ajax_update": "write",
                  "delete_view": "delete", "export": "export"}.get(name)
        if needed and self.is_accessible() and not self._may(needed):
            abort(403)
        return super()._handle_view(name, **kwargs)

    def scoped(self, query=None):
        query = self.model.select() if query is None else query
        return access.scope_query(query, self.model, current_user)

    def get_query(self):
        return self.scoped()

    def get_one(self, id):
        record = access.visible_one(self.model, current_user, id)
        if record is None:
            abort(404)
        return record

    def edit_form(self, obj=None):
        if obj is not None:
            g.current_fk_values = {
                name: obj.__data__.get(name) for name, field in self.model._meta.fields.items()
                if isinstance(field, ForeignKeyField)}
        return super().edit_form(obj)

    # ------------------------------------------------------------- lists
    def get_list(self, page, sort_column, sort_desc, search, filters,
                 execute=True, page_size=None):
        """Scoped, searched and filtered rows; the count is a plain COUNT(*)
        without joins and the page joins every foreign key it shows."""
        query = self.get_query()
        if self._search_supported and search:
            for word in search.split():
                query = query.where(search_condition(self.model, self._search_fields, word))
        for flt, _name, value in filters or ():
            f = self._filters[flt]
            query = f.apply(query, f.clean(value))
        count = None
        if not self.simple_list_pager:
            count = query.select(fn.COUNT(SQL("*"))).order_by().scalar()
        if page_size is None:
            page_size = self.page_size
        order = None
        if sort_column is not None:
            order = [(self._sortable_columns[sort_column], sort_desc)]
        else:
            order = self._get_default_order()
        rows = fetch_page(self.model, query, self._shown_foreign_keys(), order,
                          page, page_size)
        return count, (list(rows) if execute else rows)

    def _shown_foreign_keys(self):
        names = [c for c, _ in self._list_columns]
        fields = self.model._meta.fields
        return [fields[n] for n in names
                if isinstance(fields.get(n), ForeignKeyField)]

    def scaffold_sortable_columns(self):
        columns = super().scaffold_sortable_columns()
        # Foreign keys sort by the target's display field (joined per page).
        for name, field in self.model._meta.fields.items():
            if isinstance(field, ForeignKeyField):
                columns[name] = name
        return columns

    # ------------------------------------------------------------- writes
    def _ip(self):
        # Never a client-supplied header: behind a proxy, wrap the app in
        # werkzeug's ProxyFix so remote_addr is the real client.
        return request.remote_addr

    def _check_scope(self, record):
        if not access.in_scope(record, current_user):
            raise ValidationError(_("You may only save records of your own customers "
                                    "or assigned to you."))

    def create_model(self, form):
        return self._save(form, self.model(), is_created=True)

    def update_model(self, form, model):
        """The saved record (it may be a fresher copy than ``model``), or False."""
        return self._save(form, model, is_created=False) or False

    def _save(self, form, record, is_created, retried=False):
        if not is_created and self.refuse_stale(form, record):
            return False
        before = {} if is_created else audit.snapshot(record)
        try:
            with writing():
                form.populate_obj(record)
                self._on_model_change(form, record, is_created)
                self._check_scope(record)
                record.save(force_insert=is_created) if is_created else record.save()
                after = audit.snapshot(record)
                changes = audit.diff(before, after)
                audit.record(user=current_user.id, action="create" if is_created else "update",
                             register=self.endpoint, record_id=record.id,
                             changes=changes, ip=self._ip())
        except StaleRecord:
            # Another save landed between reading the row and writing it:
            # weigh this form against the row as it is now, once.
            fresh = self.model.get_or_none(self.model.id == record.id)
            if fresh is None or retried:
                flash(_("The record was changed or deleted while you saved it. Nothing was "
                        "saved: open it again."), "error")
                return False
            return self._save(form, fresh, is_created, retried=True)
        except ValidationError as ex:
            flash(str(ex), "error")
            return False
        except IntegrityError as ex:
            flash(self._integrity_message(ex), "error")
            return False
        except Exception as ex:  # noqa: BLE001 — shown, logged, or raised in tests
            if not self.handle_view_exception(ex):
                flash(_("The record could not be saved: %(error)s", error=str(ex)), "error")
            return False
        self.after_model_change(form, record, is_created)
        return record

    def handle_view_exception(self, exc):
        # A database that cannot be written is not the form's fault: the app's
        # 503 page says so (admin_app/errors.py), not a "could not be saved" flash.
        if cannot_write(exc):
            raise exc
        return super().handle_view_exception(exc)

    def _integrity_message(self, ex):
        text = str(ex).lower()
        if "unique" in text or "duplicate" in text:
            return _("Another record already uses this value (it must be unique).")
        if "foreign key" in text:
            return _("The record refers to something that does not exist, "
                     "or is still referred to by other records.")
        if "not null" in text or "cannot be null" in text:
            return _("A required field is empty.")
        return _("The database refused the change.")

    # ------------------------------------------------------------- deletes
    def history_of(self, record):
        """[(register label, count)] of records that still point at ``record``."""
        found = []
        for fk in self.model._meta.backrefs:
            n = fk.model.select().where(fk == record.id).count()
            if n:
                found.append((_(register_label(fk.model)), n))
        return found

    def _refusal(self, record, history):
        parts = _(", ").join(f"{label} {n}" for label, n in history)
        return _("%(record)s cannot be deleted: it still has %(history)s.",
                 record=str(record), history=parts)

    def delete_model(self, model):
        history = self.history_of(model)
        if history:
            flash(self._refusal(model, history), "error")
            return False
        try:
            with writing():
                self.on_model_delete(model)
                changes = undelete.deleted_changes(model)  # the whole row, to restore it
                model.delete_instance(recursive=False)
                audit.record(user=current_user.id, action="delete", register=self.endpoint,
                             record_id=model.id, changes=changes, ip=self._ip())
        except IntegrityError as ex:
            flash(self._integrity_message(ex), "error")
            return False
        self.after_model_delete(model)
        return True

    @action("delete", admin_lazy_gettext("Delete"),
            admin_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        if not self._may("delete"):
            abort(403)
        records = list(self.scoped().where(self.model.id.in_([int(i) for i in ids])))
        refused = [(r, h) for r in records for h in [self.history_of(r)] if h]
        if refused:
            for r, h in refused[:5]:
                flash(self._refusal(r, h), "error")
            flash(_("Nothing was deleted."), "error")
            return
        with writing():
            for r in records:
                changes = undelete.deleted_changes(r)
                r.delete_instance(recursive=False)
                audit.record(user=current_user.id, action="delete", register=self.endpoint,
                             record_id=r.id, changes=changes, ip=self._ip())
        flash(ngettext("%(num)d record was deleted.", "%(num)d records were deleted.",
                       len(records)), "success")

