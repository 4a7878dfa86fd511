"""The one time convention of the app.

Datetimes are stored naive, in the shop's local time zone (setting
``TIMEZONE``, default Asia/Shanghai). Deadlines, working days and "today"
are all local notions, so storing local time keeps every query simple.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

_zone = ZoneInfo("Asia/Shanghai")


def set_timezone(name):
    global _zone
    _zone = ZoneInfo(name)


def timezone():
    return _zone


def now():
    """Current local time, naive, to the second."""
    return datetime.now(_zone).replace(tzinfo=None, microsecond=0)


def today():
    return now().date()
