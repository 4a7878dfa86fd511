"""The password policy wherever a password is chosen (user admin, reset, the
change page, the CLI), and the forced change at next login."""
import pytest

import models as M
from domain.passwords import MIN_LENGTH, PasswordRejected, check, common_passwords
from services.users import create_user
from tests.conftest import PASSWORD, login
from tests.test_sessions import user_form


@pytest.mark.parametrize("password,reason", [
    ("", "at least 10 characters"),
    ("short-pw", "at least 10 characters"),
    ("123456", "at least 10 characters"),
    ("aaaaaaaaaaaa", "one character repeated"),
    ("１１１１１１１１１１", "one character repeated"),
    ("1234567890", "most common"),
    ("Password123", "most common"),     # any letter case
    ("QWERTYUIOP", "most common"),
    ("woaini1314", "most common"),
    ("wang.fang.1", "the username"),
])
def test_refused_passwords(password, reason):
    with pytest.raises(PasswordRejected, match=reason):
        check(password, "Wang.Fang.1")


@pytest.mark.parametrize("password", [PASSWORD, "demo-pass-1234", "苏州精诚仪器有限公司", "x" * 9 + "y"])
def test_accepted_passwords(password):
    check(password, "wang")


def test_the_common_list_is_shipped_and_long_passwords_are_in_it():
    listed = common_passwords()
    assert len(listed) > 200 and "password123" in listed and "qwerty123456" in listed
    assert sum(len(p) >= MIN_LENGTH for p in listed) > 150


def test_new_password_must_differ_from_the_current_one():
    with pytest.raises(PasswordRejected, match="differ"):
        check("same-pw-12345", "wang", current="same-pw-12345")


def test_the_service_refuses_a_weak_password(app):
    with pytest.raises(PasswordRejected):
        create_user(username="wang", password="123456", role="staff", check_policy=True)
    assert M.User.select().count() == 0


def _new_user_form(password, **extra):
    data = {"username": "wang", "name": "王芳", "role": "specialist", "department": "service",
            "active": "y", "locale": "", "password": password}
    data.update(extra)
    return data


def test_user_form_refuses_a_weak_password_with_the_reason(client, users):
    login(client, "owner")
    r = client.post("/admin/user/new/", data=_new_user_form("123456"))
    assert r.status_code == 200
    assert "A password needs at least 10 characters." in r.get_data(as_text=True)
    assert not M.User.select().where(M.User.username == "wang").exists()
    r = client.post("/admin/user/new/", data=_new_user_form("1234567890"))
    assert "most common passwords" in r.get_data(as_text=True)
    r = client.post("/admin/user/new/", data=_new_user_form("wang-fang-pw-1"))
    assert r.status_code == 302 and M.User.get(M.User.username == "wang").role == "specialist"


def test_user_form_reset_refuses_a_weak_password_and_keeps_the_old_one(client, users):
    login(client, "owner")
    spec1 = M.User.get_by_id(users["spec1"].id)
    r = client.post(f"/admin/user/edit/?id={spec1.id}",
                    data=user_form(spec1, password="abc123"))
    assert r.status_code == 200
    assert M.User.get_by_id(spec1.id).password_hash == spec1.password_hash
    r = client.post(f"/admin/user/edit/?id={spec1.id}", data=user_form(spec1, password="aaaaaaaaaaaaa"))
    assert "one character repeated" in r.get_data(as_text=True)
    assert M.User.get_by_id(spec1.id).password_hash == spec1.password_hash


def test_cli_set_password(app, users):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["set-password", "spec1", "--password", "12345678"])
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    good = runner.invoke(args=["set-password", "spec1", "--password", "cli-new-pw-88",
                               "--must-change-password"])
    assert good.exit_code == 0, good.output
    spec1 = M.User.get_by_id(users["spec1"].id)
    assert spec1.must_change_password and spec1.session_version == 2
    assert M.AuditLog.get(M.AuditLog.action == "password").record_id == str(spec1.id)
    missing = runner.invoke(args=["set-password", "nobody", "--password", "cli-new-pw-88"])
    assert missing.exit_code != 0


def test_cli_create_user_can_force_a_change(app):
    r = app.test_cli_runner().invoke(args=["create-user", "li", "--role", "staff", "--password",
                                           "first-pw-2026", "--must-change-password"])
    assert r.exit_code == 0, r.output
    assert M.User.get(M.User.username == "li").must_change_password


def test_the_owner_forces_a_new_password_at_next_login(client, users):
    login(client, "owner")
    spec1 = M.User.get_by_id(users["spec1"].id)
    assert client.post(f"/admin/user/edit/?id={spec1.id}",
                       data=user_form(spec1, must_change_password="y")).status_code == 302
    client.post("/logout")

    r = client.post("/login", data={"username": "spec1", "password": PASSWORD})
    assert r.headers["Location"].endswith("/password")
    # Nothing else opens until the password is changed.
    for url in ("/admin/", "/admin/customer/", "/admin/customer/export/csv/"):
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].endswith("/password"), url
    page = client.get("/password").get_data(as_text=True)
    assert "Choose a new password before you go on." in page
    # … and the page gets its stylesheets.
    for sheet in ("/theme/bootstrap.min.css", "/static/app.css"):
        response = client.get(sheet)
        response.close()
        assert f'href="{sheet}"' in page and response.status_code == 200, sheet
    r = client.post("/password", data={"current": PASSWORD, "new": "123",
                                       "confirm": "123"})
    assert "at least 10 characters" in r.get_data(as_text=True)
    r = client.post("/password", data={"current": PASSWORD, "new": PASSWORD,
                                       "confirm": PASSWORD})
    assert "must differ" in r.get_data(as_text=True)
    r = client.post("/password", data={"current": PASSWORD, "new": "chosen-pw-2026",
                                       "confirm": "chosen-pw-2027"})
    assert "The two new passwords differ." in r.get_data(as_text=True)
    r = client.post("/password", data={"current": PASSWORD, "new": "chosen-pw-2026",
                                       "confirm": "chosen-pw-2026"})
    assert r.status_code == 302
    assert client.get("/admin/customer/").status_code == 200
    assert not M.User.get_by_id(spec1.id).must_change_password


def test_password_page_needs_a_login(client):
    r = client.get("/password")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
