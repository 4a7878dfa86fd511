"""Satisfaction survey planning (004 §5.1: 每年对所有的重要顾客进行一次…一般顾客在可能时
进行一次…每季度…当个别顾客表示不满意时…要加大调查频次), as a pure function.

For a period (a quarter: the forms go out in quarterly batches) a customer is
due a survey when
- *key*: a key customer (the year's confirmed list) with no survey returned —
  nor one still out — in the last ``survey_key_customer_months`` months;
- *general*: any other customer, the same over ``survey_all_customers_months``;
- *dissatisfied*: their latest word — the last returned survey or the last
  scored visit, whichever is newer — was below ``survey_satisfied_min_overall``
  within the last ``survey_dissatisfied_months`` months (surveyed again sooner).
Never twice for one customer and period; never a do-not-disturb customer.
Months count back from the period's first day.
"""
from collections import namedtuple
from datetime import date
from decimal import Decimal


# facts about one customer: key? do not disturb? last returned survey (at,
# overall), last open survey (planned or sent: when it was made), last scored
# visit (at, score), has one in the period already?
Facts = namedtuple("Facts", "customer_id is_key do_not_disturb last_returned last_open "
                            "last_visit in_period", defaults=(None, None, None, False))


def months_before(day, months):
    """The day ``months`` months before ``day`` (day of month capped at 28)."""
    month = day.year * 12 + day.month - 1 - months
    return date(month // 12, month % 12 + 1, min(day.day, 28))


def _on_or_after(moment, cutoff):
    if moment is None:
        return False
    return (moment.date() if hasattr(moment, "date") else moment) >= cutoff


def reason(facts, period_start, rules):
    """The reason code the customer is due a survey in the period, or None."""
    if facts.do_not_disturb or facts.in_period:
        return None
    low = Decimal(str(rules["survey_satisfied_min_overall"]))
    latest = None  # (at, score) of the customer's latest word
    for word in (facts.last_returned, facts.last_visit):
        if word is not None and word[1] is not None and (latest is None or word[0] > latest[0]):
            latest = word
    if latest is not None and Decimal(str(latest[1])) < low and _on_or_after(
            latest[0], months_before(period_start, rules["survey_dissatisfied_months"])):
        return "dissatisfied"
    months = rules["survey_key_customer_months" if facts.is_key else
                   "survey_all_customers_months"]
    cutoff = months_before(period_start, months)
    recent = (facts.last_returned is not None and _on_or_after(facts.last_returned[0], cutoff)) \
        or _on_or_after(facts.last_open, cutoff)
    if recent:
        return None
    return "key" if facts.is_key else "general"


def plan(all_facts, period_start, rules):
    """[(customer id, reason)] of the customers due a survey, in id order."""
    out = []
    for facts in sorted(all_facts, key=lambda f: f.customer_id):
        why = reason(facts, period_start, rules)
        if why is not None:
            out.append((facts.customer_id, why))
    return out


def demand_prefill(survey, today):
    """The demand a dissatisfied survey opens on request: what the customer
    complained of or expects, as a service upgrade to follow."""
    text = "\n".join(t for t in (survey.complaints, survey.expectations) if t)
    return {"customer": survey.customer_id, "raised_on": today, "source": "survey",
            "kind": "service_upgrade", "status": "new",
            "description": text or f"{survey.period}: overall {survey.overall}"}
