"""The printed forms' data from the registers (services/print_data.py): labels
instead of codes, names instead of ids, and a fixed number of queries."""
from datetime import date, datetime

import pytest
from playhouse.test_utils import count_queries

import models as M
import pdf_templates
from pdf_templates.data import Msg
from services import print_data

from . import factories as F


def test_complaint_report_data_with_its_follow_ups_in_time_order(app, users):
    customer = F.customer(owner=users["spec1"], phone="021-5566 7788")
    complaint = F.complaint(customer, handler=users["spec1"], channel="hotline",
                            severity="high", department="technical")
    for hour, who, what in ((14, "tech", "上门更换主板"), (10, "spec1", "电话联系客户")):
        M.ComplaintFollowUp.create(complaint=complaint, at=datetime(2026, 11, 4, hour),
                                   by=users[who], action=what)
    (data,) = print_data.load("complaint_report", M.Complaint, [complaint.id], user=None)
    assert data["number"] == complaint.number and data["customer"] == customer.name
    assert data["channel"] == "Hotline" and isinstance(data["channel"], Msg)
    assert (data["severity"], data["department"], data["handler"]) == ("High", "Technical",
                                                                      "张专员")
    assert [(f["by"], f["action"]) for f in data["follow_ups"]] == [
        ("张专员", "电话联系客户"), ("钱工", "上门更换主板")]
    text = pdf_templates.render("complaint_report", data, "en")
    assert text.startswith(b"%PDF")


@pytest.mark.parametrize("form, model, make", [
    ("complaint_report", M.Complaint, lambda c, u: F.complaint(c, handler=u)),
    ("complaint_registration", M.Complaint, lambda c, u: F.complaint(c)),
    ("visit_record", M.Visit, lambda c, u: F.visit(c, staff=u)),
    ("visit_problem", M.VisitIssue, lambda c, u: F.visit_issue(c, visit=F.visit(c),
                                                                 assignee=u)),
    ("satisfaction_survey", M.SatisfactionSurvey,
     lambda c, u: M.SatisfactionSurvey.create(customer=c, period="2026-Q4", score_design=4)),
    ("repair_report", M.RepairOrder, lambda c, u: M.RepairOrder.create(
        number=f"WX-{c.id}", customer=c, fault="屏幕闪烁", technician=u,
        equipment=M.Equipment.create(customer=c, model_name="XJ-200", serial_no=f"SN{c.id}"))),
    ("corrective_action", M.CorrectiveAction, lambda c, u: M.CorrectiveAction.create(
        number=f"CA-{c.id}", problem="读数漂移", owner=u, verified_by=u)),
    ("customer_card", M.Customer, lambda c, u: (
        M.Contact.create(customer=c, name="王建国"), c)[1]),
])
def test_query_count_does_not_grow_with_the_records(app, users, form, model, make):
    def counted(n):
        ids = [make(F.customer(owner=users["spec1"]), users["spec1"]).id for _ in range(n)]
        with count_queries() as counter:
            data = print_data.load(form, model, ids, user=None)
        assert len(data) == n
        pdf_templates.render_batch(form, data, "zh")
        return counter.count
    assert counted(2) == counted(12)


def test_data_comes_in_the_order_of_the_ids(app, users):
    customers = [F.customer(name=f"客户{i}") for i in range(4)]
    ids = [customers[2].id, customers[0].id, customers[3].id]
    assert [d["name"] for d in print_data.load("customer_card", M.Customer, ids, user=None)] == [
        "客户2", "客户0", "客户3"]


def test_planned_visits_prefill_the_visit_record(app, users):
    plan = M.VisitPlan.create(name="计划", kind="annual", period_start=date(2027, 1, 1),
                              period_end=date(2027, 12, 31))
    pv = M.PlannedVisit.create(plan=plan, customer=F.customer(name="甲公司"), focus="usage",
                               due_on=date(2027, 1, 5), channel="onsite",
                               assignee=users["spec1"])
    (data,) = print_data.load("visit_record", M.PlannedVisit, [pv.id], user=None)
    assert (data["customer"], data["date"], data["channel"], data["purpose"], data["staff"]) == (
        "甲公司", date(2027, 1, 5), "Onsite", "Usage experience and fit", "张专员")
    assert data.get("visited_at") is None  # written in by hand on the visit


@pytest.mark.slow
def test_a_plan_of_5000_items_is_a_handful_of_queries(app, users):
    plan = M.VisitPlan.create(name="大计划", kind="annual", period_start=date(2027, 1, 1),
                              period_end=date(2027, 12, 31))
    C, PV = M.Customer, M.PlannedVisit
    with M.db.atomic():  # peewee fills the models' defaults
        for part in range(0, 5000, 500):
            C.insert_many([{"code": f"B{i:06d}", "name": f"客户{i}"}
                           for i in range(part, part + 500)]).execute()
        ids = [c for (c,) in C.select(C.id).where(C.code.startswith("B")).tuples()]
        for part in range(0, 5000, 500):
            PV.insert_many([{"plan": plan.id, "customer": cid, "slot": 1,
                             "assignee": users["spec1"].id,
                             "due_on": date(2027, 1 + i % 12, 1 + i % 28)}
                            for i, cid in enumerate(ids[part:part + 500], part)]).execute()
    with count_queries() as counter:
        (data,) = print_data.load("visit_plan", M.VisitPlan, [plan.id], user=None)
    assert len(data["items"]) == 5000 and counter.count <= 4
    assert data["items"][0]["due_on"] <= data["items"][-1]["due_on"]
    assert data["items"][0]["assignee"] == "张专员"
