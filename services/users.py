"""Users and passwords."""
from werkzeug.security import check_password_hash, generate_password_hash

from domain import passwords
from domain.choices import DEPARTMENTS, ROLES
from models import User, db
from services import audit
from services.transactions import writing

ROLE_CODES = [code for code, _ in ROLES]
DEPARTMENT_CODES = [code for code, _ in DEPARTMENTS]
PasswordRejected = passwords.PasswordRejected


class UserError(ValueError):
    pass


def create_user(*, username, password, role, name=None, department=None, active=True,
                must_change_password=False, check_policy=False):
    """A new user; with ``check_policy``, PasswordRejected when the password
    breaks the policy. The product's entry points (the user form, the
    create-user command) check it; the default stays off because scripts that
    build fixed data sets (the peer benchmark's loader, with an 8-character
    password) call this service as it is."""
    if role not in ROLE_CODES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLE_CODES)}")
    if department is not None and department not in DEPARTMENT_CODES:
        raise UserError(f"unknown department {department!r}; one of {', '.join(DEPARTMENT_CODES)}")
    if check_policy:
        passwords.check(password, username)
    with db.atomic():
        if User.select().where(User.username == username).exists():
            raise UserError(f"user {username!r} already exists")
        return User.create(username=username, name=name or username, role=role,
                           department=department, active=active,
                           must_change_password=must_change_password,
                           password_hash=hash_password(password))


# werkzeug's default (scrypt). Tests lower the cost; production never does.
HASH_METHOD = "scrypt"
_dummy_hashes = {}


def hash_password(password):
    return generate_password_hash(password, method=HASH_METHOD)


def _dummy_hash():
    """A hash to check a password against when there is no such user, so an
    unknown name costs the same hash work as a known one."""
    if HASH_METHOD not in _dummy_hashes:
        _dummy_hashes[HASH_METHOD] = hash_password("no user has this password")
    return _dummy_hashes[HASH_METHOD]


def check_login(username, password):
    """(user, None) for an active user with this password, else (None, why)
    with why one of "unknown", "inactive", "password". The hash is checked in
    every case: the answer takes as long whether the user exists or not."""
    user = User.get_or_none(User.username == (username or "").strip())
    good = check_password_hash(user.password_hash if user else _dummy_hash(), password or "")
    if user is None:
        return None, "unknown"
    if not good:
        return None, "password"
    if not user.active:
        return None, "inactive"
    return user, None


def authenticate(username, password):
    """The active user with these credentials, else None."""
    return check_login(username, password)[0]


def changed_sessions(before, after):
    """Whether a change from ``before`` to ``after`` (User rows) must end the
    user's sessions: a new password, role or deactivation."""
    return (before.password_hash != after.password_hash or before.role != after.role
            or (before.active and not after.active))


def set_password(user, password, *, by, ip=None, must_change=False):
    """Give ``user`` a new password (policy checked) and end their sessions;
    audited. ``by`` is the user doing it (the user themself, or the owner)."""
    passwords.check(password, user.username)
    with writing():
        (User.update(password_hash=hash_password(password), must_change_password=must_change,
                     session_version=User.session_version + 1, version=User.version + 1)
         .where(User.id == user.id).execute())
        audit.record(user=by, action="password", register="user", record_id=user.id, ip=ip,
                     changes={"must_change_password": [user.must_change_password,
                                                       must_change]})
    return User.get_by_id(user.id)


def change_own_password(user, current, new, *, ip=None):
    """The user's own change: the current password first. Returns the
    refreshed user; WrongPassword or PasswordRejected otherwise."""
    if not check_password_hash(user.password_hash, current or ""):
        raise WrongPassword()
    passwords.check(new, user.username, current=current)
    return set_password(user, new, by=user.id, ip=ip)


class WrongPassword(ValueError):
    """The current password given on the change page was wrong."""


def log_out(user_id, ip=None):
    """End every session of the user: any cookie of theirs stops working."""
    with writing():
        User.update(session_version=User.session_version + 1).where(User.id == user_id).execute()
        audit.record(user=user_id, action="logout", register="user", record_id=user_id, ip=ip)
