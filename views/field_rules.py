"""domain.values' rule of each model field as WTForms filters and validators.

BaseView adds them to every register's form arguments, so the record
forms, the list cells (views/inline_edit.py builds its form from the same
arguments) and bulk edit (the register's own form field) check a value the
same way: text loses its control characters on the way in, numbers and
dates outside their range are refused with the reason in the user's
language.
"""
from wtforms.validators import ValidationError
from wtfpeewee.fields import SelectQueryField

from domain import values

from .messages import translated


class _Filters(list):
    """wtfpeewee appends its blank-to-None filter to the list it is given,
    once per form class built from it: keep one copy of each."""

    def append(self, item):
        if item not in self:
            super().append(item)


class RuleCheck:
    """WTForms validator: the field's data keeps ``rule`` (a text comes back
    cleaned), else the rule's reason."""

    def __init__(self, rule):
        self.rule = rule

    def __call__(self, form, field):
        if field.data is None or field.data == "":
            return
        try:
            field.data = values.check(self.rule, field.data)
        except values.ValueRefused as ex:
            raise ValidationError(translated(ex)) from None


def _text_filter(multiline):
    def clean(value):
        return values.clean_text(value, multiline) if isinstance(value, str) else value
    return clean


SINGLE_LINE, MULTILINE = _text_filter(False), _text_filter(True)


def add_rules(args, field):
    """Add ``field``'s rule to its form arguments ``args`` (a dict, changed)."""
    rule = values.rule_of(field)
    if rule is None or rule.kind == "key":
        return args  # ids: the lookups and views.params read them
    if rule.kind == "text":
        # The filter cleans what the form shows back; the check (which list
        # cells copy, not filters) cleans and measures what is saved.
        filters = _Filters(args.get("filters") or ())
        filters.append(MULTILINE if rule.multiline else SINGLE_LINE)
        args["filters"] = filters
    args["validators"] = list(args.get("validators") or ()) + [RuleCheck(rule)]
    return args


class _KeySafe:
    """A select of records (wtfpeewee's, for users) that looks up only what
    is an id: anything else is simply not a valid choice."""

    def get_model(self, pk):
        return super().get_model(pk) if values.parse_key(pk) is not None else None

    def pre_validate(self, form):
        data = self.data
        if data is not None and not isinstance(data, self.model) \
                and values.parse_key(data) is None:
            raise ValidationError(self.gettext("Not a valid choice."))
        super().pre_validate(form)


_SAFE = {}


def safe_keys(form_class):
    """``form_class`` with its record selects made ``_KeySafe`` (in place)."""
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        kind = getattr(unbound, "field_class", None)
        if isinstance(kind, type) and issubclass(kind, SelectQueryField) \
                and not issubclass(kind, _KeySafe):
            if kind not in _SAFE:
                _SAFE[kind] = type(kind.__name__, (_KeySafe, kind), {})
            unbound.field_class = _SAFE[kind]
    return form_class
