"""Deleted records come back: a delete keeps the whole row in its audit
entry; the owner's "Recently deleted" list restores it under its old id with
an audit row, or refuses with the reason (a unique value taken, a parent gone)."""
import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

import models as M
from domain.clock import now
from services import audit, undelete
from tests import factories as F
from tests.conftest import login


def deleted_entry(register, record_id):
    return (M.AuditLog.select().where((M.AuditLog.action == "delete")
                                      & (M.AuditLog.register == register)
                                      & (M.AuditLog.record_id == str(record_id)))
            .order_by(M.AuditLog.id.desc()).get())


def restore(client, entry):
    return client.post("/admin/deleted/restore/", data={"entry": entry.id})


@pytest.fixture
def owner(client, users):
    login(client, "owner")
    return users["owner"]


def test_a_deleted_customer_comes_back_whole_under_its_old_id(client, owner, users):
    c = F.customer(owner=users["spec1"], name="误删客户", code="C-UNDO-1", phone="0512-6666",
                   credit_limit="50000.00", first_deal_on=datetime(2025, 3, 1).date(),
                   created_at=datetime(2025, 3, 1, 8, 30))
    c.notes = "重要客户"
    c.save()  # version 2
    assert client.post("/admin/customer/delete/", data={"id": c.id}).status_code == 302
    assert not M.Customer.select().where(M.Customer.id == c.id).exists()
    entry = deleted_entry("customer", c.id)
    kept = json.loads(entry.changes)
    assert set(kept) == set(M.Customer._meta.fields)  # every field, timestamps and version too
    assert kept["created_at"] == ["2025-03-01 08:30:00", None] and kept["version"] == [2, None]

    page = client.get("/admin/deleted/").get_data(as_text=True)
    assert "误删客户" in page and f'value="{entry.id}"' in page

    r = restore(client, entry)
    assert r.status_code == 302 and r.headers["Location"].endswith(
        f"/admin/customer/details/?id={c.id}")
    back = M.Customer.get_by_id(c.id)
    assert (back.name, back.code, back.phone, back.notes, back.owner_id) == (
        "误删客户", "C-UNDO-1", "0512-6666", "重要客户", users["spec1"].id)
    assert back.credit_limit == Decimal("50000") and back.first_deal_on.isoformat() == "2025-03-01"
    assert back.created_at == datetime(2025, 3, 1, 8, 30) and back.version == 3
    row = M.AuditLog.select().where(M.AuditLog.action == "restore").get()
    assert (row.register, row.record_id, row.user_id) == ("customer", str(c.id), owner.id)
    assert json.loads(row.changes)["code"] == [None, "C-UNDO-1"]
    follow = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "was restored" in follow and "误删客户" in follow
    # Restored once: the list says so, and a second restore is refused.
    assert "Restored" in client.get("/admin/deleted/").get_data(as_text=True)
    again = restore(client, entry)
    assert "is there already" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert M.Customer.select().count() == 1


def test_records_deleted_together_come_back_one_by_one(client, owner, users):
    cust = F.customer(owner=users["spec1"])
    sales = [F.sale(cust, product=f"型号{i}") for i in range(3)]
    r = client.post("/admin/sale/action/", data={"action": "delete",
                                                  "rowid": [s.id for s in sales]})
    assert r.status_code == 302 and M.Sale.select().count() == 0
    for s in sales:
        restore(client, deleted_entry("sale", s.id))
    assert sorted(s.product for s in M.Sale.select()) == ["型号0", "型号1", "型号2"]


def test_a_restore_that_would_break_a_unique_value_is_refused(client, owner, users):
    c = F.customer(code="C-DUP")
    F.customer()  # SQLite gives the newest row's id to the next insert: not this one's
    client.post("/admin/customer/delete/", data={"id": c.id})
    F.customer(code="C-DUP", name="新客户占了编号")
    r = restore(client, deleted_entry("customer", c.id))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Not restored" in page and "C-DUP" in page and "used by another record" in page
    assert M.Customer.select().count() == 2
    assert not M.AuditLog.select().where(M.AuditLog.action == "restore").exists()


def test_a_record_whose_parent_is_gone_waits_for_the_parent(client, owner, users):
    cust = F.customer(name="先删联系人再删客户")
    contact = M.Contact.create(customer=cust, name="联系人甲")
    client.post("/admin/contact/delete/", data={"id": contact.id})
    client.post("/admin/customer/delete/", data={"id": cust.id})
    assert M.Customer.select().count() == 0
    r = restore(client, deleted_entry("contact", contact.id))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "no longer exists: restore that first" in page and "Customer archive" in page
    assert M.Contact.select().count() == 0
    restore(client, deleted_entry("customer", cust.id))
    restore(client, deleted_entry("contact", contact.id))
    assert M.Contact.get().customer.name == "先删联系人再删客户"


def test_a_restored_user_cannot_log_in_until_given_a_password(client, owner, users):
    from services.users import create_user
    clerk = create_user(username="clerk9", password="clerk-pw-2026", role="specialist")
    client.post("/admin/user/delete/", data={"id": clerk.id})
    entry = deleted_entry("user", clerk.id)
    assert "password_hash" not in json.loads(entry.changes)
    restore(client, entry)
    back = M.User.get_by_id(clerk.id)
    assert back.username == "clerk9" and back.password_hash == undelete.NO_PASSWORD
    other = client.application.test_client()
    assert other.post("/login", data={"username": "clerk9",
                                      "password": "clerk-pw-2026"}).status_code != 302
    row = M.AuditLog.select().where(M.AuditLog.action == "restore").get()
    assert "password_hash" not in json.loads(row.changes)


def test_an_entry_from_before_deletes_kept_timestamps_still_restores(app, users):
    made = datetime(2026, 1, 5, 9, 0)
    audit.record(user=users["owner"].id, action="create", register="customer", record_id=990,
                 changes={"code": [None, "OLD-1"]})
    M.AuditLog.update(at=made).where(M.AuditLog.record_id == "990").execute()
    snapshot = audit.snapshot(M.Customer(id=990, code="OLD-1", name="老格式", owner=None),
                              skip=("created_at", "updated_at", "version"))
    entry = audit.record(user=users["owner"].id, action="delete", register="customer",
                         record_id=990, changes={k: [v, None] for k, v in snapshot.items()})
    undelete.restore(entry_id=entry.id, user=users["owner"], now=now())
    back = M.Customer.get_by_id(990)
    assert back.name == "老格式" and back.created_at == made and back.version == 2


def test_the_list_shows_30_days_and_only_the_owner_may_restore(client, users):
    old = F.customer(name="很久以前删的")
    recent = F.customer(name="最近删的")
    login(client, "owner")
    for c in (old, recent):
        client.post("/admin/customer/delete/", data={"id": c.id})
    M.AuditLog.update(at=now() - timedelta(days=31)).where(
        M.AuditLog.record_id == str(old.id)).execute()
    page = client.get("/admin/deleted/").get_data(as_text=True)
    assert "最近删的" in page and "很久以前删的" not in page
    entry = deleted_entry("customer", recent.id)
    for who in ("manager", "spec1", "tech"):
        other = client.application.test_client()
        login(other, who)
        assert other.get("/admin/deleted/").status_code == 403
        assert restore(other, entry).status_code == 403
        assert "/admin/deleted/" not in other.get("/admin/").get_data(as_text=True)
    assert not M.Customer.select().where(M.Customer.id == recent.id).exists()
    anonymous = client.application.test_client()
    assert anonymous.get("/admin/deleted/").status_code == 302
    assert "/admin/deleted/" in client.get("/admin/").get_data(as_text=True)


def test_nonsense_entries_are_refused(client, owner, users):
    kept = M.AuditLog.create(action="update", register="customer", record_id="5",
                             changes="{}")
    for entry in ("", "abc", "999999", str(kept.id)):
        r = client.post("/admin/deleted/restore/", data={"entry": entry})
        assert r.status_code == 302
        assert "There is no such deleted record" in client.get(
            r.headers["Location"]).get_data(as_text=True)


def test_a_deleted_record_whose_id_was_given_again_cannot_come_back(client, owner):
    c = F.customer(name="被顶替的客户")
    client.post("/admin/customer/delete/", data={"id": c.id})
    M.Customer.create(id=c.id, code="NEW-ID", name="拿了同一个编号")  # SQLite reuses the newest id
    entry = deleted_entry("customer", c.id)
    page = client.get("/admin/deleted/").get_data(as_text=True)
    row = page.split(f'id="deleted-{entry.id}"')[1].split("</tr>")[0]
    assert "A new record has taken its id" in row and "Restore" not in row
    r = restore(client, entry)
    assert "is there already" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert M.Customer.get_by_id(c.id).name == "拿了同一个编号"


def test_the_deleted_list_and_restore_refuse_unreadable_numbers(client, users):
    login(client, "owner")
    assert client.get("/admin/deleted/?page=99999999999999999999").status_code == 400
    assert client.get("/admin/deleted/?page=-1").status_code == 400
    r = client.post("/admin/deleted/restore/", data={"entry": "99999999999999999999"})
    assert r.status_code in (302, 200)
