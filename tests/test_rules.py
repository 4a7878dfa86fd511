"""Rules as data: typed values, defaults, and refusal of unusable values."""
from datetime import time
from decimal import Decimal

import pytest

import models as M
from domain.rule_defaults import DEFAULT_RULES
from domain.rules import RuleError, Rules, parse, validate
from services.rules import current_rules, ensure_default_rules
from tests.conftest import login

CURRENT = {k: (v, u) for k, v, u, _ in DEFAULT_RULES}


def test_defaults_parse_and_read_by_key():
    r = Rules()
    assert r.class_thresholds() == (Decimal("5000000"), Decimal("1000000"))
    assert (r.frequency_months("A"), r.frequency_months("B"), r.frequency_months("C")) == (1, 3, 6)
    assert r.channel("A") == "onsite" and r.focus("dormant") == "reactivation"
    assert r["deadline_time_of_day"] == time(18, 0)
    assert r.working_weekdays() == {1, 2, 3, 4, 5}


def test_register_rows_override_defaults():
    r = Rules([("class_a_min_purchase", "50000", "amount"), ("class_b_min_purchase", "10000", "amount")])
    assert r.class_thresholds() == (Decimal("50000"), Decimal("10000"))


@pytest.mark.parametrize("key,value,unit", [
    ("class_a_min_purchase", "-5", "amount"),            # negative
    ("class_a_min_purchase", "abc", "amount"),           # not a number
    ("class_b_min_purchase", "6000000", "amount"),       # B above A
    ("issue_resolve_working_days", "2.5", "working_days"),  # fraction of a day
    ("issue_resolve_working_days", "7", "parsecs"),      # unknown unit
    ("issue_resolve_working_days", "7", "hours"),        # wrong unit for this rule
    ("deadline_time_of_day", "6pm", "time"),
    ("visit_frequency_a_months", "0", "months"),
    ("visit_channel_b", "pigeon", "text"),
    ("kpi_weight_completion", "50", "percent"),          # weights no longer add to 100
])
def test_unusable_values_are_refused(key, value, unit):
    with pytest.raises(RuleError):
        validate(key, value, unit, CURRENT)


def test_parse_types():
    assert parse("7", "working_days") == 7 and parse("1.5", "amount") == Decimal("1.5")
    with pytest.raises(RuleError):
        parse("101", "percent")


def test_owner_edits_a_rule_and_bad_values_get_a_message(client, users):
    ensure_default_rules()
    assert ensure_default_rules() == 0
    rule = M.Rule.get(M.Rule.key == "class_a_min_purchase")
    login(client, "owner")
    r = client.post(f"/admin/rule/edit/?id={rule.id}", data={
        "key": rule.key, "value": "8000000", "unit": "amount"}, follow_redirects=True)
    assert current_rules().class_thresholds()[0] == Decimal("8000000")
    r = client.post(f"/admin/rule/edit/?id={rule.id}", data={
        "key": rule.key, "value": "10", "unit": "amount"})
    assert r.status_code == 200
    assert "higher than the class B threshold" in r.get_data(as_text=True)
    assert M.Rule.get_by_id(rule.id).value == "8000000"


def test_manager_cannot_edit_rules(client, users):
    ensure_default_rules()
    rule = M.Rule.get(M.Rule.key == "class_a_min_purchase")
    login(client, "manager")
    assert client.post(f"/admin/rule/edit/?id={rule.id}", data={
        "key": rule.key, "value": "1", "unit": "amount"}).status_code == 403
