"""Demo satisfaction surveys, customer care, contact log and demands."""
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import models as M

from . import demo_text as T
from .demo_context import bulk_insert, months_ago
from .demo_customers import bought
from .demo_follow_up import quarter_of


def _last_product(c):
    goods = bought(c)
    return goods[-1] if goods else "设备"


# --- satisfaction surveys ----------------------------------------------------------

def completed_quarters(today, count):
    """[(period, start, end)] of the ``count`` quarters before today's, newest first."""
    _, start, _ = quarter_of(today)
    out = []
    for k in range(1, count + 1):
        q_start = months_ago(start, 3 * k)
        q_end = months_ago(start, 3 * (k - 1)) - timedelta(days=1)
        out.append((f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}", q_start, q_end))
    return out


def overall(scores):
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _survey_row(ctx, c, period, end, mood):
    sent = ctx.at(ctx.working_on_or_after(end + timedelta(days=5)))
    if sent >= ctx.now:
        return None
    returned = ctx.done(ctx.later(sent, 72, 360)) if ctx.chance(0.9) else None
    fields = M.SatisfactionSurvey.SCORE_FIELDS
    scores = [min(5, max(1, round(ctx.rng.gauss(mood, 0.7)))) if returned else None
              for _ in fields]
    row = dict(zip(fields, scores), **{
        "customer": c["id"], "period": period,
        "respondent_department": ctx.pick(T.SURVEY_DEPARTMENTS),
        "method": ctx.weighted((("email", 40), ("online", 25), ("phone", 20),
                                ("onsite", 10), ("mail", 5))),
        "sent_at": sent, "returned_at": returned,
        "status": "returned" if returned else "sent",
        "plan_reason": "key" if c["is_key"] else "general",
        "overall": overall(scores) if returned else None,
        "expectations": ctx.pick(T.SURVEY_EXPECTATIONS) if returned and ctx.chance(0.5) else None,
        "complaints": (ctx.pick(T.SURVEY_COMPLAINTS)
                       if returned and (mood < 4 or ctx.chance(0.2)) else None)})
    return ctx.stamped(row, sent, returned or sent)


def seed_surveys(ctx):
    rows = []
    quarters = completed_quarters(ctx.today, 4)
    for c in ctx.customers:
        mood = 3.0 if ctx.chance(0.1) else 4.5
        if c["is_key"]:
            wanted = [q for k, q in enumerate(quarters) if k == 0 or
                      (c["first_deal"] and c["first_deal"] <= q[2])]
        elif c["sales"] and c["nature"] != "individual" and ctx.chance(0.1):
            wanted = quarters[:1]
        else:
            continue
        for period, _, end in wanted:
            row = _survey_row(ctx, c, period, end, mood)
            if row:
                rows.append(row)
    bulk_insert(M.SatisfactionSurvey, rows)
    return rows


# --- customer care ------------------------------------------------------------------

def _greeting_days(ctx):
    days = [(date(y, 1, 1), "元旦") for y in range(ctx.today.year - 1, ctx.today.year + 2)]
    days += [(date(2026, 2, 17), "春节"), (date(2026, 9, 25), "中秋节")]
    lo, hi = ctx.today - timedelta(days=300), ctx.today + timedelta(days=40)
    return sorted((ctx.working_on_or_before(d - timedelta(days=2)), name)
                  for d, name in days if lo <= d <= hi)


def _birthdays(ctx, c):
    lo, hi = ctx.today - timedelta(days=90), ctx.today + timedelta(days=30)
    for contact in c["contacts"]:
        for year in (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1):
            day = contact["birthday"].replace(year=year)
            if lo <= day <= hi:
                yield "birthday", day, contact, T.CARE_NOTES["birthday"]


def _care_plan(ctx, c, greetings):
    primary = c["contacts"][0]
    yield from _birthdays(ctx, c)
    if c["is_key"] or c["cls"] == "B":
        for day, name in greetings:
            yield "holiday", day, primary, T.CARE_NOTES["holiday"].format(h=name)
    if c["equipment"]:
        day = ctx.working_on_or_after(ctx.today + timedelta(days=ctx.rng.randint(-120, 20)))
        yield "tips", day, primary, T.CARE_NOTES["tips"].format(p=c["equipment"][0]["model_name"])
    if c["is_key"]:
        yield ("invitation", ctx.working_on_or_after(ctx.today - timedelta(days=150)), primary,
               T.CARE_NOTES["invitation"].format(e=T.EVENTS[1]))
        yield ("invitation", ctx.working_on_or_after(ctx.today + timedelta(days=5)), primary,
               T.CARE_NOTES["invitation"].format(e=T.EVENTS[0]))


CARE_CHANNEL = {"birthday": "messaging", "holiday": "messaging", "tips": "email",
                "invitation": "phone"}


def seed_care_events(ctx):
    """Care for everyone who has not asked to be left alone."""
    greetings, rows = _greeting_days(ctx), []
    for c in ctx.customers:
        if c["dnd"]:
            continue
        for kind, day, contact, notes in _care_plan(ctx, c, greetings):
            done = ctx.at(day, 9, 11) if day < ctx.today and ctx.chance(0.92) else None
            rows.append(ctx.stamped({
                "customer": c["id"], "contact": contact["id"], "kind": kind,
                "scheduled_for": day, "done_at": done, "channel": CARE_CHANNEL[kind],
                "notes": notes}, min(day, ctx.today) - timedelta(days=7), done))
    bulk_insert(M.CareEvent, rows)


# --- contact log ----------------------------------------------------------------------

def _interaction(ctx, c, at, direction, channel, summary, staff, complaint=None, visit=None):
    return ctx.stamped({"customer": c["id"], "at": at, "direction": direction,
                        "channel": channel, "staff": staff, "summary": summary,
                        "complaint": complaint, "visit": visit}, at)


def _general_interactions(ctx, c):
    for _ in range(ctx.rng.randint(0, 2 if c["nature"] == "individual" else 3)):
        inbound = c["dnd"] or ctx.chance(0.55)
        pool = T.INTERACTIONS_IN if inbound else T.INTERACTIONS_OUT
        channel = ctx.weighted((("phone", 60), ("messaging", 20), ("email", 12), ("video", 8)))
        yield _interaction(ctx, c, ctx.at(ctx.days_ago(1, 360)),
                           "inbound" if inbound else "outbound", channel,
                           ctx.pick(pool).format(p=_last_product(c)), c["owner"])


def seed_interactions(ctx, complaints):
    by_id = {c["id"]: c for c in ctx.customers}
    rows = []
    for c in ctx.customers:
        rows += _general_interactions(ctx, c)
        for v in c["visits"]:
            r = v["row"]
            if r["channel"] in ("phone", "video", "messaging") and ctx.chance(0.5):
                rows.append(_interaction(ctx, c, r["visited_at"], "outbound", r["channel"],
                                         f"回访:{r['purpose']}", r["staff"], visit=v["id"]))
    for comp in complaints:
        c = by_id[comp["customer"]]
        rows.append(_interaction(ctx, c, comp["received_at"], "inbound",
                                 _complaint_channel(comp["channel"]),
                                 f"客户投诉:{comp['description']}", comp["handler"],
                                 complaint=comp["id"]))
    rows.sort(key=lambda r: r["at"])
    bulk_insert(M.Interaction, rows)


def _complaint_channel(channel):
    return {"hotline": "phone", "phone": "phone", "email": "email", "website": "messaging",
            "social_media": "messaging", "in_person": "onsite", "visit": "onsite"}[channel]


# --- demands -------------------------------------------------------------------------

FORWARD = {"order_opportunity": "sales", "product_improvement": "rnd",
           "service_upgrade": "sales"}


def _demand_status(ctx, raised_on):
    age = (ctx.today - raised_on).days
    if age < 30:
        return ctx.weighted((("new", 70), ("following", 30)))
    if age < 120:
        return ctx.weighted((("new", 15), ("following", 60), ("won", 15), ("lost", 10)))
    return ctx.weighted((("following", 35), ("won", 40), ("lost", 25)))


def _expected_value(ctx, c, kind):
    if kind == "order_opportunity":
        lo, hi = {"A": (300, 2000), "B": (80, 600), "C": (5, 120)}[c["cls"]]
        return Decimal(ctx.rng.randint(lo, hi) * 1000)
    if kind == "service_upgrade":
        return Decimal(ctx.rng.randint(10, 60) * 1000)
    return None


def _demand(ctx, c, raised_on, source, kind, text):
    status = _demand_status(ctx, raised_on)
    forwarded = None if status == "new" and ctx.chance(0.5) else FORWARD[kind]
    return ctx.stamped({"customer": c["id"], "raised_on": raised_on, "source": source,
                        "kind": kind, "description": text, "forwarded_to": forwarded,
                        "status": status, "expected_value": _expected_value(ctx, c, kind)},
                       raised_on)


def seed_demands(ctx, complaints, surveys):
    by_id = {c["id"]: c for c in ctx.customers}
    improvements = [text for kind, text in T.NEW_DEMANDS if kind == "product_improvement"]
    rows = [_demand(ctx, c, v["day"], "visit", *v["demand"])
            for c in ctx.customers for v in c["visits"] if v["demand"]]
    rows += [_demand(ctx, by_id[comp["customer"]], comp["received_at"].date(), "complaint",
                     "product_improvement", f"{ctx.pick(improvements)}(来自投诉{comp['number']})")
             for comp in complaints if ctx.chance(0.25)]
    rows += [_demand(ctx, by_id[s["customer"]], s["returned_at"].date(), "survey",
                     "service_upgrade", s["expectations"])
             for s in surveys if s["expectations"] and ctx.chance(0.3)]
    buyers = [c for c in ctx.customers if c["sales"]]
    for c in ctx.rng.sample(buyers, min(len(buyers), max(1, round(len(ctx.customers) * 0.08)))):
        text = f"电话咨询:计划采购{_last_product(c)} {ctx.rng.randint(1, 5)}台"
        rows.append(_demand(ctx, c, ctx.days_ago(1, 200), "call", "order_opportunity", text))
    rows.sort(key=lambda r: r["raised_on"])
    bulk_insert(M.Demand, rows)
