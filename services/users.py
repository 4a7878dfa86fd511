"""Users and passwords."""
from werkzeug.security import check_password_hash, generate_password_hash

from domain.choices import DEPARTMENTS, ROLES
from models import User, db

ROLE_CODES = [code for code, _ in ROLES]
DEPARTMENT_CODES = [code for code, _ in DEPARTMENTS]


class UserError(ValueError):
    pass


def create_user(*, username, password, role, name=None, department=None, active=True):
    if role not in ROLE_CODES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLE_CODES)}")
    if department is not None and department not in DEPARTMENT_CODES:
        raise UserError(f"unknown department {department!r}; one of {', '.join(DEPARTMENT_CODES)}")
    if not password or len(password) < 6:
        raise UserError("password must have at least 6 characters")
    with db.atomic():
        if User.select().where(User.username == username).exists():
            raise UserError(f"user {username!r} already exists")
        return User.create(username=username, name=name or username, role=role,
                           department=department, active=active,
                           password_hash=hash_password(password))


# werkzeug's default (scrypt). Tests lower the cost; production never does.
HASH_METHOD = "scrypt"


def hash_password(password):
    return generate_password_hash(password, method=HASH_METHOD)


def authenticate(username, password):
    """The active user with these credentials, else None."""
    user = User.get_or_none(User.username == (username or "").strip())
    if user is None or not user.active:
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user
