"""When guessing passwords is refused: failures are counted per username and
per address over a window; reaching a limit locks that name or address for
the lockout time (rules login_max_failures_user / _ip, login_window_minutes,
login_lockout_minutes). Unknown names count and lock like real ones, so a
refusal never tells whether a user exists.
"""
import math
from datetime import timedelta

USERNAME_LENGTH = 64  # models.User.username


def username_key(typed):
    """The name a failure is counted under: as the user table would match it
    (trimmed; MySQL compares case-insensitively, so do we everywhere)."""
    return (typed or "").strip().lower()[:USERNAME_LENGTH]


def lock_keys(typed, ip):
    keys = [f"user:{username_key(typed)}"]
    if ip:
        keys.append(f"ip:{ip}")
    return keys


def window_start(at, window_minutes):
    return at - timedelta(minutes=window_minutes)


def locks_to_add(user_failures, ip_failures, limits, at):
    """[(kind, until)] for the counters that reached their limit with the
    failure at ``at``; ``limits`` is Rules.login_limits()."""
    per_user, per_ip, _window, lockout = limits
    until = at + timedelta(minutes=lockout)
    found = []
    if user_failures >= per_user:
        found.append(("user", until))
    if ip_failures is not None and ip_failures >= per_ip:
        found.append(("ip", until))
    return found


def minutes_left(until, at):
    """Whole minutes (at least 1) until ``until``."""
    return max(1, math.ceil((until - at).total_seconds() / 60))
