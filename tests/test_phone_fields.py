"""Phones are cleaned the same way in forms and list cells, refused with a
reason when they hold letters, and found by their digits however typed."""
import json
import re

import models as M
from tests import factories as F
from tests.conftest import login


def _new_customer(client, **extra):
    data = {"name": "苏州精诚", "nature": "enterprise", "industry": "other",
            "customer_class": "C", "tier": "regular", "annual_purchase": "1000"}
    data.update(extra)
    return client.post("/admin/customer/new/", data=data)


def test_forms_save_the_one_spelling_and_refuse_letters(client, users):
    login(client, "owner")
    _new_customer(client, name="甲", phone="１３８ ００１３ ８０００")
    assert M.Customer.get(M.Customer.name == "甲").phone == "13800138000"
    _new_customer(client, name="乙", phone="0571 8765 4321")
    assert M.Customer.get(M.Customer.name == "乙").phone == "0571-87654321"
    page = _new_customer(client, name="丙", phone="call me").get_data(as_text=True)
    assert "Letters are not allowed in a phone number: call me." in page
    assert not M.Customer.select().where(M.Customer.name == "丙").exists()
    customer = M.Customer.get(M.Customer.name == "甲")
    client.post("/admin/contact/new/", data={"customer": customer.id, "name": "王工",
                                             "phone": "+86 138-0013-8001"})
    assert M.Contact.get().phone == "13800138001"


def test_list_cells_clean_and_refuse_at_the_cell(client, users):
    c = F.customer(code="C000001", name="甲", phone="1")
    login(client, "owner")
    r = client.post("/admin/customer/ajax/update/",
                    data={"list_form_pk": c.id, "phone": "(0571) 8765-4321"})
    assert r.status_code == 200
    assert M.Customer.get_by_id(c.id).phone == "0571-87654321"
    r = client.post("/admin/customer/ajax/update/",
                    data={"list_form_pk": c.id, "phone": "0571-8765432a"})
    assert r.status_code == 400 and "Letters are not allowed" in r.get_data(as_text=True)
    assert M.Customer.get_by_id(c.id).phone == "0571-87654321"
    audits = [json.loads(a.changes)["phone"] for a in M.AuditLog.select().where(
        M.AuditLog.action == "update")]
    assert audits == [["1", "0571-87654321"]]


def test_search_finds_a_phone_by_its_digits_however_it_was_typed(client, users):
    # Stored before phones were cleaned, in three spellings.
    mobile = F.customer(code="C000001", name="甲", phone="138-0013-8000")
    landline = F.customer(code="C000002", name="乙", phone="0571 8765 4321")
    F.customer(code="C000003", name="丙", phone="13900139000")
    login(client, "owner")

    def found(term):
        page = client.get("/admin/customer/", query_string={"search": term})
        html = page.get_data(as_text=True)
        return {c.name for c in M.Customer.select()
                if re.search(rf'col-code">\s*{c.code}\s*<', html)}

    assert found("13800138000") == {"甲"}
    assert found("１３８００１３８０００") == {"甲"}
    assert found("138 0013 8000") == {"甲"}
    assert found("0571-87654321") == {"乙"}
    assert found("+86-571-87654321") == {"乙"}
    assert found("8765") == {"乙"}
    assert found("C000003") == {"丙"}   # a code is not searched as phone digits
    # The lookups of other forms (a contact's customer) search phones the same way.
    r = client.get("/admin/contact/ajax/lookup/",
                   query_string={"name": "customer", "query": "13800138000"})
    assert [row[0] for row in r.get_json()] == [mobile.id]
    r = client.get("/admin/contact/ajax/lookup/",
                   query_string={"name": "customer", "query": "057187654321"})
    assert [row[0] for row in r.get_json()] == [landline.id]
