"""Customer care greetings: domain/care.py, services/care.py, the CLI and the page."""
from datetime import date

import pytest

import models as M
from admin_app.cli_care import generate_care_command
from domain import care as D
from domain.calendar import WorkCalendar
from services.care import generate_care
from tests import factories as F
from tests.conftest import login

NEW_YEAR = [(date(2027, 1, 1), "元旦"), (date(2027, 1, 2), "元旦"), (date(2027, 1, 3), "元旦")]


def plan(year=2027, month=1, customers=((1, False),), contacts=(), holidays=(), existing=(),
         calendar=None):
    return D.care_events_for_month(year, month, customers=customers, contacts=contacts,
                                   holidays=holidays, existing=existing, calendar=calendar)


# ----------------------------------------------------------------- domain

def test_birthdays_of_the_month():
    contacts = [(10, 1, date(1980, 1, 15), False), (11, 1, date(1990, 2, 10), False),
                (12, 1, None, True)]
    batch = plan(contacts=contacts)
    assert batch.rows == [D.CareRow(1, 10, "birthday", date(2027, 1, 15), None)]


def test_february_29_in_common_and_leap_years():
    contacts = [(10, 1, date(1992, 2, 29), False)]
    assert plan(2027, 2, contacts=contacts).rows[0].scheduled_for == date(2027, 2, 28)
    assert plan(2028, 2, contacts=contacts).rows[0].scheduled_for == date(2028, 2, 29)


def test_a_holiday_period_is_greeted_once_the_day_before():
    customers = [(1, False), (2, False)]
    contacts = [(10, 1, None, False), (11, 1, None, True), (12, 1, None, True)]
    batch = plan(customers=customers, contacts=contacts, holidays=NEW_YEAR)
    assert batch.rows == [D.CareRow(1, 11, "holiday", date(2026, 12, 31), "元旦"),
                          D.CareRow(2, None, "holiday", date(2026, 12, 31), "元旦")]


def test_periods_join_over_days_off_and_split_on_names():
    days = [(date(2027, 2, 19), "假期"), (date(2027, 2, 22), "假期"),  # Fri + Mon
            (date(2027, 2, 23), "另一个")]
    assert [p[0] for p in D.holiday_periods(days)] == [date(2027, 2, 19), date(2027, 2, 22),
                                                       date(2027, 2, 23)]
    assert D.holiday_periods(days, WorkCalendar()) == [
        (date(2027, 2, 19), date(2027, 2, 22), "假期"),
        (date(2027, 2, 23), date(2027, 2, 23), "另一个")]
    assert len(plan(2027, 2, holidays=days, calendar=WorkCalendar()).rows) == 2


def test_a_period_begun_last_month_is_not_greeted_again():
    days = [(date(2026, 12, 31), "元旦"), (date(2027, 1, 1), "元旦")]
    assert plan(holidays=days).rows == []
    assert len(plan(2026, 12, holidays=days).rows) == 1


def test_do_not_disturb_customers_get_nothing():
    batch = plan(customers=[(1, True), (2, False)],
                 contacts=[(10, 1, date(1980, 1, 5), True), (20, 2, date(1980, 1, 6), True)],
                 holidays=NEW_YEAR)
    assert {r.customer_id for r in batch.rows} == {2}
    assert batch.skipped_dnd == 2 and len(batch.rows) == 2


def test_never_twice():
    contacts = [(10, 1, date(1980, 1, 5), True), (11, 1, None, False)]
    first = plan(contacts=contacts, holidays=NEW_YEAR)
    existing = [(r.customer_id, r.contact_id, r.kind, r.scheduled_for) for r in first.rows]
    again = plan(contacts=contacts, holidays=NEW_YEAR, existing=existing)
    assert again.rows == [] and again.existing == 2
    # A new primary contact does not get a second holiday greeting.
    moved = [(10, 1, date(1980, 1, 5), False), (11, 1, None, True)]
    assert plan(contacts=moved, holidays=NEW_YEAR, existing=existing).rows == []


# ----------------------------------------------------------------- service, CLI, page

@pytest.fixture
def book(users):
    a = F.customer(owner=users["spec1"], name="甲公司")
    b = F.customer(owner=users["spec1"], name="乙公司", do_not_disturb=True)
    c = F.customer(owner=users["spec2"], name="丙公司")
    out = dict(a=a, b=b, c=c)
    out["a_boss"] = M.Contact.create(customer=a, name="周总", birthday=date(1975, 1, 20),
                                     is_primary=True)
    out["a_leap"] = M.Contact.create(customer=a, name="吴工", birthday=date(1992, 2, 29))
    M.Contact.create(customer=b, name="郑经理", birthday=date(1980, 1, 5), is_primary=True)
    for day, name in NEW_YEAR:
        M.Holiday.create(day=day, name=name)
    M.Holiday.create(day=date(2027, 1, 9), name="元旦调休", is_working_day=True)
    return out


def events():
    return sorted((e.customer_id, e.contact_id, e.kind, e.scheduled_for)
                  for e in M.CareEvent.select())


def test_service_generates_the_month_once(book):
    a, c = book["a"], book["c"]
    result = generate_care(2027, 1)
    assert result == {"added": 3, "skipped_dnd": 2, "existing": 0}
    assert events() == sorted([
        (a.id, book["a_boss"].id, "birthday", date(2027, 1, 20)),
        (a.id, book["a_boss"].id, "holiday", date(2026, 12, 31)),
        (c.id, None, "holiday", date(2026, 12, 31))])
    assert generate_care(2027, 1) == {"added": 0, "skipped_dnd": 2, "existing": 3}
    assert M.CareEvent.select().count() == 3
    assert M.AuditLog.select().where(M.AuditLog.register == "care_event").count() == 1


def test_service_february_29_and_customer_limit(book):
    assert generate_care(2027, 2, customer_ids=[book["a"].id])["added"] == 1
    assert M.CareEvent.get().scheduled_for == date(2027, 2, 28)
    assert generate_care(2028, 2, customer_ids=[book["c"].id])["added"] == 0


def test_cli_generate_care(app, book):
    runner = app.test_cli_runner()
    result = runner.invoke(generate_care_command, ["--month", "2027-01"])
    assert result.exit_code == 0, result.output
    assert "3 greetings added, 2 left out (do not disturb), 0 already scheduled" in result.output
    result = runner.invoke(generate_care_command, ["--month", "2027-01"])
    assert "0 greetings added" in result.output and "3 already scheduled" in result.output
    assert M.CareEvent.select().count() == 3
    bad = runner.invoke(generate_care_command, ["--month", "2027-13"])
    assert bad.exit_code != 0


def test_generate_page_limits_a_specialist_to_own_customers(client, users, book):
    login(client, "spec1")
    assert 'id="generate-care"' in client.get("/admin/care_event/").get_data(as_text=True)
    assert client.get("/admin/care_event/generate/").status_code == 200
    r = client.post("/admin/care_event/generate/", data={"month": "2027-01"},
                    follow_redirects=True)
    assert "2 greetings added" in r.get_data(as_text=True)
    assert {e[0] for e in events()} == {book["a"].id}


def test_generate_page_is_for_office_roles(client, users, book):
    login(client, "tech")
    assert client.post("/admin/care_event/generate/", data={"month": "2027-01"}).status_code == 403
    assert M.CareEvent.select().count() == 0
