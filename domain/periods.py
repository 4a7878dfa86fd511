"""Reporting periods: a month, a quarter, a year or a date range.

A period is the half-open day range [start, end): ``end`` is the day after
the last day, so "in the period" is always ``start <= day < end`` and a
datetime belongs to it when ``start 00:00 <= t < end 00:00``. The previous
period of a month, quarter or year is the calendar unit before it (February
is compared with January, whatever their lengths); the previous period of a
date range is the range of the same number of days just before it.

Pure: no database, no Flask; ``today`` is always passed in.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .i18n import N_, TranslatableError
from .values import FIRST_YEAR, LAST_YEAR

KINDS = (
    ("month", N_("Month")),
    ("quarter", N_("Quarter")),
    ("year", N_("Year")),
    ("range", N_("Date range")),
)
# A range longer than this is refused: a figure over decades means nothing and
# the charts would get thousands of buckets.
MAX_RANGE_DAYS = 366 * 5

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


class PeriodError(TranslatableError):
    """A period the user asked for that cannot be read."""


@dataclass(frozen=True)
class Period:
    kind: str       # month | quarter | year | range
    start: date     # first day
    end: date       # day after the last day

    @property
    def last(self):
        return self.end - timedelta(days=1)

    @property
    def days(self):
        return (self.end - self.start).days

    @property
    def start_at(self):
        """The first moment of the period (for datetime columns)."""
        return datetime.combine(self.start, time())

    @property
    def end_at(self):
        """The first moment after the period."""
        return datetime.combine(self.end, time())

    @property
    def key(self):
        """Its short name, also what ``parse`` reads back: 2027-01, 2027-Q1,
        2027, 2027-01-05~2027-02-10."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}~{self.last.isoformat()}"

    def query(self):
        """The query-string arguments that select this period (``from_query``)."""
        if self.kind == "range":
            return {"period": "range", "start": self.start.isoformat(),
                    "end": self.last.isoformat()}
        return {"period": self.kind, self.kind: self.key}


def _year(number):
    """A period's year: 1900 to 2100 (domain.values), so its neighbours exist."""
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise PeriodError(N_("Years must lie between %(first)d and %(last)d."),
                          first=FIRST_YEAR, last=LAST_YEAR)
    return number


def month(year, number):
    start = date(_year(year), number, 1)
    return Period("month", start, _add_months(start, 1))


def quarter(year, number):
    start = date(_year(year), 3 * (number - 1) + 1, 1)
    return Period("quarter", start, _add_months(start, 3))


def year(number):
    return Period("year", date(_year(number), 1, 1), date(number + 1, 1, 1))


def date_range(first, last):
    """The range from ``first`` to ``last``, both days included."""
    _year(first.year), _year(last.year)
    if last < first:
        raise PeriodError(N_("The end of the range is before its start."))
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError(N_("A date range may cover at most five years."))
    return Period("range", first, last + timedelta(days=1))


def containing(kind, day):
    """The month, quarter or year that contains ``day``."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    raise PeriodError(N_("Unknown kind of period %(kind)s."), kind=kind)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day(text):
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise PeriodError(N_("%(value)s is not a date like 2027-01-31."),
                          value=text or "") from None


def parse(kind, value):
    """The period of ``kind`` written ``value`` (see ``Period.key``)."""
    text = (value or "").strip()
    try:
        if kind == "month" and (m := _MONTH.match(text)):
            return month(int(m.group(1)), int(m.group(2)))
        if kind == "quarter" and (m := _QUARTER.match(text)):
            return quarter(int(m.group(1)), int(m.group(2)))
        if kind == "year" and (m := _YEAR.match(text)):
            return year(int(m.group(1)))
    except PeriodError:
        raise
    except ValueError:  # month 13
        pass
    if kind == "range":
        first, _sep, last = text.partition("~")
        return date_range(_day(first), _day(last))
    if kind not in dict(KINDS):
        raise PeriodError(N_("Unknown kind of period %(kind)s."), kind=kind)
    examples = {"month": "2027-01", "quarter": "2027-Q1", "year": "2027"}
    raise PeriodError(N_("%(value)s is not a period like %(example)s."),
                      value=text, example=examples[kind])


def from_query(args, today):
    """The period a query string asks for (``Period.query`` writes one):
    ``period`` = month (default) | quarter | year | range, then ``month`` /
    ``quarter`` / ``year`` / ``start`` + ``end``. A missing value means the
    one containing ``today``. Raises PeriodError on a value it cannot read."""
    kind = (args.get("period") or "month").strip()
    if kind == "range":
        first, last = args.get("start"), args.get("end")
        if not first and not last:
            return containing("month", today)
        return date_range(_day(first or last), _day(last or first))
    if kind not in ("month", "quarter", "year"):
        raise PeriodError(N_("Unknown kind of period %(kind)s."), kind=kind)
    value = args.get(kind)
    return parse(kind, value) if value else containing(kind, today)


def previous(period):
    """The period just before ``period``, of the same kind and length."""
    if period.kind == "month":
        return Period("month", _add_months(period.start, -1), period.start)
    if period.kind == "quarter":
        return Period("quarter", _add_months(period.start, -3), period.start)
    if period.kind == "year":
        return Period("year", date(period.start.year - 1, 1, 1), period.start)
    return Period("range", period.start - timedelta(days=period.days), period.start)


def last_full_month(today):
    """The month before the one containing ``today`` (a monthly report run on
    the 1st prints the month just ended)."""
    return previous(containing("month", today))


def weeks(period):
    """[start, end) day pairs of the weeks (Monday to Sunday) the period
    touches, the first and last clipped to the period."""
    out, start = [], period.start
    while start < period.end:
        monday = start - timedelta(days=start.weekday())
        end = min(monday + timedelta(days=7), period.end)
        out.append((start, end))
        start = end
    return out


def months(period, at_least=1):
    """The months the period touches, oldest first; at least ``at_least``
    months, going back from the period's last month (a monthly chart of a
    single month shows the months before it too)."""
    first = date(period.start.year, period.start.month, 1)
    last = date(period.last.year, period.last.month, 1)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < at_least:
        first = _add_months(last, 1 - at_least)
        count = at_least
    return [month(d.year, d.month) for d in (_add_months(first, i) for i in range(count))]
