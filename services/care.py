"""Generate a month's birthday and holiday greetings (domain/care.py) in one transaction."""
import calendar as _cal
from datetime import date, timedelta

from domain.care import BIRTHDAY, HOLIDAY, care_events_for_month
from domain.clock import now
from models import CareEvent, Contact, Customer, Holiday, db
from services import audit
from services.bulk import insert_rows, tuples_in
from services.calendar import load_calendar

INSERT_FIELDS = (CareEvent.customer, CareEvent.contact, CareEvent.kind, CareEvent.scheduled_for,
                 CareEvent.notes, CareEvent.created_at, CareEvent.updated_at)


def _customers(customer_ids):
    return tuples_in(Customer.select(Customer.id, Customer.do_not_disturb), Customer.id,
                     customer_ids)


def _contacts(customer_ids):
    query = Contact.select(Contact.id, Contact.customer, Contact.birthday, Contact.is_primary)
    # Only contacts that matter: a birthday, or the primary one.
    query = query.where(Contact.birthday.is_null(False)
                        | (Contact.is_primary == True))  # noqa: E712
    return tuples_in(query, Contact.customer, customer_ids)


def generate_care(year, month, *, customer_ids=None, user=None, ip=None, calendar=None):
    """Add the birthday and holiday greetings of ``year``/``month``.

    ``customer_ids`` limits it to those customers (a specialist's own); None
    means every customer. Safe to run twice: what is there is not added again.
    Returns ``{"added", "skipped_dnd", "existing"}``.
    """
    first = date(year, month, 1)
    last = date(year, month, _cal.monthrange(year, month)[1])
    calendar = calendar or load_calendar()
    with db.atomic():
        holidays = list(Holiday.select(Holiday.day, Holiday.name)
                        .where(Holiday.day.between(first - timedelta(days=7), last)
                               & (Holiday.is_working_day == False))  # noqa: E712
                        .tuples())
        existing = list(CareEvent.select(CareEvent.customer, CareEvent.contact, CareEvent.kind,
                                         CareEvent.scheduled_for)
                        .where(CareEvent.kind.in_((BIRTHDAY, HOLIDAY))
                               & CareEvent.scheduled_for.between(first - timedelta(days=1), last))
                        .tuples())
        batch = care_events_for_month(
            year, month, customers=_customers(customer_ids), contacts=_contacts(customer_ids),
            holidays=holidays, existing=existing, calendar=calendar)
        stamp = now()
        rows = [(r.customer_id, r.contact_id, r.kind, r.scheduled_for, r.notes, stamp, stamp)
                for r in batch.rows]
        insert_rows(INSERT_FIELDS, rows)
        result = {"added": len(rows), "skipped_dnd": batch.skipped_dnd,
                  "existing": batch.existing}
        if rows:
            audit.record(user=user, action="action", register="care_event", ip=ip,
                         changes={"generate": [None, f"{year:04d}-{month:02d}"],
                                  "added": [None, len(rows)]})
    return result
