"""A small hand-built month (January 2027) whose every figure is known.

Customers 0-29 belong to spec1, 30-49 to spec2; every record of a customer
is assigned to (or made by) its owner. The expected values are worked out by
hand in EXPECTED / EXPECTED_SPEC1 / EXPECTED_SPEC2 (see the comments), not by
running the code under test.

- 50 customers planned in January (approved plan), 48 planned visits done,
  customer 48 not done but visited without a link, customer 49 missed:
  coverage 49/50 = 98.0 %, completion 48/50 = 96.0 %.
- 49 scored visits: spec1 24 x 5 + 6 x 4 (mean 4.80), spec2 10 x 5 + 9 x 4
  (86/19 = 4.53): all 230/49 = 4.69.
- 11 problems (see PROBLEMS): response 8/10 = 80.0 %, resolution 7/9 = 77.8 %.
- 20 surveys back in January, one with overall 3.50: 19/20 = 95.0 %.
- 9 complaints (see COMPLAINTS): closed on time 3/8 = 37.5 %.
- Sales in January: 300,000 (visit, customer 0), 141,000 (visit, customer
  30), 659,000 (customer 1), 6 x 10,000 (customers 2-4, 31-33): share from
  visits 441,000 / 1,160,000 = 38.0 %; conversion 441,000 / (49 visited
  customers x 60,000) = 15.0 %.
- Key customers 0-4 and 30-34 bought in 2026; all but 34 again in January:
  renewal 9/10 = 90.0 %. Customer 35 is key without a 2026 sale (not counted).
- Score (40/30/30): 96.0 x .4 + 77.8 x .3 + (4.69 x 20) x .3 = 89.9.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal

import models as M
from domain import periods
from tests import factories as F

JANUARY = periods.month(2027, 1)
NOW = datetime(2027, 2, 10, 9, 0)   # after January: everything is known but P11, C9
D = Decimal

EXPECTED = {
    "coverage": D("98.0"), "completion": D("96.0"), "response_on_time": D("80.0"),
    "resolved_in_time": D("77.8"), "satisfaction": D("4.69"), "satisfied_customers": D("95.0"),
    "complaints_closed_on_time": D("37.5"), "second_sale": D("15.0"),
    "visit_business_share": D("38.0"), "key_renewal": D("90.0"), "score": D("89.9"),
}
# spec1: every planned visit done, problems P1-P7 (all resolved in time),
# satisfaction 4.80, complaints C1-C3 on time, 12 surveys all satisfied,
# sales 300,000 (visit) + 659,000 + 3 x 10,000, 30 visited customers.
EXPECTED_SPEC1 = {
    "coverage": D("100.0"), "completion": D("100.0"), "response_on_time": D("85.7"),
    "resolved_in_time": D("100.0"), "satisfaction": D("4.80"),
    "satisfied_customers": D("100.0"), "complaints_closed_on_time": D("100.0"),
    "second_sale": D("16.7"), "visit_business_share": D("30.3"), "key_renewal": D("100.0"),
    "score": D("98.8"),
}
# spec2: 18 of 20 done, 19 of 20 visited; P8-P11; satisfaction 86/19 = 4.53;
# C4-C9 (none on time, C9 not known yet); 8 surveys, one unsatisfied.
EXPECTED_SPEC2 = {
    "coverage": D("95.0"), "completion": D("90.0"), "response_on_time": D("66.7"),
    "resolved_in_time": D("0.0"), "satisfaction": D("4.53"), "satisfied_customers": D("87.5"),
    "complaints_closed_on_time": D("0.0"), "second_sale": D("12.4"),
    "visit_business_share": D("82.5"), "key_renewal": D("80.0"), "score": D("63.2"),
}


def at(day, hour=10):
    return datetime(2027, 1, day, hour, 0)


# (customer, response_due, responded_at, resolve_due, resolved_at, raised day)
PROBLEMS = (
    *[(i, at(5 + i), at(4 + i), at(12 + i), at(10 + i), 3 + i) for i in range(6)],  # P1-6 on time
    (6, at(9), at(11), at(15), at(14), 8),             # P7 answered late, resolved in time
    (30, at(9), at(8), at(15), at(20), 8),             # P8 answered in time, resolved late
    (31, at(9), None, at(15), None, 8),                # P9 neither, both deadlines passed
    (32, at(9), at(8), None, None, 8),                 # P10 complex: no resolution deadline
    (33, datetime(2027, 2, 12), None, datetime(2027, 2, 20), None, 31),  # P11 not due yet
)

# (customer, status, close_due, closed_at, satisfied, reopen_count)
COMPLAINTS = (
    *[(i, "closed", at(20), at(18), True, 0) for i in range(3)],   # C1-C3 on time
    (30, "closed", at(20), at(18), False, 0),                      # C4 customer not satisfied
    (31, "closed", at(20), at(22), True, 0),                       # C5 closed late
    (32, "closed", at(20), at(18), True, 1),                       # C6 reopened once
    (33, "investigating", at(20), None, None, 0),                  # C7 overdue
    (34, "reopened", datetime(2027, 2, 12), None, None, 1),        # C8 reopened, not due
    (35, "investigating", datetime(2027, 2, 11), None, None, 0),   # C9 not due yet
)


def build(users):
    spec1, spec2 = users["spec1"], users["spec2"]
    owners = [spec1] * 30 + [spec2] * 20
    # Names of one width: no name is a part of another in a page's text.
    customers = [F.customer(owner=o, annual_purchase=D("60000"), name=f"一月客户{i:02d}号",
                            is_key=(i < 5 or 30 <= i <= 35)) for i, o in enumerate(owners)]
    plan = M.VisitPlan.create(name="2027年1月回访计划", kind="monthly",
                              period_start=date(2027, 1, 1), period_end=date(2027, 1, 31),
                              status="approved")
    draft = M.VisitPlan.create(name="草稿", kind="adhoc", period_start=date(2027, 1, 1),
                               period_end=date(2027, 1, 31), status="draft")
    for i, (c, o) in enumerate(zip(customers, owners)):
        due = date(2027, 1, 4 + i % 20)
        status = "done" if i < 48 else ("planned" if i == 48 else "missed")
        pv = M.PlannedVisit.create(plan=plan, customer=c, due_on=due, assignee=o, status=status)
        if i < 49:
            spec1_score = 5 if i < 24 else 4
            spec2_score = 5 if i < 40 else 4
            F.visit(c, staff=o, visited_at=datetime.combine(due, datetime.min.time()) +
                    timedelta(hours=10), planned_visit=pv if i < 48 else None,
                    satisfaction=spec1_score if i < 30 else spec2_score)
    # Noise that must not count: cancelled, draft plan, due in February, an
    # unscored visit, a visit in February.
    M.PlannedVisit.create(plan=plan, customer=customers[0], due_on=date(2027, 1, 20),
                          assignee=spec1, status="cancelled", slot=2)
    M.PlannedVisit.create(plan=draft, customer=customers[1], due_on=date(2027, 1, 20),
                          assignee=spec1)
    M.PlannedVisit.create(plan=plan, customer=customers[2], due_on=date(2027, 2, 3),
                          assignee=spec1, slot=3)
    F.visit(customers[3], staff=spec1, visited_at=at(25), satisfaction=None)
    F.visit(customers[3], staff=spec1, visited_at=datetime(2027, 2, 2, 10), satisfaction=1)

    for cust, r_due, r_at, s_due, s_at, day in PROBLEMS:
        F.visit_issue(customers[cust], assignee=owners[cust], raised_at=at(day, 9),
                      response_due=r_due, responded_at=r_at, resolve_due=s_due, resolved_at=s_at,
                      is_complex=s_due is None, status="resolved" if s_at else "in_progress")

    for n in range(20):
        owner_side = n if n < 12 else 30 + n
        low = n == 19
        scores = (4, 3, 3, 4, 3, 4) if low else (5, 5, 4, 5, 4, 4)
        M.SatisfactionSurvey.create(customer=customers[owner_side], period="2027-01",
                                    returned_at=at(10 + n % 15),
                                    overall=D("3.50") if low else D("4.50"),
                                    **dict(zip(M.SatisfactionSurvey.SCORE_FIELDS, scores)))
    M.SatisfactionSurvey.create(customer=customers[0], period="2027-01",
                                returned_at=datetime(2027, 2, 1, 9), overall=D("1.00"))
    M.SatisfactionSurvey.create(customer=customers[0], period="2027-01", sent_at=at(5))

    for cust, status, due, closed, satisfied, reopened in COMPLAINTS:
        F.complaint(customers[cust], received_at=at(12), status=status, close_due=due,
                    closed_at=closed, customer_satisfied=satisfied, reopen_count=reopened,
                    customer_score=5 if satisfied else None)

    visit_of = {c.id: v.id for c, v in ((c, M.Visit.get(M.Visit.customer == c))
                                          for c in (customers[0], customers[30]))}
    F.sale(customers[0], sold_on=date(2027, 1, 15), amount=D("300000"),
           visit=visit_of[customers[0].id])
    F.sale(customers[30], sold_on=date(2027, 1, 16), amount=D("141000"),
           visit=visit_of[customers[30].id])
    F.sale(customers[1], sold_on=date(2027, 1, 17), amount=D("659000"))
    for i in (2, 3, 4, 31, 32, 33):
        F.sale(customers[i], sold_on=date(2027, 1, 20), amount=D("10000"))
    for i in (*range(5), *range(30, 35)):
        F.sale(customers[i], sold_on=date(2026, 6, 1), amount=D("50000"))
    F.sale(customers[0], sold_on=date(2027, 2, 5), amount=D("999"))  # February: not January
    # December 2026, for the trend: two visits scored 5 and 4.
    F.visit(customers[0], staff=spec1, visited_at=datetime(2026, 12, 10, 10), satisfaction=5)
    F.visit(customers[30], staff=spec2, visited_at=datetime(2026, 12, 11, 10), satisfaction=4)
    return customers
