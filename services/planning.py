"""Plan generation, ad hoc visits and plan approval, each one transaction."""
from collections import namedtuple

from domain import planning
from domain.clock import now as clock_now
from domain.i18n import N_, TranslatableError
from models import Customer, PlannedVisit, VisitPlan, db

from .bulk import chunks, insert_rows, tuples_in
from .calendar import load_calendar
from .rules import current_rules

Result = namedtuple("Result", "plan added restored cancelled kept missing_years")


class PlanError(TranslatableError):
    """A plan that cannot be generated or changed as asked."""


def _customers(customer_ids):
    query = Customer.select(Customer.id, Customer.customer_class, Customer.lifecycle,
                            Customer.owner)
    return [planning.PlanCustomer(*r) for r in tuples_in(query, Customer.id, customer_ids)]


def plan_for_period(kind, start, end, name, *, user_id, now):
    """The open plan of that period, created as a draft when there is none."""
    plan = (VisitPlan.select().where((VisitPlan.kind == kind) & (VisitPlan.period_start == start)
                                     & (VisitPlan.period_end == end))
            .order_by(VisitPlan.id.desc()).first())
    if plan is not None and plan.status == "closed":
        raise PlanError(N_("The plan %(name)s is closed; it cannot change."), name=plan.name)
    if plan is None:
        plan = VisitPlan.create(name=name, kind=kind, period_start=start, period_end=end,
                                status="draft", created_by=user_id, created_at=now)
    return plan


def generate_plan(*, year, quarter=None, customer_ids=None, prune=None, user_id=None,
                  now=None, rules=None, calendar=None):
    """Create or regenerate the plan of a year (or quarter) for ``customer_ids``
    (None = every customer). Never duplicates, never drops done work; prunes
    still-planned items of customers not given only when generating for all
    (``prune`` defaults to ``customer_ids is None``)."""
    now = now or clock_now()
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)
    kind, start, end, name = planning.period(year, quarter)
    prune = customer_ids is None if prune is None else prune
    with db.atomic():
        plan = plan_for_period(kind, start, end, name, user_id=user_id, now=now)
        desired = planning.desired_items(_customers(customer_ids), start, end, rules, calendar)
        existing = [planning.Existing(*r) for r in PlannedVisit.select(
            PlannedVisit.id, PlannedVisit.customer, PlannedVisit.slot, PlannedVisit.status)
            .where(PlannedVisit.plan == plan.id).tuples()]
        if customer_ids is not None and not prune:
            # Adding chosen customers: the others' rows are not this run's business.
            chosen = set(customer_ids)
            existing = [e for e in existing if e.customer_id in chosen]
        change = planning.changes(desired, existing, prune=prune)
        _insert_items(plan.id, change.add, now)
        _set_status(change.restore, "planned", now)
        _set_status(change.cancel, "cancelled", now)
    return Result(plan, len(change.add), len(change.restore), len(change.cancel),
                  change.kept, calendar.missing_years(start, end))


def _insert_items(plan_id, items, now):
    fields = [PlannedVisit.plan, PlannedVisit.customer, PlannedVisit.slot, PlannedVisit.due_on,
              PlannedVisit.channel, PlannedVisit.focus, PlannedVisit.assignee,
              PlannedVisit.status, PlannedVisit.created_at, PlannedVisit.updated_at]
    rows = [(plan_id, i.customer_id, i.slot, i.due_on, i.channel, i.focus, i.assignee_id,
             "planned", now, now) for i in items]
    insert_rows(fields, rows)


def _set_status(ids, status, now):
    for chunk in chunks(ids):
        (PlannedVisit.update(status=status, updated_at=now, version=PlannedVisit.version + 1)
         .where(PlannedVisit.id.in_(chunk)).execute())


def schedule_adhoc(customer_ids, *, reason, user_id=None, now=None, rules=None, calendar=None):
    """One ad hoc planned visit per customer, due within the rule's hours, in
    the month's standing ad hoc plan (approved: an event does not wait).
    The screens ask for a request and its approval first (services.adhoc);
    this is what the approval does, for one or many customers."""
    if not (reason or "").strip():
        raise PlanError(N_("An ad hoc visit needs a reason."))
    now = now or clock_now()
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)
    due = planning.adhoc_due(now, calendar, rules["adhoc_visit_start_hours"])
    with db.atomic():
        plan = adhoc_plan(due, user_id=user_id, now=now)
        rows = [_adhoc_row(plan.id, c, due, reason, now, rules)
                for c in _customers(customer_ids)]
        insert_rows(ADHOC_FIELDS, rows)
    return plan, due, len(rows)


ADHOC_FIELDS = [PlannedVisit.plan, PlannedVisit.customer, PlannedVisit.due_on,
                PlannedVisit.channel, PlannedVisit.focus, PlannedVisit.assignee,
                PlannedVisit.status, PlannedVisit.reason, PlannedVisit.created_at,
                PlannedVisit.updated_at]


def _adhoc_row(plan_id, c, due, reason, now, rules):
    return (plan_id, c.id, due, rules.channel(c.customer_class), "event", c.owner_id,
            "planned", reason.strip(), now, now)


def adhoc_plan(due, *, user_id, now):
    """The standing (approved) ad hoc plan of ``due``'s month, made when missing."""
    start = due.replace(day=1)
    plan = (VisitPlan.select().where((VisitPlan.kind == "adhoc")
                                     & (VisitPlan.period_start == start)).first())
    if plan is None:
        plan = VisitPlan.create(name=f"{start.year}年{start.month}月临时回访", kind="adhoc",
                                period_start=start, period_end=_month_end(start),
                                status="approved", created_by=user_id, approved_by=user_id,
                                approved_at=now)
    return plan


def add_adhoc_visit(customer_id, due, reason, *, user_id, now, rules):
    """One ad hoc planned visit due on ``due`` (inside the caller's transaction)."""
    plan = adhoc_plan(due, user_id=user_id, now=now)
    c = _customers([customer_id])[0]
    row = dict(zip((f.name for f in ADHOC_FIELDS),
                   _adhoc_row(plan.id, c, due, reason, now, rules)))
    return PlannedVisit.create(**row)


def _month_end(first):
    nxt = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return nxt.fromordinal(nxt.toordinal() - 1)


def transition_plans(plan_ids, name, *, user, now=None):
    """Apply an approval step to plans; returns (done, [(plan, msgid, params)])."""
    now = now or clock_now()
    done, refused = [], []
    with db.atomic():
        for plan in VisitPlan.select().where(VisitPlan.id.in_(list(plan_ids))):
            target, refusal = planning.plan_transition(name, plan.status, user.role)
            if refusal:
                refused.append((plan, *refusal))
                continue
            plan.status = target
            if target == "approved":
                plan.approved_by, plan.approved_at = user.id, now
            plan.save()
            done.append(plan)
    return done, refused
