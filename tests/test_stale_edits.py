"""No lost update: a save from a stale copy is refused (forms, cells, the
UPDATE itself), and what the other side saved survives."""
import threading

import pytest

import models as M
from domain import conflicts
from tests import factories as F
from tests.conftest import login
from tests.html_forms import form_fields


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], code="C000001", name="苏州精诚",
                      address="旧地址 1 号", phone="0512-66668888", notes="老备注")


def _open(client, record_id):
    page = client.get(f"/admin/customer/edit/?id={record_id}")
    assert page.status_code == 200
    return form_fields(page.get_data(as_text=True))


def _save(client, record_id, data):
    return client.post(f"/admin/customer/edit/?id={record_id}", data=data)


def _two_sessions(app):
    first, second = app.test_client(), app.test_client()
    login(first, "owner")
    login(second, "manager")
    return first, second


def test_the_form_carries_its_version_and_a_base(client, customer):
    login(client, "owner")
    data = _open(client, customer.id)
    assert data["version"] == "1"
    assert set(conflicts.decode_base(data["base"])) >= {"name", "address", "notes"}


def test_a_stale_form_cannot_undo_the_other_save(app, customer):
    first, second = _two_sessions(app)
    mine, theirs = _open(first, customer.id), _open(second, customer.id)
    assert _save(first, customer.id, {**mine, "address": "新地址 8 号"}).status_code == 302
    r = _save(second, customer.id, {**theirs, "notes": "新备注"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "王老板 changed this record at" in body and "Nothing was saved" in body
    stored = M.Customer.get_by_id(customer.id)
    assert stored.address == "新地址 8 号" and stored.notes == "老备注" and stored.version == 2
    # The form came back with the typing kept and the other change taken in.
    again = form_fields(body)
    assert again["notes"] == "新备注" and again["address"] == "新地址 8 号"
    assert again["version"] == "2"
    assert _save(second, customer.id, again).status_code == 302
    stored = M.Customer.get_by_id(customer.id)
    assert (stored.address, stored.notes, stored.version) == ("新地址 8 号", "新备注", 3)


def test_both_changing_one_field_shows_the_stored_value_beside_mine(app, customer):
    first, second = _two_sessions(app)
    mine, theirs = _open(first, customer.id), _open(second, customer.id)
    _save(first, customer.id, {**mine, "address": "甲的地址"})
    body = _save(second, customer.id, {**theirs, "address": "乙的地址"}).get_data(as_text=True)
    assert "Saved meanwhile: 甲的地址" in body
    again = form_fields(body)
    assert again["address"] == "乙的地址"  # mine stays in the box
    assert M.Customer.get_by_id(customer.id).address == "甲的地址"
    assert _save(second, customer.id, again).status_code == 302
    assert M.Customer.get_by_id(customer.id).address == "乙的地址"


def test_a_change_outside_the_form_is_no_conflict(app, customer):
    first, _second = _two_sessions(app)
    data = _open(first, customer.id)
    record = M.Customer.get_by_id(customer.id)
    record.at_risk = True  # not a field of the form (the rules set it)
    record.save()
    assert _save(first, customer.id, {**data, "notes": "新备注"}).status_code == 302
    stored = M.Customer.get_by_id(customer.id)
    assert stored.at_risk is True and stored.notes == "新备注" and stored.version == 3


def test_the_audit_row_records_the_version(client, customer):
    login(client, "owner")
    _save(client, customer.id, {**_open(client, customer.id), "notes": "x"})
    row = M.AuditLog.get((M.AuditLog.action == "update") & (M.AuditLog.register == "customer"))
    assert '"version": [1, 2]' in row.changes


def _cell(client, record_id, version, base, **value):
    return client.post("/admin/customer/ajax/update/", data={
        "list_form_pk": record_id, "version": version, "base_value": base, **value})


def test_a_stale_cell_answers_409_with_the_stored_value(app, customer):
    first, second = _two_sessions(app)
    assert _cell(first, customer.id, 1, "0512-66668888", phone="0571-22222222").status_code == 200
    r = _cell(second, customer.id, 1, "0512-66668888", phone="0571-33333333")
    assert r.status_code == 409
    body = r.get_json()
    assert body["value"] == "0571-22222222" and body["version"] == 2
    assert body["message"].startswith("Changed by 王老板 at ") and "0571-22222222" in body["message"]
    assert M.Customer.get_by_id(customer.id).phone == "0571-22222222"
    # Another column of the same (stale) row is no conflict.
    r = _cell(second, customer.id, 1, "苏州精诚", name="苏州精诚机械")
    assert r.status_code == 200 and r.headers["X-Record-Version"] == "3"
    assert M.Customer.get_by_id(customer.id).phone == "0571-22222222"


def test_a_cell_save_is_seen_by_a_form_opened_before_it(app, customer):
    first, second = _two_sessions(app)
    data = _open(second, customer.id)
    assert _cell(first, customer.id, 1, "0512-66668888", phone="0571-22222222").status_code == 200
    r = _save(second, customer.id, {**data, "notes": "新备注"})
    assert r.status_code == 200 and "Nothing was saved" in r.get_data(as_text=True)
    assert M.Customer.get_by_id(customer.id).phone == "0571-22222222"


def test_two_copies_of_one_version_cannot_both_save(app, customer):
    one, two = M.Customer.get_by_id(customer.id), M.Customer.get_by_id(customer.id)
    one.address = "一"
    one.save()
    two.address = "二"
    with pytest.raises(M.StaleRecord):
        two.save()
    stored = M.Customer.get_by_id(customer.id)
    assert stored.address == "一" and stored.version == 2 and two.version == 1


def test_sixteen_threads_lose_no_saved_change(app, users):
    """8 cell edits and 8 forms opened before them, all at once: whatever
    answered 'saved' is in the database at the end, and nothing answers 5xx."""
    n = 8
    people = [F.customer(owner=users["spec1"], name=f"客户{i}", phone="0512-10000000",
                         notes="旧") for i in range(n)]
    opener = app.test_client()
    login(opener, "manager")
    opened = {c.id: _open(opener, c.id) for c in people}
    barrier = threading.Barrier(2 * n)
    results, errors = [], []

    def cell(c, i):
        try:
            client = app.test_client()
            login(client, "owner")
            barrier.wait()
            r = _cell(client, c.id, 1, "0512-10000000", phone=f"0571-2222000{i}")
            results.append(("cell", c.id, r.status_code, f"0571-2222000{i}"))
        except Exception as ex:  # noqa: BLE001 — reported below
            errors.append(ex)

    def form(c, i):
        try:
            client = app.test_client()
            login(client, "manager")
            barrier.wait()
            r = _save(client, c.id, {**opened[c.id], "notes": f"表单{i}"})
            results.append(("form", c.id, r.status_code, f"表单{i}"))
        except Exception as ex:  # noqa: BLE001
            errors.append(ex)

    threads = [threading.Thread(target=f, args=(c, i))
               for i, c in enumerate(people) for f in (cell, form)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(status < 500 for _kind, _id, status, _v in results)
    for kind, record_id, status, value in results:
        stored = M.Customer.get_by_id(record_id)
        if kind == "cell":
            assert status in (200, 409)
            if status == 200:
                assert stored.phone == value
        elif status == 302:
            assert stored.notes == value
    assert any(status == 200 for kind, _i, status, _v in results if kind == "cell")
