"""UI language: the user's choice, else the browser's, else the default.

Flask-Admin's own strings come from its zh_Hans_CN catalogue; ours from
admin_app/translations (bin/update-translations extracts; the app
compiles a stale catalogue at startup, see compile_catalogs).
"""
import os

from flask import Blueprint, redirect, request, session, url_for
from flask_babel import Babel, get_locale
from flask_login import current_user

from domain.choices import ROLES
from models import User
from services.catalogs import compile_catalogs

LANGUAGES = {"zh_Hans_CN": "简体中文", "en": "English"}
# Accept-Language gives "zh-CN", "zh", "en-US"…; match on the primary tag.
_PRIMARY = {"zh": "zh_Hans_CN", "en": "en"}
TRANSLATIONS_DIR = os.path.join(os.path.dirname(__file__), "translations")

bp = Blueprint("i18n", __name__)


def normalize(code):
    if not code:
        return None
    if code in LANGUAGES:
        return code
    return _PRIMARY.get(code.replace("-", "_").split("_")[0].lower())


def select_locale():
    if current_user and current_user.is_authenticated and normalize(current_user.locale):
        return normalize(current_user.locale)
    chosen = normalize(session.get("lang"))
    if chosen:
        return chosen
    for code, _quality in request.accept_languages:
        found = normalize(code)
        if found:
            return found
    from flask import current_app
    return current_app.config["DEFAULT_LANGUAGE"]


@bp.route("/lang/<code>", methods=("POST",))
def switch(code):
    # POST only, so the CSRF token is checked: a link on another site must
    # not change a user's stored language.
    lang = normalize(code)
    if lang:
        session["lang"] = lang
        if current_user.is_authenticated:
            User.update(locale=lang, version=User.version + 1).where(
                User.id == current_user.id).execute()
    target = request.referrer or url_for("admin.index")
    if not target.startswith(request.host_url):
        target = url_for("admin.index")
    return redirect(target)


def init_app(app):
    compile_catalogs(TRANSLATIONS_DIR)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["role_label"] = lambda code: dict(ROLES).get(code, code)
    app.register_blueprint(bp)
