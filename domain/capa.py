"""Corrective and preventive actions (SPEC.md register 12, seeds/004 纠正和预防措施).

open → in progress → done → verified. The measures must be written before
the work counts as started; verification is by someone other than the
person responsible for the action (the seed's "验证人" signs separately).
A manager opens an action from a complaint, a visit problem or a survey
with its source and problem filled in (``prefill``).
"""
from collections import namedtuple
from datetime import date

from .i18n import N_, TranslatableError

OFFICE = ("owner", "manager", "specialist")
EVERYONE = OFFICE + ("staff",)
VERIFIERS = ("owner", "manager", "staff")
OPENING_ROLES = ("owner", "manager")
UNFINISHED = ("open", "in_progress")


class CapaError(TranslatableError):
    """A step the action cannot take."""


Step = namedtuple("Step", "sources target requires roles refusal")

STEPS = {
    "start": Step(("open",), "in_progress", ("action",), EVERYONE,
                  N_("Only an open action can be started.")),
    "complete": Step(("in_progress",), "done", ("action",), EVERYONE,
                     N_("Only an action in progress can be marked done.")),
    "verify": Step(("done",), "verified", ("verification_notes", "not_owner"), VERIFIERS,
                   N_("Only a done action can be verified.")),
    "reopen": Step(("done", "verified"), "in_progress", (), OPENING_ROLES,
                   N_("Only a done or verified action can be reopened.")),
}

REQUIREMENT_MESSAGES = {
    "action": N_("Write the measures first."),
    "verification_notes": N_("Write what the verification found."),
    "not_owner": N_("The person responsible for the action cannot verify it; "
                    "someone else must."),
}


def apply(name, capa, *, now, user_id, role=None, verification_notes=None):
    """The field changes of taking step ``name`` on ``capa``; CapaError when
    it is not possible."""
    step = STEPS.get(name)
    if step is None:
        raise CapaError(N_("Unknown action %(name)s."), name=name)
    if role is not None and role not in step.roles:
        raise CapaError(N_("Your role may not take this step."))
    if capa.status not in step.sources:
        raise CapaError(step.refusal)
    notes = (verification_notes or "").strip() or (capa.verification_notes or "").strip()
    known = {"action": (capa.action or "").strip(), "verification_notes": notes,
             "not_owner": capa.owner_id is None or capa.owner_id != user_id}
    for need in step.requires:
        if not known[need]:
            raise CapaError(REQUIREMENT_MESSAGES[need])
    changes = {"status": step.target}
    if name == "verify":
        changes.update(verification_notes=notes, verified_by=user_id, verified_at=now)
    elif name == "reopen":
        changes.update(verified_by=None, verified_at=None)
    return changes


def is_overdue(capa, today):
    return (capa.status in UNFINISHED and capa.due_on is not None
            and capa.due_on < (today if isinstance(today, date) else today.date()))


def source_ref(kind, record):
    """How an action names its source: the complaint's number, the problem's
    or survey's id with a prefix (stable, searchable)."""
    if kind == "complaint":
        return record.number
    if kind == "visit_issue":
        return f"VI-{record.id}"
    if kind == "survey":
        return f"SV-{record.id} {record.period}"
    raise CapaError(N_("Unknown source %(kind)s."), kind=kind)


def prefill(kind, record):
    """Field values of a new action opened from a complaint, a visit problem
    or a satisfaction survey."""
    if kind == "complaint":
        problem = record.description
        extra = {"root_cause": record.root_cause, "department": record.department}
    elif kind == "visit_issue":
        problem = record.description
        extra = {"department": record.department}
    elif kind == "survey":
        problem = (record.complaints or record.expectations or "").strip()
        extra = {}
    else:
        raise CapaError(N_("Unknown source %(kind)s."), kind=kind)
    source = "survey" if kind == "survey" else kind
    values = {"source": source, "source_ref": source_ref(kind, record), "problem": problem,
              "action_type": "corrective"}
    values.update({k: v for k, v in extra.items() if v})
    return values
