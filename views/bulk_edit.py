"""Bulk edit from a list: choose a field and a value, preview, confirm.

A list action (owners and managers) leads to a page that works on the
selected rows or on all rows matching the list's filter and search, always
within what the user may see (views.action_pages). The value input is the
register's own form field for that column — its choices, its ajax lookup,
its validators — so a bulk edit accepts what the edit form accepts. The
write is services.bulk_edit: one transaction, one audit row per changed
record.
"""
from flask import abort, flash, has_request_context, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user

from domain import access
from services import bulk_edit as service
from services.bulk import tuples_in

from .action_pages import matching_count, matching_ids, return_url, selected_ids, to_form_page

BULK_ROLES = access.MANAGEMENT
# endpoint -> fields a bulk edit may set: fields without side effects beyond
# what services.bulk_edit derives (sales and workflow steps are left out).
BULK_FIELDS = {
    "customer": ("owner", "nature", "industry", "region", "tier", "customer_class",
                 "class_locked", "is_strategic", "credit_rating", "payment_terms",
                 "preferred_channel", "do_not_disturb"),
    "contact": ("department", "position", "is_decision_maker"),
    "equipment": ("model_name", "purchased_on", "warranty_until"),
    "repair_order": ("technician", "status"),
    "interaction": ("staff", "channel", "direction"),
    "demand": ("status", "forwarded_to", "kind", "source"),
    "planned_visit": ("assignee", "channel", "focus", "due_on"),
    "visit": ("staff", "channel", "follow_up_needed"),
    "visit_issue": ("category", "assignee"),
    "care_event": ("kind", "channel", "scheduled_for"),
    "satisfaction_survey": ("method", "period", "respondent_department"),
    "complaint": ("handler", "category", "channel"),
    "corrective_action": ("owner", "department", "due_on", "action_type"),
}


class BulkEditMixin:
    """Mixed into BaseView; active for the registers of BULK_FIELDS."""

    @property
    def can_bulk_edit(self):
        return (self.endpoint in BULK_FIELDS and has_request_context()
                and current_user.is_authenticated and current_user.role in BULK_ROLES
                and self._may("write"))

    def bulk_fields(self):
        """[(field, label)] the current user may set in bulk on this register."""
        if not self.can_bulk_edit:
            return []
        excluded = set(self.form_excluded_columns or ())
        form_fields = self._edit_form_class
        return [(name, str(self.column_labels.get(name, name)))
                for name in BULK_FIELDS[self.endpoint]
                if name not in excluded and hasattr(form_fields, name)]

    def is_action_allowed(self, name):
        if name == "bulk_edit":
            return self.can_bulk_edit
        return super().is_action_allowed(name)

    @action("bulk_edit", _l("Bulk edit…"))
    def action_bulk_edit(self, ids):
        if not self.can_bulk_edit:
            abort(403)
        return to_form_page(self, "bulk_edit_view", ids)

    @expose("/bulk-edit/", methods=("GET", "POST"))
    def bulk_edit_view(self):
        fields = dict(self.bulk_fields())
        if not fields:
            abort(403)
        name = request.values.get("field") or next(iter(fields))
        if name not in fields:
            abort(403)  # a field this role may not set in bulk
        form = self._bulk_value_form(name)
        step = request.form.get("step") if request.method == "POST" else None
        selected = self._visible_selected()
        scope = request.form.get("scope", "selected")
        preview = token = None
        if step in ("preview", "confirm") and form.validate():
            ids = selected if scope == "selected" else matching_ids(self)
            result = None
            if step == "confirm":
                try:
                    result = service.bulk_edit(
                        model=self.model, register=self.endpoint, field=name,
                        value=form.value.data, ids=ids, user_id=current_user.id,
                        ip=self._ip(), expected_token=request.form.get("token") or "-")
                except service.PreviewOutdated as ex:
                    flash(_("Some of these records were changed since the preview, so "
                            "nothing was changed. Here is the preview as they are now: "
                            "confirm again."), "error")
                    result = ex.result
                else:
                    flash(ngettext("%(num)d record changed (of %(total)s).",
                                   "%(num)d records changed (of %(total)s).", result.changed,
                                   total=f"{result.total:,}"), "success")
                    return redirect(return_url(self))
            result = result or service.preview(model=self.model, field=name,
                                               value=form.value.data, ids=ids)
            preview = self._preview_text(fields[name], form.value, result)
            token = result.token
        return self.render(
            "admin/bulk_edit.html", form=form, fields=fields, field=name, scope=scope,
            token=token,
            selected=len(selected), matching=matching_count(self), preview=preview,
            title=_("Bulk edit · %(register)s", register=self.name),
            return_url=return_url(self))

    def _visible_selected(self):
        """The selected ids the user may see."""
        ids = selected_ids()
        if not ids:
            return []
        return [r[0] for r in tuples_in(self.scoped(self.model.select(self.model.id)),
                                        self.model.id, ids)]

    def _bulk_value_form(self, name):
        """A form of one field, ``value``: the register's own form field for ``name``."""
        unbound = getattr(self._edit_form_class, name)
        form_class = type("BulkValueForm", (self.form_base_class,), {"value": unbound})
        form = form_class(request.form if request.method == "POST"
                          and request.form.get("step") != "choose" else None)
        form.value.label.text = str(self.column_labels.get(name, name))
        return form

    def _preview_text(self, label, field, result):
        value = _shown_value(field)
        return (ngettext("Set %(field)s = %(value)s on %(count)s record.",
                         "Set %(field)s = %(value)s on %(count)s records.", result.total,
                         field=label, value=value, count=f"{result.total:,}"),
                ngettext("%(count)s of them will change; the others already have this value.",
                         "%(count)s of them will change; the others already have this value.",
                         result.changed, count=f"{result.changed:,}"))


def _shown_value(field):
    data = field.data
    if data is None or data == "":
        return _("(empty)")
    if isinstance(data, bool):
        return _("Yes") if data else _("No")
    if hasattr(data, "_meta"):  # a record picked in a lookup
        return str(data)
    if field.type in ("SelectField", "SelectChoicesField", "Select2Field"):
        for choice in field.iter_choices():
            if choice[2]:  # (value, label, selected, …)
                return str(choice[1])
    return str(data)
