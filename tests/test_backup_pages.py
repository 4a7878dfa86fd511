"""The owner's Backups page: the list with sizes and times, "back up now",
downloads in the audit log; nobody else may open any of it."""
import gzip
import os

import pytest

import models as M
from services import backup_files
from tests import factories as F
from models import db
from tests.conftest import login
from tests.databases import read_only, using


@pytest.fixture
def folder(app):
    path = backup_files.folder(app.instance_path)
    for old in backup_files.listing(path):
        os.remove(old.path)
    yield path
    for made in backup_files.listing(path):
        os.remove(made.path)


def test_owner_backs_up_now_sees_it_listed_and_downloads_it(client, users, folder):
    F.customer(name="页面备份客户")
    login(client, "owner")
    page = client.get("/admin/backups/").get_data(as_text=True)
    assert "There is no backup yet." in page and 'id="backup-now"' in page
    r = client.post("/admin/backups/run/")
    assert r.status_code == 302
    (made,) = backup_files.listing(folder)
    page = client.get("/admin/backups/").get_data(as_text=True)
    assert made.name in page and "written" in page
    assert made.modified.strftime("%Y-%m-%d %H:%M") in page and " KB" in page
    row = M.AuditLog.select().where(M.AuditLog.action == "backup").get()
    assert row.user_id == users["owner"].id and made.name in row.changes

    r = client.get(f"/admin/backups/download/{made.name}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].startswith("attachment")
    body = r.data
    r.close()  # send_file streams the file: closing the response closes it
    with open(made.path, "rb") as f:
        assert body == f.read()
    assert gzip.decompress(body)[:15] == b"SQLite format 3" or \
        gzip.decompress(body)[:2] in (b"/*", b"--")
    download = M.AuditLog.select().where((M.AuditLog.action == "export")
                                         & (M.AuditLog.register == "backup")).get()
    assert download.user_id == users["owner"].id and made.name in download.changes


def test_only_backups_can_be_downloaded(client, users, folder, app):
    login(client, "owner")
    client.post("/admin/backups/run/")
    with open(os.path.join(folder, "notes.txt"), "w") as f:
        f.write("not a backup")
    for name in ("notes.txt", "..%2Fsecret_key", "%2Fetc%2Fpasswd", "crm-20260101-000000.sql.gz"):
        assert client.get(f"/admin/backups/download/{name}").status_code == 404, name
    os.remove(os.path.join(folder, "notes.txt"))
    assert not M.AuditLog.select().where(M.AuditLog.action == "export").exists()


def test_nobody_but_the_owner_gets_in(client, users, folder):
    login(client, "owner")
    client.post("/admin/backups/run/")
    (made,) = backup_files.listing(folder)
    assert "/admin/backups/" in client.get("/admin/").get_data(as_text=True)
    for who in ("manager", "spec1", "tech"):
        other = client.application.test_client()
        login(other, who)
        assert other.get("/admin/backups/").status_code == 403
        assert other.post("/admin/backups/run/").status_code == 403
        assert other.get(f"/admin/backups/download/{made.name}").status_code == 403
        assert "/admin/backups/" not in other.get("/admin/").get_data(as_text=True)
    anonymous = client.application.test_client()
    r = anonymous.get(f"/admin/backups/download/{made.name}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert len(backup_files.listing(folder)) == 1


def test_a_database_that_cannot_be_written_can_still_be_backed_up(client, users, folder):
    F.customer(name="只读时备份")
    login(client, "owner")
    with using(read_only(db.obj)):
        assert client.post("/admin/backups/run/").status_code == 302
        (made,) = backup_files.listing(folder)
        # A download must be audited first: that write is refused, so is the download.
        r = client.get(f"/admin/backups/download/{made.name}")
        assert r.status_code == 503
