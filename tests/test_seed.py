import re
from datetime import date
from decimal import Decimal

import pytest

import models as M
from domain.choices import RULE_UNITS
from domain.registers import REGISTERS
from domain.rule_defaults import DEFAULT_RULES
from seed.demo import DEMO_USERS, DemoAlreadyLoaded, seed_demo
from services.users import authenticate, create_user
from tests.conftest import empty_tables

TODAY = date(2026, 11, 23)
SEEDED = [r for r in REGISTERS if r.endpoint != "audit_log"]


def _counts():
    return {r.endpoint: r.model.select().count() for r in REGISTERS}


def _customers():
    return list(M.Customer.select(M.Customer.code, M.Customer.name)
                .order_by(M.Customer.code).tuples())


def _sales():
    return list(M.Sale.select(M.Customer.code, M.Sale.sold_on, M.Sale.product, M.Sale.amount)
                .join(M.Customer).order_by(M.Customer.code, M.Sale.sold_on, M.Sale.id).tuples())


def test_default_rules_are_well_formed():
    units = {code for code, _ in RULE_UNITS}
    keys = [key for key, _, _, _ in DEFAULT_RULES]
    assert len(keys) == len(set(keys))
    for key, value, unit, description in DEFAULT_RULES:
        assert unit in units, key
        assert isinstance(value, str) and 0 < len(value) <= 64, key
        assert len(key) <= 64 and " / " in description and len(description) <= 255, key
    rules = {key: value for key, value, _, _ in DEFAULT_RULES}
    assert rules["class_a_min_purchase"] == "5000000"
    assert rules["class_b_min_purchase"] == "1000000"
    assert rules["deadline_time_of_day"] == "18:00"


def test_seed_loads_every_register(app):
    summary = seed_demo(customers=40, today=TODAY)
    counts = _counts()
    for reg in SEEDED:
        assert counts[reg.endpoint] > 0, reg.endpoint
        assert summary[reg.label] == counts[reg.endpoint], reg.endpoint
    assert counts["customer"] == 40
    assert counts["audit_log"] == 0
    assert M.Rule.select().count() == len(DEFAULT_RULES)


def test_demo_users_can_log_in(app):
    seed_demo(customers=40, today=TODAY)
    for u in DEMO_USERS:
        user = authenticate(u["username"], u["password"])
        assert user is not None and user.role == u["role"], u["username"]


def test_second_call_refuses_and_changes_nothing(app):
    seed_demo(customers=40, today=TODAY)
    before = _counts()
    with pytest.raises(DemoAlreadyLoaded, match="already"):
        seed_demo(customers=40, today=TODAY)
    assert _counts() == before


def test_refuses_when_a_demo_user_exists(app):
    create_user(username="owner", password="secret-pw-42", role="owner")
    with pytest.raises(DemoAlreadyLoaded, match="owner"):
        seed_demo(customers=40, today=TODAY)
    assert M.Customer.select().count() == 0
    assert M.User.select().count() == 1


def test_same_inputs_give_the_same_data(app):
    seed_demo(customers=40, today=TODAY)
    customers, sales = _customers(), _sales()
    empty_tables()
    seed_demo(customers=40, today=TODAY)
    assert _customers() == customers
    assert _sales() == sales
    empty_tables()
    seed_demo(customers=40, today=TODAY, rng_seed=7)
    assert _customers() != customers


def test_classes_follow_the_thresholds(app):
    seed_demo(customers=40, today=TODAY)
    seen = set()
    for c in M.Customer.select():
        amount = Decimal(c.annual_purchase)
        expected = "A" if amount >= 5000000 else "B" if amount >= 1000000 else "C"
        assert c.customer_class == expected, (c.code, amount, c.customer_class)
        assert not (c.customer_class == "A" and not c.is_key), c.code
        seen.add(c.customer_class)
    assert seen == {"A", "B", "C"}


def test_codes_and_phones_look_right(app):
    seed_demo(customers=40, today=TODAY)
    codes = [code for code, _ in _customers()]
    assert codes == [f"C{i:06d}" for i in range(1, 41)]
    for phone in M.Contact.select(M.Contact.phone).tuples():
        assert re.fullmatch(r"1[3-9]\d{9}", phone[0])


def test_no_care_for_do_not_disturb_customers(app):
    seed_demo(customers=40, today=TODAY)
    assert M.Customer.select().where(M.Customer.do_not_disturb).count() > 0
    leaked = (M.CareEvent.select().join(M.Customer)
              .where(M.Customer.do_not_disturb).count())
    assert leaked == 0


def test_complaint_numbers(app):
    seed_demo(customers=40, today=TODAY)
    numbers = [n for (n,) in M.Complaint.select(M.Complaint.number).tuples()]
    assert numbers
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert re.fullmatch(r"TS-\d{4}-\d{4}", number), number


def test_surveys_overall_is_the_mean(app):
    seed_demo(customers=40, today=TODAY)
    returned = M.SatisfactionSurvey.select().where(M.SatisfactionSurvey.overall.is_null(False))
    assert returned.count() > 0
    for s in returned:
        scores = [getattr(s, f) for f in M.SatisfactionSurvey.SCORE_FIELDS]
        assert Decimal(s.overall) == (Decimal(sum(scores)) / 6).quantize(Decimal("0.01"))


def test_plan_items_link_their_visits(app):
    seed_demo(customers=40, today=TODAY)
    plan = M.VisitPlan.get()
    assert plan.status == "approved" and plan.period_start == date(2026, 10, 1)
    done = plan.items.where(M.PlannedVisit.status == "done")
    assert done.count() > 0
    for item in done:
        assert item.visit.planned_visit_id == item.id


def test_holidays_2026(app):
    seed_demo(customers=40, today=TODAY)
    assert M.Holiday.get(M.Holiday.day == date(2026, 2, 17)).is_working_day is False
    assert M.Holiday.get(M.Holiday.day == date(2026, 2, 14)).is_working_day is True
    assert M.Holiday.get(M.Holiday.day == date(2026, 10, 10)).is_working_day is True
