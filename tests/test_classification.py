"""domain.classification: pure rules, fixed dates, no app."""
from datetime import date
from decimal import Decimal

import pytest

from domain.classification import (
    Classifier, CustomerFacts, annual_window, at_risk_reasons, classify, customer_class,
    is_key, lifecycle, months_before,
)
from domain.rules import Rules

RULES = Rules()  # defaults: A >= 5,000,000; B >= 1,000,000; new 12 months; dormant 6
REPAIR_SHOP = Rules([("class_a_min_purchase", "50000", "amount"),
                     ("class_b_min_purchase", "10000", "amount"),
                     ("new_months", "3", "months"),
                     ("dormant_months", "2", "months"),
                     ("at_risk_max_satisfaction", "3", "text")])
TODAY = date(2026, 8, 31)


@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 8, 31), 6, date(2026, 2, 28)),
    (date(2024, 8, 31), 6, date(2024, 2, 29)),    # leap year
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2026, 1, 15), 1, date(2025, 12, 15)),   # across the year
    (date(2026, 5, 31), 12, date(2025, 5, 31)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
    (date(2026, 3, 30), 25, date(2024, 2, 29)),
])
def test_months_before_clamps_to_month_end(day, months, expected):
    assert months_before(day, months) == expected


def test_annual_window_is_365_days_ending_today():
    first, last = annual_window(date(2026, 12, 31))
    assert (first, last) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (last - first).days + 1 == 365


@pytest.mark.parametrize("amount,expected", [
    ("5000000", "A"), ("5000000.00", "A"), ("4999999.99", "B"),
    ("1000000", "B"), ("999999.99", "C"), ("0", "C"), ("98000000", "A"),
])
def test_default_class_boundaries(amount, expected):
    assert customer_class(Decimal(amount), RULES) == expected


@pytest.mark.parametrize("amount,expected", [
    ("50000", "A"), ("49999.99", "B"), ("10000", "B"), ("9999.99", "C"), ("120000", "A"),
])
def test_repair_shop_thresholds(amount, expected):
    assert customer_class(Decimal(amount), REPAIR_SHOP) == expected


def test_key_customer_is_class_a_or_strategic():
    assert is_key("A", False) and is_key("C", True)
    assert not is_key("B", False)


@pytest.mark.parametrize("first,last,expected", [
    (date(2025, 8, 31), date(2026, 8, 1), "new"),      # first deal exactly 12 months ago
    (date(2025, 8, 30), date(2026, 8, 1), "stable"),   # one day more
    (date(2026, 3, 1), date(2026, 2, 28), "new"),      # last sale exactly 6 months ago
    (date(2026, 3, 1), date(2026, 2, 27), "dormant"),  # dormant overrides new
    (date(2020, 1, 1), date(2026, 2, 27), "dormant"),  # ... and stable
    (date(2020, 1, 1), None, "dormant"),               # only a first deal date, long ago
])
def test_lifecycle_from_deal_dates(first, last, expected):
    assert lifecycle(first, last, date(2019, 1, 1), TODAY, RULES) == expected


def test_lifecycle_without_any_deal_follows_the_record_date():
    assert lifecycle(None, None, date(2025, 8, 31), TODAY, RULES) == "new"
    assert lifecycle(None, None, date(2025, 8, 30), TODAY, RULES) == "dormant"


def test_lifecycle_with_edited_months():
    # Repair shop: new for 3 months, dormant after 2 without a visit to the shop.
    assert lifecycle(date(2026, 5, 31), date(2026, 6, 30), None, TODAY, REPAIR_SHOP) == "new"
    assert lifecycle(date(2026, 5, 30), date(2026, 6, 30), None, TODAY, REPAIR_SHOP) == "stable"
    assert lifecycle(date(2026, 6, 1), date(2026, 6, 29), None, TODAY, REPAIR_SHOP) == "dormant"


def test_at_risk_reasons_each_and_together():
    def reasons(stage="stable", overdue=False, score=None, amount="0", limit=None,
                rules=RULES):
        return at_risk_reasons(stage, overdue, score,
                               Decimal(amount), None if limit is None else Decimal(limit), rules)

    assert reasons() == []
    assert reasons(stage="dormant") == ["dormant"]
    assert reasons(overdue=True) == ["overdue_complaint"]
    assert reasons(score=2) == ["low_satisfaction"]
    assert reasons(score=3) == []
    assert reasons(score=3, rules=REPAIR_SHOP) == ["low_satisfaction"]
    assert reasons(amount="200000.01", limit="200000") == ["credit_exceeded"]
    assert reasons(amount="200000", limit="200000") == []
    assert reasons(amount="1", limit="0") == []          # no limit set
    assert reasons("dormant", True, 1, "9", "5") == [
        "dormant", "overdue_complaint", "low_satisfaction", "credit_exceeded"]


def test_classify_a_whole_customer():
    facts = CustomerFacts(created_on=date(2020, 5, 1), annual_purchase=Decimal("5000000.00"),
                          first_sale_on=date(2021, 3, 1), last_sale_on=date(2026, 8, 20),
                          first_deal_on=date(2019, 1, 1), last_deal_on=date(2019, 1, 1))
    assert classify(facts, RULES, TODAY) == {
        "annual_purchase": Decimal("5000000.00"), "customer_class": "A", "is_key": True,
        "lifecycle": "stable", "at_risk": False,
        "first_deal_on": date(2021, 3, 1), "last_deal_on": date(2026, 8, 20)}


def test_locked_class_is_kept_and_decides_the_key_flag():
    facts = CustomerFacts(created_on=TODAY, annual_purchase=Decimal("0"), class_locked=True,
                          current_class="A")
    values = classify(facts, RULES, TODAY)
    assert values["customer_class"] == "A" and values["is_key"]
    unlocked = classify(CustomerFacts(created_on=TODAY, current_class="A"), RULES, TODAY)
    assert unlocked["customer_class"] == "C" and not unlocked["is_key"]


def test_strategic_c_customer_is_key():
    values = classify(CustomerFacts(created_on=TODAY, is_strategic=True), RULES, TODAY)
    assert values["customer_class"] == "C" and values["is_key"]


def test_without_sales_the_stored_deal_dates_are_kept():
    # History imported from a spreadsheet: deal dates but no sale rows.
    facts = CustomerFacts(created_on=TODAY, first_deal_on=date(2015, 4, 1),
                          last_deal_on=date(2026, 7, 1))
    values = classify(facts, RULES, TODAY)
    assert (values["first_deal_on"], values["last_deal_on"]) == (date(2015, 4, 1),
                                                                 date(2026, 7, 1))
    assert values["lifecycle"] == "stable" and values["annual_purchase"] == 0
    assert values["customer_class"] == "C"


def test_never_bought_new_then_dormant_and_at_risk():
    fresh = classify(CustomerFacts(created_on=date(2026, 1, 1)), RULES, TODAY)
    assert fresh["lifecycle"] == "new" and not fresh["at_risk"]
    old = classify(CustomerFacts(created_on=date(2024, 1, 1)), RULES, TODAY)
    assert old["lifecycle"] == "dormant" and old["at_risk"]


def test_classifier_reasons_match_classify():
    classifier = Classifier(REPAIR_SHOP, TODAY)
    facts = CustomerFacts(created_on=date(2026, 1, 1), annual_purchase=Decimal("60000"),
                          first_sale_on=date(2026, 1, 5), last_sale_on=date(2026, 8, 30),
                          last_satisfaction=3, credit_limit=Decimal("50000"))
    assert classifier.reasons(facts) == ["low_satisfaction", "credit_exceeded"]
    values = classifier(facts)
    assert values["customer_class"] == "A" and values["lifecycle"] == "stable"
    assert values["at_risk"]
