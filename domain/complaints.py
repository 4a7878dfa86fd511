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
- *close*: the customer's verdict is recorded. Satisfied: the complaint is
  closed (``closed_at``, 7 working days). Not satisfied: it is not closed but
  goes back to handling (``reopened``, 002 直至顾客满意为止) with a new
  handling-plan deadline counted from the verdict;
- *reopen*: the result did not hold; a reopened complaint never counts as
  closed on time, and its other deadlines stay those of the original receipt.
- *dispatch* (any open status) hands it to a department / handler; *note*
  adds a follow-up without changing the status. On a closed complaint a note
  is a *tracking note* (001 持续跟踪: a recurrence check), office roles only;
  it does not reopen. Closing schedules the first recurrence check
  (``recheck_on``, rule complaint_recheck_days); a tracking note clears it
  or sets the next one.
Stamps are set once: a reopened complaint keeps when it was first contacted,
except the handling plan after a "not satisfied" verdict, which is due again.
"""
from collections import namedtuple
from datetime import timedelta

from .escalation import SLA
from .i18n import N_, TranslatableError
from .rules import Rules

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
    "note": Step(OPEN + ("closed",), None, ("note",), EVERYONE, None,
                 N_("This complaint takes no follow-up note.")),
}

# A note on a closed complaint is a tracking note: the office's, not the department's.
TRACKING_ROLES = OFFICE

# The follow-up's step code when a step means more than its name: a note on a
# closed complaint, a close the customer did not accept.
TRACKING, NOT_SATISFIED = "track", "not_satisfied"

PLAN_BIT = next(d.bit for d in SLA if d.register == "complaint" and d.name == "plan")

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

# What the complaint is about (投诉对象): the field naming it for each kind.
TARGET_FIELDS = {"equipment": "target_equipment", "staff": "target_staff",
                 "department": "target_department"}


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
            if status in step.sources and role in _roles(name, status)]


def _roles(name, status):
    if name == "note" and status == "closed":
        return TRACKING_ROLES
    return STEPS[name].roles


def follow_up_step(name, status_after):
    """The step code a follow-up records for step ``name`` that left the
    complaint in ``status_after``."""
    if name == "note" and status_after == "closed":
        return TRACKING
    if name == "close" and status_after != "closed":
        return NOT_SATISFIED
    return name


def target_problem(kind, values):
    """The msgid saying what is missing or extra in a complaint target
    (``values``: the TARGET_FIELDS by name), or None when it is consistent."""
    if not kind:
        if any(values.get(f) not in (None, "") for f in TARGET_FIELDS.values()):
            return N_("Choose what kind of target the complaint is about.")
        return None
    field = TARGET_FIELDS.get(kind)
    if field is None:
        return N_("Unknown complaint target.")
    if values.get(field) in (None, ""):
        return {"equipment": N_("Choose the equipment the complaint is about."),
                "staff": N_("Choose the staff member the complaint is about."),
                "department": N_("Choose the department the complaint is about.")}[kind]
    return None


def promise_problem(promised_due, received_at):
    """The msgid refusing a promised date before the complaint was received."""
    if promised_due is not None and received_at is not None and promised_due < received_at:
        return N_("The date promised to the customer cannot be before the complaint "
                  "was received.")
    return None


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


def apply(name, complaint, *, now, role=None, rules=None, calendar=None, **values):
    """The field changes of taking step ``name`` on ``complaint`` (anything
    with the Complaint fields as attributes).

    ``values`` are what the user entered: ``note`` plus the step's INPUTS
    (e.g. ``root_cause_category``); an empty value keeps the stored one; a
    tracking note may give ``recheck_on`` (the next recurrence check).
    ``role`` (when given) must be allowed to take the step. ``rules`` and
    ``calendar`` give the handling-plan deadline after a "not satisfied"
    verdict and the recurrence check after closing (both needed by close).
    Raises StepError with the reason when the step is not possible.
    """
    rules = rules if rules is not None else Rules()
    step = STEPS.get(name)
    if step is None:
        raise StepError(N_("Unknown action %(name)s."), name=name)
    if role is not None and role not in step.roles:
        raise StepError(N_("Your role may not take this step."))
    if complaint.status not in step.sources:
        raise StepError(step.refusal)
    if role is not None and role not in _roles(name, complaint.status):
        raise StepError(N_("Only the office records tracking notes on a closed complaint."))
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
        if not value("customer_satisfied"):
            return _not_satisfied(complaint, changes, now, rules, calendar)
        changes["recheck_on"] = now.date() + timedelta(days=rules["complaint_recheck_days"])
    if name == "note" and complaint.status == "closed":
        changes["recheck_on"] = values.get("recheck_on") or None
        if changes["recheck_on"] is not None and changes["recheck_on"] <= now.date():
            raise StepError(N_("The next recurrence check must be after today."))
        return changes
    if step.target:
        changes["status"] = step.target
    if step.stamp and getattr(complaint, step.stamp, None) is None:
        changes[step.stamp] = now
    if name == "reopen":
        # The verdict is asked again at the next close.
        changes.update(closed_at=None, customer_satisfied=None, customer_score=None,
                       recheck_on=None, reopen_count=(complaint.reopen_count or 0) + 1)
    return changes


def _not_satisfied(complaint, changes, now, rules, calendar):
    """A "not satisfied" verdict: back to handling, never closed on time, a new
    handling plan due (its miss escalates again). The verdict itself goes into
    the follow-up; the complaint asks for it again at the next close."""
    changes.update(status="reopened", customer_satisfied=None, customer_score=None,
                   reopen_count=(complaint.reopen_count or 0) + 1, planned_at=None,
                   plan_due=calendar.add_hours(now, rules["complaint_plan_hours"]),
                   sla_missed=(complaint.sla_missed or 0) & ~PLAN_BIT)
    return changes


def closed_on_time(complaint):
    """Whether a complaint counts as closed on time: closed by its closing
    deadline, the customer satisfied, never reopened. (The figure's definition
    in SPEC.md "complaints closed on time".)"""
    return (complaint.status == "closed" and complaint.closed_at is not None
            and complaint.close_due is not None and complaint.closed_at <= complaint.close_due
            and complaint.customer_satisfied is True and not complaint.reopen_count)
