"""The application factory."""
import os
import secrets

from flask import Flask, redirect, url_for
from flask_wtf.csrf import CSRFProtect

from domain import clock

from . import (admin, auth, cli, compact_html, database, errors, health, i18n,
               security_headers, theme_css)
from .settings import SETTINGS, from_environ

csrf = CSRFProtect()


def create_app(test_config=None):
    app = Flask(__name__, instance_path=os.environ.get(
        "INSTANCE_PATH", os.path.join(os.path.dirname(os.path.dirname(__file__)), "instance")))
    app.config.update({s.name: s.default for s in SETTINGS})
    app.config.update(from_environ(os.environ))
    app.config.update(test_config or {})
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    app.config["FLASK_ADMIN_SWATCH"] = "flatly"
    clock.set_timezone(app.config["TIMEZONE"])
    # Form and query values arrive without control characters (views.params).
    from views.params import CleanRequest
    app.request_class = CleanRequest

    if app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the proxies in front saw them.
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    database.init_app(app)
    csrf.init_app(app)
    security_headers.init_app(app)
    theme_css.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    health.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    admin.init_app(app)
    compact_html.init_app(app)

    @app.route("/")
    def root():
        return redirect(url_for("admin.index"))

    return app


def _instance_secret(instance_path):
    """A random key kept in the instance folder, so sessions survive restarts."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
    with open(path) as f:
        return f.read().strip()
