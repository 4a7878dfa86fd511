"""Backups and restores: flask backup / restore on the test database's
engine (SQLite, or MariaDB with mysqldump), taken while the app writes,
restored into a new database that opens in the app, old schemas upgraded."""
import gzip
import http.cookiejar
import os
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

import pytest
from playhouse.migrate import migrate
from werkzeug.serving import make_server

import models as M
from admin_app import migrations
from admin_app.database import is_mysql
from models import db
from services import backup, backup_files, mysql_client, restore
from tests import factories as F
from tests.conftest import PASSWORD, login
from tests.databases import other_app, sibling, url_of, using


def integrity(database):
    """PRAGMA integrity_check of a SQLite database (MariaDB: CHECK TABLE)."""
    if is_mysql(database):
        rows = [database.execute_sql(f"CHECK TABLE `{t}`").fetchall()[-1]
                for t in database.get_tables()]
        return "ok" if all(r[-1] == "OK" for r in rows) else rows
    with sqlite3.connect(database.database) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def restore_cli(url, file, *args, input=None):
    with other_app(url) as application:
        return application.test_cli_runner().invoke(args=["restore", file, *args], input=input)


def test_backup_command_writes_a_gzip_and_restores_into_an_empty_database(
        app, users, tmp_path):
    customers = [F.customer(owner=users["spec1"], name=f"备份客户{i}") for i in range(5)]
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output and " s." in result.output
    (written,) = os.listdir(tmp_path)
    kind = "sql" if is_mysql() else "sqlite3"
    assert backup_files.NAME.match(written) and written.endswith(f".{kind}.gz")
    with gzip.open(tmp_path / written) as f:
        head = f.read(16)
    assert head == restore.SQLITE_MAGIC if kind == "sqlite3" else head.startswith((b"/*", b"--"))
    assert M.AuditLog.select().where(M.AuditLog.action == "backup").count() == 1

    with sibling("restored") as target:
        result = restore_cli(url_of(target), str(tmp_path / written))
        assert result.exit_code == 0, result.output
        assert "Restored" in result.output
        with using(target):
            assert integrity(target) == "ok"
            assert {c.name for c in M.Customer.select()} == {c.name for c in customers}
            assert migrations.current_version(target) == migrations.LATEST
            assert M.AuditLog.select().where((M.AuditLog.action == "restore")
                                             & (M.AuditLog.register == "backup")).count() == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a saved form answers 302: count it, do not load the next page


def _post_complaints(base, customer_id, n, errors):
    """Log in over HTTP and register ``n`` complaints, as a clerk would."""
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                             _NoRedirect())

        def post(path, data):
            body = urllib.parse.urlencode(data).encode()
            try:
                opener.open(base + path, body, timeout=30).close()
            except urllib.error.HTTPError as ex:  # the 302 of a saved form
                ex.close()
                assert ex.code == 302, (path, ex.code)
            else:
                raise AssertionError(f"{path} answered 200: not saved")

        post("/login", {"username": "owner", "password": PASSWORD})
        for i in range(n):
            post("/admin/complaint/new/", {
                "customer": customer_id, "complainant": "陈工", "channel": "hotline",
                "received_at": "2026-11-10 09:00:00", "category": "repair_workmanship",
                "description": f"维修后再次故障 {i}", "severity": "high"})
    except Exception as ex:  # noqa: BLE001 — reported by the test
        errors.append(ex)


@pytest.mark.slow
def test_a_backup_taken_while_200_complaints_are_created_restores_consistently(
        app, users, tmp_path):
    customers = [F.customer(owner=users["spec1"], name=f"并发客户{i}") for i in range(30)]
    db.close()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    errors = []
    writer = threading.Thread(target=_post_complaints, args=(
        f"http://127.0.0.1:{httpd.server_port}", customers[0].id, 200, errors))
    try:
        writer.start()
        while M.Complaint.select().count() < 20 and writer.is_alive():
            threading.Event().wait(0.05)
        started_with = M.Complaint.select().count()
        db.close()
        taken = backup.take(db.obj, instance_path=str(tmp_path), now=datetime.now(),
                            out=str(tmp_path))
        ended_with = M.Complaint.select().count()
        db.close()
        writer.join(300)
    finally:
        httpd.shutdown()
    assert not errors, errors
    assert M.Complaint.select().count() == 200
    assert 20 <= started_with <= ended_with < 200, "the backup ran while complaints were created"

    with sibling("during") as target:
        result = restore_cli(url_of(target), taken.path)
        assert result.exit_code == 0, result.output
        with using(target):
            assert integrity(target) == "ok"
            assert M.Customer.select().count() == len(customers)
            # One snapshot: the numbers, their counter and the audit rows agree.
            saved = M.Complaint.select().count()
            assert started_with <= saved <= ended_with
            numbers = sorted(int(c.number.rsplit("-", 1)[1]) for c in M.Complaint.select())
            assert numbers == list(range(1, saved + 1))
            assert M.NumberSequence.get().value == saved
            created = M.AuditLog.select().where((M.AuditLog.action == "create")
                                                & (M.AuditLog.register == "complaint"))
            assert created.count() == saved
        # And it opens in the app.
        with other_app(url_of(target)) as restored:
            client = restored.test_client()
            login(client, "owner")
            page = client.get("/admin/customer/?page_size=100").get_data(as_text=True)
            assert all(c.name in page for c in customers)
            assert client.get("/admin/complaint/").status_code == 200


def test_restore_asks_before_replacing_data_and_backs_it_up_first(app, users, tmp_path):
    F.customer(owner=users["spec1"], name="备份里的客户")
    taken = backup.take(db.obj, instance_path=str(tmp_path), now=datetime.now(),
                        out=str(tmp_path / "snapshot"))
    with sibling("replaced") as target:
        with using(target):
            migrations.upgrade(target)
            F.customer(name="现在的客户")
        url = url_of(target)
        answered_no = restore_cli(url, taken.path, input="n\n")
        assert answered_no.exit_code != 0 and "holds data" in answered_no.output
        with using(target):
            assert [c.name for c in M.Customer.select()] == ["现在的客户"]
        with other_app(url) as application:
            instance = application.instance_path
            before = {f.name for f in backup_files.listing(backup_files.folder(instance))}
            result = application.test_cli_runner().invoke(args=["restore", taken.path, "--yes"])
        assert result.exit_code == 0, result.output
        with using(target):
            assert [c.name for c in M.Customer.select()] == ["备份里的客户"]
        made = [f for f in backup_files.listing(backup_files.folder(instance))
                if f.name not in before]
        assert len(made) == 1 and "-before-restore" in made[0].name
        assert made[0].path in result.output
        # The backup made first holds what was replaced.
        with sibling("undo") as undo:
            assert restore_cli(url_of(undo), made[0].path).exit_code == 0
            with using(undo):
                assert [c.name for c in M.Customer.select()] == ["现在的客户"]
        os.remove(made[0].path)


def test_an_old_backup_comes_up_on_new_code(app, tmp_path):
    with sibling("old") as old:
        with using(old):
            migrations.upgrade(old)
            F.customer(name="旧版本客户")
            # Back to schema 5: no version column yet (migration 6 adds it).
            migrate(migrations._migrator(old).drop_column("customer", "version"))
            migrations.SchemaVersion.update(version=5).execute()
        taken = backup.take(old, instance_path=str(tmp_path), now=datetime.now(),
                            out=str(tmp_path))
    with sibling("new") as new:
        result = restore_cli(url_of(new), taken.path)
        assert result.exit_code == 0, result.output
        assert "m0006_record_versions" in result.output
        with using(new):
            assert migrations.current_version(new) == migrations.LATEST
            assert M.Customer.get().name == "旧版本客户" and M.Customer.get().version == 1


def test_the_backups_folder_keeps_the_newest_backup_keep(app, monkeypatch):
    monkeypatch.setitem(app.config, "BACKUP_KEEP", 3)
    folder = backup_files.folder(app.instance_path)
    for old in backup_files.listing(folder):
        os.remove(old.path)
    runner = app.test_cli_runner()
    outputs = [runner.invoke(args=["backup"]).output for _ in range(5)]
    kept = backup_files.listing(folder)
    assert len(kept) == 3 and len({f.name for f in kept}) == 3
    assert all(f.path in out for f, out in zip(kept, reversed(outputs)))
    assert "Removed 1 older backup" in outputs[-1]
    for f in kept:
        os.remove(f.path)


def test_damaged_or_foreign_files_are_refused_and_change_nothing(app, users, tmp_path):
    F.customer(name="留着的客户")
    junk = tmp_path / "junk.sqlite3.gz"
    with gzip.open(junk, "wb") as f:
        f.write(b"PK\x03\x04 this is a zip, not a backup")
    cut = tmp_path / "cut.gz"
    taken = backup.take(db.obj, instance_path=str(tmp_path), now=datetime.now(),
                        out=str(tmp_path / "whole.gz"))
    with open(taken.path, "rb") as f:
        cut.write_bytes(f.read()[: taken.size // 2])
    with sibling("damaged") as target:
        for bad in (junk, cut):
            result = restore_cli(url_of(target), str(bad))
            assert result.exit_code == 1 and "Error:" in result.output, result.output
            assert "Traceback" not in result.output
        if not is_mysql():  # MariaDB runs the dump's first half: it was empty anyway
            with using(target):
                assert target.get_tables() == []


def test_a_missing_client_is_named(app, monkeypatch, tmp_path):
    with pytest.raises(mysql_client.ClientError, match="install the MariaDB/MySQL client"):
        mysql_client.program(("no-such-mysqldump",))
    if is_mysql():
        monkeypatch.setenv("PATH", str(tmp_path))
        result = app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path)])
        assert result.exit_code == 1 and "mysqldump was not found" in result.output
        assert os.listdir(tmp_path) == []
