"""Failed-login counters and locks in the database (domain.lockout has the
rules): every app process sees the same counts, and every failure and lock
leaves an audit row."""
from peewee import fn

from domain import lockout
from models import LoginFailure, LoginLock, User
from services import audit
from services.rules import current_rules
from services.transactions import writing


def refused_minutes(typed, ip, at):
    """Minutes left on a lock of this name or address, else None."""
    until = (LoginLock.select(fn.MAX(LoginLock.until))
             .where(LoginLock.key.in_(lockout.lock_keys(typed, ip)) & (LoginLock.until > at))
             .scalar())
    return lockout.minutes_left(until, at) if until else None


def record_refused(typed, ip, at):
    """An attempt made while locked: audited, not counted (the lock would
    otherwise never run out under a steady stream of guesses)."""
    with writing():
        audit.record(user=None, action="login_failed", register="user",
                     record_id=_user_id(typed), ip=ip,
                     changes={"username": [None, typed], "reason": [None, "locked"]})


def record_failure(typed, ip, at, reason):
    """Count a failed login; lock the name and/or address that reached its
    limit. Returns the minutes of the lock it set, else None."""
    limits = current_rules().login_limits()
    name = lockout.username_key(typed)
    since = lockout.window_start(at, limits[2])
    with writing():
        # Rows older than the window count for nothing any more.
        LoginFailure.delete().where(LoginFailure.at < since).execute()
        LoginLock.delete().where(LoginLock.until <= at).execute()
        LoginFailure.insert(at=at, username=name, ip=ip).execute()
        recent = LoginFailure.select().where(LoginFailure.at >= since)
        by_name = recent.where(LoginFailure.username == name).count()
        by_ip = recent.where(LoginFailure.ip == ip).count() if ip else None
        user_id = _user_id(typed)
        audit.record(user=None, action="login_failed", register="user", record_id=user_id,
                     ip=ip, changes={"username": [None, typed], "reason": [None, reason]})
        locks = lockout.locks_to_add(by_name, by_ip, limits, at)
        for kind, until in locks:
            key = f"user:{name}" if kind == "user" else f"ip:{ip}"
            _lock(key, until)
            audit.record(user=None, action="lockout", register="user",
                         record_id=user_id if kind == "user" else None, ip=ip,
                         changes={"username" if kind == "user" else "ip":
                                  [None, typed if kind == "user" else ip],
                                  "failures": [None, by_name if kind == "user" else by_ip],
                                  "until": [None, until.isoformat(sep=" ")]})
    return lockout.minutes_left(locks[0][1], at) if locks else None


def record_success(typed):
    """A good password clears the name's failures (the address keeps its own)."""
    name = lockout.username_key(typed)
    if LoginFailure.select().where(LoginFailure.username == name).exists():
        with writing():
            LoginFailure.delete().where(LoginFailure.username == name).execute()


def _lock(key, until):
    if not LoginLock.update(until=until).where(LoginLock.key == key).execute():
        LoginLock.insert(key=key, until=until).on_conflict_replace().execute()


def _user_id(typed):
    return (User.select(User.id).where(User.username == (typed or "").strip())
            .scalar())
