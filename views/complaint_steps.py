"""The form of each complaint workflow step: what was done (the follow-up),
its result and next step, plus the fields the step needs (the domain checks
them; the form only offers them). Prefilled from the complaint when one is
selected."""
from flask_admin.form import BaseForm
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from domain import choices
from domain.i18n import N_
from models import User

# What the step's button and page say (the follow-up records it in the past
# tense, choices.COMPLAINT_STEPS).
STEP_LABELS = {
    "dispatch": N_("Dispatch to a department"),
    "acknowledge": N_("Acknowledge (customer contacted)"),
    "investigate": N_("Start investigating (customer answered)"),
    "resolve": N_("Set the handling plan"),
    "await_customer": N_("Solution given, await the customer"),
    "close": N_("Close with the customer's verdict"),
    "reopen": N_("Reopen"),
    "note": N_("Add a follow-up note"),
}
# A note on a closed complaint is a recurrence check (domain.complaints).
TRACKING_LABEL = N_("Add a tracking note (recurrence check)")

NOTE_LABELS = {
    "reopen": _l("Why is it reopened?"),
    "dispatch": _l("Note to the department (optional)"),
    "close": _l("What the customer said"),
}


def _choices(pairs, blank=True):
    out = [(code, _l(label)) for code, label in pairs]
    return ([("", "—")] + out) if blank else out


def _handlers():
    users = User.select().where(User.active).order_by(User.name)
    return [("", "—")] + [(str(u.id), str(u)) for u in users]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def step_label(name, status=None):
    """The button's msgid of step ``name`` on a complaint in ``status``."""
    return TRACKING_LABEL if name == "note" and status == "closed" else STEP_LABELS[name]


def step_form(name, formdata, complaint=None, tracking=False):
    """A bound form for step ``name``; ``complaint`` (one selected) prefills it;
    ``tracking``: a note on closed complaints (offers the next check date)."""

    class StepForm(BaseForm):
        pass

    extra = {}
    if name == "dispatch":
        extra["department"] = SelectField(_l("Responsible department"),
                                          choices=_choices(choices.DEPARTMENTS))
        extra["handler"] = SelectField(_l("Handler"), choices=_handlers(),
                                       validators=[Optional()])
    if name == "resolve":
        extra["root_cause_category"] = SelectField(_l("Root-cause category"),
                                                   choices=_choices(choices.ROOT_CAUSE_CATEGORY))
        extra["root_cause"] = TextAreaField(_l("Root cause"))
        extra["responsibility"] = StringField(_l("Responsibility"))
    if name in ("resolve", "await_customer", "close"):
        extra["solution"] = TextAreaField(_l("Solution"))
    if name in ("await_customer", "close"):
        extra["compensation"] = StringField(_l("Compensation"))
    if name == "close":
        extra["customer_satisfied"] = RadioField(
            _l("Is the customer satisfied with the result?"),
            choices=[("yes", _l("Yes")), ("no", _l("No"))], validators=[Optional()],
            description=_l("Not satisfied: the complaint is not closed; it goes back to "
                           "handling with a new handling-plan deadline."))
        extra["customer_score"] = RadioField(
            _l("Customer score"), choices=[(str(n), str(n)) for n in range(5, 0, -1)],
            validators=[Optional()])
    if name == "note" and tracking:
        extra["recheck_on"] = DateField(
            _l("Next recurrence check on"), validators=[Optional()],
            description=_l("Leave empty when no further check is needed."))
    for field_name, field in extra.items():
        setattr(StepForm, field_name, field)
    StepForm.note = TextAreaField(_l("What was checked (has the problem come back?)")
                                  if name == "note" and tracking
                                  else NOTE_LABELS.get(name, _l("What was done")))
    StepForm.result = TextAreaField(_l("Result"))
    StepForm.next_step = TextAreaField(_l("Next step"))

    form = StepForm(formdata)
    if complaint is not None and not formdata:
        for field_name in extra:
            value = getattr(complaint, f"{field_name}_id" if field_name == "handler"
                            else field_name, None)
            if field_name == "customer_satisfied":
                value = {True: "yes", False: "no"}.get(value)
            elif value is not None and field_name in ("handler", "customer_score"):
                value = str(value)
            if field_name == "recheck_on":
                continue
            form[field_name].data = value
    return form


def step_values(form):
    """The form's data as domain.complaints.apply takes it."""
    data = dict(form.data)
    if "customer_satisfied" in data:
        data["customer_satisfied"] = _yes_no(data["customer_satisfied"])
    if "handler" in data:
        data["handler"] = int(data["handler"]) if data["handler"] else None
    return data
