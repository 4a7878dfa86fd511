"""Fixtures: one app per session on a real database, emptied before each test.

The database is SQLite in a temp folder, or the MySQL/MariaDB server named by
TEST_DATABASE_URL / DATABASE_URL (what .ci/run sets for its second pass).
"""
import os
import re

import pytest

from admin_app import create_app, migrations
from models import ALL_MODELS, db
import services.users
from services.users import create_user

services.users.HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashes for test users

PASSWORD = "secret-pw-42"  # passes the password policy (domain.passwords)


def _database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def make_app(url, **extra):
    config = {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION": True,
        "DEFAULT_LANGUAGE": "en",
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    os.environ.setdefault("INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    application = make_app(database_url)
    if db.is_closed():
        db.connect()
    _drop_everything()
    migrations.upgrade(db.obj)
    return application


def _drop_everything():
    tables = [m._meta.table_name for m in ALL_MODELS] + ["schema_version"]
    if "mysql" in type(db.obj).__name__.lower():
        db.execute_sql("SET FOREIGN_KEY_CHECKS=0")
        for t in tables:
            db.execute_sql(f"DROP TABLE IF EXISTS `{t}`")
        db.execute_sql("SET FOREIGN_KEY_CHECKS=1")
    else:
        db.execute_sql("PRAGMA foreign_keys=OFF")
        for t in tables:
            db.execute_sql(f'DROP TABLE IF EXISTS "{t}"')
        db.execute_sql("PRAGMA foreign_keys=ON")


def empty_tables():
    mysql = "mysql" in type(db.obj).__name__.lower()
    db.connect(reuse_if_open=True)
    db.execute_sql("SET FOREIGN_KEY_CHECKS=0" if mysql else "PRAGMA foreign_keys=OFF")
    try:
        for model in reversed(ALL_MODELS):
            model.delete().execute()
    finally:
        db.execute_sql("SET FOREIGN_KEY_CHECKS=1" if mysql else "PRAGMA foreign_keys=ON")


@pytest.fixture(autouse=True)
def clean_db(request):
    if "app" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app")
    empty_tables()
    yield
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """One user of each role; two specialists so scoping can be tested."""
    return {
        "owner": create_user(username="owner", password=PASSWORD, role="owner", name="王老板"),
        "manager": create_user(username="manager", password=PASSWORD, role="manager",
                               name="李经理", department="service"),
        "spec1": create_user(username="spec1", password=PASSWORD, role="specialist",
                             name="张专员", department="service"),
        "spec2": create_user(username="spec2", password=PASSWORD, role="specialist",
                             name="赵专员", department="service"),
        "tech": create_user(username="tech", password=PASSWORD, role="staff",
                            name="钱工", department="technical"),
        "quality": create_user(username="quality", password=PASSWORD, role="staff",
                               name="孙质检", department="quality"),
    }


def login(client, username, password=PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def csrf_token_from(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else None
