"""The numbers behind the dashboard's charts (and the report's), as plain data.

Each chart is one GROUP BY query. SQLite and MySQL share no function for
"week of" or "month of", so weeks are counted per due date and added up
here, and months are a CASE over the month edges on the raw column (which
keeps its index usable). Labels are msgids (translated by the page or the PDF).
``user`` narrows every query to that person's records, as in domain/kpis.py.
"""
from dataclasses import dataclass
from datetime import date

from peewee import SQL, Case, Expression, fn

import models as M

from . import choices, periods
from .classification import RISK_REASONS
from .i18n import N_
from .kpi_sql import count_if, planned_visits, scoped, within
from .kpis import mean, survey_totals

INDICATOR_LABELS = {
    "score_design": N_("Design"),
    "score_quality": N_("Product quality"),
    "score_delivery": N_("Delivery"),
    "score_service": N_("Service & communication"),
    "score_price": N_("Price"),
    "score_competitors": N_("Compared with competitors"),
}
VISIT_PROBLEM, COMPLAINT = N_("Visit problem"), N_("Complaint")


def bucket(field, ends):
    """CASE giving the index of the first bucket whose end is after ``field``."""
    return Case(None, [(field < end, i) for i, end in enumerate(ends)], None)


def visits_by_week(period, *, user=None):
    """[{start, end, planned, done}] per week: planned visits (released plans,
    not cancelled) due that week, and how many of them are done. Counted per
    due date in SQL (at most 366 groups, read in index order), then the days
    are added up into their weeks."""
    PV = M.PlannedVisit
    query = (PV.select(PV.due_on, fn.COUNT(SQL("*")), count_if(PV.status == "done"))
             .where(planned_visits(period)).group_by(PV.due_on))
    weeks = periods.weeks(period)
    out = [{"start": start, "end": end, "planned": 0, "done": 0} for start, end in weeks]
    for day, planned, done in scoped(query, PV, user).tuples():
        day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
        week = out[next(i for i, (start, end) in enumerate(weeks) if start <= day < end)]
        week["planned"] += planned
        week["done"] += done or 0
    return out


def complaints_by_month(period, *, user=None, at_least=6):
    """(months, [(category code, label, [count per month])]) of the complaints
    received, by category; the months of the period, at least ``at_least``
    going back from its last month. Categories without any complaint are left out."""
    C = M.Complaint
    months = periods.months(period, at_least)
    span = periods.Period("range", months[0].start, months[-1].end)
    which = bucket(C.received_at, [m.end_at for m in months])
    query = (C.select(which, C.category, fn.COUNT(SQL("*")))
             .where(within(C.received_at, span)).group_by(which, C.category))
    counts = {}
    for i, category, n in scoped(query, C, user).tuples():
        counts.setdefault(category, [0] * len(months))[i] = n
    series = [(code, label, counts[code]) for code, label in choices.COMPLAINT_CATEGORY
              if code in counts]
    return months, series


def satisfaction_by_indicator(period, *, rules, user=None):
    """[(field, label, mean 1-5 or None, answers)] of the six survey indicators."""
    _answered, _satisfied, totals = survey_totals(period, rules, user)
    return [(name, INDICATOR_LABELS[name], mean(*totals[name]), totals[name][1])
            for name in M.SatisfactionSurvey.SCORE_FIELDS]


def top_problems(period, *, user=None, limit=8):
    """The most frequent problem categories of the period ("high-frequency
    issues"): visit problems and complaints by category, [(register label,
    category label, count)], most frequent first."""
    out = []
    for model, field, vocabulary, label in (
            (M.VisitIssue, M.VisitIssue.raised_at, choices.ISSUE_CATEGORY, VISIT_PROBLEM),
            (M.Complaint, M.Complaint.received_at, choices.COMPLAINT_CATEGORY, COMPLAINT)):
        names = dict(vocabulary)
        query = (model.select(model.category, fn.COUNT(SQL("*")))
                 .where(within(field, period)).group_by(model.category))
        out += [(label, names.get(code, code), n)
                for code, n in scoped(query, model, user).tuples() if n]
    out.sort(key=lambda row: -row[2])
    return out[:limit]


def risk_conditions(now, rules):
    """code -> SQL condition on Customer for each at-risk reason (the rules of
    domain/classification.py, evaluated now)."""
    C, K, V = M.Customer, M.Complaint, M.Visit
    overdue = fn.EXISTS(K.select(SQL("1")).where(
        (K.customer == C.id) & (K.status != "closed") & (K.close_due < now)))
    last_score = (V.select(V.satisfaction)
                  .where((V.customer == C.id) & V.satisfaction.is_null(False)
                         & (V.visited_at <= now))
                  .order_by(V.visited_at.desc(), V.id.desc()).limit(1))
    return {
        "dormant": C.lifecycle == "dormant",
        "overdue_complaint": overdue,
        "low_satisfaction": Expression(last_score, "<=",
                                       rules.number("at_risk_max_satisfaction")),
        "credit_exceeded": (C.credit_limit > 0) & (C.annual_purchase > C.credit_limit),
    }


def at_risk_by_reason(*, now, rules, user=None):
    """(customers flagged at risk, [(reason code, label, customers)]): the
    customers the last classification marked at risk, counted by each reason
    that holds now (a customer may have several)."""
    C = M.Customer
    conditions = risk_conditions(now, rules)
    query = C.select(fn.COUNT(SQL("*")), *[count_if(conditions[code]) for code, _ in RISK_REASONS])
    row = scoped(query.where(C.at_risk == True), C, user).tuples().get()  # noqa: E712 — SQL
    return row[0] or 0, [(code, label, n or 0) for (code, label), n in zip(RISK_REASONS, row[1:])]


# ----------------------------------------------------------------- chart specs
# What the page (views/charts.py, SVG) and the report (ReportLab) both draw.
# A label is plain text (a date) or a tuple of msgids, translated and joined
# with " · " by whoever draws it.

@dataclass(frozen=True)
class ChartSpec:
    code: str
    title: str              # msgid
    kind: str               # bars | stacked | hbars
    categories: tuple       # labels along the axis
    series: tuple           # ((label, (value per category...)), ...)
    register: str           # whose read permission shows the chart
    max_value: object = None  # fixed axis top (satisfaction: 5)


CHARTS = (
    ("visits_by_week", N_("Visits planned and done per week"), "planned_visit"),
    ("complaints_by_month", N_("Complaints by category per month"), "complaint"),
    ("satisfaction_by_indicator", N_("Satisfaction by survey indicator"),
     "satisfaction_survey"),
    ("top_problems", N_("High-frequency problems"), "visit_issue"),
    ("at_risk_by_reason", N_("At-risk customers by reason"), "customer"),
)


def chart_specs(period, *, rules, now, user=None, only=None):
    """ChartSpecs of the period, in CHARTS order; ``only``: the codes wanted
    (those the reader may see)."""
    out = []
    for code, title, register in CHARTS:
        if only is not None and code not in only:
            continue
        out.append(_SPEC_BUILDERS[code](code, title, register, period, rules, now, user))
    return out


def _weeks(code, title, register, period, rules, now, user):
    weeks = visits_by_week(period, user=user)
    return ChartSpec(code, title, "bars", tuple(f"{w['start']:%m-%d}" for w in weeks),
                     (((N_("Planned visits"),), tuple(w["planned"] for w in weeks)),
                      ((N_("Done"),), tuple(w["done"] for w in weeks))), register)


def _months(code, title, register, period, rules, now, user):
    months, series = complaints_by_month(period, user=user)
    return ChartSpec(code, title, "stacked", tuple(m.key for m in months),
                     tuple(((label,), tuple(counts)) for _code, label, counts in series),
                     register)


def _indicators(code, title, register, period, rules, now, user):
    rows = satisfaction_by_indicator(period, rules=rules, user=user)
    return ChartSpec(code, title, "hbars", tuple((label,) for _n, label, _v, _c in rows),
                     (((N_("Mean score"),), tuple(v for _n, _l, v, _c in rows)),), register,
                     max_value=5)


def _problems(code, title, register, period, rules, now, user):
    rows = top_problems(period, user=user)
    return ChartSpec(code, title, "hbars", tuple((reg, cat) for reg, cat, _n in rows),
                     (((N_("Count"),), tuple(n for _r, _c, n in rows)),), register)


def _risks(code, title, register, period, rules, now, user):
    _total, rows = at_risk_by_reason(now=now, rules=rules, user=user)
    return ChartSpec(code, title, "hbars", tuple((label,) for _c, label, _n in rows),
                     (((N_("Customers"),), tuple(n for _c, _l, n in rows)),), register)


_SPEC_BUILDERS = {"visits_by_week": _weeks, "complaints_by_month": _months,
                  "satisfaction_by_indicator": _indicators, "top_problems": _problems,
                  "at_risk_by_reason": _risks}
