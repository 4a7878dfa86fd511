"""Login, logout and the current user (Flask-Login, Flask-WTF forms)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_admin.helpers import is_safe_url
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from models import User
from services import audit
from services.users import authenticate

login_manager = LoginManager()
bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


@login_manager.user_loader
def load_user(user_id):
    try:
        user = User.get_or_none(User.id == int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


def _safe_next(target):
    """Only a plain local path: never bounce a fresh login to another site.
    Browsers drop tabs/newlines and read backslashes as slashes, so "/\t/x"
    would become "//x"; refuse any such character outright."""
    if (target and target.startswith("/")
            and not any(c.isspace() or ord(c) < 32 or c == "\\" for c in target)
            and is_safe_url(target)):
        return target
    return url_for("admin.index")


@bp.route("/login", methods=("GET", "POST"))
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            flash(_("Wrong username or password, or the account is disabled."), "error")
        else:
            login_user(user)
            audit.record(user=user, action="login", register="user",
                         record_id=user.id, ip=request.remote_addr)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", form=form)


@bp.route("/logout", methods=("POST",))
@login_required
def logout():
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(bp)
