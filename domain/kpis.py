"""The figures of SPEC.md "Figures", for a period and optionally one person.

Every figure is a handful of SQL aggregates (COUNT / SUM over CASE, GROUP BY)
over the registers; Python only divides the totals. Targets and the score
weights are rules (``kpi_target_*``, ``kpi_weight_*``).

Which records a period holds (the period is [start, end), domain/periods.py):
planned visits by due date, visit records by visit time, visit problems by
when they were raised, complaints by when they were received, surveys by
when they came back, sales by sale date.

What has not happened *yet* is left out of both sides of a ratio, so the
running month compares what should have happened by now: a planned visit
counts once its due date has passed (or it is done); a problem or complaint
once its deadline has passed (or the step was taken).

- **Visit coverage** 覆盖率 = customers visited / customers planned. Planned:
  customers with a planned visit of an approved (or closed) plan, not
  cancelled, due in the period. Visited: one of those planned visits is done,
  or the customer has a visit record dated in the period (a clerk who forgot
  to link the record still visited).
- **Completion** 完成率 = planned visits done / planned visits due (same
  planned visits; "missed" ones count as due and not done).
- **Response on time** 及时率 = problems answered by their response deadline
  / problems with a response deadline.
- **Resolved in time** = problems resolved by their resolution deadline (7
  working days) / problems with one (complex problems have none: left out).
- **Satisfaction** 满意度 = mean satisfaction (1-5) of the visit records that
  recorded one.
- **Satisfied customers** = answered surveys (overall known) with overall at
  or above ``survey_satisfied_min_overall`` / answered surveys.
- **Complaints closed on time** = complaints closed by their closing
  deadline, customer satisfied, never reopened (domain/complaints.py
  ``closed_on_time``) / complaints. A reopened one counts at once, as not on time.
- **Second-sale conversion** 二次转化率 = amount of the period's sales that
  name an originating visit / purchase potential of the customers visited in
  the period (their annual purchase amount on the archive).
- **Share of new business from visits** = amount of sales naming a visit /
  amount of all sales of the period.
- **Key-customer renewal** 续约率 = key customers (flagged key today) who
  bought last year and have bought again this year / key customers who bought
  last year. "This year" is the calendar year of the period's last day, up to
  the period's end: a year-to-date figure whatever the period.
- **Specialist score** = completion x 40 + resolution x 30 + satisfaction/5 x
  30 (weights from the rules), in points out of 100; resolution is "resolved
  in time". A part without data (no problems this month) is left out and the
  other weights scaled up; no part at all: no score.

An empty denominator gives ``None`` — shown as "—", never 0 % and never an
error. For one person (``user``), every register is narrowed by
domain/access.py's ``scope_query``: a specialist's figures come from their
customers and the records assigned to them, nothing else. The specialist
table counts a record for each specialist who would see it, the same rule as
a join, so a specialist's line equals their own dashboard.
"""
from collections import namedtuple
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from peewee import SQL, Case, fn

import models as M

from . import periods
from .i18n import N_
from .kpi_sql import (complaint_known, complaint_on_time, count_if, due_so_far, planned_visits,
                      resolution_known, resolved_on_time, response_known, response_on_time,
                      scoped, sum_if, within)

PERCENT, SCORE, POINTS = "percent", "score", "points"
EMPTY = "—"

# code, label, unit, target rule (None: no target), register it is read from.
Definition = namedtuple("Definition", "code label unit target_rule register")
DEFINITIONS = (
    Definition("coverage", N_("Visit coverage"), PERCENT, "kpi_target_coverage",
               "planned_visit"),
    Definition("completion", N_("Planned visits completed"), PERCENT, "kpi_target_completion",
               "planned_visit"),
    Definition("response_on_time", N_("Problems answered on time"), PERCENT,
               "kpi_target_response_on_time", "visit_issue"),
    Definition("resolved_in_time", N_("Problems resolved in time"), PERCENT,
               "kpi_target_resolved_in_time", "visit_issue"),
    Definition("satisfaction", N_("Visit satisfaction (mean, 1-5)"), SCORE,
               "kpi_target_satisfaction", "visit"),
    Definition("satisfied_customers", N_("Satisfied survey answers"), PERCENT,
               "kpi_target_satisfied_customers", "satisfaction_survey"),
    Definition("complaints_closed_on_time", N_("Complaints closed on time"), PERCENT,
               "kpi_target_complaints_closed_on_time", "complaint"),
    Definition("second_sale", N_("Second-sale conversion"), PERCENT, "kpi_target_second_sale",
               "sale"),
    Definition("visit_business_share", N_("Share of new business from visits"), PERCENT,
               "kpi_target_visit_business_share", "sale"),
    Definition("key_renewal", N_("Key-customer renewal"), PERCENT, "kpi_target_key_renewal",
               "customer"),
    Definition("score", N_("Specialist score"), POINTS, None, "planned_visit"),
)
BY_CODE = {d.code: d for d in DEFINITIONS}
SCORE_PARTS = (("completion", "kpi_weight_completion"),
               ("resolved_in_time", "kpi_weight_resolution"),
               ("satisfaction", "kpi_weight_satisfaction"))


@dataclass(frozen=True)
class Figure:
    code: str
    label: str                  # msgid
    unit: str                   # percent | score | points
    value: Decimal | None       # None: nothing to measure (shown "—")
    target: Decimal | None
    numerator: object = None    # the counts behind a ratio, for the reader
    denominator: object = None
    previous: Decimal | None = None

    @property
    def met(self):
        """True / False against the target; None without a value or target."""
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target

    @property
    def trend(self):
        """'up', 'down' or 'flat' against the previous period (None: no
        comparison). Every figure is better higher."""
        if self.value is None or self.previous is None:
            return None
        if self.value == self.previous:
            return "flat"
        return "up" if self.value > self.previous else "down"


def display(value, unit):
    """A figure's value as text: 98.0 %, 4.80, 87.5 — or "—" when None."""
    if value is None:
        return EMPTY
    if unit == PERCENT:
        return f"{value:.1f} %"
    if unit == SCORE:
        return f"{value:.2f}"
    return f"{value:.1f}"


def display_target(target, unit):
    """A target as text: ≥ 98.0 % (every target is a floor), "—" when none."""
    return EMPTY if target is None else "≥ " + display(target, unit)


# ----------------------------------------------------------------- arithmetic

def number(value):
    """A SUM/AVG result as Decimal (SQLite sums DECIMAL columns as floats)."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def ratio(numerator, denominator):
    """numerator / denominator in percent to 0.1, None on an empty denominator."""
    if not denominator:
        return None
    return (number(numerator) * 100 / number(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(total, count):
    if not count:
        return None
    return (number(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score(parts, rules):
    """The weighted score (points of 100) of {completion, resolved_in_time,
    satisfaction}; parts without a value are left out, weights rescaled."""
    total = weight = Decimal(0)
    for code, rule in SCORE_PARTS:
        value = parts.get(code)
        if value is None:
            continue
        share = value * 20 if code == "satisfaction" else value  # 5 points = 100 %
        w = number(rules[rule])
        total, weight = total + share * w, weight + w
    if not weight:
        return None
    return (total / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------- the figures

def _visits_planned(period, today, user):
    PV, V = M.PlannedVisit, M.Visit
    # IN, not a correlated EXISTS: the period's visited customers are read
    # once, not once per planned visit.
    visited = scoped(V.select(V.customer).where(within(V.visited_at, period)), V, user)
    reached = (PV.status == "done") | PV.customer.in_(visited)
    query = PV.select(fn.COUNT(SQL("*")), count_if(PV.status == "done"),
                      fn.COUNT(fn.DISTINCT(PV.customer)),
                      fn.COUNT(fn.DISTINCT(Case(None, [(reached, PV.customer)], None))))
    query = query.where(planned_visits(period) & due_so_far(today))
    due, done, planned, covered = scoped(query, PV, user).tuples().get()
    return {"coverage": (covered or 0, planned or 0), "completion": (done or 0, due or 0)}


def _problems(period, now, user):
    I = M.VisitIssue
    query = I.select(count_if(response_known(now) & response_on_time()),
                     count_if(response_known(now)),
                     count_if(resolution_known(now) & resolved_on_time()),
                     count_if(resolution_known(now))).where(within(I.raised_at, period))
    answered, answerable, resolved, resolvable = scoped(query, I, user).tuples().get()
    return {"response_on_time": (answered or 0, answerable or 0),
            "resolved_in_time": (resolved or 0, resolvable or 0)}


def _satisfaction(period, user):
    V = M.Visit
    query = V.select(fn.SUM(V.satisfaction), fn.COUNT(V.satisfaction)).where(
        within(V.visited_at, period))
    total, count = scoped(query, V, user).tuples().get()
    return {"satisfaction": (total or 0, count or 0)}


def survey_totals(period, rules, user):
    """(answered, satisfied, {indicator field: (sum, count)}) of the surveys
    returned in the period — the figure and the indicator chart in one query."""
    S = M.SatisfactionSurvey
    fields = [getattr(S, f) for f in S.SCORE_FIELDS]
    satisfied = S.overall >= rules.number("survey_satisfied_min_overall")
    columns = [fn.COUNT(SQL("*")), count_if(satisfied)]
    for f in fields:
        columns += [fn.SUM(f), fn.COUNT(f)]
    query = S.select(*columns).where(within(S.returned_at, period) & S.overall.is_null(False))
    row = scoped(query, S, user).tuples().get()
    indicators = {name: (row[2 + 2 * i] or 0, row[3 + 2 * i] or 0)
                  for i, name in enumerate(S.SCORE_FIELDS)}
    return row[0] or 0, row[1] or 0, indicators


def _complaints(period, now, user):
    C = M.Complaint
    query = C.select(count_if(complaint_known(now) & complaint_on_time()),
                     count_if(complaint_known(now))).where(within(C.received_at, period))
    on_time, known = scoped(query, C, user).tuples().get()
    return {"complaints_closed_on_time": (on_time or 0, known or 0)}


def _sales(period, user):
    S, V, C = M.Sale, M.Visit, M.Customer
    query = S.select(fn.SUM(S.amount), sum_if(S.visit.is_null(False), S.amount)).where(
        within(S.sold_on, period))
    total, from_visits = scoped(query, S, user).tuples().get()
    visited = scoped(V.select(V.customer).where(within(V.visited_at, period)), V, user)
    potential = C.select(fn.SUM(C.annual_purchase)).where(C.id.in_(visited)).scalar()
    return {"second_sale": (number(from_visits), number(potential)),
            "visit_business_share": (number(from_visits), number(total))}


def renewal_years(period):
    """([start, end) of "last year", [start, end) of "this year" so far)."""
    year = period.last.year
    return ((date(year - 1, 1, 1), date(year, 1, 1)), (date(year, 1, 1), period.end))


def _key_renewal(period, user):
    C, S = M.Customer, M.Sale

    def bought(start, end):
        return fn.EXISTS(S.select(SQL("1")).where(
            (S.customer == C.id) & (S.sold_on >= start) & (S.sold_on < end)))

    last_year, this_year = renewal_years(period)
    query = C.select(fn.COUNT(SQL("*")), count_if(bought(*this_year))).where(
        (C.is_key == True) & bought(*last_year))  # noqa: E712 — SQL
    base, renewed = scoped(query, C, user).tuples().get()
    return {"key_renewal": (renewed or 0, base or 0)}


def _values(period, rules, now, user):
    """code -> (value, numerator, denominator) for one period."""
    raw = {}
    raw.update(_visits_planned(period, now.date(), user))
    raw.update(_problems(period, now, user))
    raw.update(_satisfaction(period, user))
    answered, satisfied, _indicators = survey_totals(period, rules, user)
    raw["satisfied_customers"] = (satisfied, answered)
    raw.update(_complaints(period, now, user))
    raw.update(_sales(period, user))
    raw.update(_key_renewal(period, user))
    out = {}
    for code, (num, den) in raw.items():
        value = mean(num, den) if BY_CODE[code].unit == SCORE else ratio(num, den)
        out[code] = (value, num, den)
    out["score"] = (score({c: out[c][0] for c, _ in SCORE_PARTS}, rules), None, None)
    return out


def figures(period, *, rules, now, user=None, compare=True):
    """Every Figure of the period, in DEFINITIONS order, with the previous
    period's value for the trend (``compare``). ``user``: that person's
    figures (access scope); None: the whole shop."""
    current = _values(period, rules, now, user)
    before = _values(periods.previous(period), rules, now, user) if compare else {}
    out = []
    for d in DEFINITIONS:
        value, num, den = current[d.code]
        target = rules.number(d.target_rule) if d.target_rule else None
        out.append(Figure(d.code, d.label, d.unit, value, target, num, den,
                          before.get(d.code, (None,))[0]))
    return out
