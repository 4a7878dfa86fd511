"""How the import pages put things into words: a column by its label in the
user's language, a value as the register shows it, a row's outcome and its
reasons. Mixed into the register's view (it knows the labels and choices)."""
from datetime import date, datetime
from decimal import Decimal

from flask import g
from flask_babel import gettext as _
from peewee import ForeignKeyField

from services import importer


class ImportWordingMixin:

    def field_label(self, name):
        extra = importer.SPECS[self.endpoint].extra.get(name)
        if extra:
            return _(extra[0])
        return str(self.column_labels.get(name, name))

    def reason_text(self, outcome):
        return _("; ").join(importer.problem_text(f, ex, self.field_label, _)
                            for f, ex in outcome.problems)

    def value_text(self, name, value):
        """``value`` of the column ``name`` as the register's pages show it."""
        if value is None or value == "":
            return "—"
        if value is importer.NUMBERED:
            return _("numbered when imported")
        field = self.model._meta.fields.get(name)
        if field is None:  # a column that is no field (a customer list's contact)
            return str(value)
        if isinstance(field, ForeignKeyField):
            return self._record_name(field, value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        labels = dict(self.column_choices.get(name, ()))
        if value in labels:
            return str(labels[value])
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:,.{max(0, -value.as_tuple().exponent)}f}"
        return str(value)

    def _record_name(self, field, value):
        names = g.setdefault("_import_names", {})  # a page names few records, often
        if (field.name, value) not in names:
            target = field.rel_model.get_or_none(field.rel_model.id == value)
            names[(field.name, value)] = str(target) if target else str(value)
        return names[(field.name, value)]

    def row_view(self, outcome):
        """One row of the dry run's table."""
        if outcome.status == "refused":
            detail = self.reason_text(outcome)
        elif outcome.status == "duplicate":
            detail = _("Same record as line %(line)d.", line=outcome.same_as)
        elif outcome.status == "created":
            detail = _("; ").join(f"{self.field_label(f)}: {self.value_text(f, new)}"
                                  for f, (_old, new) in outcome.changes.items())
        else:
            detail = _("; ").join(
                f"{self.field_label(f)}: {self.value_text(f, old)} → {self.value_text(f, new)}"
                for f, (old, new) in outcome.changes.items())
        return {"line": outcome.line, "status": outcome.status, "record": outcome.label,
                "detail": detail}

    def allowed_labels(self, name):
        """The values a choice or yes/no column takes, in the user's language."""
        field = self.model._meta.fields.get(name)
        if field is None or isinstance(field, ForeignKeyField):
            return []
        if field.choices:
            return [str(label) for _code, label in self.column_choices.get(name, field.choices)]
        if field.field_type == "BOOL":
            return [_("Yes"), _("No")]
        return []
