"""The form of each visit problem step (domain/issues.py): what was done (a
line of the problem's follow-up log), its result and next step, plus what the
step needs — the department to dispatch to, the solution, the customer's
evaluation. The domain checks; the form only offers."""
from flask_admin.form import BaseForm
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from domain import choices
from domain.i18n import N_
from models import User

STEP_LABELS = {
    "dispatch": N_("Dispatch to a department"),
    "start": N_("Start handling"),
    "resolve": N_("Resolved (solution entered)"),
    "follow_up": N_("Record a follow-up"),
    "confirm": N_("Customer confirmed: close with the evaluation"),
    "reopen": N_("Reopen"),
}

NOTE_LABELS = {
    "follow_up": _l("What was done (who was contacted, what they said)"),
    "reopen": _l("Why is it reopened?"),
    "confirm": _l("What the customer said"),
}


def _choices(pairs):
    return [("", "—")] + [(code, _l(label)) for code, label in pairs]


def _users():
    users = User.select().where(User.active).order_by(User.name)
    return [("", "—")] + [(str(u.id), str(u)) for u in users]


def step_form(name, formdata, issue=None):
    """A bound form for step ``name``; ``issue`` (one selected) prefills it."""

    class StepForm(BaseForm):
        pass

    extra = {}
    if name == "dispatch":
        extra["department"] = SelectField(_l("Responsible department"),
                                          choices=_choices(choices.DEPARTMENTS))
        extra["assignee"] = SelectField(_l("Assignee"), choices=_users(),
                                        validators=[Optional()])
    if name == "resolve":
        extra["solution"] = TextAreaField(_l("Solution"))
    if name == "confirm":
        extra["evaluation"] = RadioField(
            _l("Customer's evaluation"), choices=[(str(n), str(n)) for n in range(5, 0, -1)],
            validators=[Optional()])
        extra["confirmed_at"] = DateTimeLocalField(
            _l("Customer confirmed at"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
            description=_l("Leave empty for now."))
    for field_name, field in extra.items():
        setattr(StepForm, field_name, field)
    StepForm.note = TextAreaField(NOTE_LABELS.get(name, _l("What was done")))
    StepForm.result = TextAreaField(_l("Result"))
    StepForm.next_step = TextAreaField(_l("Next step"))

    form = StepForm(formdata)
    if issue is not None and not formdata:
        if "department" in extra:
            form.department.data = issue.department
            form.assignee.data = str(issue.assignee_id) if issue.assignee_id else ""
        if "solution" in extra:
            form.solution.data = issue.solution
    return form


def step_values(form):
    """The form's data as services.issues.transition takes it."""
    data = dict(form.data)
    if data.get("assignee") is not None:
        data["assignee"] = int(data["assignee"]) if data["assignee"] else None
    return data
