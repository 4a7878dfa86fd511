"""Test helpers: point the models at another database for a while, and make
throwaway databases of the same engine as the test database (a SQLite file
beside it, or a MariaDB database named after it)."""
import os
import tempfile
from contextlib import contextmanager

from peewee import MySQLDatabase, SqliteDatabase

from admin_app.database import SQLITE_PRAGMAS, is_mysql, make_database
from models import db


@contextmanager
def using(database):
    """Inside: every model query goes to ``database``; the test database after."""
    old = db.obj
    if not old.is_closed():
        old.close()
    db.initialize(database)
    try:
        yield database
    finally:
        if not database.is_closed():
            if database.in_transaction():
                database.rollback()
            database.close()
        db.initialize(old)


def read_only(database):
    """A second handle on ``database`` that may read but not write: SQLite
    opened with mode=ro, MariaDB sessions in READ ONLY transactions."""
    if is_mysql(database):
        return MySQLDatabase(database.database, **{
            **database.connect_params, "init_command": "SET SESSION TRANSACTION READ ONLY"})
    return make_database(f"sqlite:///{database.database}?mode=ro", None)


def url_of(database):
    if is_mysql(database):
        p = database.connect_params
        return f"mysql://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{database.database}"
    return "sqlite:///" + os.path.abspath(database.database)


@contextmanager
def sibling(suffix):
    """A new, empty database of the test database's engine, dropped after."""
    base = db.obj
    if is_mysql(base):
        name = f"{base.database}_{suffix}"
        base.execute_sql(f"DROP DATABASE IF EXISTS `{name}`")
        base.execute_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                         "COLLATE utf8mb4_unicode_ci")
        other = MySQLDatabase(name, **base.connect_params)
        try:
            yield other
        finally:
            if not other.is_closed():
                other.close()
            base.execute_sql(f"DROP DATABASE IF EXISTS `{name}`")
    else:
        with tempfile.TemporaryDirectory() as folder:
            other = SqliteDatabase(os.path.join(folder, f"{suffix}.sqlite3"),
                                   pragmas=SQLITE_PRAGMAS)
            try:
                yield other
            finally:
                if not other.is_closed():
                    other.close()


@contextmanager
def other_app(url, **config):
    """An app on the database at ``url``; the models go back to the test
    database after (creating an app points them at its own)."""
    from tests.conftest import make_app
    old = db.obj
    if not old.is_closed():
        old.close()
    application = make_app(url, **config)
    try:
        yield application
    finally:
        if not db.obj.is_closed():
            db.obj.close()
        db.initialize(old)
