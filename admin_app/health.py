"""GET /healthz: the app answers and so does its database."""
from flask import Blueprint, jsonify

from models import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception as ex:  # noqa: BLE001 — any failure means "not healthy"
        return jsonify(status="error", database=str(ex)), 503
    return jsonify(status="ok", database="ok", engine=type(db.obj).__name__)


def init_app(app):
    app.register_blueprint(bp)
