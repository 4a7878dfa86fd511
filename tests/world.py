"""A small shop with one record of every register on each side of a scope line.

``build(users)`` gives specialist spec1 a customer whose problems, complaint
and corrective action go to the technical department, and spec2 one whose
records go to quality; both customers sit in one approved visit plan. Each
side's customer carries marker strings (code, name, phone) that must never
reach a user outside that side: spec1 and tech (technical) see side 1,
spec2 and quality see side 2. Plain ASCII markers, so they survive PDF text
extraction intact.
"""
from datetime import date, datetime
from decimal import Decimal

import models as M

SIDES = {"spec1": ("technical", "1"), "spec2": ("quality", "2")}
# user -> the side whose markers they may see.
SIDE_OF = {"spec1": "spec1", "tech": "spec1", "spec2": "spec2", "quality": "spec2"}


def markers(side):
    """The strings naming side ``side``'s customer: code, name, phone."""
    n = SIDES[side][1]
    return {"code": f"ZQ00{n}X", "name": f"Markerco{n}Ltd", "phone": f"1390000777{n}"}


def outside(user_key):
    """The marker strings ``user_key`` must never receive."""
    other = "spec2" if SIDE_OF[user_key] == "spec1" else "spec1"
    return list(markers(other).values())


def build(users):
    """Create the two sides and the shared plan; return {side: {register: record}}."""
    stamp = datetime(2026, 11, 2, 10, 0)
    plan = M.VisitPlan.create(name="2026Q4 plan", kind="quarterly", period_start=date(2026, 10, 1),
                              period_end=date(2026, 12, 31), status="approved",
                              created_by=users["manager"], approved_by=users["manager"],
                              approved_at=stamp)
    world = {"plan": plan}
    for side, (department, n) in SIDES.items():
        who = users[side]
        m = markers(side)
        c = M.Customer.create(code=m["code"], name=m["name"], phone=m["phone"], owner=who,
                              address=f"Road {n}", annual_purchase=Decimal("120000"))
        contact = M.Contact.create(customer=c, name=f"Contact{n}", phone=m["phone"],
                                   is_primary=True)
        equipment = M.Equipment.create(customer=c, model_name=f"XJ-{n}", serial_no=f"SN{n}")
        visit = M.Visit.create(customer=c, visited_at=stamp, staff=who, purpose=f"visit{n}",
                               satisfaction=4)
        complaint = M.Complaint.create(number=f"TS-2026-000{n}", customer=c,
                                       category="product_quality", description=f"complaint{n}",
                                       department=department, received_at=stamp)
        world[side] = dict(
            customer=c, contact=contact, equipment=equipment, visit=visit, complaint=complaint,
            sale=M.Sale.create(customer=c, sold_on=date(2026, 10, 1), product=f"P{n}",
                               amount=Decimal("100.00"), visit=visit),
            repair_order=M.RepairOrder.create(number=f"RO-{n}", customer=c, equipment=equipment,
                                              fault=f"fault{n}", received_at=stamp),
            interaction=M.Interaction.create(customer=c, staff=who, summary=f"call{n}", at=stamp),
            demand=M.Demand.create(customer=c, raised_on=date(2026, 11, 2), kind="order_opportunity",
                                   description=f"demand{n}", expected_value=Decimal("5")),
            visit_issue=M.VisitIssue.create(customer=c, visit=visit, description=f"issue{n}",
                                            department=department, raised_at=stamp),
            complaint_follow_up=M.ComplaintFollowUp.create(complaint=complaint, by=who,
                                                           action=f"called{n}", at=stamp),
            corrective_action=M.CorrectiveAction.create(
                number=f"CA-2026-000{n}", problem=f"problem{n} of {m['name']}",
                department=department, source_ref=complaint.number),
            satisfaction_survey=M.SatisfactionSurvey.create(customer=c, period="2026",
                                                            score_quality=4, sent_at=stamp),
            care_event=M.CareEvent.create(customer=c, contact=contact, kind="birthday",
                                          scheduled_for=date(2026, 12, 1)),
            planned_visit=M.PlannedVisit.create(plan=plan, customer=c, due_on=date(2026, 11, 20),
                                                assignee=who, slot=1),
        )
    world["holiday"] = M.Holiday.create(day=date(2026, 10, 1), name="National Day")
    return world
