"""Escalation of complaints and visit problems (SPEC.md "Rules", last item).

A missed deadline escalates the record one level: level 1 goes to the
supervisor, level 2 (the highest) to the manager. Each deadline of a record
escalates it at most once — the record keeps one bit per deadline already
counted (``sla_missed``) — so running the sweep again changes nothing. A
manager may also escalate by hand, with a reason.

A deadline counts as missed when it has passed and the step that meets it was
not taken by then (not at all, or too late), while the record is still open.
The SLA table below is what the sweep (services/escalation.py) turns into one
UPDATE per row; ``missed`` is the same rule in Python for one record.
"""
from collections import namedtuple

from .i18n import N_, TranslatableError

TOP_LEVEL = 2
LEVELS = ((0, N_("Not escalated")), (1, N_("Level 1 (supervisor)")),
          (2, N_("Level 2 (manager)")))

# Who an escalation level is addressed to: the "escalated to me" queue shows a
# manager everything from level 1 and the owner everything from level 2.
ESCALATED_TO = {"manager": 1, "owner": 2}

# Who may escalate by hand.
ESCALATING_ROLES = ("owner", "manager")


class EscalationError(TranslatableError):
    """An escalation that cannot be made."""


# register: the endpoint; name: the deadline's code; due/done: the fields
# holding the deadline and the time it was met; bit: its bit in sla_missed;
# label: how the reason reads; statuses: the only statuses it applies in
# (None: every unfinished one); by_day: ``due`` is a date, missed once that
# day has passed.
Deadline = namedtuple("Deadline", "register name due done bit label statuses by_day",
                      defaults=(None, False))

SLA = (
    Deadline("complaint", "contact", "contact_due", "contacted_at", 1,
             N_("The customer was not contacted in time.")),
    Deadline("complaint", "response", "response_due", "responded_at", 2,
             N_("The customer had no answer in time.")),
    Deadline("complaint", "plan", "plan_due", "planned_at", 4,
             N_("No handling plan in time.")),
    Deadline("complaint", "close", "close_due", "closed_at", 8,
             N_("The complaint was not closed in time.")),
    Deadline("complaint", "promise", "promised_due", "closed_at", 16,
             N_("The date promised to the customer was missed.")),
    Deadline("visit_issue", "dispatch", "dispatch_due", "dispatched_at", 1,
             N_("The problem was not dispatched in time.")),
    Deadline("visit_issue", "response", "response_due", "responded_at", 2,
             N_("The department did not respond in time.")),
    Deadline("visit_issue", "resolve", "resolve_due", "resolved_at", 4,
             N_("The problem was not resolved in time.")),
    # Resolved is not the end: followed up until the customer confirms. A
    # follow-up moves the date on and clears the bit (domain.issues).
    Deadline("visit_issue", "follow_up", "next_follow_up_on", "confirmed_at", 8,
             N_("The resolved problem was not followed up in time."),
             statuses=("resolved",), by_day=True),
)

# Statuses in which a record no longer escalates: a resolved problem still
# does, until the customer confirms.
FINISHED = {"complaint": ("closed",), "visit_issue": ("closed",)}

# The sweep stores "sla:<deadline>" as the record's escalation reason; the UI
# shows the deadline's label instead (a manual reason is the manager's text).
REASON_PREFIX = "sla:"


def reason_code(deadline):
    return f"{REASON_PREFIX}{deadline.name}"


def reason_label(register, reason):
    """The msgid explaining a stored reason, or None when it is free text."""
    if not reason or not reason.startswith(REASON_PREFIX):
        return None
    name = reason[len(REASON_PREFIX):]
    for d in SLA:
        if d.register == register and d.name == name:
            return d.label
    return None


def deadlines_of(register):
    return [d for d in SLA if d.register == register]


def next_level(level):
    """The level after one more escalation (never above TOP_LEVEL)."""
    return min((level or 0) + 1, TOP_LEVEL)


def missed(register, record, now):
    """The deadlines of ``record`` that the sweep would escalate now, in order."""
    if record.status in FINISHED[register]:
        return []
    out = []
    for d in deadlines_of(register):
        if d.statuses is not None and record.status not in d.statuses:
            continue
        due, done = getattr(record, d.due, None), getattr(record, d.done, None)
        moment = now.date() if d.by_day else now
        if due is None or due >= moment or (record.sla_missed or 0) & d.bit:
            continue
        if done is None or (not d.by_day and done > due):
            out.append(d)
    return out


def manual(record, reason, role):
    """The changes of a manager escalating ``record`` by hand (one level up)."""
    if role not in ESCALATING_ROLES:
        raise EscalationError(N_("Only a manager or the owner may escalate."))
    reason = (reason or "").strip()
    if not reason:
        raise EscalationError(N_("Give the reason for the escalation."))
    if (record.escalation_level or 0) >= TOP_LEVEL:
        raise EscalationError(N_("Already escalated to the highest level."))
    return dict(escalation_level=next_level(record.escalation_level),
                escalation_reason=reason)
