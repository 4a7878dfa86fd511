"""The holiday register as a calendar; loading the official schedule (service and CLI)."""
from datetime import date, datetime

import pytest

from admin_app.cli_calendar import load_holidays_command
from domain.rules import Rules
from models import AuditLog, Holiday
from services.calendar import HolidaySourceError, load_calendar, load_official_holidays

# 2026: 33 holiday dates (weekends inside the breaks included) and 6 make-up days.
OFFICIAL_2026 = 39


def test_loading_a_year_twice_adds_nothing_the_second_time(app):
    assert load_official_holidays(2026) == {"added": OFFICIAL_2026, "kept": 0}
    assert load_official_holidays(2026) == {"added": 0, "kept": OFFICIAL_2026}
    assert Holiday.select().count() == OFFICIAL_2026
    assert AuditLog.select().where(AuditLog.register == "holiday").count() == 1


def test_rows_carry_chinese_names_and_make_up_days(app):
    load_official_holidays(2026)
    by_day = {h.day: h for h in Holiday.select()}
    assert (by_day[date(2026, 2, 17)].name, by_day[date(2026, 2, 17)].is_working_day) == (
        "春节", False)
    assert (by_day[date(2026, 2, 14)].name, by_day[date(2026, 2, 14)].is_working_day) == (
        "春节调休", True)
    assert by_day[date(2026, 10, 1)].name == "国庆节"
    assert by_day[date(2026, 9, 25)].name == "中秋节"
    assert by_day[date(2026, 10, 10)].name == "国庆节调休"
    assert by_day[date(2026, 1, 1)].created_at is not None


def test_a_hand_entered_row_wins(app):
    Holiday.create(day=date(2026, 10, 8), name="店庆", is_working_day=False)
    Holiday.create(day=date(2026, 10, 10), name="本店不调休", is_working_day=False)
    result = load_official_holidays(2026)
    assert result == {"added": OFFICIAL_2026 - 1, "kept": 1}
    assert Holiday.get(Holiday.day == date(2026, 10, 10)).name == "本店不调休"
    calendar = load_calendar()
    assert not calendar.is_working_day(date(2026, 10, 8))
    assert not calendar.is_working_day(date(2026, 10, 10))
    assert calendar.add_working_days(datetime(2026, 9, 30, 9), 1) == datetime(2026, 10, 9, 9)


def test_a_year_the_package_does_not_know_is_refused_and_nothing_written(app):
    with pytest.raises(HolidaySourceError) as caught:
        load_official_holidays(2099)
    assert "2099" in str(caught.value) and "Holidays register" in str(caught.value)
    assert caught.value.params["year"] == 2099
    assert Holiday.select().count() == 0
    assert AuditLog.select().count() == 0


def test_load_calendar_reflects_the_register(app):
    assert load_calendar().missing_years(date(2026, 1, 1), date(2026, 12, 31)) == [2026]
    Holiday.create(day=date(2027, 10, 1), name="国庆节", is_working_day=False)
    Holiday.create(day=date(2027, 9, 26), name="国庆节调休", is_working_day=True)
    calendar = load_calendar()
    assert calendar.known_years == {2027}
    assert calendar.missing_years(date(2026, 12, 1), date(2027, 12, 31)) == [2026]
    assert not calendar.is_working_day(date(2027, 10, 1))   # a Friday
    assert calendar.is_working_day(date(2027, 9, 26))       # a Sunday
    assert calendar.weekdays == {1, 2, 3, 4, 5}


def test_load_calendar_takes_working_weekdays_from_the_rules(app):
    rules = Rules([("working_weekdays", "1,2,3,4,5,6", "text")])
    assert load_calendar(rules).is_working_day(date(2026, 3, 7))  # a Saturday


def test_cli_loads_a_year_and_says_how_many(app):
    runner = app.test_cli_runner()
    first = runner.invoke(load_holidays_command, ["2026"])
    assert first.exit_code == 0, first.output
    assert f"2026: {OFFICIAL_2026} added, 0 already on record" in first.output
    again = runner.invoke(load_holidays_command, ["2026"])
    assert f"2026: 0 added, {OFFICIAL_2026} already on record" in again.output


def test_cli_explains_an_unknown_year(app):
    result = app.test_cli_runner().invoke(load_holidays_command, ["2099"])
    assert result.exit_code == 1
    assert "2099" in result.output and "Holidays register" in result.output
    assert Holiday.select().count() == 0
