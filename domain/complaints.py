"""Complaints: deadlines from the rules and the received → closed workflow, as data.

SPEC.md register 10 and "Rules" (complaint deadlines). Pure functions: they
take ``now``, a ``Rules`` object and a ``WorkCalendar`` and return the field
changes to apply; services/complaints.py loads, saves, writes the follow-up
and the audit row.

What each step means (and which deadline it meets):
- *acknowledge*: the customer has been contacted (``contacted_at``, the 12 h deadline);
- *investigate*: the customer has had a first answer (``responded_at``, 24 h);
- *resolve*: the root cause is known and the handling plan is set (``planned_at``, 48 h);
- *await_customer*: the solution is given, the customer's verdict is awaited;
- *close*: the customer's verdict is recorded (``closed_at``, 7 working days);
- *reopen*: the result did not hold; a reopened complaint never counts as
  closed on time, and its deadlines stay those of the original receipt.
- *dispatch* (any open status) hands it to a department / handler; *note*
  adds a follow-up without changing the status.
Stamps are set once: a reopened complaint keeps when it was first contacted.
"""
from collections import namedtuple

from .i18n import N_, TranslatableError

OFFICE = ("owner", "manager", "specialist")
EVERYONE = OFFICE + ("staff",)
OPEN = ("received", "acknowledged", "investigating", "resolving", "awaiting_customer",
        "reopened")


class StepError(TranslatableError):
    """A step the complaint cannot take."""


# sources: statuses it starts from; target: the status after it (None = the
# status stays); requires: what must be known first; roles: who may take it;
# stamp: the time field set on the first time; refusal: the wrong-status message.
Step = namedtuple("Step", "sources target requires roles stamp refusal")

STEPS = {
    "dispatch": Step(OPEN, None, ("department",), OFFICE, None,
                     N_("Only an open complaint can be dispatched.")),
    "acknowledge": Step(("received",), "acknowledged", ("note",), EVERYONE, "contacted_at",
                        N_("Only a newly received complaint can be acknowledged.")),
    "investigate": Step(("acknowledged", "reopened"), "investigating", ("note",), EVERYONE,
                        "responded_at",
                        N_("Only an acknowledged or reopened complaint can be investigated.")),
    "resolve": Step(("investigating",), "resolving", ("root_cause_category", "note"),
                    EVERYONE, "planned_at",
                    N_("Only a complaint under investigation can move to resolving.")),
    "await_customer": Step(("resolving",), "awaiting_customer", ("solution",), EVERYONE, None,
                           N_("Only a complaint being resolved can wait for the customer.")),
    "close": Step(("awaiting_customer",), "closed", ("solution", "verdict"), OFFICE,
                  "closed_at",
                  N_("Only a complaint awaiting the customer's verdict can be closed.")),
    "reopen": Step(("awaiting_customer", "closed"), "reopened", ("note",), OFFICE, None,
                   N_("Only a closed complaint or one awaiting the customer can be reopened.")),
    "note": Step(OPEN, None, ("note",), EVERYONE, None,
                 N_("A closed complaint takes no more follow-ups; reopen it first.")),
}

REQUIREMENT_MESSAGES = {
    "department": N_("Choose the department to dispatch to."),
    "note": N_("Say what was done (the follow-up note)."),
    "root_cause_category": N_("Choose the root-cause category before resolving."),
    "solution": N_("Enter the solution first."),
    "verdict": N_("Record whether the customer is satisfied and their score (1-5) "
                  "before closing."),
}

# Fields a step may set from what the user entered (besides status and stamps).
INPUTS = {
    "dispatch": ("department", "handler"),
    "resolve": ("root_cause_category", "root_cause", "responsibility", "solution"),
    "await_customer": ("solution", "compensation"),
    "close": ("solution", "customer_satisfied", "customer_score", "compensation"),
}


def deadlines(received_at, rules, calendar):
    """{contact_due, response_due, plan_due, close_due} of a complaint received
    at ``received_at``: clock hours for the first three, working days to close."""
    return dict(
        contact_due=calendar.add_hours(received_at, rules["complaint_contact_hours"]),
        response_due=calendar.add_hours(received_at, rules["complaint_respond_hours"]),
        plan_due=calendar.add_hours(received_at, rules["complaint_plan_hours"]),
        close_due=calendar.add_working_days(received_at,
                                            rules["complaint_close_working_days"]),
    )


def on_register(received_at, rules, calendar):
    """Field values of a newly registered complaint."""
    return dict(deadlines(received_at, rules, calendar), status="received")


def allowed_steps(status, role):
    """The step names ``role`` may take on a complaint in ``status`` (for buttons)."""
    return [name for name, step in STEPS.items()
            if status in step.sources and role in step.roles]


def _known(complaint, values):
    def value(name):
        given = values.get(name)
        if isinstance(given, str):
            given = given.strip()
        return given if given not in (None, "") else getattr(complaint, name, None)
    score = value("customer_score")
    return {
        "department": value("department"),
        "note": (values.get("note") or "").strip(),
        "root_cause_category": value("root_cause_category"),
        "solution": (value("solution") or "").strip(),
        "verdict": value("customer_satisfied") is not None and score not in (None, ""),
    }, value


def apply(name, complaint, *, now, role=None, **values):
    """The field changes of taking step ``name`` on ``complaint`` (anything
    with the Complaint fields as attributes).

    ``values`` are what the user entered: ``note`` plus the step's INPUTS
    (e.g. ``root_cause_category``); an empty value keeps the stored one.
    ``role`` (when given) must be allowed to take the step. Raises StepError
    with the reason when the step is not possible.
    """
    step = STEPS.get(name)
    if step is None:
        raise StepError(N_("Unknown action %(name)s."), name=name)
    if role is not None and role not in step.roles:
        raise StepError(N_("Your role may not take this step."))
    if complaint.status not in step.sources:
        raise StepError(step.refusal)
    known, value = _known(complaint, values)
    for need in step.requires:
        if not known[need]:
            raise StepError(REQUIREMENT_MESSAGES[need])
    score = value("customer_score")
    if name == "close" and not 1 <= int(score) <= 5:
        raise StepError(N_("The customer's score must be between 1 and 5."))

    changes = {}
    for field in INPUTS.get(name, ()):
        given = values.get(field)
        if isinstance(given, str):
            given = given.strip()
        if given not in (None, ""):
            changes[field] = given
    if name == "close":
        changes["customer_score"] = int(score)
    if step.target:
        changes["status"] = step.target
    if step.stamp and getattr(complaint, step.stamp, None) is None:
        changes[step.stamp] = now
    if name == "reopen":
        # The verdict is asked again at the next close.
        changes.update(closed_at=None, customer_satisfied=None, customer_score=None,
                       reopen_count=(complaint.reopen_count or 0) + 1)
    return changes


def closed_on_time(complaint):
    """Whether a complaint counts as closed on time: closed by its closing
    deadline, the customer satisfied, never reopened. (The figure's definition
    in SPEC.md "complaints closed on time".)"""
    return (complaint.status == "closed" and complaint.closed_at is not None
            and complaint.close_due is not None and complaint.closed_at <= complaint.close_due
            and complaint.customer_satisfied is True and not complaint.reopen_count)
