"""Who may see and change what (SPEC.md "Roles and who sees what").

Pure policy over Peewee queries, no Flask: the views ask ``policy(endpoint)``
for the roles of each operation and ``scope_query`` / ``in_scope`` for rows.

- owner: everything.
- manager: every record; no user admin, no delete.
- specialist: customers they own, and the records of those customers or
  assigned to them.
- staff (department): problems, complaints and corrective actions of their
  department (or assigned to them personally).
"""
from collections import namedtuple

from peewee import Value

import models as M

from . import values

OWNER = ("owner",)
MANAGEMENT = ("owner", "manager")
OFFICE = ("owner", "manager", "specialist")
EVERYONE = ("owner", "manager", "specialist", "staff")

Policy = namedtuple("Policy", "read write delete export")

# endpoint -> Policy. Read roles see the menu entry and the list; write roles
# create and edit; delete roles delete; export roles download the list.
POLICIES = {
    "customer": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "contact": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "sale": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "equipment": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "repair_order": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "visit_plan": Policy(OFFICE, MANAGEMENT, OWNER, MANAGEMENT),
    "planned_visit": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "visit": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "visit_issue": Policy(EVERYONE, EVERYONE, OWNER, EVERYONE),
    "complaint": Policy(EVERYONE, EVERYONE, OWNER, EVERYONE),
    "complaint_follow_up": Policy(EVERYONE, EVERYONE, OWNER, EVERYONE),
    "corrective_action": Policy(EVERYONE, EVERYONE, OWNER, EVERYONE),
    "satisfaction_survey": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "care_event": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "interaction": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "demand": Policy(OFFICE, OFFICE, OWNER, OFFICE),
    "rule": Policy(OFFICE, OWNER, OWNER, MANAGEMENT),
    "holiday": Policy(OFFICE, MANAGEMENT, OWNER, MANAGEMENT),
    "user": Policy(OWNER, OWNER, OWNER, OWNER),
    "audit_log": Policy(MANAGEMENT, (), (), MANAGEMENT),
    "my_visit": Policy(OFFICE, OFFICE, (), OFFICE),
    # Requested by office roles or sales/service staff (domain.adhoc), decided by managers.
    "adhoc_request": Policy(EVERYONE, EVERYONE, OWNER, MANAGEMENT),
    # Pages, not registers: write = back up now / restore, export = download.
    "backups": Policy(OWNER, OWNER, (), OWNER),
    "deleted": Policy(OWNER, OWNER, (), ()),
}

# How a row belongs to a person: through its customer's owner, through
# fields naming a user, through its department, or through a parent record.
Ownership = namedtuple("Ownership", "customer users department parent")


def _own(customer="customer", users=(), department=None, parent=None):
    return Ownership(customer, users, department, parent)


OWNERSHIP = {
    M.Customer: _own(customer=None, users=("owner",)),
    M.Contact: _own(),
    M.Sale: _own(),
    M.Equipment: _own(),
    M.RepairOrder: _own(users=("technician",)),
    M.PlannedVisit: _own(users=("assignee",)),
    M.Visit: _own(users=("staff",)),
    M.VisitIssue: _own(users=("assignee",), department="department"),
    M.Complaint: _own(users=("handler",), department="department"),
    M.ComplaintFollowUp: _own(customer=None, users=("by",), parent="complaint"),
    M.CorrectiveAction: _own(customer=None, users=("owner",), department="department"),
    M.SatisfactionSurvey: _own(),
    M.CareEvent: _own(),
    M.Interaction: _own(users=("staff",)),
    M.Demand: _own(),
    M.AdhocRequest: _own(users=("requested_by",)),
}


def policy(endpoint):
    return POLICIES[endpoint]


def may(user, operation, endpoint):
    """True when the user's role may do ``operation`` (read/write/delete/export)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in getattr(POLICIES[endpoint], operation)


def _condition(model, user):
    """A WHERE expression selecting the rows of ``model`` that ``user`` may see,
    or None when the user sees every row."""
    if user.role in MANAGEMENT:
        return None
    rule = OWNERSHIP.get(model)
    if rule is None:
        # Registers without personal ownership (plans, rules, holidays) are
        # shared reading for whoever the policy lets in.
        return None
    terms = []
    if user.role == "specialist":
        if rule.customer:
            owned = M.Customer.select(M.Customer.id).where(M.Customer.owner == user.id)
            terms.append(getattr(model, rule.customer).in_(owned))
        terms += [getattr(model, f) == user.id for f in rule.users]
    elif user.role == "staff":
        if rule.department and user.department:
            terms.append(getattr(model, rule.department) == user.department)
        terms += [getattr(model, f) == user.id for f in rule.users]
    if rule.parent:
        fk = getattr(model, rule.parent)
        parent_ok = _condition(fk.rel_model, user)
        if parent_ok is not None:
            terms.append(fk.in_(fk.rel_model.select(fk.rel_model.id).where(parent_ok)))
    if not terms:
        return Value(1) == 0
    cond = terms[0]
    for t in terms[1:]:
        cond = cond | t
    if model is M.PlannedVisit and user.role == "specialist":
        # A plan reaches its specialists only once it is approved.
        released = M.VisitPlan.select(M.VisitPlan.id).where(
            M.VisitPlan.status.in_(("approved", "closed")))
        cond = cond & M.PlannedVisit.plan.in_(released)
    return cond


def scope_query(query, model, user):
    """``query`` narrowed to what ``user`` may see."""
    cond = _condition(model, user)
    return query if cond is None else query.where(cond)


def visible_one(model, user, pk):
    """The ``model`` row with id ``pk`` if ``user`` may see it, else None
    (also for anything that is not an id: letters, a sign, beyond 64 bits)."""
    key = values.parse_key(pk)
    if key is None:
        return None
    return scope_query(model.select(), model, user).where(model.id == key).first()


def in_scope(record, user):
    """Whether an (unsaved or changed) record falls inside the user's scope."""
    if user.role in MANAGEMENT:
        return True
    model = type(record)
    rule = OWNERSHIP.get(model)
    if rule is None:
        return True
    if any(record.__data__.get(f) == user.id for f in rule.users):
        return True
    if user.role == "specialist" and rule.customer:
        customer_id = record.__data__.get(rule.customer)
        if customer_id is not None and M.Customer.select().where(
                (M.Customer.id == customer_id) & (M.Customer.owner == user.id)).exists():
            return True
    if user.role == "staff" and rule.department and user.department:
        if record.__data__.get(rule.department) == user.department:
            return True
    if rule.parent:
        parent_id = record.__data__.get(rule.parent)
        fk = getattr(model, rule.parent)
        if parent_id is not None:
            return scope_query(fk.rel_model.select(), fk.rel_model, user).where(
                fk.rel_model.id == parent_id).exists()
    return False


def assignable_users(query, user, also=()):
    """``query`` on users narrowed to those ``user`` may assign work to (a
    handler, an assignee, a responsible person): management anyone; a
    specialist or department staff themself and their own department.
    ``also``: ids that stay valid anyway (the value a record already holds)."""
    if user.role in MANAGEMENT:
        return query
    mine = M.User.id == user.id
    if user.department:
        mine = mine | (M.User.department == user.department)
    if also:
        mine = mine | M.User.id.in_(list(also))
    return query.where(mine)
