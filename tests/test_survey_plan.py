"""Issue 15 item 5: satisfaction surveys are scheduled (004 §5.1): the rules
with fixed dates, plan-surveys twice without duplicates, the managers'
screen, the "Surveys due" queue, sending, printing the due forms, and a low
score followed up as a demand."""
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

import models as M
from domain import surveys as D
from domain.rules import Rules
from services import surveys
from tests import factories as F
from tests.conftest import login

RULES = Rules()
Q1 = date(2027, 1, 1)


def facts(**kw):
    return D.Facts(**dict(dict(customer_id=1, is_key=False, do_not_disturb=False), **kw))


@pytest.mark.parametrize("kw,expected", [
    ({}, "general"),                                                     # never surveyed
    ({"is_key": True}, "key"),
    ({"is_key": True, "last_returned": (datetime(2026, 2, 10), Decimal("4.5"))}, None),
    ({"is_key": True, "last_returned": (datetime(2025, 12, 20), Decimal("4.5"))}, "key"),
    ({"last_returned": (datetime(2026, 3, 1), Decimal("4.8"))}, None),   # 12 months (rule)
    ({"last_returned": (datetime(2025, 12, 31), Decimal("4.8"))}, "general"),
    ({"last_open": datetime(2026, 10, 20)}, None),                       # one still out
    # Dissatisfied within 3 months: again now, even though surveyed lately.
    ({"is_key": True, "last_returned": (datetime(2026, 11, 2), Decimal("3.17"))},
     "dissatisfied"),
    ({"last_returned": (datetime(2026, 9, 2), Decimal("3.17"))}, None),  # 4 months ago
    ({"last_returned": (datetime(2026, 11, 2), Decimal("4.5")),
      "last_visit": (datetime(2026, 12, 1), 2)}, "dissatisfied"),        # the later word
    ({"last_returned": (datetime(2026, 12, 9), Decimal("4.5")),
      "last_visit": (datetime(2026, 12, 1), 2)}, None),                  # surveyed after
    ({"do_not_disturb": True, "last_visit": (datetime(2026, 12, 1), 1)}, None),
    ({"in_period": True}, None),
])
def test_who_is_due_a_survey(kw, expected):
    assert D.reason(facts(**kw), Q1, RULES) == expected


def test_the_months_are_rules():
    rules = Rules([("survey_all_customers_months", "3", "months"),
                   ("survey_dissatisfied_months", "6", "months")])
    recent = facts(last_returned=(datetime(2026, 8, 1), Decimal("4.9")))
    assert D.reason(recent, Q1, RULES) is None and D.reason(recent, Q1, rules) == "general"
    sore = facts(last_returned=(datetime(2026, 8, 1), Decimal("2.5")))
    assert D.reason(sore, Q1, RULES) is None and D.reason(sore, Q1, rules) == "dissatisfied"


def test_the_default_for_other_customers_is_a_year():
    assert RULES["survey_all_customers_months"] == 12
    assert RULES["survey_dissatisfied_months"] == 3


# ------------------------------------------------------------------ services

@pytest.fixture
def book(users):
    key = F.customer(owner=users["spec1"], name="重点客户", is_key=True)
    other = F.customer(owner=users["spec1"], name="一般客户", preferred_channel="phone")
    surveyed = F.customer(owner=users["spec1"], name="刚调查过")
    M.SatisfactionSurvey.create(customer=surveyed, period="2026-Q3", status="returned",
                                returned_at=datetime(2026, 9, 20), overall=Decimal("4.6"))
    sore = F.customer(owner=users["spec1"], name="不满意客户", is_key=True)
    M.SatisfactionSurvey.create(customer=sore, period="2026-Q4", status="returned",
                                returned_at=datetime(2026, 11, 20), overall=Decimal("2.83"))
    quiet = F.customer(owner=users["spec1"], name="勿扰客户", do_not_disturb=True)
    return dict(key=key, other=other, surveyed=surveyed, sore=sore, quiet=quiet)


def test_plan_surveys_twice_plans_each_customer_once(app, book):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["plan-surveys", "--period", "2027-Q1"])
    assert first.exit_code == 0, first.output
    assert "1 key customers, 1 other customers, 1 dissatisfied" in first.output
    planned = {s.customer_id: s for s in M.SatisfactionSurvey.select().where(
        M.SatisfactionSurvey.period == "2027-Q1")}
    assert set(planned) == {book["key"].id, book["other"].id, book["sore"].id}
    assert planned[book["sore"].id].plan_reason == "dissatisfied"
    assert planned[book["other"].id].method == "phone" and planned[book["key"].id].method == "email"
    assert {s.status for s in planned.values()} == {"planned"}
    second = runner.invoke(args=["plan-surveys", "--period", "2027-Q1"])
    assert second.exit_code == 0 and "3 already planned" in second.output, second.output
    assert M.SatisfactionSurvey.select().where(
        M.SatisfactionSurvey.period == "2027-Q1").count() == 3
    bad = runner.invoke(args=["plan-surveys", "--period", "2027-13"])
    assert bad.exit_code != 0 and "2027-Q1" in bad.output


def test_the_next_quarter_waits_for_a_year_but_chases_the_unhappy(app, book):
    surveys.plan_surveys("2027-Q1", now=datetime(2026, 12, 20, 9))
    # Q1's forms came back; one customer is still unhappy.
    S = M.SatisfactionSurvey
    S.update(status="returned", returned_at=datetime(2027, 1, 20), overall=Decimal("4.5")).where(
        (S.period == "2027-Q1") & (S.customer != book["other"].id)).execute()
    S.update(status="returned", returned_at=datetime(2027, 1, 25), overall=Decimal("3.0")).where(
        (S.period == "2027-Q1") & (S.customer == book["other"].id)).execute()
    r = surveys.plan_surveys("2027-Q2", now=datetime(2027, 3, 20, 9))
    assert (r["key"], r["general"], r["dissatisfied"]) == (0, 0, 1)
    assert S.get(S.period == "2027-Q2").customer_id == book["other"].id


# ------------------------------------------------------------------ web

def _queue_link(html, label):
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(label), html)
    assert match, label
    return match.group(1).replace("&amp;", "&")


def test_managers_plan_then_the_queue_sends_and_prints(client, users, book, monkeypatch):
    monkeypatch.setattr("views.surveys.now", lambda: datetime(2027, 1, 4, 9))
    monkeypatch.setattr("views.worklists.now", lambda: datetime(2027, 1, 4, 9))
    login(client, "spec1")
    assert client.get("/admin/satisfaction_survey/plan/").status_code == 403
    client.post("/logout")
    login(client, "manager")
    assert "plan-surveys" in client.get("/admin/satisfaction_survey/").get_data(as_text=True)
    r = client.post("/admin/satisfaction_survey/plan/", data={"period": "2027-q1"},
                    follow_redirects=True)
    assert "2027-Q1: 1 key customers, 1 other customers and 1 dissatisfied" in \
        r.get_data(as_text=True)
    body = client.post("/admin/satisfaction_survey/plan/", data={"period": "2027-Q5"}).get_data(
        as_text=True)
    assert "2027-Q1" in body  # the example of a valid quarter
    due = _queue_link(client.get("/admin/").get_data(as_text=True), "Surveys due")
    listed = client.get(due).get_data(as_text=True)
    assert "重点客户" in listed and "一般客户" in listed and "刚调查过" not in listed
    ids = [s.id for s in M.SatisfactionSurvey.select().where(
        M.SatisfactionSurvey.status == "planned")]
    pdf = client.post("/admin/satisfaction_survey/action/", data={"action": "print",
                                                                  "rowid": ids})
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "重点客户" in text and "一般客户" in text and "不满意客户" in text
    client.post("/admin/satisfaction_survey/action/", data={"action": "send", "rowid": ids})
    assert {s.status for s in M.SatisfactionSurvey.select().where(
        M.SatisfactionSurvey.id.in_(ids))} == {"sent"}
    assert "重点客户" not in client.get(due).get_data(as_text=True)


def test_a_low_score_is_followed_up_as_a_demand(client, users, book):
    sore = M.SatisfactionSurvey.get(M.SatisfactionSurvey.customer == book["sore"].id)
    sore.complaints = "交货周期太长"
    sore.save()
    fine = M.SatisfactionSurvey.get(M.SatisfactionSurvey.customer == book["surveyed"].id)
    login(client, "spec1")
    assert 'id="low-score"' not in client.get(
        f"/admin/satisfaction_survey/details/?id={fine.id}").get_data(as_text=True)
    html = client.get(f"/admin/satisfaction_survey/details/?id={sore.id}").get_data(as_text=True)
    assert 'id="low-score"' in html and f"/admin/demand/new/?survey={sore.id}" in html
    form = client.get(f"/admin/demand/new/?survey={sore.id}").get_data(as_text=True)
    assert "交货周期太长" in form and re.search(
        rf'name="customer"[^>]*value="{book["sore"].id}"', form)
    assert client.get("/admin/demand/new/?survey=999999").status_code == 404


def test_saving_a_survey_sets_its_status(client, users, book):
    login(client, "spec1")
    r = client.post("/admin/satisfaction_survey/new/", data={
        "customer": book["key"].id, "period": "2027-Q1", "method": "email",
        "score_quality": "5", "score_service": "4"})
    assert r.status_code == 302
    s = M.SatisfactionSurvey.get(M.SatisfactionSurvey.period == "2027-Q1")
    assert s.status == "returned" and s.overall == Decimal("4.50")


def test_m0011_gives_old_surveys_a_status_and_the_rule_its_new_default(app, users):
    from playhouse.migrate import migrate
    from admin_app import migrations
    c = F.customer(owner=users["spec1"])
    S = M.SatisfactionSurvey
    back = S.create(customer=c, period="2026-Q3", sent_at=datetime(2026, 10, 5),
                    returned_at=datetime(2026, 10, 20), overall=Decimal("4.2")).id
    out = S.create(customer=c, period="2026-Q4", sent_at=datetime(2027, 1, 5)).id
    idle = S.create(customer=c, period="2027-Q1").id
    M.Rule.create(key="survey_all_customers_months", value="3", unit="months")
    m = migrations._migrator(M.db.obj)
    index = next(i.name for i in M.db.get_indexes("satisfaction_survey")
                 if i.columns == ["status"])
    migrate(m.drop_index("satisfaction_survey", index),
            m.drop_column("satisfaction_survey", "status"),
            m.drop_column("satisfaction_survey", "plan_reason"))
    migrations.SchemaVersion.delete().execute()
    migrations.SchemaVersion.create(version=migrations.MIGRATIONS.index(
        migrations.m0011_seed_loops))
    migrations.upgrade(M.db.obj)
    assert [S.get_by_id(i).status for i in (back, out, idle)] == ["returned", "sent", "planned"]
    assert M.Rule.get(M.Rule.key == "survey_all_customers_months").value == "12"
