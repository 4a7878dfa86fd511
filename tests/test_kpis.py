"""domain/kpis.py, kpi_specialists.py and kpi_charts.py on the hand-built month
of tests/kpi_dataset.py: every figure, for the shop and for each specialist."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from playhouse.test_utils import count_queries

import models as M
from domain import complaints, kpi_charts, kpi_sql, kpis, periods
from domain.kpi_specialists import by_specialist
from domain.rules import Rules
from tests import kpi_dataset as K

RULES = Rules()


@pytest.fixture
def data(users):
    return K.build(users)


def values(figures):
    return {f.code: f.value for f in figures}


def test_every_figure_of_the_month(data):
    figures = kpis.figures(K.JANUARY, rules=RULES, now=K.NOW)
    assert values(figures) == K.EXPECTED
    by = {f.code: f for f in figures}
    assert (by["coverage"].numerator, by["coverage"].denominator) == (49, 50)
    assert by["coverage"].target == Decimal("98") and by["coverage"].met is True
    assert by["completion"].met is True and by["satisfaction"].met is False
    assert by["second_sale"].met is True and by["complaints_closed_on_time"].met is False
    assert by["score"].target is None and by["score"].met is None
    assert [f.code for f in figures] == [d.code for d in kpis.DEFINITIONS]


@pytest.mark.parametrize("who, expected", [("spec1", K.EXPECTED_SPEC1),
                                           ("spec2", K.EXPECTED_SPEC2)])
def test_a_specialist_sees_only_their_own_records(data, users, who, expected):
    figures = kpis.figures(K.JANUARY, rules=RULES, now=K.NOW, user=users[who])
    assert values(figures) == expected


def test_management_sees_the_whole_shop(data, users):
    for who in ("owner", "manager"):
        assert values(kpis.figures(K.JANUARY, rules=RULES, now=K.NOW,
                                   user=users[who])) == K.EXPECTED


def test_trend_against_the_previous_month(data, users):
    by = {f.code: f for f in kpis.figures(K.JANUARY, rules=RULES, now=K.NOW)}
    assert by["satisfaction"].previous == Decimal("4.50") and by["satisfaction"].trend == "up"
    assert by["coverage"].previous is None and by["coverage"].trend is None
    spec1 = {f.code: f for f in kpis.figures(K.JANUARY, rules=RULES, now=K.NOW,
                                             user=users["spec1"])}
    assert spec1["satisfaction"].previous == Decimal("5.00")
    assert spec1["satisfaction"].trend == "down"


def test_empty_denominators_are_none_and_show_a_dash(data):
    empty = periods.month(2030, 1)
    figures = kpis.figures(empty, rules=RULES, now=datetime(2030, 3, 1))
    assert all(f.value is None and f.met is None and f.trend is None for f in figures)
    assert {kpis.display(f.value, f.unit) for f in figures} == {"—"}


def test_display():
    assert kpis.display(Decimal("98.0"), kpis.PERCENT) == "98.0 %"
    assert kpis.display(Decimal("4.8"), kpis.SCORE) == "4.80"
    assert kpis.display(Decimal("89.9"), kpis.POINTS) == "89.9"
    assert kpis.ratio(0, 0) is None and kpis.ratio(1, 3) == Decimal("33.3")
    assert kpis.ratio(0, 5) == Decimal("0.0")


def test_what_is_not_due_yet_is_left_out(data):
    # On 12 January at 9:00 customer 48 (due the 12th, not done) and 49 (due
    # the 13th) are not due yet; the 48 done visits count.
    early = datetime(2027, 1, 12, 9, 0)
    by = {f.code: f for f in kpis.figures(K.JANUARY, rules=RULES, now=early, compare=False)}
    assert (by["completion"].numerator, by["completion"].denominator) == (48, 48)
    assert (by["coverage"].numerator, by["coverage"].denominator) == (48, 48)
    # Complaints: the six closed ones and the reopened C8 are known; C7 and
    # C9 have time left.
    assert by["complaints_closed_on_time"].denominator == 7
    # P9's resolution deadline (15th) is still ahead and unmet: left out; its
    # response deadline (9th) has passed. P11 is not due at all.
    assert by["response_on_time"].denominator == 10
    assert by["resolved_in_time"].denominator == 8


def test_the_specialist_table_matches_their_own_figures(data, users):
    lines = by_specialist(K.JANUARY, rules=RULES, now=K.NOW)
    assert [line.name for line in lines] == ["张专员", "赵专员"]  # best score first
    for line, expected in zip(lines, (K.EXPECTED_SPEC1, K.EXPECTED_SPEC2)):
        assert (line.completion, line.resolution, line.satisfaction, line.score) == (
            expected["completion"], expected["resolved_in_time"], expected["satisfaction"],
            expected["score"])
    assert (lines[1].done, lines[1].due, lines[1].resolved, lines[1].resolvable) == (18, 20, 0, 2)
    only = by_specialist(K.JANUARY, rules=RULES, now=K.NOW, only=users["spec2"])
    assert only == [lines[1]]


def test_a_record_assigned_to_another_specialist_counts_for_both(data, users):
    # A planned visit of spec1's customer assigned to spec2: both see it.
    pv = M.PlannedVisit.get(M.PlannedVisit.customer == data[0])
    M.PlannedVisit.update(assignee=users["spec2"].id).where(M.PlannedVisit.id == pv.id).execute()
    lines = {line.name: line for line in by_specialist(K.JANUARY, rules=RULES, now=K.NOW)}
    assert (lines["张专员"].done, lines["张专员"].due) == (30, 30)
    assert (lines["赵专员"].done, lines["赵专员"].due) == (19, 21)
    spec2 = {f.code: f for f in kpis.figures(K.JANUARY, rules=RULES, now=K.NOW,
                                             user=users["spec2"], compare=False)}
    assert (spec2["completion"].numerator, spec2["completion"].denominator) == (19, 21)


def test_the_score_weights_are_rules(data):
    rules = Rules([("kpi_weight_completion", "100", "percent"),
                   ("kpi_weight_resolution", "0", "percent"),
                   ("kpi_weight_satisfaction", "0", "percent")])
    by = {f.code: f for f in kpis.figures(K.JANUARY, rules=rules, now=K.NOW, compare=False)}
    assert by["score"].value == Decimal("96.0")
    assert kpis.score({"completion": None, "resolved_in_time": None,
                       "satisfaction": Decimal("4.5")}, RULES) == Decimal("90.0")
    assert kpis.score({}, RULES) is None


def test_targets_are_rules(data):
    rules = Rules([("kpi_target_coverage", "99", "percent")])
    by = {f.code: f for f in kpis.figures(K.JANUARY, rules=rules, now=K.NOW, compare=False)}
    assert by["coverage"].target == Decimal("99") and by["coverage"].met is False


def test_closed_on_time_in_sql_matches_the_python_rule(data):
    known = {c.id for c in M.Complaint.select().where(
        kpi_sql.complaint_known(K.NOW) & kpi_sql.complaint_on_time())}
    assert known == {c.id for c in M.Complaint.select() if complaints.closed_on_time(c)}


def test_a_fixed_number_of_queries(data, users):
    # Aggregates, not rows: the query count does not grow with the data.
    with count_queries() as counter:
        kpis.figures(K.JANUARY, rules=RULES, now=K.NOW, user=users["spec1"])
    first = counter.count
    K.build(users)
    with count_queries() as counter:
        kpis.figures(K.JANUARY, rules=RULES, now=K.NOW, user=users["spec1"])
    assert counter.count == first <= 20


# ----------------------------------------------------------------- charts

def test_visits_planned_and_done_per_week(data):
    weeks = kpi_charts.visits_by_week(K.JANUARY)
    assert [w["start"] for w in weeks] == [date(2027, 1, d) for d in (1, 4, 11, 18, 25)]
    # Due on 4 + i % 20 January: days 4-23 twice, 4-13 once; customers 48
    # (not done) and 49 (missed) fall on the 12th and 13th.
    assert [w["planned"] for w in weeks] == [0, 21, 17, 12, 0]
    assert [w["done"] for w in weeks] == [0, 21, 15, 12, 0]


def test_complaints_by_category_per_month(data):
    months, series = kpi_charts.complaints_by_month(K.JANUARY)
    assert [m.key for m in months] == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
                                       "2027-01"]
    assert series == [("product_quality", "Product quality", [0, 0, 0, 0, 0, 9])]


def test_satisfaction_by_indicator(data):
    rows = kpi_charts.satisfaction_by_indicator(K.JANUARY, rules=RULES)
    assert [(name, value) for name, _label, value, _n in rows] == [
        ("score_design", Decimal("4.95")), ("score_quality", Decimal("4.90")),
        ("score_delivery", Decimal("3.95")), ("score_service", Decimal("4.95")),
        ("score_price", Decimal("3.95")), ("score_competitors", Decimal("4.00"))]
    assert {n for *_rest, n in rows} == {20}


def test_top_problem_categories(data):
    F_ = M.VisitIssue
    F_.update(category="delivery").where(F_.customer.in_([c.id for c in data[:3]])).execute()
    top = kpi_charts.top_problems(K.JANUARY)
    assert top[:3] == [(kpi_charts.COMPLAINT, "Product quality", 9),
                       (kpi_charts.VISIT_PROBLEM, "Other", 8),
                       (kpi_charts.VISIT_PROBLEM, "Delivery", 3)]


def test_at_risk_customers_by_reason(data, users):
    C = M.Customer
    C.update(at_risk=True, lifecycle="dormant").where(C.id == data[10].id).execute()
    C.update(at_risk=True, credit_limit=Decimal("1000")).where(C.id == data[33].id).execute()
    C.update(at_risk=True).where(C.id == data[31].id).execute()
    M.Visit.update(satisfaction=2).where(M.Visit.customer == data[31]).execute()
    total, reasons = kpi_charts.at_risk_by_reason(now=K.NOW, rules=RULES)
    # 33 has the overdue complaint C7 and a credit limit below its purchases.
    assert total == 3
    assert reasons == [("dormant", "No sale for a long time", 1),
                       ("overdue_complaint", "An open complaint is past its closing deadline", 1),
                       ("low_satisfaction", "Low satisfaction at the last visit", 1),
                       ("credit_exceeded", "Annual purchase above the credit limit", 1)]
    total, _reasons = kpi_charts.at_risk_by_reason(now=K.NOW, rules=RULES, user=users["spec1"])
    assert total == 1
