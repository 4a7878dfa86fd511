"""What every step of the demo seed shares: one ``random.Random``, the day the
data is built around, the working-day calendar and a batched insert."""
import random
from datetime import date, datetime, time, timedelta

from .demo_text import GIVEN_NAMES, SURNAMES

# China's 2026 public holidays and make-up working days (调休上班), from the
# State Council notice of 4 November 2025 (国办发明电〔2025〕).
HOLIDAYS_2026 = (
    ("2026-01-01", "2026-01-03", "元旦 / New Year's Day"),
    ("2026-02-15", "2026-02-23", "春节 / Spring Festival"),
    ("2026-04-04", "2026-04-06", "清明节 / Qingming Festival"),
    ("2026-05-01", "2026-05-05", "劳动节 / Labour Day"),
    ("2026-06-19", "2026-06-21", "端午节 / Dragon Boat Festival"),
    ("2026-09-25", "2026-09-27", "中秋节 / Mid-Autumn Festival"),
    ("2026-10-01", "2026-10-07", "国庆节 / National Day"),
)
MAKEUP_WORKDAYS_2026 = (
    ("2026-01-04", "元旦调休上班 / New Year make-up working day"),
    ("2026-02-14", "春节调休上班 / Spring Festival make-up working day"),
    ("2026-02-28", "春节调休上班 / Spring Festival make-up working day"),
    ("2026-05-09", "劳动节调休上班 / Labour Day make-up working day"),
    ("2026-09-20", "国庆节调休上班 / National Day make-up working day"),
    ("2026-10-10", "国庆节调休上班 / National Day make-up working day"),
)

MAX_ROWS_PER_INSERT = 500
# Stay well below SQLite's bound-parameter limit for wide tables.
MAX_PARAMS_PER_INSERT = 30000


def holiday_days():
    """[(date, name, is_working_day)] for 2026, in date order."""
    days = []
    for start, end, name in HOLIDAYS_2026:
        day, last = date.fromisoformat(start), date.fromisoformat(end)
        while day <= last:
            days.append((day, name, False))
            day += timedelta(days=1)
    days += [(date.fromisoformat(d), name, True) for d, name in MAKEUP_WORKDAYS_2026]
    return sorted(days)


def bulk_insert(model, rows):
    """Insert dict rows in chunks (portable: no RETURNING, no SQLite-only syntax).
    Keys starting with "_" are the seed's own bookkeeping, not columns."""
    if not rows:
        return
    rows = [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
    size = max(1, min(MAX_ROWS_PER_INSERT, MAX_PARAMS_PER_INSERT // len(rows[0])))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i:i + size]).execute()


def months_ago(day, months):
    """The same day-of-month ``months`` earlier (clamped to the month's end)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue


class Ctx:
    """The state of one seeding run. Only ``self.rng`` draws random numbers."""

    def __init__(self, today, rng_seed):
        self.rng = random.Random(rng_seed)
        self.today = today
        # Everything "done" happened before this moment, so the demo never
        # shows records from later today.
        self.now = datetime.combine(today, time(8, 30))
        self.users = {}
        self.customers = []
        self._calendar = {day: working for day, _, working in holiday_days()}

    # --- calendar -------------------------------------------------------
    def is_working(self, day):
        if day in self._calendar:
            return self._calendar[day]
        return day.weekday() < 5

    def add_working_days(self, moment, n):
        """The same clock time on the n-th working day after ``moment``."""
        day = moment.date()
        while n > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                n -= 1
        return datetime.combine(day, moment.time())

    def working_on_or_before(self, day):
        while not self.is_working(day):
            day -= timedelta(days=1)
        return day

    def working_on_or_after(self, day):
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    # --- random helpers ---------------------------------------------------
    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def weighted(self, options):
        """One key of ``options``, a sequence of (key, weight)."""
        keys = [k for k, _ in options]
        return self.rng.choices(keys, weights=[w for _, w in options])[0]

    def days_ago(self, lo, hi):
        """A working day between ``hi`` and ``lo`` days before today."""
        return self.working_on_or_before(self.today - timedelta(days=self.rng.randint(lo, hi)))

    def at(self, day, first_hour=9, last_hour=16):
        """A plausible office-hours moment on ``day``."""
        return datetime.combine(day, time(self.rng.randint(first_hour, last_hour),
                                          self.rng.choice((0, 10, 20, 30, 40, 50))))

    def later(self, moment, lo_hours, hi_hours):
        """A moment lo..hi hours after ``moment``; a night-time result is pulled
        back to that evening (or, failing that, the next morning)."""
        minutes = self.rng.randint(int(lo_hours * 60), int(hi_hours * 60))
        t = (moment + timedelta(minutes=minutes)).replace(second=0)
        if 8 <= t.hour < 21:
            return t
        day = (t - timedelta(hours=8)).date()
        lo = max(moment + timedelta(minutes=10), datetime.combine(day, time(17, 30)))
        span = int((datetime.combine(day, time(20, 59)) - lo).total_seconds() // 60)
        if span > 0:
            return (lo + timedelta(minutes=self.rng.randint(0, span))).replace(second=0)
        return datetime.combine(day + timedelta(days=1), time(8, self.rng.randint(0, 59)))

    def progress(self, start, hours):
        """Successive milestones after ``start``, each lo..hi hours after the
        previous one and kept only if already past. Recent work is often still
        stuck; old work almost always finished."""
        recent = self.now - start < timedelta(days=20)
        stuck_at = len(hours)
        if self.chance(0.5 if recent else 0.04):
            stuck_at = self.rng.randint(0, len(hours) - 1)
        moments, last = [], start
        for step, (lo, hi) in enumerate(hours):
            last = self.done(self.later(last, lo, hi)) if last and step < stuck_at else None
            moments.append(last)
        return moments

    def done(self, moment):
        """``moment`` if it has already happened, else None."""
        return moment if moment is not None and moment < self.now else None

    @staticmethod
    def stamped(row, created, updated=None):
        created = created if isinstance(created, datetime) else datetime.combine(created, time(9))
        row["created_at"] = created
        row["updated_at"] = updated or created
        return row

    # --- people -----------------------------------------------------------
    def person(self):
        """(Chinese name, pinyin) of a made-up person."""
        (sur, sur_py), (given, given_py) = self.pick(SURNAMES), self.pick(GIVEN_NAMES)
        return sur + given, sur_py + given_py

    def mobile(self):
        return "1" + self.pick("3456789") + "".join(self.pick("0123456789") for _ in range(9))
