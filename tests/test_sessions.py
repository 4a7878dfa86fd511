"""Sessions that end: logout, a new password, a new role or deactivation end
every cookie of the user at once; cookies are Lax, HttpOnly, Secure behind
HTTPS, and expire after SESSION_HOURS and SESSION_IDLE_MINUTES."""
import json
from datetime import datetime, timedelta

import pytest

import models as M
from tests.conftest import PASSWORD, login, make_app

T0 = datetime(2026, 11, 20, 9, 0)


def user_form(user, **extra):
    """What the owner's user form posts for ``user`` (the stored values)."""
    data = {"username": user.username, "name": user.name, "role": user.role,
            "department": user.department or "", "locale": user.locale or "",
            "password": "", "version": user.version}
    if user.active:
        data["active"] = "y"
    if user.must_change_password:
        data["must_change_password"] = "y"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def copy_of(client, app):
    """Another browser holding the same session cookie (a kept or stolen copy)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def logged_in(client):
    """The home page opens for any role; a client without a login is sent away."""
    return client.get("/admin/").status_code == 200


def test_logout_ends_a_kept_copy_of_the_cookie(app, client, users):
    login(client, "spec1")
    kept = copy_of(client, app)
    assert logged_in(kept)
    r = client.post("/logout")
    assert r.status_code == 302 and "logged_out=1" in r.headers["Location"]
    assert not logged_in(client) and not logged_in(kept)
    assert M.AuditLog.select().where(M.AuditLog.action == "logout").count() == 1


def test_logout_clears_the_cookie(client, users):
    login(client, "spec1")
    r = client.post("/logout")
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("session=;") and "Expires=Thu, 01 Jan 1970" in cookie
    assert client.get_cookie("session") is None
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "You have been logged out." in page


def test_owner_resetting_a_password_ends_the_users_sessions(app, client, users):
    clerk = app.test_client()
    login(clerk, "spec1")
    login(client, "owner")
    spec1 = M.User.get_by_id(users["spec1"].id)
    r = client.post(f"/admin/user/edit/?id={spec1.id}",
                    data=user_form(spec1, password="new-secret-77"))
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    assert not logged_in(clerk)
    assert logged_in(client)  # the owner's own session is untouched
    login(clerk, "spec1", "new-secret-77")
    assert logged_in(clerk)


@pytest.mark.parametrize("change", [{"role": "staff"}, {"active": None}])
def test_a_new_role_or_deactivation_ends_the_users_sessions(app, client, users, change):
    clerk = app.test_client()
    login(clerk, "spec1")
    login(client, "owner")
    spec1 = M.User.get_by_id(users["spec1"].id)
    assert client.post(f"/admin/user/edit/?id={spec1.id}",
                       data=user_form(spec1, **change)).status_code == 302
    assert M.User.get_by_id(spec1.id).session_version == spec1.session_version + 1
    assert not logged_in(clerk)


def test_editing_a_name_keeps_the_users_sessions(app, client, users):
    clerk = app.test_client()
    login(clerk, "spec1")
    login(client, "owner")
    spec1 = M.User.get_by_id(users["spec1"].id)
    assert client.post(f"/admin/user/edit/?id={spec1.id}",
                       data=user_form(spec1, name="张新名")).status_code == 302
    assert logged_in(clerk)


def test_owner_changing_their_own_password_stays_logged_in_here_only(app, client, users):
    login(client, "owner")
    elsewhere = copy_of(client, app)
    owner = M.User.get_by_id(users["owner"].id)
    assert client.post(f"/admin/user/edit/?id={owner.id}",
                       data=user_form(owner, password="owner-new-pw-1")).status_code == 302
    assert logged_in(client) and not logged_in(elsewhere)


def test_changing_ones_own_password_ends_the_other_sessions(app, client, users):
    login(client, "spec1")
    other = app.test_client()
    login(other, "spec1")
    r = client.post("/password", data={"current": PASSWORD, "new": "my-new-pw-2026",
                                       "confirm": "my-new-pw-2026"})
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    assert logged_in(client) and not logged_in(other)
    entry = M.AuditLog.get(M.AuditLog.action == "password")
    assert entry.user_id == users["spec1"].id and entry.record_id == str(users["spec1"].id)
    client.post("/logout")
    assert client.post("/login", data={"username": "spec1",
                                       "password": PASSWORD}).status_code != 302
    login(client, "spec1", "my-new-pw-2026")


def test_a_cookie_from_before_session_versions_is_not_a_login(app, client, users):
    login(client, "spec1")
    with client.session_transaction() as s:
        s["_user_id"] = str(users["spec1"].id)  # the old "id" token
    assert not logged_in(client)


def test_cookie_flags(database_url, app, users):
    client = app.test_client()
    r = client.post("/login", data={"username": "owner", "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    expires = datetime.strptime(cookie.split("Expires=")[1].split(";")[0],
                                "%a, %d %b %Y %H:%M:%S GMT")
    assert expires - datetime.utcnow() < timedelta(minutes=121)  # not 31 days
    assert "Strict-Transport-Security" not in r.headers

    secure = make_app(database_url, HTTPS=1).test_client()
    r = secure.post("/login", data={"username": "owner", "password": PASSWORD},
                    base_url="https://localhost")
    assert "Secure" in r.headers["Set-Cookie"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def clock(monkeypatch):
    """The time the session checks read (admin_app.auth.now), moved by hand."""
    moment = {"now": T0}
    monkeypatch.setattr("admin_app.auth.now", lambda: moment["now"])
    return moment


def test_a_session_ends_after_the_idle_time(client, users, clock):
    login(client, "spec1")
    clock["now"] = T0 + timedelta(minutes=119)
    assert logged_in(client)  # activity resets the idle clock
    clock["now"] += timedelta(minutes=119)
    assert logged_in(client)
    clock["now"] += timedelta(minutes=121)
    assert not logged_in(client)
    # … and the cookie no longer names the user at all.
    clock["now"] -= timedelta(minutes=121)
    assert not logged_in(client)


def test_a_session_ends_after_session_hours_however_busy(client, users, clock):
    login(client, "spec1")
    while clock["now"] < T0 + timedelta(hours=12):
        assert logged_in(client), clock["now"]
        clock["now"] += timedelta(minutes=100)
    assert not logged_in(client)


def test_session_limits_are_settings(database_url, app, users, monkeypatch):
    moment = {"now": T0}
    monkeypatch.setattr("admin_app.auth.now", lambda: moment["now"])
    short = make_app(database_url, SESSION_IDLE_MINUTES=5).test_client()
    login(short, "spec1")
    moment["now"] += timedelta(minutes=6)
    assert not logged_in(short)


def test_login_starts_a_fresh_session(client, users):
    with client.session_transaction() as s:
        s["planted"] = "by someone else"
    login(client, "spec1")
    with client.session_transaction() as s:
        assert "planted" not in s


def test_login_audit_row(client, users):
    login(client, "spec1")
    entry = M.AuditLog.get(M.AuditLog.action == "login")
    assert entry.user_id == users["spec1"].id and entry.ip == "127.0.0.1"
    assert entry.changes is None or json.loads(entry.changes) is not None


def test_the_cookie_of_the_login_itself_posts_forms(app, users):
    """A client that keeps the cookie it logged in with (a script, the
    benchmark) can post the forms of pages it opens later."""
    import re
    from tests.conftest import PASSWORD, make_app
    secure = make_app(app.config["DATABASE_URL"], WTF_CSRF_ENABLED=True)
    client = secure.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"username": "owner", "password": PASSWORD,
                                    "csrf_token": token})
    assert r.status_code == 302
    login_cookie = client.get_cookie("session").value
    c = M.Customer.create(code="C000009", name="脚本客户", owner=users["spec1"])
    form = client.get(f"/admin/customer/edit/?id={c.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    client.set_cookie("session", login_cookie)  # as a client that ignores later cookies
    r = client.post(f"/admin/customer/edit/?id={c.id}", data={
        "csrf_token": token, "code": "C000009", "name": "脚本客户改", "nature": "enterprise",
        "industry": "other", "annual_purchase": "0", "customer_class": "C", "tier": "regular",
        "owner": users["spec1"].id})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    assert M.Customer.get_by_id(c.id).name == "脚本客户改"
