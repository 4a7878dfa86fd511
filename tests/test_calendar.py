"""Working-day arithmetic on China's real 2026 schedule (as published by the
State Council and shipped in chinesecalendar 1.11.0). No app, no database."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from domain.calendar import WorkCalendar, missing_schedule_warning


def days(first, last):
    return [first + timedelta(n) for n in range((last - first).days + 1)]


D = date
HOLIDAYS_2026 = (
    days(D(2026, 1, 1), D(2026, 1, 3))         # 元旦
    + days(D(2026, 2, 15), D(2026, 2, 23))     # 春节
    + days(D(2026, 4, 4), D(2026, 4, 6))       # 清明节
    + days(D(2026, 5, 1), D(2026, 5, 5))       # 劳动节
    + days(D(2026, 6, 19), D(2026, 6, 21))     # 端午节
    + days(D(2026, 9, 25), D(2026, 9, 27))     # 中秋节
    + days(D(2026, 10, 1), D(2026, 10, 7))     # 国庆节
)
MAKE_UP_2026 = [
    D(2026, 1, 4),    # Sunday, 元旦调休
    D(2026, 2, 14),   # Saturday, 春节调休
    D(2026, 2, 28),   # Saturday, 春节调休
    D(2026, 5, 9),    # Saturday, 劳动节调休
    D(2026, 9, 20),   # Sunday, 国庆节调休
    D(2026, 10, 10),  # Saturday, 国庆节调休
]
CAL = WorkCalendar(holidays=HOLIDAYS_2026, workdays=MAKE_UP_2026, known_years={2026})


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm)


# --- single days --------------------------------------------------------------

@pytest.mark.parametrize("day, works", [
    (D(2026, 3, 6), True),     # Friday
    (D(2026, 3, 7), False),    # Saturday
    (D(2026, 3, 8), False),    # Sunday
    (D(2026, 10, 1), False),   # National Day, Thursday
    (D(2026, 10, 5), False),   # Golden Week, Monday
    (D(2026, 10, 8), True),    # first day back
    (D(2026, 10, 10), True),   # make-up Saturday
    (D(2026, 9, 20), True),    # make-up Sunday
    (D(2026, 2, 14), True),    # make-up Saturday before Spring Festival
    (D(2026, 2, 16), False),   # Spring Festival, Monday
    (D(2026, 1, 4), True),     # make-up Sunday after New Year
    (D(2026, 1, 2), False),    # New Year holiday, Friday
])
def test_is_working_day(day, works):
    assert CAL.is_working_day(day) is works
    assert CAL.is_working_day(datetime.combine(day, time(9))) is works


def test_next_and_previous_working_day():
    assert CAL.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert CAL.next_working_day(D(2026, 10, 8)) == D(2026, 10, 9)
    assert CAL.next_working_day(D(2026, 10, 8), include_today=True) == D(2026, 10, 8)
    assert CAL.next_working_day(D(2026, 10, 9)) == D(2026, 10, 10)
    assert CAL.previous_working_day(D(2026, 10, 8)) == D(2026, 9, 30)
    assert CAL.previous_working_day(D(2026, 2, 23)) == D(2026, 2, 14)
    assert CAL.previous_working_day(D(2026, 3, 2)) == D(2026, 2, 28)
    assert CAL.previous_working_day(D(2026, 3, 2), include_today=True) == D(2026, 3, 2)


# --- N working days after t ---------------------------------------------------

@pytest.mark.parametrize("start, n, expected", [
    (at(2026, 3, 6), 1, at(2026, 3, 9)),               # Friday -> Monday
    (at(2026, 3, 6), 5, at(2026, 3, 13)),              # a plain week
    (at(2026, 9, 30, 15), 1, at(2026, 10, 8, 15)),     # over Golden Week
    (at(2026, 9, 30, 15), 3, at(2026, 10, 10, 15)),    # lands on the make-up Saturday
    (at(2026, 9, 30, 15), 4, at(2026, 10, 12, 15)),
    (at(2026, 9, 18), 1, at(2026, 9, 20)),             # make-up Sunday counts
    (at(2026, 9, 24), 1, at(2026, 9, 28)),             # over Mid-Autumn
    (at(2026, 2, 13), 1, at(2026, 2, 14)),             # make-up Saturday
    (at(2026, 2, 13), 2, at(2026, 2, 24)),             # over Spring Festival
    (at(2026, 2, 27), 1, at(2026, 2, 28)),
    (at(2026, 2, 27), 2, at(2026, 3, 2)),
    (at(2026, 4, 30), 1, at(2026, 5, 6)),              # over Labour Day
    (at(2026, 12, 31), 1, at(2027, 1, 1)),             # 2027 not on record: weekdays only
])
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_from_a_non_working_day_counts_the_next_working_day_as_one():
    assert CAL.add_working_days(at(2026, 3, 7, 9, 30), 1) == at(2026, 3, 9, 9, 30)  # Saturday
    assert CAL.add_working_days(at(2026, 3, 8, 23, 59), 1) == at(2026, 3, 9, 23, 59)  # Sunday
    assert CAL.add_working_days(at(2026, 10, 3), 1) == at(2026, 10, 8)  # mid-Golden Week
    assert CAL.add_working_days(at(2026, 2, 15), 2) == at(2026, 2, 25)


def test_zero_working_days_is_t_unchanged_even_on_a_holiday():
    assert CAL.add_working_days(at(2026, 10, 3, 11), 0) == at(2026, 10, 3, 11)


def test_add_working_days_keeps_type_and_timezone():
    assert CAL.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert type(CAL.add_working_days(D(2026, 9, 30), 1)) is date
    cst = timezone(timedelta(hours=8))
    result = CAL.add_working_days(datetime(2026, 9, 30, 17, 45, tzinfo=cst), 1)
    assert result == datetime(2026, 10, 8, 17, 45, tzinfo=cst)
    assert result.tzinfo is cst


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(at(2026, 3, 6), -1)


def test_complaint_closed_within_seven_working_days_over_golden_week():
    received = at(2026, 9, 29, 17, 45)
    # Sep 30, Oct 8, 9, 10 (make-up Saturday), 12, 13, 14
    assert CAL.add_working_days(received, 7) == at(2026, 10, 14, 17, 45)


def test_hours_are_clock_hours_even_over_holidays():
    assert CAL.add_hours(at(2026, 9, 30, 20), 24) == at(2026, 10, 1, 20)
    assert CAL.add_hours(at(2026, 9, 30, 20), 48) == at(2026, 10, 2, 20)
    assert CAL.add_hours(at(2026, 3, 6, 23, 30), 1) == at(2026, 3, 7, 0, 30)
    assert CAL.add_hours(at(2026, 3, 6, 8), Decimal("12")) == at(2026, 3, 6, 20)


def test_deadline_on_a_date_takes_the_time_of_day_rule():
    assert CAL.deadline_on(D(2026, 10, 8), time(18, 0)) == datetime(2026, 10, 8, 18, 0)
    due = CAL.add_working_days(D(2026, 9, 30), 3)
    assert CAL.deadline_on(due, time(17, 30)) == datetime(2026, 10, 10, 17, 30)


def test_working_days_between():
    assert CAL.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert CAL.working_days_between(D(2026, 3, 6), D(2026, 3, 13)) == 5
    assert CAL.working_days_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    assert CAL.working_days_between(D(2026, 3, 13), D(2026, 3, 6)) == 0
    assert CAL.working_days_between(at(2026, 2, 13), at(2026, 3, 2)) == 7  # 14, 24-28, 2 Mar
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248  # as chinese_calendar counts 2026


def test_other_working_weekdays():
    six_days = WorkCalendar(holidays=HOLIDAYS_2026, weekdays={1, 2, 3, 4, 5, 6})
    assert six_days.add_working_days(at(2026, 3, 6), 1) == at(2026, 3, 7)
    assert six_days.add_working_days(at(2026, 3, 7), 1) == at(2026, 3, 9)
    with pytest.raises(ValueError):
        WorkCalendar(weekdays=())
    with pytest.raises(ValueError):
        WorkCalendar(weekdays={0, 1})


# --- years on record ------------------------------------------------------------

def test_missing_years():
    assert CAL.missing_years(D(2026, 1, 1), D(2026, 12, 31)) == []
    assert CAL.missing_years(D(2026, 11, 1), D(2027, 2, 1)) == [2027]
    assert CAL.missing_years(D(2025, 12, 1), D(2027, 1, 1)) == [2025, 2027]
    assert WorkCalendar().missing_years(D(2026, 10, 1), D(2026, 10, 7)) == [2026]


def test_missing_schedule_warning():
    assert missing_schedule_warning([]) is None
    msgid, params = missing_schedule_warning([2027])
    assert "%(years)s" in msgid
    assert params == {"years": "2027"}
    warning = missing_schedule_warning([2027, 2025, 2027])
    assert warning.params == {"years": "2025, 2027"}
    assert "2025, 2027" in str(warning) and "Holidays register" in str(warning)


# --- spreading due dates over a period --------------------------------------------

def test_spread_twelve_a_year_gives_one_working_day_a_month():
    due = CAL.spread(D(2026, 1, 1), D(2026, 12, 31), 12)
    assert [d.month for d in due] == list(range(1, 13))
    assert all(CAL.is_working_day(d) for d in due)
    gaps = [(b - a).days for a, b in zip(due, due[1:])]
    assert all(20 <= g <= 40 for g in gaps), gaps  # Spring Festival pushes Feb back
    assert due[1] == D(2026, 2, 24)  # mid-February is Spring Festival: moved after it


def test_spread_four_a_year_gives_one_a_quarter():
    due = CAL.spread(D(2026, 1, 1), D(2026, 12, 31), 4)
    assert [(d.month - 1) // 3 for d in due] == [0, 1, 2, 3]
    assert all(CAL.is_working_day(d) for d in due)


def test_spread_one_falls_mid_period():
    assert CAL.spread(D(2026, 10, 1), D(2026, 12, 31), 1) == [D(2026, 11, 16)]
    assert CAL.spread(D(2026, 10, 1), D(2026, 10, 10), 1) == [D(2026, 10, 8)]


def test_spread_moves_back_when_the_next_working_day_is_after_the_period():
    assert CAL.spread(D(2026, 9, 28), D(2026, 10, 7), 1) == [D(2026, 9, 30)]


def test_spread_over_a_period_with_no_working_day_goes_to_the_first_after_it():
    assert CAL.spread(D(2026, 10, 1), D(2026, 10, 7), 2) == [D(2026, 10, 8)] * 2


def test_spread_edge_counts():
    assert CAL.spread(D(2026, 1, 1), D(2026, 12, 31), 0) == []
    assert CAL.spread(D(2026, 3, 9), D(2026, 3, 9), 1) == [D(2026, 3, 9)]
    with pytest.raises(ValueError):
        CAL.spread(D(2026, 3, 9), D(2026, 3, 8), 1)


# --- properties -----------------------------------------------------------------

FAST = settings(max_examples=200, deadline=None, database=None)
dates_2026 = st.dates(D(2025, 12, 1), D(2027, 1, 31))
moments = st.builds(datetime.combine, dates_2026, st.times())
small = st.integers(0, 40)


@st.composite
def calendars(draw):
    """Random calendars: any holidays and make-up days, any non-empty week."""
    year = st.dates(D(2026, 1, 1), D(2026, 12, 31))
    return WorkCalendar(holidays=draw(st.sets(year, max_size=80)),
                        workdays=draw(st.sets(year, max_size=10)),
                        weekdays=draw(st.sets(st.integers(1, 7), min_size=1)))


any_calendar = st.one_of(st.just(CAL), calendars())


@FAST
@given(any_calendar, st.one_of(dates_2026, moments), st.integers(1, 40))
def test_result_is_a_working_day_strictly_after_t_at_the_same_clock_time(cal, t, n):
    result = cal.add_working_days(t, n)
    assert result > t
    assert cal.is_working_day(result)
    assert type(result) is type(t)
    if isinstance(t, datetime):
        assert result.time() == t.time()


@FAST
@given(any_calendar, st.one_of(dates_2026, moments), small, small)
def test_adding_a_plus_b_is_adding_a_then_b(cal, t, a, b):
    assert cal.add_working_days(t, a + b) == cal.add_working_days(cal.add_working_days(t, a), b)


@FAST
@given(any_calendar, dates_2026, small)
def test_working_days_between_counts_back_what_was_added(cal, t, n):
    assert cal.working_days_between(t, cal.add_working_days(t, n)) == n


@FAST
@given(any_calendar, dates_2026)
def test_next_working_day_skips_only_non_working_days(cal, d):
    following = cal.next_working_day(d)
    assert following > d and cal.is_working_day(following)
    assert cal.working_days_between(d, following - timedelta(1)) == 0
    assert cal.previous_working_day(following + timedelta(1)) == following
    assert cal.next_working_day(d, include_today=True) == (
        d if cal.is_working_day(d) else following)


@FAST
@given(any_calendar, dates_2026, st.integers(0, 200), st.integers(1, 12))
def test_spread_stays_in_the_period_on_working_days_in_order(cal, start, length, count):
    end = start + timedelta(length)
    due = cal.spread(start, end, count)
    assert len(due) == count
    assert due == sorted(due)
    assert all(cal.is_working_day(d) for d in due)
    if cal.working_days_between(start - timedelta(1), end):
        assert all(start <= d <= end for d in due)
