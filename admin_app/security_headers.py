"""Security headers on every response, and the per-request CSP nonce.

The policy lets a page load scripts, styles, images and fonts from this site
only. The few inline <script>/<style> elements (Flask-Admin's own templates
have some) carry the request's nonce: ``admin_csp_nonce_attribute`` in admin
pages (Admin(csp_nonce_generator=nonce)), ``csp_nonce()`` elsewhere. Inline
event handlers (onclick=…) are refused: the three Flask-Admin templates that
write some are replaced by ours (templates/admin/actions.html,
admin/model/row_actions.html, admin/model/layout.html), which reach the stock
ones as ``flask_admin_stock/…`` for everything else, and
static/csp_handlers.js does what the handlers did.
"""
import os
import secrets

import flask_admin
from flask import g
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

# What the CSP allows, directive by directive. Style attributes in markup
# are refused too (select2, x-editable and the date picker position their
# pop-ups through element.style, which the policy allows). img-src data::
# Bootstrap's stylesheet draws its select arrows and check marks as data: SVGs.
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' {nonce}"),
    ("style-src", "'self' {nonce}"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
HSTS = "max-age=31536000"


def nonce():
    """This request's nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(request_nonce=None):
    source = f"'nonce-{request_nonce}'" if request_nonce else ""
    return "; ".join(f"{name} {value.format(nonce=source)}".strip()
                     for name, value in POLICY)


def init_app(app):
    stock = os.path.join(os.path.dirname(flask_admin.__file__), "templates", "bootstrap4")
    app.jinja_loader = ChoiceLoader([app.jinja_loader,
                                     PrefixLoader({"flask_admin_stock": FileSystemLoader(stock)})])
    app.jinja_env.globals["csp_nonce"] = nonce

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce"))
        headers["X-Frame-Options"] = "DENY"  # frame-ancestors for older browsers
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        if app.config["HTTPS"]:
            headers["Strict-Transport-Security"] = HSTS
        return response
