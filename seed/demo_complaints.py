"""Demo repair orders, complaints with their follow-ups, and corrective actions.

Numbers (WX-/TS-/CA-<year>-0001) run per year in the order the records were
received, as the numbering service would have given them.
"""
from datetime import datetime, time, timedelta
from decimal import Decimal

import models as M

from . import demo_text as T
from .demo_context import bulk_insert

SCORES = ((5, 45), (4, 40), (3, 10), (2, 5))


def number_by_year(rows, letters, time_field):
    """Give each row its yearly number, in ``time_field`` order."""
    rows.sort(key=lambda r: r[time_field])
    seq = {}
    for row in rows:
        year = row[time_field].year
        seq[year] = seq.get(year, 0) + 1
        row["number"] = f"{letters}-{year}-{seq[year]:04d}"
    return rows


# --- repair orders -------------------------------------------------------------

def _repair_row(ctx, c, eq):
    age = (ctx.today - eq["purchased_on"]).days
    received = ctx.at(ctx.days_ago(1, max(1, min(700, age - 20))))
    diagnosing, repairing, done, delivered = ctx.progress(
        received, ((2, 24), (4, 48), (8, 96), (12, 72)))
    cancelled = diagnosing is not None and repairing is None and ctx.chance(0.3)
    status = ("cancelled" if cancelled else
              ("received", "diagnosing", "repairing", "done", "delivered")[
                  sum(1 for m in (diagnosing, repairing, done, delivered) if m)])
    warranty = received.date() <= eq["warranty_until"]
    faults = dict(T.REPAIR_FAULTS, **T.MODEL_FAULTS.get(eq["_key"], {}))
    fault = ctx.pick(sorted(faults))
    diagnosis, parts = ctx.pick(faults[fault])
    labour = 0 if warranty else ctx.rng.randint(2, 15) * 100
    parts_cost = 0 if warranty or not parts else ctx.rng.randint(2, 30) * 100
    row = {
        "customer": c["id"], "equipment": eq["id"], "received_at": received,
        "fault": f"{eq['model_name']}{fault}", "under_warranty": warranty,
        "technician": ctx.users["wanglei"], "diagnosis": diagnosis if diagnosing else None,
        "parts": parts if repairing else None,
        "labour": Decimal(labour) if diagnosing else None,
        "cost": Decimal(labour + parts_cost) if diagnosing else None, "status": status,
        "completed_at": done if not cancelled else None,
        "customer_signoff": c["contacts"][0]["name"] if delivered else None,
        "feedback_score": ctx.weighted(SCORES) if delivered else None,
    }
    return ctx.stamped(row, received, delivered or done or repairing or diagnosing or received)


def seed_repairs(ctx):
    month_ago = ctx.today - timedelta(days=30)
    owners = [(c, [eq for eq in c["equipment"] if eq["purchased_on"] <= month_ago])
              for c in ctx.customers]
    owners = [(c, eqs) for c, eqs in owners if eqs]
    count = min(len(owners), max(2, round(len(ctx.customers) * 0.12)))
    rows = []
    for c, eqs in ctx.rng.sample(owners, count):
        for _ in range(ctx.rng.randint(1, 2)):
            rows.append(_repair_row(ctx, c, ctx.pick(eqs)))
    bulk_insert(M.RepairOrder, number_by_year(rows, "WX", "received_at"))


# --- complaints ------------------------------------------------------------------

def _complaint_dues(ctx, received):
    return (received + timedelta(hours=12), received + timedelta(hours=24),
            received + timedelta(hours=48), ctx.add_working_days(received, 7))


def _complaint_status(moments, score):
    done = sum(1 for m in moments if m)
    if done == 5 and score is not None and score < 4:
        return "reopened"  # not satisfied: back to handling, never closed (002)
    return ("received", "acknowledged", "investigating", "resolving",
            "awaiting_customer", "closed")[done]


def _complaint_outcome(ctx, category, story, moments):
    """Root cause once the handling plan exists, solution once carried out,
    the customer's verdict once closed."""
    cause = story[1:4] if moments[2] else (None, None, None)
    score = ctx.weighted(SCORES) if moments[4] else None
    return {
        "root_cause_category": cause[0], "root_cause": cause[1], "responsibility": cause[2],
        "solution": ctx.pick(T.COMPLAINT_SOLUTIONS[category]) if moments[3] else None,
        "compensation": ctx.pick(T.COMPENSATIONS) if moments[3] and ctx.chance(0.4) else None,
        "customer_satisfied": None if score is None else score >= 4,
        "customer_score": score,
    }


# What the complaint is about (投诉对象), from its category: no random draw,
# so the rest of the demo stays as it was.
TARGET_KIND = {"product_quality": "equipment", "repair_workmanship": "equipment",
               "service_attitude": "staff", "delivery": "department", "price": "department"}


def _target(c, category):
    kind = TARGET_KIND.get(category)
    if kind == "equipment" and not c["equipment"]:
        kind = "department"
    return {"target_kind": kind,
            "target_equipment": c["equipment"][0]["id"] if kind == "equipment" else None,
            "target_staff": c["owner"] if kind == "staff" else None,
            "target_department": T.COMPLAINT_DEPARTMENTS[category]
            if kind == "department" else None}


def _complaint(ctx, c):
    category = ctx.weighted((("product_quality", 35), ("service_attitude", 12),
                             ("repair_workmanship", 18), ("delivery", 15), ("price", 12),
                             ("other", 8)))
    story = ctx.pick(T.COMPLAINTS[category])
    earliest = max(1, min(360, (ctx.today - (c["first_deal"] or ctx.today)).days - 5))
    received = ctx.at(ctx.days_ago(1, earliest))
    moments = ctx.progress(received, ((0.5, 10), (1, 12), (4, 24), (24, 72), (12, 48)))
    dues = _complaint_dues(ctx, received)
    complainant = ctx.pick(c["contacts"])
    row = {
        "customer": c["id"], "complainant": complainant["name"],
        "complainant_phone": complainant["phone"],
        # The handler promises a date: five days on, by the end of that day.
        "promised_due": datetime.combine(received.date() + timedelta(days=5), time(18)),
        "received_at": received, "channel": ctx.weighted(
            (("hotline", 30), ("phone", 30), ("email", 10), ("website", 8),
             ("in_person", 8), ("social_media", 4), ("visit", 10))),
        "category": category, "description": story[0],
        "severity": ctx.weighted((("high", 20), ("medium", 50), ("low", 30))),
        "department": T.COMPLAINT_DEPARTMENTS[category], "handler": c["owner"],
        "contact_due": dues[0], "response_due": dues[1], "plan_due": dues[2],
        "close_due": dues[3], "contacted_at": moments[0], "responded_at": moments[1],
        "planned_at": moments[2],
    }
    row.update(_complaint_outcome(ctx, category, story, moments))
    row.update(_target(c, category))
    row["status"] = _complaint_status(moments, row["customer_score"])
    row["closed_at"] = moments[4] if row["status"] == "closed" else None
    row["recheck_on"] = (moments[4].date() + timedelta(days=30)
                         if row["status"] == "closed" else None)
    row["_verdict"] = (row["customer_satisfied"], row["customer_score"])
    if row["status"] == "reopened":
        # The verdict went into the follow-up; a new handling plan is due.
        row.update(customer_satisfied=None, customer_score=None, reopen_count=1,
                   planned_at=None, plan_due=moments[4] + timedelta(hours=48))
    else:
        row["reopen_count"] = 0
    row["_moments"], row["_story"] = moments, story
    last = max([received] + [m for m in moments if m])
    return ctx.stamped(row, received, last)


def seed_complaints(ctx):
    buyers = [c for c in ctx.customers if c["sales"]]
    chosen = ctx.rng.sample(buyers, min(len(buyers), max(2, round(len(ctx.customers) * 0.08))))
    rows = []
    for c in chosen:
        for _ in range(2 if ctx.chance(0.1) else 1):
            rows.append(_complaint(ctx, c))
    number_by_year(rows, "TS", "received_at")
    bulk_insert(M.Complaint, rows)
    ids = dict(M.Complaint.select(M.Complaint.number, M.Complaint.id).tuples())
    for row in rows:
        row["id"] = ids[row["number"]]
    return rows


# --- follow-ups and corrective actions ---------------------------------------------

# The seed's milestones as the workflow's steps (domain/complaints.py).
STEPS = {"contacted": "acknowledge", "responded": "investigate", "planned": "resolve",
         "solved": "await_customer", "closed": "close", "reopened": "not_satisfied",
         "unreached": "note"}


def _follow_up_plan(comp):
    """(milestone, moment) pairs a handler would have logged for the complaint."""
    names = ("contacted", "responded", "planned", "solved", "closed")
    reached = [(n, m) for n, m in zip(names, comp["_moments"]) if m]
    if not reached:
        return [("unreached", comp["received_at"] + timedelta(hours=2))]
    if comp["status"] == "reopened":
        reached[-1] = ("reopened", reached[-1][1])
    return reached


def seed_complaint_follow_ups(ctx, complaints):
    rows = []
    for comp in complaints:
        plan = _follow_up_plan(comp)
        keep = sorted(ctx.rng.sample(range(len(plan)), min(len(plan), ctx.rng.randint(1, 3))))
        for name, moment in (plan[i] for i in keep):
            at = min(ctx.later(moment, 0.2, 1.5), ctx.now)
            action, result, next_step = T.FOLLOW_UP_STEPS[name]
            satisfied, score = comp["_verdict"] if name in ("closed", "reopened") else (None, None)
            rows.append(ctx.stamped({
                "complaint": comp["id"], "at": at, "by": comp["handler"], "step": STEPS[name],
                "action": action, "result": result, "next_step": next_step,
                "customer_satisfied": satisfied, "customer_score": score}, at))
    bulk_insert(M.ComplaintFollowUp, rows)


CAPA_OWNER = {"quality": "zhaoli", "production": "zhaoli", "technical": "wanglei"}


def _capa_row(ctx, source, ref, problem, cause, action, department, opened):
    due = (opened + timedelta(days=ctx.rng.randint(10, 20))).date()
    started, finished, verified = ctx.progress(opened, ((24, 72), (72, 240), (72, 240)))
    status = ("open", "in_progress", "done", "verified")[
        sum(1 for m in (started, finished, verified) if m)]
    return ctx.stamped({
        "source": source, "source_ref": ref, "problem": problem, "root_cause": cause,
        "action_type": "preventive" if source == "internal" else "corrective",
        "action": action, "department": department,
        "owner": ctx.users[CAPA_OWNER.get(department, "manager")], "due_on": due,
        "status": status,
        "verification_notes": "措施已落实,抽查有效 / in place, spot check effective"
        if verified else None,
        "verified_by": ctx.users["manager"] if verified else None, "verified_at": verified,
        "_opened": opened}, opened, verified or finished or started or opened)


def seed_corrective_actions(ctx, complaints):
    rows = [_capa_row(ctx, "complaint", comp["number"], comp["description"], comp["root_cause"],
                      comp["_story"][4], comp["department"], comp["_moments"][2])
            for comp in complaints
            if comp["_moments"][2] and comp["_story"][4] and ctx.chance(0.6)]
    rows.append(_capa_row(ctx, "internal", "年度内审 / internal audit", "校准记录归档不完整",
                          "记录表格未统一", "统一校准记录模板并按月归档", "quality",
                          ctx.at(ctx.days_ago(60, 200))))
    rows.append(_capa_row(ctx, "survey", "满意度调查 / survey", "多家客户反映交货周期偏长",
                          "关键元器件备货不足", "关键元器件建立安全库存", "production",
                          ctx.at(ctx.days_ago(20, 90))))
    bulk_insert(M.CorrectiveAction, number_by_year(rows, "CA", "_opened"))
