"""Login, logout, password change and the current user (Flask-Login, Flask-WTF).

A session names the user and their session version ("id:version", see
User.get_id); raising the version in the database ends every session of that
user at the next request, in every app process. A session also ends after
SESSION_HOURS, and after SESSION_IDLE_MINUTES without a request.
"""
import logging
from datetime import timedelta

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_admin.helpers import is_safe_url
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from peewee import InternalError, OperationalError
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from domain.clock import now
from domain.passwords import MIN_LENGTH
from models import User
from services import audit, login_guard
from services.users import (PasswordRejected, WrongPassword, change_own_password, check_login,
                            log_out)
from views.messages import translated

log = logging.getLogger(__name__)
login_manager = LoginManager()
bp = Blueprint("auth", __name__)
# Pages a user who must choose a new password may still open.
OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "auth.login", "i18n.switch",
                       "health.healthz", "static", "admin.static", "theme.bootstrap_css"}


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


def _seconds():
    return int(now().timestamp())


def start_session(user):
    """A fresh session for ``user`` (nothing carried over from before)."""
    lang = session.get("lang")
    session.clear()
    login_user(user)
    session.permanent = True
    session["at"] = session["seen"] = _seconds()
    if lang:
        session["lang"] = lang
    # The new session gets its CSRF secret now, in the login's own cookie: a
    # client that keeps the cookie it logged in with (a script, a second tab
    # opened at once) can still post the forms of the pages it opens.
    g.pop("csrf_token", None)
    generate_csrf()


def _end_session():
    session.clear()


def _expired():
    config, t = current_app.config, _seconds()
    started, seen = session.get("at"), session.get("seen")
    if not isinstance(started, int) or not isinstance(seen, int):
        return True
    return (t - started > config["SESSION_HOURS"] * 3600
            or t - seen > config["SESSION_IDLE_MINUTES"] * 60)


@login_manager.user_loader
def load_user(token):
    try:
        user_id, version = (int(part) for part in token.split(":"))
    except (AttributeError, ValueError):
        _end_session()  # not a token of ours (or from before session versions)
        return None
    user = User.get_or_none(User.id == user_id)
    if (user is None or not user.active or user.session_version != version
            or _expired()):
        _end_session()
        return None
    session["seen"] = _seconds()
    return user


def _safe_next(target):
    """Only a plain local path: never bounce a fresh login to another site.
    Browsers drop tabs/newlines and read backslashes as slashes, so "/\t/x"
    would become "//x"; refuse any such character outright."""
    if (target and target.startswith("/")
            and not any(c.isspace() or ord(c) < 32 or c == "\\" for c in target)
            and is_safe_url(target)):
        return target
    return url_for("admin.index")


def _quietly(write, *args):
    """Bookkeeping that must not stop a login when the database cannot be
    written (read-only copy, full disk): logged, then skipped."""
    try:
        return write(*args)
    except (OperationalError, InternalError) as ex:
        log.warning("login bookkeeping skipped: %s", ex)
        return None


def _locked_message(minutes):
    # The same words whether the name exists or not.
    return ngettext("Too many failed logins. Logging in is refused for %(num)d more minute.",
                    "Too many failed logins. Logging in is refused for %(num)d more minutes.",
                    minutes)


@bp.route("/login", methods=("GET", "POST"))
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form, status = LoginForm(), 200
    if form.validate_on_submit():
        typed, ip, at = form.username.data, request.remote_addr, now()
        minutes = login_guard.refused_minutes(typed, ip, at)
        if minutes:
            _quietly(login_guard.record_refused, typed, ip, at)
        else:
            user, why = check_login(typed, form.password.data)
            if user is not None:
                _quietly(login_guard.record_success, typed)
                start_session(user)
                # Not even its audit row may lock anyone out of a read-only database.
                _quietly(lambda: audit.record(user=user, action="login", register="user",
                                              record_id=user.id, ip=ip))
                if user.must_change_password:
                    return redirect(url_for("auth.change_password"))
                return redirect(_safe_next(request.args.get("next")))
            minutes = _quietly(login_guard.record_failure, typed, ip, at, why)
            if not minutes:
                flash(_("Wrong username or password, or the account is disabled."), "error")
        if minutes:
            flash(_locked_message(minutes), "error")
            status = 429
    return render_template("login.html", form=form,
                           logged_out=request.args.get("logged_out")), status


@bp.route("/logout", methods=("POST",))
def logout():
    if current_user.is_authenticated:
        # Every session of the user ends, not only this one (a copied cookie too).
        _quietly(log_out, current_user.id, request.remote_addr)
    logout_user()
    _end_session()  # an empty session: Flask deletes the cookie
    return redirect(url_for("auth.login", logged_out=1))


@bp.route("/password", methods=("GET", "POST"))
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user, ip, at = current_user._get_current_object(), request.remote_addr, now()
        minutes = login_guard.refused_minutes(user.username, ip, at)
        try:
            if minutes:
                raise WrongPassword()
            user = change_own_password(user, form.current.data, form.new.data, ip=ip)
        except WrongPassword:
            # A wrong current password counts like a failed login: a borrowed
            # session must not become a free password-guessing machine.
            if not minutes:
                minutes = _quietly(login_guard.record_failure, user.username, ip, at,
                                   "password")
            form.current.errors.append(_locked_message(minutes) if minutes
                                       else _("The current password is wrong."))
        except PasswordRejected as ex:
            form.new.errors.append(translated(ex))
        else:
            start_session(user)  # this browser stays logged in; the others end
            flash(_("Your password has been changed; your other sessions have ended."),
                  "success")
            return redirect(url_for("admin.index"))
    return render_template("password.html", form=form, min_length=MIN_LENGTH,
                           forced=current_user.must_change_password)


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["HTTPS"]),
        # The signed cookie itself expires when idle; _expired() enforces both
        # limits on the server (a kept cookie is refused, whatever its date).
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=min(
            app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_HOURS"] * 60)),
    )

    @app.before_request
    def force_new_password():
        if request.endpoint in OPEN_WHILE_CHANGING:
            return None
        if current_user.is_authenticated and current_user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return None

    app.register_blueprint(bp)
