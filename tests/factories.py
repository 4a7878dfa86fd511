"""Small builders for test records (explicit values, no randomness)."""
from datetime import date, datetime
from decimal import Decimal

import models as M

_seq = {"n": 0}


def _next():
    _seq["n"] += 1
    return _seq["n"]


def customer(owner=None, **kw):
    n = _next()
    data = dict(code=f"T{n:06d}", name=f"测试客户{n}", owner=owner, nature="enterprise",
                industry="manufacturing", annual_purchase=Decimal("120000"))
    data.update(kw)
    return M.Customer.create(**data)


def visit(cust, staff=None, **kw):
    data = dict(customer=cust, visited_at=datetime(2026, 11, 2, 10, 0), channel="phone",
                staff=staff, purpose="季度回访", satisfaction=5)
    data.update(kw)
    return M.Visit.create(**data)


def complaint(cust, **kw):
    n = _next()
    data = dict(number=f"TS-2026-{n:04d}", customer=cust, category="product_quality",
                description="仪器读数漂移", received_at=datetime(2026, 11, 3, 9, 0))
    data.update(kw)
    return M.Complaint.create(**data)


def visit_issue(cust, **kw):
    data = dict(customer=cust, description="交货延迟两天", level="important")
    data.update(kw)
    return M.VisitIssue.create(**data)


def sale(cust, **kw):
    data = dict(customer=cust, sold_on=date(2026, 10, 1), product="XJ-200 数字示波器",
                quantity=1, amount=Decimal("15800.00"))
    data.update(kw)
    return M.Sale.create(**data)
