"""The plain data of the printed forms (pdf_templates), read from the registers.

No Flask here. ``load(form, model, ids, user=…)`` returns one dict per id
the user may see, in the order of the ids, with choice codes turned into
labels (``Msg``: the form translates them) and users into names. The number
of queries is fixed per call, however many records (a plan with 5,000 items
is a handful of queries): the records, then their customers, users and
children, each in one chunked ``IN (...)`` query.

What a form lists is scoped by construction, as the register lists are
(domain.access.scope_query): ``load`` keeps only the ids the user may see,
and every list of rows a form holds (a plan's items, a complaint's
follow-ups, a customer's contacts) is read through ``_children`` or
``_scoped``, which narrow to the user of the current ``load``. What a
visible record itself names (its customer, its equipment, user names) is
part of that record and read by id.
"""
from collections import defaultdict
from contextvars import ContextVar

import models as M
from domain import access, choices as C
from pdf_templates.data import Msg
from services.bulk import chunks


def label(vocabulary, code):
    """The (msgid) label of ``code`` in a domain.choices vocabulary."""
    if code in (None, ""):
        return None
    return Msg(dict(vocabulary).get(code, str(code)))


def _rows(model, ids, *fields):
    """Records of ``model`` with ``ids`` (any order), chunked."""
    query = model.select(*fields) if fields else model.select()
    out = []
    for part in chunks(sorted(set(ids))):
        out.extend(query.where(model.id.in_(part)))
    return out


def _in_order(records, ids):
    by_id = {r.id: r for r in records}
    return [by_id[i] for i in ids if i in by_id]


# The user whose forms are being loaded (None: the whole shop); set by load.
_USER = ContextVar("print_data_user")


def _scoped(query, model):
    """``query`` narrowed to what the user of the current ``load`` may see
    (LookupError outside ``load``: a form cannot read unscoped by mistake)."""
    user = _USER.get()
    return query if user is None else access.scope_query(query, model, user)


def _children(field, parent_ids, order):
    """{parent id: [child records the user may see]} of the model ``field``
    belongs to."""
    found = defaultdict(list)
    for part in chunks(sorted(set(parent_ids))):
        query = _scoped(field.model.select().where(field.in_(part)), field.model)
        for row in query.order_by(*order):
            found[row.__data__[field.name]].append(row)
    return found


def _users(records, *names):
    ids = {r.__data__.get(n) for r in records for n in names} - {None}
    return {u.id: (u.name or u.username)
            for u in _rows(M.User, ids, M.User.id, M.User.name, M.User.username)}


def _customers(records, key="customer"):
    ids = {r.__data__.get(key) for r in records} - {None}
    return {c.id: c for c in _rows(M.Customer, ids)}


def _customer_fields(customer):
    if customer is None:
        return {}
    return {"customer": customer.name, "customer_code": customer.code,
            "phone": customer.phone, "address": customer.address}


def _day(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# ----------------------------------------------------------------- complaints

def complaints(ids, follow_ups=True):
    records = _in_order(_rows(M.Complaint, ids), ids)
    customers, users = _customers(records), _users(records, "handler")
    targets = _complaint_targets(records)
    steps = _children(M.ComplaintFollowUp.complaint, ids,
                      (M.ComplaintFollowUp.at, M.ComplaintFollowUp.id)) if follow_ups else {}
    by = _users([f for rows in steps.values() for f in rows], "by")
    out = []
    for c in records:
        d = _customer_fields(customers.get(c.customer_id))
        d.update({k: getattr(c, k) for k in (
            "number", "complainant", "complainant_phone", "received_at", "description",
            "contact_due", "response_due", "plan_due", "close_due", "promised_due",
            "contacted_at", "responded_at", "planned_at", "closed_at", "root_cause",
            "responsibility", "solution", "compensation", "customer_satisfied",
            "customer_score", "escalated_at", "escalation_reason", "recheck_on")})
        d.update(complainant_contact=" ".join(x for x in (c.complainant, c.complainant_phone)
                                              if x) or None,
                 target_kind=label(C.COMPLAINT_TARGETS, c.target_kind),
                 target=_complaint_target(c, targets))
        d.update(date=_day(c.received_at), handler=users.get(c.handler_id),
                 channel=label(C.COMPLAINT_CHANNELS, c.channel),
                 category=label(C.COMPLAINT_CATEGORY, c.category),
                 severity=label(C.SEVERITY, c.severity),
                 department=label(C.DEPARTMENTS, c.department),
                 status=label(C.COMPLAINT_STATUS, c.status),
                 root_cause_category=label(C.ROOT_CAUSE_CATEGORY, c.root_cause_category),
                 escalation_level=c.escalation_level or None,
                 follow_ups=[{"at": f.at, "by": by.get(f.by_id),
                              "step": label(getattr(C, "COMPLAINT_STEPS", ()),
                                            getattr(f, "step", None)),
                              "action": f.action, "result": f.result, "next_step": f.next_step,
                              "customer_satisfied": f.customer_satisfied,
                              "customer_score": f.customer_score}
                             for f in steps.get(c.id, ())])
        out.append(d)
    return out


def _complaint_targets(records):
    """({equipment id: "model serial"}, {user id: name}) the complaints name."""
    equipment = {e.id: f"{e.model_name} {e.serial_no}" for e in _rows(
        M.Equipment, {r.target_equipment_id for r in records} - {None},
        M.Equipment.id, M.Equipment.model_name, M.Equipment.serial_no)}
    return equipment, _users(records, "target_staff")


def _complaint_target(c, targets):
    """The equipment, staff member or department the complaint is about."""
    equipment, staff = targets
    return {"equipment": equipment.get(c.target_equipment_id),
            "staff": staff.get(c.target_staff_id),
            "department": label(C.DEPARTMENTS, c.target_department)}.get(c.target_kind)


def corrective_actions(ids):
    records = _in_order(_rows(M.CorrectiveAction, ids), ids)
    users = _users(records, "owner", "verified_by")
    return [{
        "number": a.number, "date": _day(a.created_at), "source": label(C.CAPA_SOURCE, a.source),
        "source_ref": a.source_ref, "action_type": label(C.CAPA_TYPE, a.action_type),
        "status": label(C.CAPA_STATUS, a.status), "department": label(C.DEPARTMENTS, a.department),
        "owner": users.get(a.owner_id), "due_on": a.due_on, "problem": a.problem,
        "root_cause": a.root_cause, "action": a.action,
        "verification_notes": a.verification_notes, "verified_by": users.get(a.verified_by_id),
        "verified_at": a.verified_at,
    } for a in records]


# ----------------------------------------------------------------- visits

def _issue_rows(issues):
    return [{"description": i.description, "level": label(C.ISSUE_LEVEL, i.level),
             "status": label(C.ISSUE_STATUS, i.status)} for i in issues]


def visits(ids):
    records = _in_order(_rows(M.Visit, ids), ids)
    customers, users = _customers(records), _users(records, "staff")
    issues = _children(M.VisitIssue.visit, ids, (M.VisitIssue.id,))
    out = []
    for v in records:
        d = _customer_fields(customers.get(v.customer_id))
        d.update({k: getattr(v, k) for k in (
            "visited_at", "contact_person", "purpose", "feedback_stability", "feedback_accuracy",
            "feedback_delivery", "feedback_after_sales", "suggestion_price",
            "suggestion_support", "satisfaction", "new_demands", "follow_up_needed")})
        d.update(date=_day(v.visited_at), staff=users.get(v.staff_id),
                 channel=label(C.CHANNELS, v.channel), issues=_issue_rows(issues.get(v.id, ())))
        out.append(d)
    return out


def planned_visits(ids):
    """Visit record forms pre-filled from planned visits, to complete by hand."""
    records = _in_order(_rows(M.PlannedVisit, ids), ids)
    customers, users = _customers(records), _users(records, "assignee")
    out = []
    for p in records:
        d = _customer_fields(customers.get(p.customer_id))
        d.update(date=p.due_on, staff=users.get(p.assignee_id),
                 channel=label(C.CHANNELS, p.channel), purpose=label(C.VISIT_FOCUS, p.focus),
                 appointment_at=p.appointment_at, contact_person=p.appointment_contact)
        out.append(d)
    return out


def visit_issues(ids):
    records = _in_order(_rows(M.VisitIssue, ids), ids)
    customers, users = _customers(records), _users(records, "assignee")
    visit_ids = {r.visit_id for r in records} - {None}
    visits_by_id = {v.id: v for v in _rows(M.Visit, visit_ids, M.Visit.id, M.Visit.visited_at,
                                           M.Visit.purpose)}
    log = _children(M.VisitIssueFollowUp.issue, ids,
                    (M.VisitIssueFollowUp.at, M.VisitIssueFollowUp.id))
    by = _users([f for rows in log.values() for f in rows], "by")
    out = []
    for i in records:
        visit = visits_by_id.get(i.visit_id)
        customer = customers.get(i.customer_id)
        d = {k: getattr(i, k) for k in (
            "raised_at", "description", "is_complex", "dispatch_due", "dispatched_at",
            "response_due", "responded_at", "resolve_due", "resolved_at", "confirmed_at",
            "solution", "next_follow_up_on", "escalated_at", "escalation_reason",
            "level_reason", "customer_evaluation")}
        d.update(number=f"#{i.id}", date=_day(i.raised_at),
                 customer=customer.name if customer else None,
                 visit=(f"{visit.visited_at:%Y-%m-%d} {visit.purpose or ''}".strip()
                        if visit else None),
                 category=label(C.ISSUE_CATEGORY, i.category), level=label(C.ISSUE_LEVEL, i.level),
                 department=label(C.DEPARTMENTS, i.department),
                 assignee=users.get(i.assignee_id), status=label(C.ISSUE_STATUS, i.status),
                 escalation_level=i.escalation_level or None,
                 follow_ups=[{"at": f.at, "by": by.get(f.by_id),
                              "step": label(C.ISSUE_STEPS, f.step), "action": f.action,
                              "result": f.result, "next_step": f.next_step}
                             for f in log.get(i.id, ())])
        out.append(d)
    return out


def plan_items(plan_id):
    """The planned visits of a plan the user may see, as rows: three queries
    for any size."""
    PV = M.PlannedVisit
    query = (PV.select(PV.due_on, M.Customer.code, M.Customer.name, M.Customer.phone, PV.channel,
                       PV.focus, PV.assignee, PV.status, PV.appointment_at,
                       PV.appointment_contact)
             .join(M.Customer).where(PV.plan == plan_id))
    rows = list(_scoped(query, PV).order_by(PV.due_on, M.Customer.code, PV.id).tuples())
    users = {u.id: (u.name or u.username) for u in _rows(
        M.User, {r[6] for r in rows} - {None}, M.User.id, M.User.name, M.User.username)}
    return [{"due_on": due, "customer_code": code, "customer": name, "phone": phone,
             "channel": label(C.CHANNELS, channel), "focus": label(C.VISIT_FOCUS, focus),
             "assignee": users.get(assignee), "status": label(C.PLANNED_VISIT_STATUS, status),
             "appointment": " ".join(x for x in (
                 f"{appointment:%m-%d %H:%M}" if appointment else None, contact) if x) or None}
            for due, code, name, phone, channel, focus, assignee, status, appointment, contact
            in rows]


def visit_plans(ids):
    records = _in_order(_rows(M.VisitPlan, ids), ids)
    users = _users(records, "created_by", "approved_by")
    return [{
        "name": p.name, "kind": label(C.PLAN_KIND, p.kind),
        "status": label(C.PLAN_STATUS, p.status),
        "period_start": p.period_start, "period_end": p.period_end,
        "created_by": users.get(p.created_by_id), "approved_by": users.get(p.approved_by_id),
        "approved_at": p.approved_at, "date": _day(p.approved_at) or p.period_start,
        "items": plan_items(p.id),
    } for p in records]


def surveys(ids):
    records = _in_order(_rows(M.SatisfactionSurvey, ids), ids)
    customers = _customers(records)
    out = []
    for s in records:
        customer = customers.get(s.customer_id)
        out.append({
            "customer": customer.name if customer else None,
            "customer_code": customer.code if customer else None,
            "date": _day(s.sent_at), "period": s.period,
            "respondent_department": s.respondent_department,
            "method": label(C.SURVEY_METHOD, s.method), "sent_at": s.sent_at,
            "returned_at": s.returned_at, "overall": s.overall,
            "expectations": s.expectations, "complaints": s.complaints,
            "scores": {key: getattr(s, f"score_{key}") for key in (
                "design", "quality", "delivery", "service", "price", "competitors")},
        })
    return out


# ----------------------------------------------------------------- customers, repairs

def repair_orders(ids):
    records = _in_order(_rows(M.RepairOrder, ids), ids)
    customers, users = _customers(records), _users(records, "technician")
    equipment = {e.id: e for e in _rows(M.Equipment, {r.equipment_id for r in records} - {None})}
    out = []
    for r in records:
        d = _customer_fields(customers.get(r.customer_id))
        e = equipment.get(r.equipment_id)
        d.update({k: getattr(r, k) for k in (
            "number", "received_at", "under_warranty", "fault", "diagnosis", "parts", "labour",
            "cost", "completed_at", "customer_signoff", "feedback_score")})
        d.update(date=_day(r.received_at), technician=users.get(r.technician_id),
                 status=label(C.REPAIR_STATUS, r.status),
                 equipment_model=e.model_name if e else None, serial_no=e.serial_no if e else None,
                 purchased_on=e.purchased_on if e else None,
                 warranty_until=e.warranty_until if e else None)
        out.append(d)
    return out


def customers(ids):
    records = _in_order(_rows(M.Customer, ids), ids)
    users = _users(records, "owner")
    contacts = _children(M.Contact.customer, ids, (M.Contact.is_primary.desc(), M.Contact.id))
    equipment = _children(M.Equipment.customer, ids, (M.Equipment.id,))
    out = []
    for c in records:
        d = {k: getattr(c, k) for k in (
            "code", "name", "region", "address", "phone", "email", "first_deal_on",
            "last_deal_on", "annual_purchase", "is_key", "at_risk", "credit_rating",
            "credit_limit", "payment_terms", "do_not_disturb", "notes")}
        d.update(number=c.code, owner=users.get(c.owner_id),
                 nature=label(C.CUSTOMER_NATURE, c.nature),
                 industry=label(C.INDUSTRIES, c.industry),
                 customer_class=label(C.CUSTOMER_CLASS, c.customer_class),
                 tier=label(C.TIERS, c.tier), lifecycle=label(C.LIFECYCLE, c.lifecycle),
                 preferred_channel=label(C.CHANNELS, c.preferred_channel),
                 contacts=[{"name": k.name, "position": k.position,
                            "department": label(C.CONTACT_DEPARTMENTS, k.department),
                            "phone": k.phone, "email": k.email,
                            "is_decision_maker": k.is_decision_maker, "is_primary": k.is_primary}
                           for k in contacts.get(c.id, ())],
                 equipment=[{"model_name": e.model_name, "serial_no": e.serial_no,
                             "purchased_on": e.purchased_on, "warranty_until": e.warranty_until}
                            for e in equipment.get(c.id, ())])
        out.append(d)
    return out


# (form, model) -> loader of that form's data from records of that model.
LOADERS = {
    ("complaint_registration", M.Complaint): lambda ids: complaints(ids, follow_ups=False),
    ("complaint_report", M.Complaint): complaints,
    ("visit_record", M.Visit): visits,
    ("visit_record", M.PlannedVisit): planned_visits,
    ("visit_problem", M.VisitIssue): visit_issues,
    ("visit_plan", M.VisitPlan): visit_plans,
    ("satisfaction_survey", M.SatisfactionSurvey): surveys,
    ("repair_report", M.RepairOrder): repair_orders,
    ("corrective_action", M.CorrectiveAction): corrective_actions,
    ("customer_card", M.Customer): customers,
}


def load(form, model, ids, *, user):
    """The data of ``form`` for the ``model`` records ``ids`` that ``user``
    may see (None: the whole shop, for the command line), in that order."""
    wanted = [int(i) for i in ids]
    visible = set()
    for part in chunks(sorted(set(wanted))):
        query = model.select(model.id).where(model.id.in_(part))
        if user is not None:
            query = access.scope_query(query, model, user)
        visible.update(i for (i,) in query.tuples())
    token = _USER.set(user)
    try:
        return LOADERS[(form, model)]([i for i in wanted if i in visible])
    finally:
        _USER.reset(token)
