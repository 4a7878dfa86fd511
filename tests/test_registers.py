"""Every register: list, create, edit, details, delete for the owner; audit rows."""
import json

import pytest

import models as M
from domain.registers import REGISTERS
from tests import factories as F
from tests.conftest import login


def payloads(users):
    """Valid create-form data per endpoint (after making what it refers to)."""
    cust = F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司")
    contact = M.Contact.create(customer=cust, name="周工")
    plan = M.VisitPlan.create(name="2026年第四季度回访计划", kind="quarterly",
                              period_start="2026-10-01", period_end="2026-12-31")
    visit = F.visit(cust, staff=users["spec1"])
    complaint = F.complaint(cust)
    equipment = M.Equipment.create(customer=cust, model_name="XJ-200", serial_no="SN-1")
    return {
        "customer": {"code": "", "name": "常州华东检测中心", "nature": "institution",
                     "industry": "testing", "customer_class": "B", "tier": "gold",
                     "annual_purchase": "1200000", "owner": users["spec1"].id},
        "contact": {"customer": cust.id, "name": "李娜", "department": "purchasing",
                    "phone": "13912345678"},
        "sale": {"customer": cust.id, "sold_on": "2026-11-01", "product": "ZT-5 扭矩扳手",
                 "quantity": "2", "amount": "3600.50"},
        "equipment": {"customer": cust.id, "model_name": "XJ-300", "serial_no": "SN-2"},
        "repair_order": {"number": "", "customer": cust.id, "equipment": equipment.id,
                         "received_at": "2026-11-05 09:30:00", "fault": "无法开机",
                         "status": "received"},
        "interaction": {"customer": cust.id, "at": "2026-11-05 10:00:00",
                        "direction": "inbound", "channel": "phone", "summary": "询问保修"},
        "demand": {"customer": cust.id, "raised_on": "2026-11-05", "source": "visit",
                   "kind": "order_opportunity", "description": "计划增购两台", "status": "new"},
        "visit_plan": {"name": "2027年度回访计划", "kind": "annual",
                       "period_start": "2027-01-01", "period_end": "2027-12-31",
                       "status": "draft"},
        "planned_visit": {"plan": plan.id, "customer": cust.id, "due_on": "2026-12-10",
                          "channel": "onsite", "status": "planned"},
        "adhoc_request": {"customer": cust.id, "reason": "客户扩产", "wished_on": ""},
        "visit": {"customer": cust.id, "visited_at": "2026-11-06 14:00:00",
                  "channel": "onsite", "purpose": "使用情况回访", "satisfaction": "4"},
        "visit_issue": {"visit": visit.id, "customer": cust.id, "description": "校准证书缺失",
                        "category": "service", "level": "urgent", "status": "open",
                        "raised_at": "2026-11-06 15:00:00", "escalation_level": "0"},
        "complaint": {"number": "", "customer": cust.id, "received_at": "2026-11-07 08:00:00",
                      "channel": "hotline", "category": "service_attitude",
                      "description": "客服态度差", "severity": "high", "status": "received",
                      "escalation_level": "0"},
        "complaint_follow_up": {"complaint": complaint.id, "at": "2026-11-07 09:00:00",
                                "action": "电话联系客户致歉"},
        "corrective_action": {"number": "", "source": "complaint", "problem": "包装破损",
                              "action_type": "corrective", "status": "open"},
        "satisfaction_survey": {"customer": cust.id, "period": "2026-Q4", "method": "email",
                                "score_design": "4", "score_quality": "5"},
        "care_event": {"customer": cust.id, "contact": contact.id, "kind": "birthday",
                       "scheduled_for": "2026-12-01"},
        "rule": {"key": "test_rule", "value": "7", "unit": "working_days"},
        "holiday": {"day": "2027-01-01", "name": "元旦"},
        "user": {"username": "newclerk", "name": "新专员", "role": "specialist",
                 "department": "service", "active": "y", "password": "clerk-pass-2026"},
    }


EDITS = {"customer": ("name", "常州华东检测中心（新）"), "rule": ("value", "8"),
         "holiday": ("name", "元旦节"), "user": ("name", "新专员二")}


def test_every_register_is_in_the_menu(client, users):
    login(client, "owner")
    html = client.get("/admin/").get_data(as_text=True)
    for reg in REGISTERS:
        assert f'/admin/{reg.endpoint}/' in html, reg.endpoint


# Registers filled by their own screens, not by a create form.
NOT_TYPED_IN = ("audit_log", "key_customer")


@pytest.mark.parametrize("endpoint", [r.endpoint for r in REGISTERS
                                      if r.endpoint not in NOT_TYPED_IN])
def test_owner_full_cycle(client, users, endpoint):
    model = dict((r.endpoint, r.model) for r in REGISTERS)[endpoint]
    data = payloads(users)[endpoint]
    login(client, "owner")
    before = set(m.id for m in model.select())
    r = client.post(f"/admin/{endpoint}/new/", data=data)
    assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
    created = model.select().where(model.id.not_in(before or [0])).get()
    # List, search, details.
    assert client.get(f"/admin/{endpoint}/").status_code == 200
    assert client.get(f"/admin/{endpoint}/?search=a").status_code == 200
    assert client.get(f"/admin/{endpoint}/details/?id={created.id}").status_code == 200
    # Edit one field.
    field, value = EDITS.get(endpoint, (None, None))
    if field:
        edit = dict(data, **{field: value})
        edit.pop("password", None)
        r = client.post(f"/admin/{endpoint}/edit/?id={created.id}", data=edit)
        assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
        assert getattr(model.get_by_id(created.id), field) == value
    # Audit: a create row with the new values.
    entry = (M.AuditLog.select().where((M.AuditLog.register == endpoint)
                                       & (M.AuditLog.action == "create")).get())
    assert entry.user_id == users["owner"].id and entry.record_id == str(created.id)
    assert "password_hash" not in (entry.changes or "")
    # Delete (nothing refers to a fresh record).
    r = client.post(f"/admin/{endpoint}/delete/", data={"id": created.id})
    assert r.status_code == 302
    assert model.get_or_none(model.id == created.id) is None


def test_sorting_on_every_list(app, client, users):
    payloads(users)
    login(client, "owner")
    admin = app.extensions["customer_service_admin"]
    for view in admin._views:
        if not hasattr(view, "model"):
            continue
        for idx, (col, _label) in enumerate(view._list_columns):
            if col in view._sortable_columns:
                r = client.get(f"/admin/{view.endpoint}/?sort={idx}&desc=1")
                assert r.status_code == 200, (view.endpoint, col)


def test_customer_code_is_numbered_when_blank(client, users):
    login(client, "owner")
    for name in ("甲公司", "乙公司"):
        client.post("/admin/customer/new/", data={"name": name, "nature": "enterprise",
                                                  "industry": "other", "customer_class": "C",
                                                  "tier": "regular"})
    codes = [c.code for c in M.Customer.select().order_by(M.Customer.id)]
    assert codes == ["C000001", "C000002"]


def test_update_audit_has_old_and_new_values(client, users):
    c = F.customer(owner=users["spec1"], name="旧名称")
    login(client, "owner")
    client.post(f"/admin/customer/edit/?id={c.id}", data={
        "code": c.code, "name": "新名称", "nature": "enterprise", "industry": "other",
        "customer_class": "C", "tier": "regular", "owner": users["spec1"].id})
    entry = M.AuditLog.get((M.AuditLog.action == "update") & (M.AuditLog.register == "customer"))
    assert json.loads(entry.changes)["name"] == ["旧名称", "新名称"]


def test_customer_with_history_is_not_deleted(client, users):
    c = F.customer(owner=users["spec1"], name="有历史的客户")
    v = F.visit(c)
    F.complaint(c)
    login(client, "owner")
    r = client.post("/admin/customer/delete/", data={"id": c.id}, follow_redirects=True)
    assert M.Customer.get_or_none(M.Customer.id == c.id) is not None
    assert M.Visit.get_or_none(M.Visit.id == v.id) is not None
    assert "cannot be deleted" in r.get_data(as_text=True)
    # The bulk delete action refuses the same way, all or nothing.
    free = F.customer(owner=users["spec1"], name="无历史的客户")
    client.post("/admin/customer/action/", data={"action": "delete", "rowid": [c.id, free.id]})
    assert M.Customer.select().where(M.Customer.id.in_([c.id, free.id])).count() == 2
    assert M.AuditLog.select().where(M.AuditLog.action == "delete").count() == 0


def test_duplicate_code_gets_a_message_not_a_500(client, users):
    F.customer(owner=users["spec1"], code="C000009")
    login(client, "owner")
    r = client.post("/admin/customer/new/", data={"code": "C000009", "name": "重复",
                                                  "nature": "enterprise", "industry": "other",
                                                  "customer_class": "C", "tier": "regular"})
    assert r.status_code == 200
    assert "must be unique" in r.get_data(as_text=True)
    assert M.Customer.select().where(M.Customer.name == "重复").count() == 0
    assert M.AuditLog.select().count() == 1  # only the login


def _filter_arg(app, endpoint, column, operation="equals"):
    view = next(v for v in app.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == endpoint)
    for i, flt in enumerate(view._filters):
        if flt.column is column and str(flt.operation()) == operation:
            return view.get_filter_arg(i, flt)
    raise AssertionError(f"no {operation} filter on {column}")


def test_filters_by_choice_and_owner(app, client, users):
    F.customer(owner=users["spec1"], name="甲类客户", customer_class="A")
    F.customer(owner=users["spec2"], name="丙类客户", customer_class="C")
    login(client, "owner")
    arg = _filter_arg(app, "customer", M.Customer.customer_class)
    html = client.get(f"/admin/customer/?flt0_{arg}=A").get_data(as_text=True)
    assert "甲类客户" in html and "丙类客户" not in html
    arg = _filter_arg(app, "customer", M.Customer.owner)
    html = client.get(f"/admin/customer/?flt0_{arg}={users['spec2'].id}").get_data(as_text=True)
    assert "丙类客户" in html and "甲类客户" not in html
    # Choice columns show labels, not codes; foreign keys show names.
    assert "Class A" in html or "Class C" in html
    assert "赵专员" in html


def test_markup_in_data_is_escaped(client, users):
    F.customer(owner=users["spec1"], name='<script>alert("x")</script>公司')
    login(client, "owner")
    for url in ("/admin/customer/", "/admin/customer/export/csv/"):
        body = client.get(url).get_data(as_text=True)
        assert '<script>alert("x")</script>' not in body or url.endswith("csv/")
    body = client.get("/admin/customer/").get_data(as_text=True)
    assert "&lt;script&gt;" in body
    # The audit log's own formatter escapes too.
    c = M.Customer.get()
    client.post(f"/admin/customer/edit/?id={c.id}", data={
        "code": c.code, "name": "<b>bold</b>", "nature": "enterprise", "industry": "other",
        "customer_class": "C", "tier": "regular", "owner": users["spec1"].id})
    body = client.get("/admin/audit_log/").get_data(as_text=True)
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body
