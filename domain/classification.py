"""Customer classification (SPEC.md, register 1): class, key customer, lifecycle, at risk.

Pure functions of plain values, the rules and the day they are computed for;
services.classification gathers the values from the database and writes the
results back.

Conventions:
- "Annual purchase" is the sum of sales dated in the 365 days up to and
  including ``today`` (``annual_window``).
- "Within N months" means on or after the same day N months earlier
  (``months_before``; the day is clamped to the month's end, so six months
  before 31 August is 28 or 29 February). A first deal exactly ``new_months``
  ago is still new; a last sale exactly ``dormant_months`` ago is not dormant yet.
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .i18n import N_

ANNUAL_DAYS = 365
ZERO = Decimal("0")

# What classify() returns, in this order: the Customer fields it owns.
FIELDS = ("annual_purchase", "customer_class", "is_key", "lifecycle", "at_risk",
          "first_deal_on", "last_deal_on")

# At-risk reason codes, in the order they are reported, with their labels.
RISK_REASONS = (
    ("dormant", N_("No sale for a long time")),
    ("overdue_complaint", N_("An open complaint is past its closing deadline")),
    ("low_satisfaction", N_("Low satisfaction at the last visit")),
    ("credit_exceeded", N_("Annual purchase above the credit limit")),
)


def months_before(day, months):
    """The same day ``months`` calendar months before ``day``, clamped to the
    end of a shorter month (31 Aug minus 6 months is 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def annual_window(today):
    """(first, last) day of the 365 days whose sales make the annual purchase."""
    return today - timedelta(days=ANNUAL_DAYS - 1), today


# ---------------------------------------------------------------- single rules
def _class(annual_purchase, a_min, b_min):
    if annual_purchase >= a_min:
        return "A"
    if annual_purchase >= b_min:
        return "B"
    return "C"


def customer_class(annual_purchase, rules):
    """A at or above ``class_a_min_purchase``, B at or above
    ``class_b_min_purchase``, C below."""
    return _class(annual_purchase, *rules.class_thresholds())


def is_key(customer_class, is_strategic):
    """Key customer: class A, or marked strategic by a manager."""
    return customer_class == "A" or bool(is_strategic)


def _lifecycle(first_deal_on, last_deal_on, created_on, new_since, active_since):
    if first_deal_on is None and last_deal_on is None:
        # Never bought: new while the record itself is recent, then dormant.
        return "new" if created_on is None or created_on >= new_since else "dormant"
    first = first_deal_on or last_deal_on
    last = last_deal_on or first_deal_on
    if last < active_since:
        return "dormant"
    return "new" if first >= new_since else "stable"


def lifecycle(first_deal_on, last_deal_on, created_on, today, rules):
    """'dormant' when the last deal is more than ``dormant_months`` ago (this
    overrides the rest); otherwise 'new' when the first deal is within
    ``new_months``, else 'stable'. A customer without any deal is 'new' while
    created within ``new_months``, 'dormant' after."""
    return _lifecycle(first_deal_on, last_deal_on, created_on,
                      months_before(today, rules["new_months"]),
                      months_before(today, rules["dormant_months"]))


def _reasons(stage, has_overdue_complaint, last_satisfaction, annual_purchase,
             credit_limit, max_satisfaction):
    reasons = []
    if stage == "dormant":
        reasons.append("dormant")
    if has_overdue_complaint:
        reasons.append("overdue_complaint")
    if last_satisfaction is not None and last_satisfaction <= max_satisfaction:
        reasons.append("low_satisfaction")
    if credit_limit and credit_limit > 0 and annual_purchase > credit_limit:
        reasons.append("credit_exceeded")
    return reasons


def at_risk_reasons(lifecycle, has_overdue_complaint, last_satisfaction, annual_purchase,
                    credit_limit, rules):
    """Why a customer is at risk (codes of RISK_REASONS; empty when not):

    - dormant: the lifecycle is 'dormant';
    - overdue_complaint: a complaint not closed is past its closing deadline;
    - low_satisfaction: the satisfaction of the last scored visit is at or
      below ``at_risk_max_satisfaction``;
    - credit_exceeded: the annual purchase is above the credit limit, when a
      limit above zero is set. Payments are not recorded, so the credit in use
      is unknown; a year's purchases stand in for it.
    """
    return _reasons(lifecycle, has_overdue_complaint, last_satisfaction, annual_purchase,
                    credit_limit, rules.number("at_risk_max_satisfaction"))


# ---------------------------------------------------------------- a whole customer
@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What classification needs to know of one customer.

    ``first_sale_on`` / ``last_sale_on`` come from the sales register (None
    when the customer has no sale); ``first_deal_on`` / ``last_deal_on`` are
    the dates stored on the customer, kept when there is no sale (history
    imported without its sales). ``annual_purchase`` is the sum of the sales
    in ``annual_window``.
    """
    created_on: date | None = None
    annual_purchase: Decimal = ZERO
    first_sale_on: date | None = None
    last_sale_on: date | None = None
    first_deal_on: date | None = None
    last_deal_on: date | None = None
    has_overdue_complaint: bool = False
    last_satisfaction: int | None = None
    credit_limit: Decimal | None = None
    is_strategic: bool = False
    class_locked: bool = False
    current_class: str = "C"


class Classifier:
    """``classify`` for many customers on one day: rule values and cut-off
    dates are worked out once, not once per customer."""

    def __init__(self, rules, today):
        self.a_min, self.b_min = rules.class_thresholds()
        self.new_since = months_before(today, rules["new_months"])
        self.active_since = months_before(today, rules["dormant_months"])
        self.max_satisfaction = rules.number("at_risk_max_satisfaction")

    def reasons(self, facts):
        """At-risk reason codes of ``facts`` (see at_risk_reasons)."""
        first, last = self._deal_dates(facts)
        stage = _lifecycle(first, last, facts.created_on, self.new_since, self.active_since)
        return _reasons(stage, facts.has_overdue_complaint, facts.last_satisfaction,
                        facts.annual_purchase, facts.credit_limit, self.max_satisfaction)

    @staticmethod
    def _deal_dates(facts):
        if facts.last_sale_on is None:
            return facts.first_deal_on, facts.last_deal_on
        return facts.first_sale_on, facts.last_sale_on

    def __call__(self, facts):
        first, last = self._deal_dates(facts)
        amount = facts.annual_purchase
        cls = facts.current_class if facts.class_locked else _class(amount, self.a_min,
                                                                     self.b_min)
        stage = _lifecycle(first, last, facts.created_on, self.new_since, self.active_since)
        reasons = _reasons(stage, facts.has_overdue_complaint, facts.last_satisfaction,
                           amount, facts.credit_limit, self.max_satisfaction)
        return {
            "annual_purchase": amount,
            "customer_class": cls,
            "is_key": is_key(cls, facts.is_strategic),
            "lifecycle": stage,
            "at_risk": bool(reasons),
            "first_deal_on": first,
            "last_deal_on": last,
        }


def classify(facts, rules, today):
    """The Customer field values (FIELDS) that ``facts`` give on ``today``.

    A locked class (``class_locked``) is kept as it is; everything else,
    including the key-customer flag of that class, is still computed. A
    customer without sales keeps its stored deal dates and has an annual
    purchase of 0.
    """
    return Classifier(rules, today)(facts)
