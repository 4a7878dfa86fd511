"""Pick the database from settings and bind the models' proxy to it."""
import logging
import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from peewee import DatabaseError, MySQLDatabase, PeeweeException, SqliteDatabase
from pymysql.err import Error as MySQLError

from models import db

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10000,
    "cache_size": -64000,
}


def make_database(url, instance_path):
    """A peewee database for ``url`` (None = SQLite in the instance folder).
    ``sqlite:////path/file.sqlite3?mode=ro`` opens the file read-only."""
    if not url:
        os.makedirs(instance_path, exist_ok=True)
        return SqliteDatabase(os.path.join(instance_path, "app.sqlite3"),
                              pragmas=SQLITE_PRAGMAS)
    parts = urlparse(url)
    if parts.scheme in ("sqlite", "sqlite3"):
        path = unquote(parts.path)
        if parse_qs(parts.query).get("mode") == ["ro"]:
            return SqliteDatabase(Path(path).resolve().as_uri() + "?mode=ro", uri=True,
                                  pragmas=SQLITE_PRAGMAS)
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


# Why a write cannot happen now, by driver. SQLite names its result codes
# (Python 3.11+); MySQL/MariaDB numbers them: lost or refused connections
# (2002, 2003, 2006, 2013, 2055, 1927 killed, 1053 shutting down, 1040 too
# many connections), a read-only server or transaction (1290, 1792, 1036),
# a full disk or table (1021, 1114), a lock wait that timed out (1205) and
# a user without write rights (1142).
_SQLITE_CODES = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN",
                 "SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_MESSAGES = ("readonly database", "database or disk is full", "disk i/o error",
                    "unable to open database", "database is locked")
_MYSQL_CODES = {2002, 2003, 2006, 2013, 2055, 1927, 1053, 1040, 1290, 1792, 1036, 1021, 1114,
                1205, 1142}
_DRIVER_ERRORS = (PeeweeException, sqlite3.Error, MySQLError)


def _says_unwritable(exc):
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        return (name.startswith(_SQLITE_CODES)
                or any(m in str(exc).lower() for m in _SQLITE_MESSAGES))
    if isinstance(exc, MySQLError):
        # pymysql raises InterfaceError(0, '') on a connection it already lost.
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        return code in _MYSQL_CODES or (code == 0 and type(exc).__name__ == "InterfaceError")
    return False


def cannot_write(exc):
    """Whether ``exc`` says the database cannot be written (or reached) right
    now, as opposed to a bug. Follows peewee's wrapping (the driver's error is
    its first argument) and the errors a failed write caused: after a full
    disk SQLite has already rolled back, so peewee's own ROLLBACK then fails
    with "cannot rollback - no transaction is active", hiding the cause."""
    stack, seen = [exc], set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen or not isinstance(current, _DRIVER_ERRORS):
            continue
        seen.add(id(current))
        if _says_unwritable(current):
            return True
        inner = current.args[0] if current.args else None
        stack += [inner if isinstance(inner, BaseException) else None,
                  current.__cause__, current.__context__]
    return False


def init_app(app):
    database = make_database(app.config.get("DATABASE_URL"), app.instance_path)
    db.initialize(database)

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if db.is_closed():
            return
        try:
            if not is_mysql():
                # SQLite's advice: refresh planner statistics as connections close.
                db.execute_sql("PRAGMA optimize")
        except DatabaseError as ex:  # a read-only or full file keeps its old statistics
            log.info("PRAGMA optimize skipped: %s", ex)
        finally:
            db.close()
