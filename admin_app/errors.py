"""Error pages in the user's language instead of bare 400/403/404/500.

A database that cannot be written (read-only file, full disk, lost MariaDB
connection) answers 503 with a page that says nothing was saved. Any other
unexpected error answers 500 with a reference number; the traceback goes to
the log under that number, never to the browser.
"""
import secrets

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from peewee import PeeweeException
from werkzeug.exceptions import HTTPException

from models import StaleRecord

from .database import cannot_write


def page(status, title, message, reference=None):
    html = render_template("error.html", status=status, title=title, message=message,
                           reference=reference)
    return html, status


def _user_or_anonymous():
    """The page is drawn in the user's language, which loading the user finds
    out; with the database gone that load fails too, so draw it for a visitor."""
    try:
        current_user.is_authenticated
    except PeeweeException:
        g._login_user = current_app.login_manager.anonymous_user()


def unavailable(ex):
    _user_or_anonymous()
    current_app.logger.warning("Database cannot be written (%s %s): %s",
                               request.method, request.path, ex)
    html, status = page(503, _("Database unavailable"),
                        _("The database cannot be written right now: nothing was saved. "
                          "Try again in a few minutes; if it keeps happening, tell whoever "
                          "looks after the server (the disk may be full, the database file "
                          "read-only or the database server unreachable)."))
    return html, status, {"Retry-After": "60"}


def server_error(ex):
    _user_or_anonymous()
    reference = secrets.token_hex(4).upper()
    current_app.logger.error("Unexpected error, reference %s: %s %s", reference,
                             request.method, request.full_path, exc_info=ex)
    return page(500, _("Something went wrong"),
                _("The server could not complete the request. Nothing was changed."),
                reference=reference)


def _propagates(app):
    # As Flask decides: tests and the debugger want the exception itself.
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")
    return app.testing or app.debug if propagate is None else propagate


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(ex):
        return page(400, _("Form expired"),
                    _("The form was missing its security token or it expired. "
                      "Go back, reload the page and try again."))

    @app.errorhandler(StaleRecord)
    def changed_meanwhile(ex):
        # A save from a copy someone else saved over in the same instant (the
        # version check in the UPDATE): nothing of it was written.
        return page(409, _("Changed meanwhile"),
                    _("Someone else saved this record at the same moment, so nothing of "
                      "yours was saved. Go back, reload it and make your change again."))

    @app.errorhandler(403)
    def forbidden(ex):
        return page(403, _("Not allowed"), _("Your role may not open this page or record."))

    @app.errorhandler(400)
    def bad_request(ex):
        # views/params.py refuses a parameter with a message for the user;
        # anything else that cannot be read gets the general one.
        message = ex.description if getattr(ex, "user_message", False) else _(
            "The request carried a value that cannot be read. Nothing was changed.")
        return page(400, _("Cannot read the request"), message)

    @app.errorhandler(404)
    def not_found(ex):
        return page(404, _("Not found"), _("There is no such page or record, "
                                           "or it is not visible to you."))

    # Werkzeug refuses a body over MAX_CONTENT_LENGTH from its Content-Length
    # header, before reading it.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024

    @app.errorhandler(413)
    def too_large(ex):
        return page(413, _("File too large"),
                    _("The request is larger than %(mb)d MB, the most that can be uploaded. "
                      "Split the file and upload the parts one by one.",
                      mb=app.config["MAX_UPLOAD_MB"]))

    @app.errorhandler(Exception)
    def unexpected(ex):
        if isinstance(ex, HTTPException):
            return ex  # the handlers by status code (or Flask's default) answer it
        if cannot_write(ex):
            return unavailable(ex)
        if _propagates(app):
            raise ex
        return server_error(ex)

    @app.errorhandler(500)
    def internal_error(ex):
        return server_error(getattr(ex, "original_exception", None) or ex)
