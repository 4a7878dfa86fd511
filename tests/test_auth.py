"""Login, logout, CSRF, inactive users, CLI user creation, health."""
import pytest

import models as M
from tests.conftest import PASSWORD, csrf_token_from, login, make_app


def test_wrong_password_and_inactive_user_cannot_log_in(client, users):
    r = client.post("/login", data={"username": "owner", "password": "nope"})
    assert r.status_code == 200 and "Wrong username or password" in r.get_data(as_text=True)
    M.User.update(active=False).where(M.User.username == "spec1").execute()
    r = client.post("/login", data={"username": "spec1", "password": PASSWORD})
    assert r.status_code == 200
    assert client.get("/admin/customer/").status_code == 302


def test_deactivated_user_loses_an_open_session(client, users):
    login(client, "spec1")
    assert client.get("/admin/customer/").status_code == 200
    M.User.update(active=False).where(M.User.username == "spec1").execute()
    assert client.get("/admin/customer/").status_code == 302


def test_login_is_audited_and_next_stays_local(client, users):
    r = client.post("/login?next=https://evil.example/", data={"username": "owner",
                                                              "password": PASSWORD})
    assert r.headers["Location"].endswith("/admin/")
    assert M.AuditLog.select().where(M.AuditLog.action == "login").count() == 1


def test_logout(client, users):
    login(client, "owner")
    assert client.post("/logout").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_password_never_shown(client, users):
    login(client, "owner")
    uid = users["spec1"].id
    for url in ("/admin/user/", f"/admin/user/details/?id={uid}", f"/admin/user/edit/?id={uid}",
                "/admin/user/export/csv/"):
        body = client.get(url).get_data(as_text=True)
        assert "pbkdf2" not in body and "scrypt" not in body, url


@pytest.fixture
def csrf_app(database_url, app):
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def test_csrf_is_required_on_login_and_admin_forms(csrf_app, users):
    client = csrf_app.test_client()
    r = client.post("/login", data={"username": "owner", "password": PASSWORD})
    assert r.status_code == 400
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"username": "owner", "password": PASSWORD,
                                     "csrf_token": token})
    assert r.status_code == 302
    # An admin create without the token changes nothing.
    r = client.post("/admin/rule/new/", data={"key": "k", "value": "1", "unit": "days"})
    assert r.status_code == 400
    assert M.Rule.select().count() == 0
    page = client.get("/admin/rule/new/").get_data(as_text=True)
    token = csrf_token_from(page)
    assert token
    r = client.post("/admin/rule/new/", data={"key": "k", "value": "1", "unit": "days",
                                              "csrf_token": token})
    assert r.status_code == 302 and M.Rule.select().count() == 1
    # Delete and actions need it too.
    rule = M.Rule.get()
    assert client.post("/admin/rule/delete/", data={"id": rule.id}).status_code == 400
    assert client.post("/admin/rule/action/", data={"action": "delete",
                                                    "rowid": [rule.id]}).status_code == 400
    assert M.Rule.select().count() == 1


def test_create_user_cli(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["create-user", "clerk", "--role", "specialist", "--password",
                            "pw-1234-clerk", "--department", "service", "--name", "小王"])
    assert r.exit_code == 0, r.output
    user = M.User.get(M.User.username == "clerk")
    assert user.role == "specialist" and user.password_hash != "pw-1234-clerk"
    again = runner.invoke(args=["create-user", "clerk", "--role", "owner", "--password",
                                "pw-1234-clerk"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=["create-user", "x", "--role", "owner", "--password", "1"])
    assert bad.exit_code != 0 and "at least 10 characters" in bad.output
    assert M.User.select().count() == 1


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json()["database"] == "ok"
