"""Customer care: which birthday and holiday greetings a month needs.

Pure: the service passes plain tuples read from the registers and inserts the
rows this returns. Rules (SPEC.md register 14 and the issue):

- A birthday greeting per contact whose birthday falls in the month, on that
  day of the month (29 February becomes 28 February in a common year).
- A holiday greeting per customer per holiday *period* that starts in the
  month: consecutive days off with the same name count once (days between
  them that are not working days, e.g. a weekend, do not break a period).
  It is scheduled the day before the period starts and goes to the
  customer's primary contact (the lowest id if several are primary), or to
  the customer itself (contact None) when no contact is primary.
- Never for a do-not-disturb customer; never twice: a birthday greeting is
  already there for the same (customer, contact, day); a holiday greeting for
  the same (customer, day), whoever the contact was.
"""
import calendar as _cal
from collections import namedtuple
from datetime import date, timedelta

BIRTHDAY, HOLIDAY = "birthday", "holiday"

CustomerRow = namedtuple("CustomerRow", "customer_id do_not_disturb")
ContactRow = namedtuple("ContactRow", "contact_id customer_id birthday is_primary")
CareRow = namedtuple("CareRow", "customer_id contact_id kind scheduled_for notes")
CareBatch = namedtuple("CareBatch", "rows skipped_dnd existing")


def birthday_in(birthday, year, month):
    """The day ``birthday`` is celebrated in ``year``/``month``, or None."""
    if birthday is None or birthday.month != month:
        return None
    last = _cal.monthrange(year, month)[1]
    return date(year, month, min(birthday.day, last))


def holiday_periods(holidays, calendar=None):
    """[(first day, last day, name)] of runs of days off with the same name.

    ``holidays``: (date, name) of days off. Two days of the same name belong to
    one period when every day between them is not a working day of
    ``calendar`` (without a calendar, only adjacent days join).
    """
    periods = []
    for day, name in sorted(holidays):
        if periods:
            first, last, prev_name = periods[-1]
            if name == prev_name and _joined(last, day, calendar):
                periods[-1] = (first, day, name)
                continue
        periods.append((day, day, name))
    return periods


def _joined(last, day, calendar):
    gap = (day - last).days
    if gap <= 1:
        return True
    if calendar is None:
        return False
    return all(not calendar.is_working_day(last + timedelta(days=i)) for i in range(1, gap))


def care_events_for_month(year, month, *, customers, contacts, holidays, existing,
                          calendar=None):
    """The greetings to add for ``year``/``month``, as a CareBatch.

    ``customers``: CustomerRow-like (customer_id, do_not_disturb);
    ``contacts``: ContactRow-like (contact_id, customer_id, birthday, is_primary);
    ``holidays``: (date, name) of days off, including at least the day before
    the month so a period running into the month is not counted again;
    ``existing``: (customer_id, contact_id, kind, scheduled_for) already on record.
    ``rows`` are CareRow; ``skipped_dnd`` counts greetings left out for
    do-not-disturb customers; ``existing`` counts those already on record.
    """
    customers = [CustomerRow._make(c) for c in customers]
    dnd = {c.customer_id for c in customers if c.do_not_disturb}
    customer_ids = sorted({c.customer_id for c in customers})
    known = {tuple(e) for e in existing}
    holiday_known = {(cust, day) for cust, _contact, kind, day in known if kind == HOLIDAY}
    rows, skipped, already = [], 0, 0

    contacts = sorted((ContactRow._make(c) for c in contacts), key=lambda c: c.contact_id)
    for c in contacts:
        day = birthday_in(c.birthday, year, month)
        if day is None:
            continue
        if c.customer_id in dnd:
            skipped += 1
        elif (c.customer_id, c.contact_id, BIRTHDAY, day) in known:
            already += 1
        else:
            rows.append(CareRow(c.customer_id, c.contact_id, BIRTHDAY, day, None))

    primary = {}
    for c in contacts:
        if c.is_primary:
            primary.setdefault(c.customer_id, c.contact_id)
    first_of_month = date(year, month, 1)
    last_of_month = date(year, month, _cal.monthrange(year, month)[1])
    for first, _last, name in holiday_periods(holidays, calendar):
        if not first_of_month <= first <= last_of_month:
            continue
        day = first - timedelta(days=1)
        for cust in customer_ids:
            if cust in dnd:
                skipped += 1
            elif (cust, day) in holiday_known:
                already += 1
            else:
                rows.append(CareRow(cust, primary.get(cust), HOLIDAY, day, name))
    return CareBatch(rows, skipped, already)
