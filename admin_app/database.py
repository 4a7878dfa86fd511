"""Pick the database from settings and bind the models' proxy to it."""
import os
from urllib.parse import unquote, urlparse

from peewee import MySQLDatabase, SqliteDatabase

from models import db

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10000,
    "cache_size": -64000,
}


def make_database(url, instance_path):
    """A peewee database for ``url`` (None = SQLite in the instance folder)."""
    if not url:
        os.makedirs(instance_path, exist_ok=True)
        return SqliteDatabase(os.path.join(instance_path, "app.sqlite3"),
                              pragmas=SQLITE_PRAGMAS)
    parts = urlparse(url)
    if parts.scheme in ("sqlite", "sqlite3"):
        path = unquote(parts.path)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS)
    if parts.scheme in ("mysql", "mysql+pymysql", "mariadb"):
        return MySQLDatabase(
            parts.path.lstrip("/"),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            charset="utf8mb4",
        )
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parts.scheme}")


def is_mysql(database=None):
    return isinstance(database or db.obj, MySQLDatabase)


def init_app(app):
    database = make_database(app.config.get("DATABASE_URL"), app.instance_path)
    db.initialize(database)

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            if not is_mysql():
                # SQLite's advice: refresh planner statistics as connections close.
                db.execute_sql("PRAGMA optimize")
            db.close()
