"""Working-day arithmetic (SPEC.md, "Rules": working days and deadlines).

A working day is one of the working weekdays (Monday-Friday by default, the
``working_weekdays`` rule) that is not a holiday, or a make-up working day
(调休, usually a Saturday or Sunday). "N working days after t" is the same
clock time on the N-th working day after t; "H hours after t" is plain clock
hours. The calendar is built from plain dates (services/calendar.py reads them
from the ``holiday`` register), so tests need no database.

Plan generators call these functions hundreds of thousands of times, so days
are held as proleptic ordinals in sets: ``is_working_day`` is two set lookups.
"""
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .i18n import N_

MONDAY_TO_FRIDAY = frozenset({1, 2, 3, 4, 5})


class ScheduleWarning(NamedTuple):
    """A message the UI translates (``gettext(msgid, **params)``) and the CLI
    prints as is (``str(warning)`` is the English text)."""
    msgid: str
    params: dict

    def __str__(self):
        return self.msgid % self.params


def missing_schedule_warning(years):
    """A ScheduleWarning when ``years`` (from ``WorkCalendar.missing_years``)
    is not empty, else None.

    Without a year's official schedule every working weekday counts, National
    Day included; the user must hear about it rather than get a wrong plan.
    """
    years = sorted(set(years))
    if not years:
        return None
    return ScheduleWarning(
        N_("No holidays are on record for %(years)s, so holidays and make-up working "
           "days are not taken into account there. Enter that year's official schedule "
           "in the Holidays register (or run: flask --app wsgi load-holidays YEAR) and "
           "try again."),
        {"years": ", ".join(str(y) for y in years)},
    )


class WorkCalendar:
    """Working days from weekdays, holidays and make-up working days.

    ``holidays``: dates off; ``workdays``: make-up working days; a date in both
    is a working day (the make-up entry is the more specific statement).
    ``known_years``: years whose official schedule is on record.
    ``weekdays``: ISO weekday numbers (1 = Monday) that are working days.
    """

    def __init__(self, holidays=(), workdays=(), known_years=(), weekdays=MONDAY_TO_FRIDAY):
        weekdays = frozenset(int(d) for d in weekdays)
        if not weekdays or not weekdays <= set(range(1, 8)):
            # An empty week would make next_working_day search forever.
            raise ValueError("weekdays must be ISO numbers 1 (Monday) to 7 (Sunday), at least one")
        self.weekdays = weekdays
        self.known_years = frozenset(known_years)
        self._off = frozenset(d.toordinal() for d in holidays)
        self._on = frozenset(d.toordinal() for d in workdays)
        # date(1, 1, 1) has ordinal 1 and is a Monday, so ordinal % 7 is the
        # ISO weekday with Sunday as 0.
        self._weekday_by_mod7 = tuple((m or 7) in weekdays for m in range(7))

    def _works(self, ordinal):
        return ordinal in self._on or (self._weekday_by_mod7[ordinal % 7]
                                       and ordinal not in self._off)

    def is_working_day(self, d):
        return self._works(_day(d).toordinal())

    def _next(self, ordinal):
        """The first working day's ordinal strictly after ``ordinal``."""
        ordinal += 1
        while not self._works(ordinal):
            ordinal += 1
        return ordinal

    def next_working_day(self, d, include_today=False):
        """The first working day after ``d`` (or ``d`` itself if it works and
        ``include_today``)."""
        d = _day(d)
        ordinal = d.toordinal()
        if include_today and self._works(ordinal):
            return d
        return date.fromordinal(self._next(ordinal))

    def previous_working_day(self, d, include_today=False):
        d = _day(d)
        ordinal = d.toordinal()
        if include_today and self._works(ordinal):
            return d
        ordinal -= 1
        while not self._works(ordinal):
            ordinal -= 1
        return date.fromordinal(ordinal)

    def add_working_days(self, t, n):
        """The same clock time on the ``n``-th working day after ``t`` (a date
        or a datetime; the result has the same type and tzinfo).

        Counting starts after ``t``'s day, so from a Saturday one working day
        is Monday. ``n == 0`` returns ``t`` unchanged, even on a holiday.
        """
        if n < 0:
            raise ValueError("n must be zero or more")
        if n == 0:
            return t
        start = _day(t).toordinal()
        ordinal = start
        for _ in range(n):
            ordinal = self._next(ordinal)
        return t + timedelta(days=ordinal - start)

    def add_hours(self, t, hours):
        """Plain clock hours: SPEC's "1 hour", "24 hours", "48 hours"."""
        if not isinstance(hours, (int, float)):
            hours = float(hours)  # Decimal from the rule register
        return t + timedelta(hours=hours)

    def working_days_between(self, start, end):
        """How many working days d have start < d <= end (0 if end <= start)."""
        first, last = _day(start).toordinal() + 1, _day(end).toordinal()
        return sum(1 for o in range(first, last + 1) if self._works(o))

    def missing_years(self, start, end):
        """Years touched by [start, end] whose schedule is not on record."""
        return [y for y in range(start.year, end.year + 1) if y not in self.known_years]

    def spread(self, start, end, count):
        """``count`` due dates spread evenly over [start, end], in order.

        The period is cut into ``count`` equal slots and each date is the
        middle day of its slot (so one visit a quarter falls mid-quarter, twelve
        a year fall mid-month), moved to the next working day, or to the
        previous one when the next falls after ``end``. If the period holds no
        working day at all, the dates fall on the first working day after it.
        """
        if count < 0:
            raise ValueError("count must be zero or more")
        if end < start:
            raise ValueError("end must not be before start")
        first, days = start.toordinal(), end.toordinal() - start.toordinal() + 1
        out = []
        for i in range(count):
            ordinal = first + (2 * i + 1) * days // (2 * count)
            moved = ordinal if self._works(ordinal) else self._next(ordinal)
            if moved > end.toordinal():
                back = ordinal - 1
                while back >= first and not self._works(back):
                    back -= 1
                if back >= first:
                    moved = back
            out.append(date.fromordinal(moved))
        return out

    def deadline_on(self, d, at):
        """A date-only deadline at the ``deadline_time_of_day`` rule's time."""
        return datetime.combine(_day(d), at)


def _day(t):
    return t.date() if isinstance(t, datetime) else t
