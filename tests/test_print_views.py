"""The print URL, the "Print" list action and the details page's buttons
(views/printing.py), on the app's views."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

import models as M
from views.printing import PrintMixin

from . import factories as F
from .conftest import login

# endpoint -> the forms its view prints.
WIRING = {
    "complaint": ("complaint_report", "complaint_registration"),
    "visit": ("visit_record",),
    "planned_visit": ("visit_record",),
    "visit_plan": ("visit_plan",),
    "visit_issue": ("visit_problem",),
    "satisfaction_survey": ("satisfaction_survey",),
    "repair_order": ("repair_report",),
    "corrective_action": ("corrective_action",),
    "customer": ("customer_card",),
}


@pytest.fixture
def pclient(client):
    return client


def test_the_views_print_their_forms(app):
    wired = {v.endpoint: v.print_forms for v in app.extensions["customer_service_admin"]._views
             if isinstance(v, PrintMixin)}
    assert {k: v for k, v in wired.items() if k in WIRING} == WIRING
    assert wired["my_visit"] == ("visit_record",)


def pdf_text(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def page_count(response):
    return len(PdfReader(io.BytesIO(response.data)).pages)


def prints():
    return list(M.AuditLog.select().where(M.AuditLog.action == "print").order_by(M.AuditLog.id))


def test_print_url_gives_the_pdf_named_by_the_number_and_audits(pclient, users):
    complaint = F.complaint(F.customer(owner=users["spec1"]), complainant="王建国")
    login(pclient, "spec1")
    response = pclient.get(f"/admin/complaint/print/?id={complaint.id}&lang=zh")
    text = pdf_text(response)
    assert complaint.number in text and "王建国" in text and "投诉人" in text
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline") and f"{complaint.number}.pdf" in disposition
    assert "no-store" in response.headers["Cache-Control"]
    (row,) = prints()
    assert (row.user_id, row.register, row.record_id) == (users["spec1"].id, "complaint",
                                                          str(complaint.id))
    assert "complaint_report" in row.changes and "zh" in row.changes


def test_another_specialists_record_is_not_found(pclient, users):
    theirs = F.complaint(F.customer(owner=users["spec2"]))
    visit = F.visit(F.customer(owner=users["spec2"]), staff=users["spec2"])
    login(pclient, "spec1")
    assert pclient.get(f"/admin/complaint/print/?id={theirs.id}").status_code == 404
    assert pclient.get(f"/admin/visit/print/?id={visit.id}").status_code == 404
    assert pclient.get("/admin/visit/print/?id=nonsense").status_code == 404
    assert prints() == []


def test_a_role_without_read_is_refused_and_a_visitor_sent_to_log_in(pclient, users):
    visit = F.visit(F.customer(owner=users["spec1"]), staff=users["spec1"])
    assert pclient.get(f"/admin/visit/print/?id={visit.id}").status_code == 302
    login(pclient, "tech")  # department staff: no visit records
    assert pclient.get(f"/admin/visit/print/?id={visit.id}").status_code == 403
    assert prints() == []


def test_language_follows_the_user_and_can_be_forced(pclient, users):
    complaint = F.complaint(F.customer(owner=users["spec1"]))
    M.User.update(locale="zh_Hans_CN").where(M.User.id == users["spec1"].id).execute()
    login(pclient, "spec1")
    url = f"/admin/complaint/print/?id={complaint.id}"
    assert "投诉人" in pdf_text(pclient.get(url))
    english = pdf_text(pclient.get(url + "&lang=en"))
    assert "Complainant" in english and "投诉人" not in english
    registration = pdf_text(pclient.get(url + "&form=complaint_registration&lang=en"))
    assert "Customercomplaintregistrationform" in "".join(registration.split())
    assert pclient.get(url + "&form=repair_report").status_code == 404


def test_blank_forms(pclient, users):
    login(pclient, "spec1")
    survey = pclient.get("/admin/satisfaction_survey/print/?blank=1&lang=en")
    assert "Comparedwithcompetitors" in "".join(pdf_text(survey).split())  # may wrap
    assert "satisfaction_survey-blank.pdf" in survey.headers["Content-Disposition"]
    assert pclient.get("/admin/complaint/print/?blank=1&form=complaint_registration"
                       ).status_code == 200
    assert pclient.get("/admin/repair_order/print/?blank=1").status_code == 404
    assert [r.record_id for r in prints()] == [None, None]


def test_list_action_prints_the_visible_selection_in_one_pdf(pclient, users):
    plan = M.VisitPlan.create(name="2027 年度回访计划", kind="annual", status="approved",
                              period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
    mine = [M.PlannedVisit.create(plan=plan, customer=F.customer(owner=users["spec1"],
                                                                 name=f"我的客户{i}"),
                                  due_on=date(2027, 1, 5 + i), assignee=users["spec1"])
            for i in range(3)]
    theirs = M.PlannedVisit.create(plan=plan, customer=F.customer(owner=users["spec2"]),
                                   due_on=date(2027, 1, 5), assignee=users["spec2"])
    login(pclient, "spec1")
    response = pclient.post("/admin/planned_visit/action/", data={
        "action": "print", "rowid": [str(p.id) for p in mine] + [str(theirs.id)]})
    text = pdf_text(response)
    assert page_count(response) == 3
    assert all(f"我的客户{i}" in text for i in range(3)) and theirs.customer.name not in text
    assert sorted(int(r.record_id) for r in prints()) == sorted(p.id for p in mine)
    assert "visit_record-3.pdf" in response.headers["Content-Disposition"]


def test_plan_sheet_has_a_non_ascii_file_name(pclient, users):
    plan = M.VisitPlan.create(name="2027年度回访计划", kind="annual", status="approved",
                              period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
    login(pclient, "manager")
    response = pclient.get(f"/admin/visit_plan/print/?id={plan.id}")
    pdf_text(response)
    assert "filename*=UTF-8''2027%E5%B9%B4" in response.headers["Content-Disposition"]


def test_details_pages_offer_print_buttons(pclient, users):
    customer = F.customer(owner=users["spec1"])
    visit = F.visit(customer, staff=users["spec1"])
    login(pclient, "spec1")
    page = pclient.get(f"/admin/customer/details/?id={customer.id}").get_data(as_text=True)
    assert 'id="print-customer_card"' in page and f"print/?id={customer.id}" in page
    page = pclient.get(f"/admin/visit/details/?id={visit.id}").get_data(as_text=True)
    assert 'id="print-visit_record"' in page and 'id="raise-issue"' in page
