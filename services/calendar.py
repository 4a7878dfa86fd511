"""The ``holiday`` register as a WorkCalendar, and loading China's official
schedule into it from the ``chinesecalendar`` package.

The package knows the years published when it was released; the State Council
publishes the next year's schedule around November, so a shop may have to
enter a year by hand in the Holidays register before the package catches up.
"""
from datetime import date

from chinese_calendar import constants as official

from domain.calendar import WorkCalendar
from domain.i18n import N_, TranslatableError
from models import Holiday, db
from services import audit
from services.rules import current_rules

# chinesecalendar's English holiday names -> the names a Chinese shop uses.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}
MAKE_UP_SUFFIX = "调休"


class HolidaySourceError(TranslatableError):
    """The package has no schedule for the year."""


def load_calendar(rules=None):
    """A WorkCalendar of every row in the holiday register.

    A year counts as known when it has at least one row: a shop that entered a
    year by hand has, by doing so, put that year's schedule on record.
    """
    rules = rules or current_rules()
    holidays, workdays = [], []
    for day, works in Holiday.select(Holiday.day, Holiday.is_working_day).tuples():
        (workdays if works else holidays).append(day)
    return WorkCalendar(holidays=holidays, workdays=workdays,
                        known_years={d.year for d in holidays + workdays},
                        weekdays=rules.working_weekdays())


def official_years():
    """The years the installed chinesecalendar knows, as a range."""
    years = [d.year for d in official.holidays]
    return range(min(years), max(years) + 1)


def official_schedule(year):
    """[(day, Chinese name, is_working_day)] of ``year``'s official holidays
    and make-up working days, by date; HolidaySourceError if unknown."""
    known = official_years()
    if year not in known:
        raise HolidaySourceError(
            N_("The installed chinesecalendar package knows the official holidays of "
               "%(first)s to %(last)s only, not %(year)s. Enter %(year)s's holidays and "
               "make-up working days by hand in the Holidays register."),
            year=year, first=known.start, last=known.stop - 1)
    rows = [(d, _chinese(name), False) for d, name in official.holidays.items()
            if d.year == year]
    rows += [(d, _chinese(name) + MAKE_UP_SUFFIX, True) for d, name in official.workdays.items()
             if d.year == year]
    return sorted(rows)


def load_official_holidays(year, *, user=None):
    """Add ``year``'s official schedule to the holiday register.

    Idempotent: a date already in the register is kept as it is (a shop's
    hand-entered row wins), so running it twice adds nothing. Returns
    ``{"added": n, "kept": m}`` where ``kept`` counts official dates that were
    already on record.
    """
    year = int(year)
    rows = official_schedule(year)
    with db.atomic():
        have = {d for (d,) in Holiday.select(Holiday.day).where(
            Holiday.day.between(date(year, 1, 1), date(year, 12, 31))).tuples()}
        new = [dict(day=d, name=name, is_working_day=works)
               for d, name, works in rows if d not in have]
        if new:
            Holiday.insert_many(new).on_conflict_ignore().execute()
            audit.record(user=user, action="import", register="holiday",
                         changes={"year": [None, year], "added": [None, len(new)],
                                  "source": [None, "chinesecalendar"]})
    return {"added": len(new), "kept": len(rows) - len(new)}


def _chinese(name):
    if name in CHINESE_NAMES:
        return CHINESE_NAMES[name]
    for holiday in official.Holiday:  # special days, e.g. the 2015 Victory Day
        if holiday.value == name:
            return holiday.chinese
    return name
