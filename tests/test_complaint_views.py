"""The complaint screens: registering (number, deadlines), the step pages and
list actions, the timeline, escalation, work queues, and who may do what."""
import re
import threading
from datetime import datetime, timedelta

import pytest

import models as M
from services import complaints, escalation
from tests import factories as F
from tests.conftest import login

RECEIVED = datetime(2026, 11, 10, 9, 0)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The sweep that runs when a list opens sees this time (an hour after
    RECEIVED: nothing is overdue yet), not the real clock."""
    monkeypatch.setattr("views.escalate_actions.now", lambda: RECEIVED + timedelta(hours=1))


@pytest.fixture
def customer(users):
    return F.customer(owner=users["spec1"], name="苏州精诚仪器有限公司")


def register(customer, user, **kw):
    return complaints.register(user=user, now=RECEIVED, customer=customer.id,
                               category="product_quality", description="示波器开机无显示",
                               received_at=RECEIVED, **kw)


def new_form(customer, **extra):
    data = {"customer": customer.id, "complainant": "陈工", "received_at": "2026-11-10 09:00:00",
            "channel": "hotline", "category": "repair_workmanship",
            "description": "维修后一周再次故障", "severity": "high", "department": "",
            "handler": ""}
    data.update(extra)
    return data


def test_register_numbers_and_sets_deadlines(client, users, customer):
    login(client, "spec1")
    r = client.post("/admin/complaint/new/", data=new_form(customer))
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    c = M.Complaint.get()
    assert c.number == "TS-2026-0001" and c.status == "received"
    assert c.contact_due == datetime(2026, 11, 10, 21, 0)
    assert c.close_due == datetime(2026, 11, 19, 9, 0)
    client.post("/admin/complaint/new/", data=new_form(customer))
    assert sorted(c.number for c in M.Complaint.select()) == ["TS-2026-0001", "TS-2026-0002"]
    # The registration form is short: handling fields come later, numbers are the system's.
    html = client.get("/admin/complaint/new/").get_data(as_text=True)
    assert 'name="root_cause"' not in html and 'name="number"' not in html
    assert 'name="status"' not in html


def test_a_number_typed_into_the_request_is_ignored(client, users, customer):
    login(client, "owner")
    client.post("/admin/complaint/new/", data=new_form(customer, number="TS-1999-9999",
                                                       status="closed"))
    c = M.Complaint.get()
    assert c.number == "TS-2026-0001" and c.status == "received"


def test_editing_received_at_moves_the_deadlines(client, users, customer):
    c = register(customer, users["spec1"])
    login(client, "owner")
    data = new_form(customer, received_at="2026-11-13 16:00:00")
    r = client.post(f"/admin/complaint/edit/?id={c.id}", data=data)
    assert r.status_code == 302
    c = M.Complaint.get_by_id(c.id)
    assert c.number == "TS-2026-0001"
    assert c.close_due == datetime(2026, 11, 24, 16, 0)


def test_step_page_takes_the_step_and_writes_the_timeline(client, users, customer):
    c = register(customer, users["spec1"])
    login(client, "spec1")
    page = client.get(f"/admin/complaint/step/?step=acknowledge&ids={c.id}")
    assert page.status_code == 200 and "TS-2026-0001" in page.get_data(as_text=True)
    r = client.post(f"/admin/complaint/step/?step=acknowledge&ids={c.id}",
                    data={"note": "电话联系陈工,已致歉", "result": "客户同意送修",
                          "next_step": "安排工程师检测"})
    assert r.status_code == 302
    c = M.Complaint.get_by_id(c.id)
    assert c.status == "acknowledged" and c.contacted_at is not None
    f = M.ComplaintFollowUp.get()
    assert (f.step, f.action, f.result, f.next_step, f.by_id) == (
        "acknowledge", "电话联系陈工,已致歉", "客户同意送修", "安排工程师检测", users["spec1"].id)
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):]
    assert "Complaint received" in timeline and "电话联系陈工,已致歉" in timeline
    assert "Acknowledged (customer contacted)" in timeline and "张专员" in timeline
    # The next step's button is offered, the taken one no longer.
    assert "step=investigate" in html and "step=acknowledge" not in html


def test_a_refused_step_keeps_the_input_and_says_why(client, users, customer):
    c = register(customer, users["spec1"])
    M.Complaint.update(status="investigating").where(M.Complaint.id == c.id).execute()
    login(client, "spec1")
    r = client.post(f"/admin/complaint/step/?step=resolve&ids={c.id}",
                    data={"note": "已找到原因", "root_cause_category": "", "root_cause": "焊点虚焊"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "root-cause category" in html and "焊点虚焊" in html
    assert M.Complaint.get_by_id(c.id).status == "investigating"
    assert M.ComplaintFollowUp.select().count() == 0


def test_close_records_the_verdict(client, users, customer):
    c = register(customer, users["spec1"])
    M.Complaint.update(status="awaiting_customer", solution="更换主板").where(
        M.Complaint.id == c.id).execute()
    login(client, "spec1")
    r = client.post(f"/admin/complaint/step/?step=close&ids={c.id}",
                    data={"customer_satisfied": "yes", "customer_score": "4", "note": "客户满意"})
    assert r.status_code == 302
    c = M.Complaint.get_by_id(c.id)
    assert (c.status, c.customer_satisfied, c.customer_score) == ("closed", True, 4)
    client.post(f"/admin/complaint/step/?step=reopen&ids={c.id}", data={"note": "客户要求重新处理"})
    c = M.Complaint.get_by_id(c.id)
    assert c.status == "reopened" and c.reopen_count == 1 and c.customer_score is None


def test_list_action_on_many_rows_reports_refusals(client, users, customer):
    a, b = register(customer, users["spec1"]), register(customer, users["spec1"])
    M.Complaint.update(status="closed").where(M.Complaint.id == b.id).execute()
    login(client, "manager")
    r = client.post("/admin/complaint/action/", data={"action": "acknowledge",
                                                       "rowid": [a.id, b.id]})
    assert r.status_code == 302 and "step=acknowledge" in r.headers["Location"]
    r = client.post(f"/admin/complaint/step/?step=acknowledge&ids={a.id},{b.id}",
                    data={"note": "已联系"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "1 complaint updated." in html and "1 refused" in html
    assert M.Complaint.get_by_id(a.id).status == "acknowledged"


def test_staff_answer_what_is_dispatched_to_them_and_nothing_else(client, users, customer):
    mine = register(customer, users["spec1"], department="technical")
    other = register(customer, users["spec1"], department="quality")
    login(client, "tech")
    assert client.get(f"/admin/complaint/details/?id={mine.id}").status_code == 200
    assert client.get(f"/admin/complaint/details/?id={other.id}").status_code == 404
    client.post(f"/admin/complaint/step/?step=acknowledge&ids={mine.id},{other.id}",
                data={"note": "技术部已联系客户"})
    assert M.Complaint.get_by_id(mine.id).status == "acknowledged"
    assert M.Complaint.get_by_id(other.id).status == "received"
    # Staff may not dispatch, close or escalate.
    assert client.get(f"/admin/complaint/step/?step=dispatch&ids={mine.id}").status_code == 403
    assert client.get(f"/admin/complaint/step/?step=close&ids={mine.id}").status_code == 403
    assert client.get(f"/admin/complaint/escalate/?ids={mine.id}").status_code == 403


def test_a_specialist_cannot_see_or_escalate_another_specialists_complaint(client, users):
    theirs = register(F.customer(owner=users["spec2"]), users["spec2"])
    login(client, "spec1")
    for url in (f"/admin/complaint/details/?id={theirs.id}",
                f"/admin/complaint/edit/?id={theirs.id}"):
        assert client.get(url).status_code == 404
    assert client.get(f"/admin/complaint/escalate/?ids={theirs.id}").status_code == 403
    client.post(f"/admin/complaint/step/?step=note&ids={theirs.id}", data={"note": "x"})
    client.post("/admin/complaint/action/", data={"action": "escalate", "rowid": [theirs.id]})
    assert M.ComplaintFollowUp.select().count() == 0
    assert M.Complaint.get_by_id(theirs.id).escalation_level == 0
    lookup = client.get("/admin/complaint/ajax/lookup/?name=customer&query=")
    assert str(theirs.customer_id) not in lookup.get_data(as_text=True)
    html = client.get("/admin/complaint/?search=示波器").get_data(as_text=True)
    assert theirs.number not in html
    exported = client.get("/admin/complaint/export/csv/")
    assert exported.status_code == 200 and theirs.number not in exported.get_data(as_text=True)


def test_manager_escalates_many_with_a_reason(client, users, customer):
    a, b = register(customer, users["spec1"]), register(customer, users["spec1"])
    login(client, "manager")
    r = client.post(f"/admin/complaint/escalate/?ids={a.id},{b.id}", data={"reason": ""})
    assert r.status_code == 200 and M.Escalation.select().count() == 0
    r = client.post(f"/admin/complaint/escalate/?ids={a.id},{b.id}",
                    data={"reason": "大客户,老板亲自关注"}, follow_redirects=True)
    assert "2 records escalated." in r.get_data(as_text=True)
    assert {c.escalation_level for c in M.Complaint.select()} == {1}
    html = client.get(f"/admin/complaint/details/?id={a.id}").get_data(as_text=True)
    assert "大客户,老板亲自关注" in html and "Level 1 (supervisor)" in html


def test_visit_problem_escalation_and_its_log_on_the_record(client, users, customer):
    issue = F.visit_issue(customer, department="technical")
    login(client, "owner")
    client.post(f"/admin/visit_issue/escalate/?ids={issue.id}", data={"reason": "客户停产"})
    assert M.VisitIssue.get_by_id(issue.id).escalation_level == 1
    html = client.get(f"/admin/visit_issue/details/?id={issue.id}").get_data(as_text=True)
    assert 'id="escalations"' in html and "客户停产" in html


def test_sweep_reason_shows_in_the_users_language(client, users, customer):
    c = register(customer, users["spec1"])
    escalation.sweep(datetime(2026, 11, 10, 22, 0))
    login(client, "owner")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "The customer was not contacted in time." in html and "sla:contact" not in html
    client.post("/lang/zh")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert "未按时联系客户" in html


def test_overdue_rows_stand_out_and_the_queue_filters(client, users, customer, monkeypatch):
    now = datetime(2026, 11, 11, 10, 0)
    monkeypatch.setattr("views.deadlines.now", lambda: now)
    monkeypatch.setattr("views.worklists.now", lambda: now)
    late = register(customer, users["spec1"])  # contact due 10 Nov 21:00
    fresh = complaints.register(user=users["spec1"], now=now, customer=customer.id,
                                category="price", description="报价偏高", received_at=now)
    login(client, "manager")
    html = client.get("/admin/complaint/").get_data(as_text=True)
    assert 'class="text-danger overdue"' in html
    url = _queue_link(html, "Overdue complaints")
    listed = client.get(url).get_data(as_text=True)
    assert late.number in listed and fresh.number not in listed
    due_today = url.replace("=overdue", "=due_today")
    listed = client.get(due_today).get_data(as_text=True)
    assert fresh.number in listed and late.number not in listed


def _queue_link(html, label):
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(label), html)
    assert match, label
    return match.group(1).replace("&amp;", "&")


def test_my_work_menu_follows_the_role(client, users, customer):
    mine = register(customer, users["spec1"])
    other = register(F.customer(owner=users["spec2"]), users["spec2"], handler=users["spec2"].id)
    login(client, "spec1")
    html = client.get("/admin/").get_data(as_text=True)
    assert "My complaints" in html and "My department's problems" not in html
    listed = client.get(_queue_link(html, "My complaints")).get_data(as_text=True)
    assert mine.number in listed and other.number not in listed
    client.post("/logout")
    login(client, "tech")
    html = client.get("/admin/").get_data(as_text=True)
    assert "My department's problems" in html and "My complaints" not in html


def test_escalated_to_me_by_level(client, users, customer):
    one, two = register(customer, users["spec1"]), register(customer, users["spec1"])
    M.Complaint.update(escalation_level=1).where(M.Complaint.id == one.id).execute()
    M.Complaint.update(escalation_level=2).where(M.Complaint.id == two.id).execute()
    login(client, "owner")
    url = _queue_link(client.get("/admin/").get_data(as_text=True), "Complaints escalated to me")
    listed = client.get(url).get_data(as_text=True)
    assert two.number in listed and one.number not in listed
    client.post("/logout")
    login(client, "manager")
    listed = client.get(url).get_data(as_text=True)
    assert one.number in listed and two.number in listed


def test_opening_a_list_runs_the_sweep(client, users, customer, monkeypatch):
    monkeypatch.setattr("views.escalate_actions.now", lambda: datetime(2026, 12, 1))
    register(customer, users["spec1"])  # every deadline passed by then
    login(client, "manager")
    client.get("/admin/complaint/")
    assert M.Complaint.get().escalation_level == 2
    assert escalation.last_run() is not None


def test_concurrent_registrations_get_gapless_numbers(app, users, customer):
    n = 8
    barrier = threading.Barrier(n)
    errors, statuses = [], []

    def post():
        try:
            c = app.test_client()
            login(c, "spec1")
            barrier.wait()
            statuses.append(c.post("/admin/complaint/new/", data=new_form(customer)).status_code)
        except Exception as ex:  # noqa: BLE001 — reported below
            errors.append(ex)

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and statuses == [302] * n
    numbers = sorted(c.number for c in M.Complaint.select())
    assert numbers == [f"TS-2026-{i:04d}" for i in range(1, n + 1)]


def test_capa_opened_from_a_complaint_is_prefilled(client, users, customer):
    c = register(customer, users["spec1"], department="quality")
    M.Complaint.update(root_cause="来料不良").where(M.Complaint.id == c.id).execute()
    login(client, "manager")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert 'id="open-capa"' in html
    form = client.get(f"/admin/corrective_action/new/?source=complaint&ref={c.id}")
    html = form.get_data(as_text=True)
    assert "TS-2026-0001" in html and "示波器开机无显示" in html and "来料不良" in html
    client.post("/logout")
    login(client, "spec1")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert 'id="open-capa"' not in html and 'id="escalate-record"' not in html


def test_capa_of_a_source_the_user_cannot_see_is_404(client, users):
    theirs = register(F.customer(owner=users["spec2"]), users["spec2"])
    login(client, "spec1")
    r = client.get(f"/admin/corrective_action/new/?source=complaint&ref={theirs.id}")
    assert r.status_code == 404


def test_capa_workflow_and_independent_verification(client, users, customer):
    login(client, "owner")
    r = client.post("/admin/corrective_action/new/", data={
        "source": "internal", "problem": "焊接工艺不稳定", "action_type": "corrective",
        "action": "", "department": "quality", "owner": users["quality"].id,
        "due_on": "2026-11-20"})
    assert r.status_code == 302
    capa = M.CorrectiveAction.get()
    assert capa.number.startswith("CA-") and capa.status == "open"
    r = client.post("/admin/corrective_action/action/", data={"action": "start",
                                                               "rowid": [capa.id]},
                    follow_redirects=True)
    assert "Write the measures first." in r.get_data(as_text=True)
    M.CorrectiveAction.update(action="修订焊接作业指导书").where(
        M.CorrectiveAction.id == capa.id).execute()
    for step in ("start", "complete"):
        client.post("/admin/corrective_action/action/", data={"action": step, "rowid": [capa.id]})
    assert M.CorrectiveAction.get_by_id(capa.id).status == "done"
    client.post("/logout")
    login(client, "quality")  # the person responsible
    r = client.post(f"/admin/corrective_action/verify/?ids={capa.id}",
                    data={"verification_notes": "自己验证"}, follow_redirects=True)
    assert "cannot verify" in r.get_data(as_text=True)
    client.post("/logout")
    login(client, "manager")
    client.post(f"/admin/corrective_action/verify/?ids={capa.id}",
                data={"verification_notes": "抽查三批,焊点合格"})
    capa = M.CorrectiveAction.get_by_id(capa.id)
    assert capa.status == "verified" and capa.verified_by_id == users["manager"].id


def test_overdue_capa_shows_red(client, users):
    M.CorrectiveAction.create(number="CA-2026-0001", problem="包装破损", due_on="2026-01-05",
                              status="in_progress")
    login(client, "owner")
    html = client.get("/admin/corrective_action/").get_data(as_text=True)
    assert 'class="text-danger overdue"' in html


def test_every_page_renders_in_chinese(client, users, customer):
    c = register(customer, users["spec1"])
    issue = F.visit_issue(customer)
    login(client, "owner")
    client.post("/lang/zh")
    for url in ("/admin/complaint/", f"/admin/complaint/details/?id={c.id}",
                f"/admin/complaint/step/?step=close&ids={c.id}",
                f"/admin/complaint/escalate/?ids={c.id}", "/admin/corrective_action/",
                f"/admin/visit_issue/details/?id={issue.id}", "/admin/complaint_follow_up/"):
        r = client.get(url)
        assert r.status_code == 200, url
    assert "我的工作" in client.get("/admin/").get_data(as_text=True)


def test_empty_choice_fields_show_blank_not_none(client, users, customer):
    c = register(customer, users["spec1"])
    login(client, "owner")
    html = client.get(f"/admin/complaint/details/?id={c.id}").get_data(as_text=True)
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
