"""Rules, holidays, users and the audit log."""
import json

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import PasswordField, SelectField
from wtforms.validators import Optional, ValidationError

import models as M
from admin_app.i18n import LANGUAGES
from domain.rules import RuleError, validate
from domain.passwords import PasswordRejected, check as check_password
from services.users import changed_sessions, hash_password

from .base import BaseView
from .messages import translated


class RuleView(BaseView):
    column_list = ("key", "value", "unit", "description")
    column_searchable_list = ("key", "description")
    column_filters = ("unit",)
    column_default_sort = ("key", False)

    def on_model_change(self, form, record, is_created):
        # Refuse values the domain cannot use, checked against the other rules
        # (e.g. class A threshold above class B's).
        others = {r.key: (r.value, r.unit) for r in M.Rule.select()
                  if r.id != record.id}
        try:
            validate(record.key, record.value, record.unit, others)
        except RuleError as ex:
            raise ValidationError(translated(ex))


class HolidayView(BaseView):
    column_list = ("day", "name", "is_working_day")
    column_searchable_list = ("name",)
    column_filters = ("day", "is_working_day")
    column_default_sort = ("day", True)


def _password_policy(form, field):
    """The policy of domain.passwords, its reason in the user's language."""
    if field.data:
        try:
            check_password(field.data, form.username.data)
        except PasswordRejected as ex:
            raise ValidationError(translated(ex))


class UserView(BaseView):
    column_list = ("username", "name", "department", "role", "active", "locale",
                   "must_change_password")
    column_details_exclude_list = ("password_hash", "session_version")
    column_export_exclude_list = ("password_hash", "session_version")
    column_searchable_list = ("username", "name")
    column_filters = ("role", "department", "active")
    column_default_sort = ("username", False)
    form_excluded_columns = BaseView.form_excluded_columns + ("password_hash", "session_version")
    form_extra_fields = {
        "password": PasswordField(_l("Password"), validators=[Optional(), _password_policy],
                                  description=_l("Leave blank to keep the current password.")),
    }
    form_overrides = {"locale": SelectField}
    form_args = {"locale": {"choices": [("", "—")] + list(LANGUAGES.items()),
                            "validators": [Optional()]},
                 "must_change_password": {"description": _l(
                     "The user must choose a new password before anything else.")}}

    def on_model_change(self, form, record, is_created):
        if form.password.data:
            record.password_hash = hash_password(form.password.data)
        elif is_created:
            raise ValidationError(_("A new user needs a password."))
        record.locale = record.locale or None
        if record.id == current_user.id and (record.role != "owner" or not record.active):
            # The owner must not lock the shop out of its own user admin; checked
            # inside the save's transaction, so nothing of it is written.
            others = M.User.select().where((M.User.role == "owner") & M.User.active
                                           & (M.User.id != record.id)).exists()
            if not others:
                raise ValidationError(_("You are the last active owner: you cannot "
                                        "remove your own owner role or deactivate yourself."))
        if not is_created and changed_sessions(M.User.get_by_id(record.id), record):
            # New password, role or deactivation: the user's open sessions end.
            record.session_version += 1

    def after_model_change(self, form, record, is_created):
        super().after_model_change(form, record, is_created)
        if record.id == current_user.id and record.session_version != current_user.session_version:
            # The owner changed their own password: this browser stays logged in.
            from admin_app.auth import start_session
            start_session(record)


def _format_changes(view, context, model, name):
    if not model.changes:
        return ""
    try:
        changes = json.loads(model.changes)
    except ValueError:
        return model.changes
    parts = [f"{escape(k)}: {escape(v[0])} → {escape(v[1])}" for k, v in changes.items()]
    return Markup("<br>".join(parts))


class AuditLogView(BaseView):
    column_list = ("at", "user", "action", "register", "record_id", "changes", "ip")
    column_searchable_list = ("register", "record_id", "changes")
    column_filters = ("action", "register", "user", "at")
    column_default_sort = ("at", True)
    column_formatters = {"changes": _format_changes}
    form_excluded_columns = ()  # read-only register without timestamps
    column_formatters_export = {"changes": lambda v, c, m, n: m.changes or ""}
