"""Guessing passwords is refused: 5 failures for a name or 20 from an address
within 15 minutes lock it for 15 minutes (rules), counted in the database,
every failure and lock audited, the same answer whether the user exists."""
import json
import re
from datetime import datetime, timedelta

import pytest

import models as M
import services.users
from tests.conftest import PASSWORD, login, make_app

T0 = datetime(2026, 11, 20, 9, 0)
WRONG = "Wrong username or password"
LOCKED = "Too many failed logins"


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": T0}
    monkeypatch.setattr("admin_app.auth.now", lambda: moment["now"])
    return moment


def attempt(client, username, password="wrong-password", ip="127.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def text(response):
    return response.get_data(as_text=True)


def test_five_failures_lock_the_name_and_the_lock_runs_out(client, users, clock):
    for n in range(4):
        r = attempt(client, "spec1")
        assert r.status_code == 200 and WRONG in text(r), n
        clock["now"] += timedelta(minutes=1)
    r = attempt(client, "spec1")
    assert r.status_code == 429 and LOCKED in text(r) and "15 more minutes" in text(r)
    # Even the right password is refused now, and says nothing more.
    clock["now"] += timedelta(minutes=5)
    r = attempt(client, "spec1", PASSWORD)
    assert r.status_code == 429 and "10 more minutes" in text(r)
    assert client.get("/admin/").status_code == 302
    # Other names are not locked.
    assert attempt(client, "spec2", PASSWORD).status_code == 302
    client.post("/logout")
    # After the lockout the right password works again.
    clock["now"] += timedelta(minutes=10, seconds=1)
    assert attempt(client, "spec1", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_unknown_name_is_answered_and_locked_the_same_way(client, users, clock):
    answers = {}
    for name in ("spec1", "ghost-user"):
        answers[name] = [(r.status_code, re.sub(r'csrf_token" value="[^"]*', "",
                                                 text(r).replace(name, "NAME")))
                         for r in (attempt(client, name) for _ in range(6))]
    assert answers["spec1"] == answers["ghost-user"]
    assert answers["spec1"][-1][0] == 429


def test_failures_outside_the_window_do_not_count(client, users, clock):
    for _ in range(4):
        attempt(client, "spec1")
    clock["now"] += timedelta(minutes=16)
    for _ in range(4):
        assert attempt(client, "spec1").status_code == 200
    assert attempt(client, "spec1", PASSWORD).status_code == 302


def test_a_good_login_clears_the_names_failures(client, users, clock):
    for _ in range(4):
        attempt(client, "spec1")
    login(client, "spec1")
    client.post("/logout")
    for _ in range(4):
        assert attempt(client, "spec1").status_code == 200


def test_twenty_failures_from_one_address_lock_the_address(client, users, clock):
    for n in range(20):
        r = attempt(client, f"name{n % 4}", ip="10.0.0.9")  # never 5 for one name
        clock["now"] += timedelta(seconds=20)
    assert r.status_code == 429
    assert attempt(client, "spec1", PASSWORD, ip="10.0.0.9").status_code == 429
    assert attempt(client, "spec1", PASSWORD, ip="10.0.0.10").status_code == 302


def test_failures_and_locks_are_audited(client, users, clock):
    for _ in range(5):
        attempt(client, "spec1", ip="10.1.1.1")
    attempt(client, "spec1", PASSWORD, ip="10.1.1.1")  # refused while locked
    attempt(client, "nobody", ip="10.1.1.1")
    failed = list(M.AuditLog.select().where(M.AuditLog.action == "login_failed")
                  .order_by(M.AuditLog.id))
    assert len(failed) == 7
    first = json.loads(failed[0].changes)
    assert first == {"username": [None, "spec1"], "reason": [None, "password"]}
    assert failed[0].ip == "10.1.1.1" and failed[0].record_id == str(users["spec1"].id)
    assert failed[0].user_id is None  # nobody was logged in
    assert json.loads(failed[5].changes)["reason"] == [None, "locked"]
    assert json.loads(failed[6].changes) == {"username": [None, "nobody"],
                                             "reason": [None, "unknown"]}
    assert failed[6].record_id is None
    lock = M.AuditLog.get(M.AuditLog.action == "lockout")
    changes = json.loads(lock.changes)
    assert changes["username"] == [None, "spec1"] and changes["failures"] == [None, 5]
    assert changes["until"] == [None, "2026-11-20 09:15:00"]


def test_an_inactive_users_right_password_is_a_failure_too(client, users, clock):
    M.User.update(active=False).where(M.User.username == "spec1").execute()
    r = attempt(client, "spec1", PASSWORD)
    assert r.status_code == 200 and WRONG in text(r)
    entry = M.AuditLog.get(M.AuditLog.action == "login_failed")
    assert json.loads(entry.changes)["reason"] == [None, "inactive"]


def test_the_limits_are_rules(client, users, clock):
    M.Rule.create(key="login_max_failures_user", value="2", unit="count")
    M.Rule.create(key="login_lockout_minutes", value="60", unit="minutes")
    assert attempt(client, "spec1").status_code == 200
    r = attempt(client, "spec1")
    assert r.status_code == 429 and "60 more minutes" in text(r)


def test_counters_are_shared_by_every_app_process(database_url, app, users, clock):
    # Two app instances (two processes behind a load balancer) on one database.
    first, second = app.test_client(), make_app(database_url).test_client()
    for client in (first, second, first, second):
        attempt(client, "spec1")
    assert attempt(second, "spec1").status_code == 429
    assert attempt(first, "spec1", PASSWORD).status_code == 429
    assert M.LoginFailure.select().count() == 5


def test_old_counter_rows_are_pruned(client, users, clock):
    for _ in range(3):
        attempt(client, "spec1")
    clock["now"] += timedelta(hours=1)
    attempt(client, "spec2")
    assert [f.username for f in M.LoginFailure.select()] == ["spec2"]


def test_an_unknown_name_costs_the_same_hash_work(client, users, monkeypatch):
    checked = []
    real = services.users.check_password_hash

    def counting(hash_, password):
        checked.append(hash_.split("$")[0])
        return real(hash_, password)

    monkeypatch.setattr(services.users, "check_password_hash", counting)
    attempt(client, "spec1")
    attempt(client, "no-such-user")
    assert len(checked) == 2 and checked[0] == checked[1]  # same method and cost


def test_a_wrong_current_password_on_the_change_page_counts(client, users, clock):
    login(client, "spec1")
    for _ in range(4):
        r = client.post("/password", data={"current": "guess", "new": "new-pw-123456",
                                           "confirm": "new-pw-123456"})
        assert "The current password is wrong." in text(r)
    r = client.post("/password", data={"current": "guess", "new": "new-pw-123456",
                                       "confirm": "new-pw-123456"})
    assert LOCKED in text(r)
    r = client.post("/password", data={"current": PASSWORD, "new": "new-pw-123456",
                                       "confirm": "new-pw-123456"})
    assert LOCKED in text(r)
    assert services.users.check_login("spec1", PASSWORD)[0] is not None


def test_behind_a_trusted_proxy_the_clients_address_counts(database_url, app, users):
    proxied = make_app(database_url, TRUSTED_PROXIES=1).test_client()
    proxied.post("/login", data={"username": "spec1", "password": "wrong-password"},
                 headers={"X-Forwarded-For": "203.0.113.7"})
    direct = app.test_client()  # no proxy trusted: the header is ignored
    direct.post("/login", data={"username": "spec1", "password": "wrong-password"},
                headers={"X-Forwarded-For": "203.0.113.8"})
    assert [f.ip for f in M.LoginFailure.select().order_by(M.LoginFailure.id)] == [
        "203.0.113.7", "127.0.0.1"]
