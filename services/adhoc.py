"""Ad hoc visit requests: asking (one request per customer) and a manager's
approval or refusal, each one transaction with its audit rows. The rules are
in domain/adhoc.py; an approval plans the visit (services.planning)."""
from domain import access
from domain import adhoc as D
from domain.adhoc import AdhocError
from domain.i18n import N_
from models import AdhocRequest, Customer
from services import audit
from services.calendar import load_calendar
from services.planning import add_adhoc_visit
from services.rules import current_rules
from services.steps import apply_each
from services.transactions import writing


def request_visits(customer_ids, *, reason, wished_on=None, user, now, ip=None):
    """One request per customer ``user`` may see among ``customer_ids``;
    returns the requests made. AdhocError when none is visible or the
    request itself cannot be made (role, reason, date)."""
    reason = D.check_request(reason, wished_on, now.date(), user.role, user.department)
    with writing():
        query = Customer.select(Customer.id).where(Customer.id.in_(list(customer_ids) or [0]))
        if user.role != "staff":  # staff ask for any customer; they see none of the archive
            query = access.scope_query(query, Customer, user)
        visible = [c.id for c in query.order_by(Customer.id)]
        if not visible:
            raise AdhocError(N_("None of the selected customers is yours: nothing was "
                                "requested."))
        made = []
        for customer_id in visible:
            r = AdhocRequest.create(customer=customer_id, reason=reason, wished_on=wished_on,
                                    requested_by=user.id, requested_at=now, status="requested")
            audit.record(user=user.id, action="create", register="adhoc_request",
                         record_id=r.id, changes=audit.diff({}, audit.snapshot(r)), ip=ip)
            made.append(r)
    return made


def prepare_request(record, *, user, now):
    """A request typed into the form: who asked and when; AdhocError if it
    cannot be made."""
    record.reason = D.check_request(record.reason, record.wished_on, now.date(), user.role,
                                    user.department)
    record.requested_by, record.requested_at, record.status = user.id, now, "requested"
    return record


def decide(request_ids, name, *, user, now, note=None, rules=None, calendar=None, ip=None):
    """Approve or refuse (``name``) the requests ``user`` may see. Approving
    plans the visit within the rule's hours of now. Returns (done, refused)."""
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)

    def plan(request):
        if request.status != "approved":
            return
        due = D.due_on(now, request.wished_on, calendar, rules["adhoc_visit_start_hours"])
        visit = add_adhoc_visit(request.customer_id, due, request.reason, user_id=user.id,
                                now=now, rules=rules)
        request.planned_visit, request.due_on = visit.id, due
        request.save()

    return apply_each(AdhocRequest, "adhoc_request", request_ids, name, user=user,
                      error=AdhocError, after=plan, ip=ip,
                      decide=lambda r: dict(D.decide(name, r, role=user.role, now=now,
                                                     note=note), decided_by=user.id))
