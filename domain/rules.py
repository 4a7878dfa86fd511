"""Rules as data: the ``rule`` register read into typed values, and validated.

Every threshold and deadline lives in the rule register (defaults in
rule_defaults.py). Domain code receives a ``Rules`` object and asks it by key;
nothing here reads the database, so tests build one from plain rows.
"""
from datetime import time
from decimal import Decimal, InvalidOperation

from .choices import CHANNELS, RULE_UNITS, VISIT_FOCUS
from .i18n import N_, TranslatableError
from .rule_defaults import DEFAULT_RULES

UNITS = {code for code, _ in RULE_UNITS}
DEFAULTS = {key: (value, unit) for key, value, unit, _ in DEFAULT_RULES}
CHANNEL_CODES = {code for code, _ in CHANNELS}
FOCUS_CODES = {code for code, _ in VISIT_FOCUS}


class RuleError(TranslatableError):
    """A rule value that cannot be used."""


def parse(value, unit):
    """The typed value of a rule, or RuleError."""
    if unit not in UNITS:
        raise RuleError(N_("Unknown unit %(unit)s."), unit=unit)
    text = (value or "").strip()
    if unit == "text":
        return text
    if unit == "time":
        try:
            hours, minutes = text.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            raise RuleError(N_("%(value)s is not a time of day like 18:00."), value=text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RuleError(N_("%(value)s is not a number."), value=text)
    if not number.is_finite() or number < 0:
        raise RuleError(N_("%(value)s must be zero or more."), value=text)
    if unit in ("minutes", "hours", "working_days", "days", "months", "count"):
        if number != number.to_integral_value():
            raise RuleError(N_("%(value)s must be a whole number."), value=text)
        return int(number)
    if unit == "percent" and number > 100:
        raise RuleError(N_("A percentage cannot exceed 100."))
    return number


class Rules:
    """Typed rule values by key, defaults filling what the register lacks."""

    def __init__(self, rows=()):
        raw = dict(DEFAULTS)
        for key, value, unit in rows:
            raw[key] = (value, unit)
        self._values = {key: parse(value, unit) for key, (value, unit) in raw.items()}

    def __getitem__(self, key):
        return self._values[key]

    def get(self, key, default=None):
        return self._values.get(key, default)

    def number(self, key):
        """A rule held as text but meant as a number (scores, targets)."""
        return Decimal(str(self._values[key]))

    # Named views the domain uses often.
    def class_thresholds(self):
        return self["class_a_min_purchase"], self["class_b_min_purchase"]

    def frequency_months(self, customer_class):
        return self[f"visit_frequency_{customer_class.lower()}_months"]

    def channel(self, customer_class):
        return self[f"visit_channel_{customer_class.lower()}"]

    def focus(self, lifecycle):
        return self[f"visit_focus_{lifecycle}"]

    def login_limits(self):
        """(failures per username, failures per address, window minutes,
        lockout minutes)."""
        return (self["login_max_failures_user"], self["login_max_failures_ip"],
                self["login_window_minutes"], self["login_lockout_minutes"])

    def working_weekdays(self):
        return {int(d) for d in str(self["working_weekdays"]).split(",") if d.strip()}


def validate(key, value, unit, others):
    """RuleError when ``key = value`` (in ``unit``) is unusable alongside the
    other current rules ``others`` ({key: (value, unit)})."""
    typed = parse(value, unit)
    expected = DEFAULTS.get(key, (None, None))[1]
    if expected and unit != expected:
        raise RuleError(N_("The rule %(key)s is measured in %(unit)s."), key=key, unit=expected)
    merged = {k: v for k, v in others.items()}
    merged[key] = (value, unit)
    rules = Rules([(k, v, u) for k, (v, u) in merged.items()])
    a_min, b_min = rules.class_thresholds()
    if a_min <= b_min:
        raise RuleError(N_("The class A threshold must be higher than the class B threshold."))
    for cls in "abc":
        if rules[f"visit_frequency_{cls}_months"] < 1:
            raise RuleError(N_("A visit frequency must be at least one month."))
        if rules[f"visit_channel_{cls}"] not in CHANNEL_CODES:
            raise RuleError(N_("Unknown channel %(value)s."), value=rules[f"visit_channel_{cls}"])
    for stage in ("new", "stable", "dormant"):
        if rules[f"visit_focus_{stage}"] not in FOCUS_CODES:
            raise RuleError(N_("Unknown visit focus %(value)s."),
                            value=rules[f"visit_focus_{stage}"])
    days = rules.working_weekdays()
    if not days or not days <= set(range(1, 8)):
        raise RuleError(N_("Working weekdays are ISO numbers 1 (Monday) to 7 (Sunday)."))
    for limit in ("login_max_failures_user", "login_max_failures_ip", "login_window_minutes",
                  "login_lockout_minutes"):
        if rules[limit] < 1:
            raise RuleError(N_("The login limits must be at least 1."))
    weights = sum(rules[f"kpi_weight_{k}"] for k in ("completion", "resolution", "satisfaction"))
    if weights != 100:
        raise RuleError(N_("The specialist score weights must add up to 100."))
    return typed
