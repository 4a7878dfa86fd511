"""domain/periods.py: reading, naming and stepping back reporting periods (no app)."""
from datetime import date, datetime

import pytest

from domain import periods as P

TODAY = date(2027, 2, 14)


def test_a_month_quarter_and_year_are_half_open_ranges():
    jan = P.month(2027, 1)
    assert (jan.start, jan.end, jan.last, jan.days) == (
        date(2027, 1, 1), date(2027, 2, 1), date(2027, 1, 31), 31)
    assert (jan.start_at, jan.end_at) == (datetime(2027, 1, 1), datetime(2027, 2, 1))
    q4 = P.quarter(2026, 4)
    assert (q4.start, q4.end, q4.key) == (date(2026, 10, 1), date(2027, 1, 1), "2026-Q4")
    assert (P.year(2027).start, P.year(2027).end, P.year(2027).key) == (
        date(2027, 1, 1), date(2028, 1, 1), "2027")


@pytest.mark.parametrize("kind, text, key", [
    ("month", "2027-01", "2027-01"), ("month", " 2027-1 ", "2027-01"),
    ("quarter", "2027-Q1", "2027-Q1"), ("quarter", "2027q4", "2027-Q4"),
    ("year", "2027", "2027"),
    ("range", "2027-01-05~2027-02-10", "2027-01-05~2027-02-10"),
])
def test_parse_reads_back_the_key(kind, text, key):
    period = P.parse(kind, text)
    assert period.key == key and P.parse(kind, period.key) == period


@pytest.mark.parametrize("kind, text", [
    ("month", "2027-13"), ("month", "January"), ("quarter", "2027-Q5"), ("year", "27"),
    ("range", "2027-02-10~2027-01-05"), ("range", "2027-01-05~nope"), ("week", "2027-01"),
    ("range", "2020-01-01~2027-01-01"),
])
def test_unreadable_periods_are_refused_with_a_message(kind, text):
    with pytest.raises(P.PeriodError) as caught:
        P.parse(kind, text)
    assert caught.value.msgid  # translatable


def test_from_query_defaults_to_the_current_month():
    assert P.from_query({}, TODAY) == P.month(2027, 2)
    assert P.from_query({"period": "quarter"}, TODAY) == P.quarter(2027, 1)
    assert P.from_query({"period": "year", "year": "2026"}, TODAY) == P.year(2026)
    ranged = P.from_query({"period": "range", "start": "2027-01-05", "end": "2027-01-05"}, TODAY)
    assert (ranged.start, ranged.end, ranged.days) == (date(2027, 1, 5), date(2027, 1, 6), 1)
    for period in (P.month(2027, 1), P.quarter(2027, 1), P.year(2027), ranged):
        assert P.from_query(period.query(), TODAY) == period
    with pytest.raises(P.PeriodError):
        P.from_query({"period": "month", "month": "2027-00"}, TODAY)


def test_previous_period_of_the_same_kind_and_length():
    assert P.previous(P.month(2027, 1)) == P.month(2026, 12)
    assert P.previous(P.month(2027, 3)).days == 28  # February, whatever March's length
    assert P.previous(P.quarter(2027, 1)) == P.quarter(2026, 4)
    assert P.previous(P.year(2027)) == P.year(2026)
    ranged = P.date_range(date(2027, 1, 5), date(2027, 1, 14))
    before = P.previous(ranged)
    assert (before.start, before.end, before.days) == (date(2026, 12, 26), date(2027, 1, 5), 10)
    assert P.last_full_month(date(2027, 1, 1)) == P.month(2026, 12)


def test_weeks_are_monday_to_sunday_clipped_to_the_period():
    weeks = P.weeks(P.month(2027, 1))  # 1 January 2027 is a Friday
    assert weeks[0] == (date(2027, 1, 1), date(2027, 1, 4))
    assert weeks[1] == (date(2027, 1, 4), date(2027, 1, 11))
    assert weeks[-1] == (date(2027, 1, 25), date(2027, 2, 1))
    assert len(P.weeks(P.year(2027))) == 53


def test_months_of_a_period_at_least_n_back():
    assert [m.key for m in P.months(P.quarter(2027, 1))] == ["2027-01", "2027-02", "2027-03"]
    assert [m.key for m in P.months(P.month(2027, 2), at_least=3)] == [
        "2026-12", "2027-01", "2027-02"]
    ranged = P.date_range(date(2026, 11, 20), date(2027, 1, 3))
    assert [m.key for m in P.months(ranged)] == ["2026-11", "2026-12", "2027-01"]
