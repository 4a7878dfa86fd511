"""What the managers' dashboard reminds them of about plans (000 §9): next
year's annual plan in the month of rule ``plan_annual_month`` (December),
and the quarterly adjustment in a quarter's first month, due by the day of
rule ``plan_quarterly_due_day`` (the 5th). Pure: callers pass today, the rules
and what exists."""
from collections import namedtuple

from .i18n import N_

Reminder = namedtuple("Reminder", "code msgid params overdue")


def _day_number(rules, key):
    try:
        return int(str(rules[key]).strip())
    except (KeyError, ValueError):
        return None


def plan_reminders(today, rules, *, next_annual_status, adjusted_quarters):
    """[Reminder] for ``today``. ``next_annual_status``: the status of next
    year's annual plan (None when there is none); ``adjusted_quarters``: the
    quarters of this year whose adjustment is recorded."""
    out = []
    if today.month == _day_number(rules, "plan_annual_month") \
            and next_annual_status not in ("approved", "closed"):
        msgid = (N_("Next year's annual visit plan (%(year)d) is due this month: "
                    "generate it and have it approved.") if next_annual_status is None else
                 N_("Next year's annual visit plan (%(year)d) is due this month: it is not "
                    "approved yet."))
        out.append(Reminder("annual", msgid, {"year": today.year + 1}, False))
    due_day = _day_number(rules, "plan_quarterly_due_day")
    quarter = (today.month - 1) // 3 + 1
    if due_day and today.month == 3 * quarter - 2 and quarter not in adjusted_quarters:
        late = today.day > due_day
        msgid = (N_("The adjustment of the visit plan for quarter %(quarter)d was due by "
                    "the %(day)d: adjust it now.") if late else
                 N_("Adjust the visit plan for quarter %(quarter)d by the %(day)d."))
        out.append(Reminder("quarterly", msgid, {"quarter": quarter, "day": due_day}, late))
    return out
