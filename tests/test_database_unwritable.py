"""A database that cannot be written says so: read-only file (or read-only
MariaDB transaction), full disk, lost connection. Writes answer a 503 page
that says nothing was saved, never a 500 or "cannot rollback"; reading pages
keep working; login works without its audit row. Any other error is a 500
page with a reference number that the log holds with the traceback."""
import logging

import pytest
from peewee import MySQLDatabase, SqliteDatabase

import models as M
from admin_app.database import SQLITE_PRAGMAS, is_mysql
from models import db
from tests import factories as F
from tests.conftest import PASSWORD, login
from tests.databases import read_only, using

UNAVAILABLE = "The database cannot be written right now: nothing was saved."


def customer_form(customer, **extra):
    data = {"code": customer.code, "name": customer.name, "nature": "enterprise",
            "industry": "other", "annual_purchase": "1000", "customer_class": "C",
            "tier": "regular", "lifecycle": "new", "version": customer.version}
    data.update(extra)
    return data


def assert_unavailable(response):
    body = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, body[:800])
    assert UNAVAILABLE in body
    assert "cannot rollback" not in body and "Traceback" not in body


@pytest.fixture(params=["test", "production"])
def view_errors(request, app):
    """Flask-Admin flashes view errors in production and raises them in
    tests: a database that cannot be written must be a 503 either way."""
    old = app.config["FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION"]
    app.config["FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION"] = request.param == "test"
    yield request.param
    app.config["FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION"] = old


def test_read_only_database_reads_and_refuses_writes(client, users, view_errors, caplog):
    customer = F.customer(owner=users["spec1"], name="只读测试客户")
    complaint = F.complaint(customer)
    spare = F.customer(owner=users["spec1"])  # no history: it may be deleted
    before = M.AuditLog.select().count()
    with using(read_only(db.obj)), caplog.at_level(logging.WARNING):
        # Login still works: its audit row goes to the log instead.
        login(client, "owner")
        assert any(r.name == "admin_app.auth" and r.levelno >= logging.WARNING
                   for r in caplog.records), caplog.text
        # Reading keeps working (the home page skips the SLA sweep it cannot write).
        for url in ("/admin/", "/admin/customer/", f"/admin/customer/details/?id={customer.id}",
                    f"/admin/customer/edit/?id={customer.id}", "/admin/complaint/"):
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
        assert "只读测试客户" in client.get("/admin/customer/").get_data(as_text=True)
        # Every write answers 503.
        assert_unavailable(client.post(f"/admin/customer/edit/?id={customer.id}",
                                       data=customer_form(customer, name="改名")))
        assert_unavailable(client.post("/admin/customer/new/", data=customer_form(
            customer, code="NEW-1", name="新客户")))
        assert_unavailable(client.post("/admin/customer/delete/", data={"id": spare.id}))
        assert_unavailable(client.post("/admin/complaint/delete/", data={"id": complaint.id}))
        assert_unavailable(client.post("/admin/complaint/action/", data={
            "action": "delete", "rowid": [complaint.id]}))
        assert_unavailable(client.get("/admin/customer/export/csv/"))
        assert_unavailable(client.get(f"/admin/customer/print/?id={customer.id}"))
    # Nothing was saved.
    assert M.Customer.get_by_id(customer.id).name == "只读测试客户"
    assert M.Customer.select().count() == 2 and M.Complaint.select().count() == 1
    assert M.AuditLog.select().count() == before


def test_inline_edit_on_a_read_only_database(client, users):
    customer = F.customer(owner=users["spec1"], phone="0512-1")
    login(client, "owner")
    with using(read_only(db.obj)):
        r = client.post("/admin/customer/ajax/update/", data={
            "list_form_pk": customer.id, "phone": "0512-2"})
        assert r.status_code == 503
    assert M.Customer.get_by_id(customer.id).phone == "0512-1"


def test_full_disk_is_a_503_not_cannot_rollback(client, users, view_errors):
    if is_mysql():
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    customer = F.customer(owner=users["spec1"])
    login(client, "owner")
    path = db.obj.database
    db.execute_sql("VACUUM")  # no free pages left to fill
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    full = SqliteDatabase(path, pragmas={**SQLITE_PRAGMAS, "max_page_count": pages})
    with using(full):
        assert client.get("/admin/customer/").status_code == 200
        assert_unavailable(client.post(f"/admin/customer/edit/?id={customer.id}",
                                       data=customer_form(customer, notes="满" * 15_000)))
        assert_unavailable(client.post("/admin/customer/new/", data=customer_form(
            customer, code="NEW-2", notes="满" * 15_000)))
    assert M.Customer.get_by_id(customer.id).notes is None
    assert M.Customer.select().count() == 1


def test_lost_database_connection_is_a_503(client, users):
    login(client, "owner")
    if is_mysql():
        gone = MySQLDatabase(db.obj.database, **{**db.obj.connect_params, "port": 1,
                                                "connect_timeout": 2})
    else:  # a file in a folder that is not there (an unmounted disk)
        gone = SqliteDatabase("/nonexistent-folder/app.sqlite3", pragmas=SQLITE_PRAGMAS)
    with using(gone):
        for url in ("/admin/", "/admin/customer/", "/login"):
            assert_unavailable(client.get(url))
        assert_unavailable(client.post("/login", data={"username": "owner",
                                                       "password": PASSWORD}))


def test_an_unexpected_error_shows_a_reference_that_is_in_the_log(
        app, client, users, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("internal detail 0xdeadbeef")

    monkeypatch.setattr("admin_app.admin.dashboard.context", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    login(client, "owner")
    with caplog.at_level(logging.ERROR):
        r = client.get("/admin/")
    body = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Traceback" not in body and "0xdeadbeef" not in body and "RuntimeError" not in body
    reference = body.split('id="error-reference">')[1].split()[1]
    assert len(reference) == 8
    record = next(rec for rec in caplog.records if reference in rec.getMessage())
    assert record.exc_info and "internal detail 0xdeadbeef" in str(record.exc_info[1])
    assert "Traceback" in caplog.text and reference in caplog.text
