"""The Bootswatch "flatly" stylesheet Flask-Admin ships, served without its
first line, ``@import url(https://fonts.googleapis.com/…)``: the CSP allows
styles from this site only, and Google's font server is out of reach from
mainland China anyway (the page would wait for it). Lato falls back to the
system font the stylesheet lists next.
"""
import hashlib
import os
import re

import flask_admin
from flask import Blueprint, Response, request

bp = Blueprint("theme", __name__)
SWATCH = "flatly"
_SOURCE = os.path.join(os.path.dirname(flask_admin.__file__), "static", "bootstrap",
                       "bootstrap4", "swatch", SWATCH, "bootstrap.min.css")
_IMPORT = re.compile(r"@import\s+url\([^)]*\)\s*;?")
_css = None


def stylesheet():
    """(css bytes, etag), read once."""
    global _css
    if _css is None:
        with open(_SOURCE, encoding="utf-8") as f:
            text = _IMPORT.sub("", f.read())
        data = text.encode("utf-8")
        _css = (data, hashlib.sha1(data).hexdigest())
    return _css


@bp.route("/theme/bootstrap.min.css")
def bootstrap_css():
    data, etag = stylesheet()
    response = Response(data, mimetype="text/css")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)


def init_app(app):
    app.register_blueprint(bp)
