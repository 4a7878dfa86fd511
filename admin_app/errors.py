"""Error pages in the user's language instead of bare 400/403/404/500."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def init_app(app):
    def page(status, title, message):
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(ex):
        return page(400, _("Form expired"),
                    _("The form was missing its security token or it expired. "
                      "Go back, reload the page and try again."))

    @app.errorhandler(403)
    def forbidden(ex):
        return page(403, _("Not allowed"), _("Your role may not open this page or record."))

    @app.errorhandler(404)
    def not_found(ex):
        return page(404, _("Not found"), _("There is no such page or record, "
                                           "or it is not visible to you."))

    @app.errorhandler(500)
    def server_error(ex):
        return page(500, _("Something went wrong"),
                    _("The server could not complete the request. Nothing was changed."))
