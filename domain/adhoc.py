"""Ad hoc visits are requested and approved (000 §10 由销售部或客户服务部提出临时回访
需求，经审批后48小时内启动), as data and pure functions.

- *request*: a specialist, a manager or the owner, or department staff of
  sales or customer service asks for a visit: the customer, the reason (a
  major event: expansion, upgrade, an unresolved complaint) and the day they
  would like it. Nothing is planned yet.
- *approve* (managers, the owner): the visit is planned in the month's ad hoc
  plan, due within ``adhoc_visit_start_hours`` (48) of the approval — on the
  wished day when that falls inside the window, else the window's last
  working day (domain.planning.adhoc_due).
- *refuse* (managers, the owner): with the reason, which the requester reads.
"""
from collections import namedtuple

from .i18n import N_, TranslatableError
from .planning import adhoc_due

REQUESTING_ROLES = ("owner", "manager", "specialist")
REQUESTING_DEPARTMENTS = ("sales", "service")  # department staff who may ask (000 §10)
DECIDING_ROLES = ("owner", "manager")


class AdhocError(TranslatableError):
    """A request or decision that cannot be made."""


Step = namedtuple("Step", "sources target roles refusal")

STEPS = {
    "approve": Step(("requested",), "approved", DECIDING_ROLES,
                    N_("Only a request awaiting approval can be approved.")),
    "refuse": Step(("requested",), "refused", DECIDING_ROLES,
                   N_("Only a request awaiting approval can be refused.")),
}


def may_request(role, department):
    return role in REQUESTING_ROLES or (role == "staff" and department in REQUESTING_DEPARTMENTS)


def check_request(reason, wished_on, today, role, department):
    """AdhocError when the request cannot be made; the cleaned reason."""
    if not may_request(role, department):
        raise AdhocError(N_("Ad hoc visits are requested by specialists, managers, or the "
                            "sales and customer-service departments."))
    reason = (reason or "").strip()
    if not reason:
        raise AdhocError(N_("An ad hoc visit needs a reason."))
    if wished_on is not None and wished_on < today:
        raise AdhocError(N_("The wished date cannot be in the past."))
    return reason


def due_on(approved_at, wished_on, calendar, within_hours):
    """The day an approved visit is due: the wished day when it lies between
    the approval and the start limit, else the limit's working day."""
    limit = adhoc_due(approved_at, calendar, within_hours)
    if wished_on is not None and approved_at.date() <= wished_on <= limit:
        return wished_on
    return limit


def decide(name, request, *, role, now, note=None):
    """The field changes of ``name`` (approve / refuse) on ``request``."""
    step = STEPS.get(name)
    if step is None:
        raise AdhocError(N_("Unknown action %(name)s."), name=name)
    if role not in step.roles:
        raise AdhocError(N_("Only a manager or the owner may approve or refuse."))
    if request.status not in step.sources:
        raise AdhocError(step.refusal)
    note = (note or "").strip() or None
    if name == "refuse" and not note:
        raise AdhocError(N_("Give the reason for the refusal."))
    return {"status": step.target, "decided_at": now, "decision_note": note}
