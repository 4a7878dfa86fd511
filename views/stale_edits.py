"""Edit forms that cannot undo someone else's save (issue 11).

The edit form carries the version it was opened with and a fingerprint of
each field's value then (hidden ``version`` and ``base``). A save from an
older version is weighed field by field (domain.conflicts): when the other
save touched a field of this form, nothing is saved; the form comes back with
the user's typing, the fields only the other side changed set to the stored
value, and each conflicting field showing the stored value beside the user's.
The version check in the UPDATE itself (models.BaseModel.save) catches the
saves that cross in the same instant.
"""
from flask import flash, request
from flask_babel import format_datetime, gettext as _
from peewee import BooleanField, ForeignKeyField
from wtforms.fields import HiddenField

from domain.conflicts import decode_base, encode_base, merge
from queries.record_history import last_change
from services.audit import plain_value

HIDDEN = ("version", "base")


def _populate_obj(form, obj):
    # The hidden fields describe the copy the user saw; they are never written.
    for name, field in form._fields.items():
        if name not in HIDDEN:
            field.populate_obj(obj, name)


def versioned(form_class):
    """The register's edit form plus the two hidden fields."""
    return type(form_class.__name__, (form_class,), {
        "version": HiddenField(), "base": HiddenField(), "populate_obj": _populate_obj})


def _as_int(text):
    """A posted version, or None (absent, not a number, beyond a 64-bit key)."""
    try:
        number = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2 ** 63 else None


class StaleEditMixin:
    """Mixed into BaseView."""

    def get_edit_form(self):
        return versioned(super().get_edit_form())

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and "version" in form and not getattr(form.version, "raw_data", None):
            self._stamp_version(form, obj)  # opened now (GET), not posted back
        return form

    # ------------------------------------------------------------- values
    def _form_field_names(self, form, record):
        fields = record._meta.fields
        return [f.name for f in form if f.name in fields and f.name not in HIDDEN]

    def _stored_values(self, record, names):
        fields = record._meta.fields
        return {n: plain_value(fields[n], record.__data__.get(n)) for n in names}

    def _typed_values(self, form, record, names):
        """What the form would write, without touching ``record``."""
        scratch = type(record)()
        scratch.__data__ = dict(record.__data__)
        scratch._dirty = set()
        form.populate_obj(scratch)
        return self._stored_values(scratch, names)

    def _stamp_version(self, form, record):
        form.version.data = str(record.version)
        names = self._form_field_names(form, record)
        form.base.data = encode_base(self._stored_values(record, names))

    # ------------------------------------------------------------- the check
    def refuse_stale(self, form, record):
        """True (and the form prepared to show why) when this save would undo
        another one."""
        if "version" not in form:
            return False
        opened = _as_int(form.version.data)
        if opened is None or opened >= record.version:
            return False  # a page without a version (a script) saves as before
        names = self._form_field_names(form, record)
        stored = self._stored_values(record, names)
        outcome = merge(self._typed_values(form, record, names), stored,
                        decode_base(form.base.data), names)
        if not outcome.refuse:
            return False  # the other save changed nothing this form holds
        change = last_change(self.model, record.id, opened)
        for name in outcome.take_stored:
            form[name].process(None, data=getattr(record, name))
            form[name].raw_data = None  # dates render what was typed otherwise
            form[name].errors = [_("Updated to the value saved by the other change.")]
        for name in outcome.conflicts:
            form[name].errors = [_("Saved meanwhile: %(value)s. Yours is in the box: save "
                                   "again to keep it, or type the saved value.",
                                   value=self._shown_stored(record, name))]
        self._stamp_version(form, record)
        flash(self._conflict_message(change), "error")
        return True

    def _conflict_message(self, change):
        when = format_datetime(change.at, "yyyy-MM-dd HH:mm") if change.at else "—"
        if change.who:
            return _("%(who)s changed this record at %(when)s, after you opened it. Nothing "
                     "was saved: check the marked fields and save again.",
                     who=change.who, when=when)
        return _("This record was changed at %(when)s, after you opened it. Nothing was "
                 "saved: check the marked fields and save again.", when=when)

    def _shown_stored(self, record, name):
        """A stored value as a clerk reads it."""
        field = record._meta.fields[name]
        value = record.__data__.get(name)
        if value is None or value == "":
            return "—"
        if isinstance(field, ForeignKeyField):
            return str(getattr(record, name))
        if isinstance(field, BooleanField):
            return _("Yes") if value else _("No")
        labels = dict(self.column_choices.get(name) or ())
        return str(labels.get(value, value))


def posted_version():
    """The version an inline cell (or any post) says it was read at, or None."""
    return _as_int(request.form.get("version"))
