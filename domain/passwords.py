"""What a new password must be: long enough, not one character repeated, not
the username, not one of the passwords every guessing list starts with
(common_passwords.txt). Applied wherever a password is chosen (user admin,
reset, the change page, the CLI); logging in never checks it.
"""
import os

from .i18n import N_, TranslatableError

MIN_LENGTH = 10
_COMMON_FILE = os.path.join(os.path.dirname(__file__), "common_passwords.txt")
_common = None


class PasswordRejected(TranslatableError):
    """A password the policy refuses, with the reason."""


def common_passwords():
    global _common
    if _common is None:
        with open(_COMMON_FILE, encoding="utf-8") as f:
            _common = frozenset(line.strip().lower() for line in f
                                if line.strip() and not line.startswith("#"))
    return _common


def check(password, username=None, current=None):
    """Raise PasswordRejected unless ``password`` may be chosen (by
    ``username``, replacing ``current`` when given)."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(N_("A password needs at least %(min)d characters."),
                               min=MIN_LENGTH)
    if len(set(password)) == 1:
        raise PasswordRejected(N_("A password cannot be one character repeated."))
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordRejected(N_("A password cannot be the username."))
    if current is not None and password == current:
        raise PasswordRejected(N_("The new password must differ from the current one."))
    if password.lower() in common_passwords():
        raise PasswordRejected(N_("This password is on the list of the most common "
                                  "passwords; choose another."))
