"""Demo follow-up: this quarter's visit plan, visit records, visit problems."""
from datetime import date, datetime, time, timedelta

import models as M

from . import demo_text as T
from .demo_context import bulk_insert, months_ago
from .demo_customers import bought

FOCUS = {"new": "usage", "stable": "upgrade", "dormant": "reactivation"}
SATISFACTION = ((5, 50), (4, 36), (3, 9), (2, 4), (1, 1))


def quarter_of(day):
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = months_ago(start, -3) - timedelta(days=1)
    return q + 1, start, end


# --- the visit plan -----------------------------------------------------------

def _plan_items(ctx, c, start):
    """(due_on, channel) of each planned visit of an A/B customer this quarter."""
    if c["cls"] == "A":
        months = [months_ago(start, -k) for k in range(3)]
        return [(ctx.working_on_or_after(m.replace(day=15)), "onsite") for m in months]
    middle = months_ago(start, -1).replace(day=ctx.rng.randint(5, 25))
    return [(ctx.working_on_or_after(middle), "phone")]


def _item_status(ctx, due_on):
    if due_on >= ctx.today:
        return "planned"
    return ctx.weighted((("done", 85), ("missed", 12), ("cancelled", 3)))


def seed_plan(ctx):
    q, start, end = quarter_of(ctx.today)
    approved = datetime.combine(ctx.working_on_or_before(start - timedelta(days=3)), time(16, 30))
    # insert(), not create(): Model.save() would stamp updated_at with the wall clock.
    plan_id = M.VisitPlan.insert(
        name=f"{start.year}年第{'一二三四'[q - 1]}季度回访计划", kind="quarterly",
        period_start=start, period_end=end, status="approved",
        created_by=ctx.users["zhangmin"], approved_by=ctx.users["manager"],
        approved_at=approved, created_at=approved - timedelta(days=2),
        updated_at=approved).execute()
    rows, items = [], []
    for c in ctx.customers:
        if c["cls"] not in ("A", "B"):
            continue
        for due_on, channel in _plan_items(ctx, c, start):
            # The slot is the month its window starts (domain.planning).
            slot = due_on.month if c["cls"] == "A" else start.month
            item = {"customer": c, "due_on": due_on, "channel": channel,
                    "status": _item_status(ctx, due_on)}
            items.append(item)
            rows.append(ctx.stamped({
                "plan": plan_id, "customer": c["id"], "due_on": due_on, "channel": channel,
                "focus": FOCUS[c["lifecycle"]], "assignee": c["owner"],
                "status": item["status"], "visit": None, "slot": slot,
                # Onsite visits are booked ahead with the customer's contact (000 §11).
                "appointment_at": datetime.combine(due_on, time(10))
                if channel == "onsite" and item["status"] == "planned" else None,
                "appointment_contact": c["contacts"][0]["name"]
                if channel == "onsite" and item["status"] == "planned" else None}, approved))
    bulk_insert(M.PlannedVisit, rows)
    ids = {(cid, due): pk for pk, cid, due in M.PlannedVisit.select(
        M.PlannedVisit.id, M.PlannedVisit.customer, M.PlannedVisit.due_on)
        .where(M.PlannedVisit.plan == plan_id).tuples()}
    for item in items:
        item["id"] = ids[(item["customer"]["id"], item["due_on"])]
    return start, items


# --- visit records --------------------------------------------------------------

def _routine_days(ctx, c, quarter_start):
    """Past-year visit days outside this quarter's plan, by class frequency."""
    if c["cls"] == "A":
        days = [months_ago(quarter_start, k) + timedelta(days=ctx.rng.randint(0, 27))
                for k in range(1, 12) if ctx.chance(0.85)]
    elif c["cls"] == "B":
        days = [months_ago(quarter_start, k) + timedelta(days=ctx.rng.randint(5, 80))
                for k in (3, 6, 9) if ctx.chance(0.9)]
    elif c["nature"] == "individual":
        days = [ctx.today - timedelta(days=ctx.rng.randint(1, 360))] if ctx.chance(0.4) else []
    else:
        days = [ctx.today - timedelta(days=ctx.rng.randint(1 + 182 * h, 182 * (h + 1)))
                for h in (0, 1) if ctx.chance(0.5 if c["lifecycle"] == "dormant" else 0.7)]
    earliest = max(ctx.today - timedelta(days=365), (c["first_deal"] or ctx.today) + timedelta(7))
    days = {ctx.working_on_or_before(d) for d in days}
    return sorted(d for d in days if earliest <= d < ctx.today)


def _channel(ctx, c):
    if c["cls"] == "A":
        return "onsite" if ctx.chance(0.8) else "video"
    return ctx.weighted((("phone", 60), ("video", 10), ("messaging", 15),
                         ("email", 5), ("onsite", 10)))


def _feedback(ctx):
    def maybe(pool, p):
        return ctx.pick(pool) if ctx.chance(p) else None
    return {
        "feedback_stability": maybe(T.FEEDBACK_STABILITY, 0.8),
        "feedback_accuracy": maybe(T.FEEDBACK_ACCURACY, 0.7),
        "feedback_delivery": maybe(T.FEEDBACK_DELIVERY, 0.6),
        "feedback_after_sales": maybe(T.FEEDBACK_AFTER_SALES, 0.6),
        "suggestion_price": maybe(T.SUGGESTION_PRICE, 0.3),
        "suggestion_support": maybe(T.SUGGESTION_SUPPORT, 0.3),
    }


def _visit(ctx, c, day, item=None):
    goods = bought(c, until=day) or ["设备"]
    focus = FOCUS[c["lifecycle"]]
    demand = ctx.pick(T.NEW_DEMANDS) if ctx.chance(0.15) else None
    visit = {"customer": c, "day": day, "demand": demand, "issue": False}
    satisfaction = ctx.weighted(SATISFACTION)
    visit["row"] = dict(_feedback(ctx), **{
        "customer": c["id"], "planned_visit": item["id"] if item else None,
        "visited_at": ctx.at(day), "channel": item["channel"] if item else _channel(ctx, c),
        "staff": c["owner"] if ctx.chance(0.9) else ctx.users["manager"],
        "contact_person": ctx.pick(c["contacts"])["name"],
        "purpose": ctx.pick(T.PURPOSES[focus]).format(p=goods[-1]),
        "satisfaction": satisfaction, "new_demands": demand[1] if demand else None,
        "follow_up_needed": satisfaction <= 3 or demand is not None})
    return visit


def _planned_visit_day(ctx, item, quarter_start):
    day = ctx.working_on_or_before(item["due_on"] - timedelta(days=ctx.rng.randint(0, 3)))
    return max(day, ctx.working_on_or_after(quarter_start))


def seed_visits(ctx, quarter_start, items):
    visits = []
    for c in ctx.customers:
        c["visits"] = [_visit(ctx, c, d) for d in _routine_days(ctx, c, quarter_start)]
    for item in items:
        if item["status"] == "done":
            c = item["customer"]
            c["visits"].append(_visit(ctx, c, _planned_visit_day(ctx, item, quarter_start), item))
    for c in ctx.customers:
        c["visits"].sort(key=lambda v: v["day"])
        visits += c["visits"]
    for v in ctx.rng.sample(visits, min(len(visits), max(2, round(len(visits) * 0.10)))):
        v["issue"] = True
        v["row"]["follow_up_needed"] = True
    rows = [ctx.stamped(dict(v["row"]), v["row"]["visited_at"] + timedelta(hours=2))
            for v in visits]
    bulk_insert(M.Visit, rows)
    ids = {(cid, at): pk for pk, cid, at in M.Visit.select(
        M.Visit.id, M.Visit.customer, M.Visit.visited_at).tuples()}
    for v in visits:
        v["id"] = ids[(v["customer"]["id"], v["row"]["visited_at"])]
    _link_planned_visits(visits)
    return visits


def _link_planned_visits(visits):
    for v in visits:
        if v["row"]["planned_visit"]:
            (M.PlannedVisit.update(visit=v["id"])
             .where(M.PlannedVisit.id == v["row"]["planned_visit"]).execute())


# --- visit problems ---------------------------------------------------------------

def _issue_deadlines(ctx, level, raised, complex_):
    resolve = None if complex_ else ctx.add_working_days(raised, 7)
    if level == "urgent":
        return raised + timedelta(hours=1), raised + timedelta(hours=24), resolve
    if level == "important":
        return raised + timedelta(hours=24), ctx.add_working_days(raised, 5), resolve
    return None, None, ctx.add_working_days(raised, 3)


def _issue_timeline(ctx, level, raised):
    """dispatched, responded, resolved, confirmed: each only if already past."""
    hours = {"urgent": ((0.2, 0.9), (1, 6), (2, 20)),
             "important": ((1, 20), (8, 60), (24, 96)),
             "general": ((1, 6), (2, 24), (4, 40))}[level]
    return ctx.progress(raised, hours + ((24, 72),))


ISSUE_STATUS = ("dispatched", "in_progress", "resolved", "closed")
def _next_follow_up(ctx, status, moments):
    if status in ("open", "closed"):
        return None
    last = max(m for m in moments if m)
    return max(ctx.add_working_days(last, 3).date(), ctx.working_on_or_after(ctx.today))


def _issue_row(ctx, v):
    c = v["customer"]
    category = ctx.weighted((("product", 30), ("service", 15), ("delivery", 15),
                             ("technical_support", 25), ("price", 10), ("other", 5)))
    level = ctx.weighted((("urgent", 10), ("important", 30), ("general", 60)))
    department = ctx.pick(T.ISSUE_DEPARTMENTS[category])
    raised = ctx.later(v["row"]["visited_at"], 1, 3)
    complex_ = level != "general" and ctx.chance(0.05)
    dues = _issue_deadlines(ctx, level, raised, complex_)
    moments = _issue_timeline(ctx, level, raised)
    done_count = sum(1 for m in moments if m)
    status = ("open",) + ISSUE_STATUS
    assignee = {"technical": "wanglei", "quality": "zhaoli"}.get(department)
    row = {
        "visit": v["id"], "customer": c["id"], "description": ctx.pick(T.ISSUES[category]),
        "category": category, "level": level, "department": department,
        "assignee": ctx.users[assignee] if assignee else (
            c["owner"] if department == "service" else None),
        "raised_at": raised, "dispatch_due": dues[0], "response_due": dues[1],
        "resolve_due": dues[2], "is_complex": complex_, "dispatched_at": moments[0],
        "responded_at": moments[1], "resolved_at": moments[2], "confirmed_at": moments[3],
        "solution": ctx.pick(T.ISSUE_SOLUTIONS) if moments[1] else None,
        "status": status[done_count],
        "next_follow_up_on": _next_follow_up(ctx, status[done_count], [raised] + moments),
        # The customer's evaluation at confirmation follows how the visit went
        # (no random draw: the rest of the demo stays as it was).
        "customer_evaluation": min(5, v["row"]["satisfaction"] + 1) if moments[3] else None,
        "_moments": moments,
    }
    return ctx.stamped(row, raised, max([raised] + [m for m in moments if m]))


# The follow-up log's line for each milestone a problem reached (domain/issues.py steps).
ISSUE_LOG = (
    ("dispatch", "派单至责任部门", None, "部门制定处理方案"),
    ("start", "责任部门开始处理,已联系客户", "客户同意处理方案", "落实方案"),
    ("resolve", "处理完毕,已告知客户", "等待客户确认", "3个工作日后跟进"),
    ("confirm", "电话回访确认处理结果", "客户确认问题已解决", "结案"),
)


def seed_issue_follow_ups(ctx, rows):
    """One log line per milestone reached, written by the problem's assignee."""
    ids = {(r[0], r[1]): r[2] for r in M.VisitIssue.select(
        M.VisitIssue.visit, M.VisitIssue.raised_at, M.VisitIssue.id).tuples()}
    lines = []
    for row in rows:
        issue_id = ids[(row["visit"], row["raised_at"])]
        for (step, action, result, next_step), at in zip(ISSUE_LOG, row["_moments"]):
            if at:
                lines.append(ctx.stamped({"issue": issue_id, "at": at, "by": row["assignee"],
                                          "step": step, "action": action, "result": result,
                                          "next_step": next_step}, at))
    bulk_insert(M.VisitIssueFollowUp, lines)


def seed_issues(ctx, visits):
    rows = [_issue_row(ctx, v) for v in visits if v["issue"]]
    bulk_insert(M.VisitIssue, rows)
    seed_issue_follow_ups(ctx, rows)
    return rows


# --- ad hoc visit requests ------------------------------------------------------------

ADHOC_REASONS = ("客户扩产,新增两条产线,需上门了解设备需求", "客户设备升级改造,需确认技术方案",
                 "上月投诉尚未完全解决,需上门沟通", "客户更换采购负责人,需拜访建立联系")


def seed_adhoc_requests(ctx):
    """A few requests of this week: approved (planned in the month's ad hoc
    plan, due within 48 hours of the approval), refused, and one awaiting a
    manager. Picked by position, no random draw."""
    chosen = [c for c in ctx.customers if c["cls"] in ("A", "B")][:4]
    if not chosen:
        return
    requested = ctx.now - timedelta(days=2)
    decided = requested + timedelta(hours=3)
    due = ctx.working_on_or_after((decided + timedelta(days=1)).date())
    start = due.replace(day=1)
    plan_id = M.VisitPlan.insert(
        name=f"{start.year}年{start.month}月临时回访", kind="adhoc", period_start=start,
        period_end=months_ago(start, -1) - timedelta(days=1), status="approved",
        created_by=ctx.users["manager"], approved_by=ctx.users["manager"],
        approved_at=decided, created_at=decided, updated_at=decided).execute()
    outcomes = ("approved", "approved", "refused", "requested")
    rows = []
    for c, reason, status in zip(chosen, ADHOC_REASONS, outcomes):
        visit_id = None
        if status == "approved":
            visit_id = M.PlannedVisit.insert(
                plan=plan_id, customer=c["id"], due_on=due, channel="onsite", focus="event",
                assignee=c["owner"], status="planned", reason=reason, created_at=decided,
                updated_at=decided).execute()
        rows.append(ctx.stamped({
            "customer": c["id"], "reason": reason, "wished_on": due,
            "requested_by": c["owner"], "requested_at": requested, "status": status,
            "decided_by": ctx.users["manager"] if status != "requested" else None,
            "decided_at": decided if status != "requested" else None,
            "decision_note": "本月已安排常规上门回访,届时一并处理" if status == "refused" else None,
            "planned_visit": visit_id, "due_on": due if visit_id else None},
            requested, decided if status != "requested" else requested))
    bulk_insert(M.AdhocRequest, rows)
