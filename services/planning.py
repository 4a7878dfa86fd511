"""Plan generation, the quarterly adjustment, monthly campaigns, ad hoc
visits and plan approval, each one transaction."""
import json
from collections import namedtuple
from datetime import date

from domain import planning
from domain.clock import now as clock_now
from domain.i18n import N_, TranslatableError
from models import Customer, PlanAdjustment, PlannedVisit, VisitPlan, db

from .bulk import chunks, insert_rows, tuples_in
from .calendar import load_calendar
from .rules import current_rules

# moved: planned visits whose due date moved into their (new) window;
# left_out: {other plan's name: visits not added because that plan holds
# them}; adjusted: a quarterly adjustment of the annual plan; skipped:
# do-not-disturb customers a monthly campaign left out.
Result = namedtuple("Result", "plan added restored cancelled kept missing_years moved left_out "
                              "adjusted skipped", defaults=(0, {}, False, 0))

# Plans that hold visits by slot, and the statuses in which a plan is active.
SLOTTED_KINDS = ("annual", "quarterly")
ACTIVE = ("draft", "submitted", "approved")


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


def annual_plan(year):
    """The year's active annual plan, or None."""
    kind, start, end, _name = planning.period(year)
    return (VisitPlan.select().where((VisitPlan.kind == kind) & (VisitPlan.period_start == start)
                                     & (VisitPlan.period_end == end)
                                     & VisitPlan.status.in_(ACTIVE))
            .order_by(VisitPlan.id.desc()).first())


def _covered(year, plan_id):
    """{(customer, slot): plan name} of the visits other active plans of the
    year hold (not cancelled): a customer's window is one plan's."""
    others = {p.id: p.name for p in VisitPlan.select(VisitPlan.id, VisitPlan.name).where(
        (VisitPlan.id != plan_id) & VisitPlan.kind.in_(SLOTTED_KINDS)
        & VisitPlan.status.in_(ACTIVE) & (VisitPlan.period_start >= date(year, 1, 1))
        & (VisitPlan.period_start <= date(year, 12, 31)))}
    if not others:
        return {}
    PV = PlannedVisit
    rows = (PV.select(PV.customer, PV.slot, PV.plan)
            .where(PV.plan.in_(list(others)) & PV.slot.is_null(False)
                   & (PV.status != "cancelled")).tuples())
    return {(customer, slot): others[plan] for customer, slot, plan in rows}


def _existing(plan_id, slots=None):
    PV = PlannedVisit
    query = PV.select(PV.id, PV.customer, PV.slot, PV.status, PV.due_on).where(PV.plan == plan_id)
    if slots is not None:
        query = query.where(PV.slot.in_(list(slots)))
    return [planning.Existing(*r) for r in query.tuples()]


def _apply(plan_id, desired, existing, customer_ids, prune, now):
    if customer_ids is not None and not prune:
        # Adding chosen customers: the others' rows are not this run's business.
        chosen = set(customer_ids)
        existing = [e for e in existing if e.customer_id in chosen]
    change = planning.changes(desired, existing, prune=prune)
    _insert_items(plan_id, change.add, now)
    _set_status(change.restore, "planned", now)
    _set_status(change.cancel, "cancelled", now)
    _move(change.move, now)
    return change


def generate_plan(*, year, quarter=None, month=None, focus=None, customer_ids=None, prune=None,
                  user_id=None, now=None, rules=None, calendar=None):
    """Create or regenerate the plan of a year for ``customer_ids`` (None =
    every customer); with ``quarter``, adjust the year's annual plan for that
    quarter (a quarterly plan only when the year has no annual plan); with
    ``month`` and ``focus``, the month's campaign (generate_monthly). Never
    duplicates, never drops done work, never adds a visit another active plan
    of the year holds; prunes still-planned items of customers not given only
    when generating for all (``prune`` defaults to ``customer_ids is None``)."""
    now = now or clock_now()
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)
    if month is not None:
        return generate_monthly(year=year, month=month, focus=focus, customer_ids=customer_ids,
                                user_id=user_id, now=now, rules=rules, calendar=calendar)
    prune = customer_ids is None if prune is None else prune
    if quarter is not None:
        planning.period(year, quarter)  # refuses a quarter that does not exist
        annual = annual_plan(year)
        if annual is not None:
            return adjust_quarter(annual, quarter, customer_ids=customer_ids, prune=prune,
                                  user_id=user_id, now=now, rules=rules, calendar=calendar)
    kind, start, end, name = planning.period(year, quarter)
    with db.atomic():
        plan = plan_for_period(kind, start, end, name, user_id=user_id, now=now)
        desired = planning.desired_items(_customers(customer_ids), start, end, rules, calendar)
        desired, left_out = planning.uncovered(desired, _covered(year, plan.id))
        change = _apply(plan.id, desired, _existing(plan.id), customer_ids, prune, now)
    return Result(plan, len(change.add), len(change.restore), len(change.cancel),
                  change.kept, calendar.missing_years(start, end), len(change.move), left_out)


def adjust_quarter(plan, quarter, *, customer_ids=None, prune=None, user_id=None, now=None,
                   rules=None, calendar=None):
    """The quarterly adjustment (000 §9): the annual ``plan``'s visits of the
    quarter's windows follow today's classes — added for new or reclassified
    customers, cancelled for leavers, due dates moved into a shorter window —
    and what changed is recorded (PlanAdjustment)."""
    now = now or clock_now()
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)
    prune = customer_ids is None if prune is None else prune
    if plan.status == "closed":
        raise PlanError(N_("The plan %(name)s is closed; it cannot change."), name=plan.name)
    year = plan.period_start.year
    _kind, start, end, _name = planning.period(year, quarter)
    with db.atomic():
        desired = planning.desired_items(_customers(customer_ids), start, end, rules, calendar)
        desired, left_out = planning.uncovered(desired, _covered(year, plan.id))
        change = _apply(plan.id, desired, _existing(plan.id, planning.quarter_slots(quarter)),
                        customer_ids, prune, now)
        details = {"added": sorted({i.customer_id for i in change.add}),
                   "restored": sorted(change.restore), "cancelled": sorted(change.cancel),
                   "moved": sorted(pv_id for pv_id, _due in change.move)}
        PlanAdjustment.create(plan=plan.id, quarter=quarter, at=now, by=user_id,
                              added=len(change.add), restored=len(change.restore),
                              cancelled=len(change.cancel), moved=len(change.move),
                              details=json.dumps(details))
    return Result(plan, len(change.add), len(change.restore), len(change.cancel), change.kept,
                  calendar.missing_years(start, end), len(change.move), left_out, True)


def generate_monthly(*, year, month, focus, customer_ids=None, user_id=None, now=None,
                     rules=None, calendar=None):
    """The monthly plan's extra task ``focus`` (a campaign: 新品推广, 政策宣贯,
    满意度调查) for ``customer_ids`` (None: every customer): one visit per
    customer and focus, never for do-not-disturb customers."""
    if focus not in planning.CAMPAIGN_FOCUS:
        raise PlanError(N_("A monthly plan is for a campaign: new product promotion, policy "
                           "briefing or satisfaction survey."))
    now = now or clock_now()
    rules = rules or current_rules()
    calendar = calendar or load_calendar(rules)
    kind, start, end, name = planning.period(year, month=month)
    with db.atomic():
        plan = plan_for_period(kind, start, end, name, user_id=user_id, now=now)
        quiet = {cid for (cid,) in tuples_in(Customer.select(Customer.id).where(
            Customer.do_not_disturb), Customer.id, customer_ids)}
        have = {cid for (cid,) in PlannedVisit.select(PlannedVisit.customer).where(
            (PlannedVisit.plan == plan.id) & (PlannedVisit.focus == focus)).tuples()}
        wanted = [c for c in _customers(customer_ids) if c.id not in quiet]
        new = [c for c in wanted if c.id not in have]
        items = planning.campaign_items(new, start, end, focus, rules, calendar) if new else []
        _insert_items(plan.id, items, now)
    return Result(plan, len(items), 0, 0, len(wanted) - len(new),
                  calendar.missing_years(start, end), skipped=len(quiet))


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


def _move(moves, now):
    """[(id, due_on)]: one UPDATE per new date (and chunk)."""
    by_day = {}
    for pv_id, due in moves:
        by_day.setdefault(due, []).append(pv_id)
    for due, ids in by_day.items():
        for chunk in chunks(ids):
            (PlannedVisit.update(due_on=due, updated_at=now, version=PlannedVisit.version + 1)
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


def reminder_facts(today):
    """What the plan reminders need (domain.plan_reminders): the status of
    next year's annual plan (None: none yet) and the quarters of this year
    whose adjustment of the annual plan is recorded."""
    nxt = annual_plan(today.year + 1)
    if nxt is None:
        closed = (VisitPlan.select(VisitPlan.status)
                  .where((VisitPlan.kind == "annual")
                         & (VisitPlan.period_start == date(today.year + 1, 1, 1))).first())
        status = closed.status if closed is not None else None
    else:
        status = nxt.status
    plan = annual_plan(today.year)
    quarters = set()
    if plan is not None:
        quarters = {q for (q,) in PlanAdjustment.select(PlanAdjustment.quarter)
                    .where(PlanAdjustment.plan == plan.id).tuples()}
    return status, quarters
