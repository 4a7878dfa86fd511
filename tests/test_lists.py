"""A list page costs a fixed number of queries, whatever its page size."""
from datetime import datetime, timedelta

import pytest
from playhouse.test_utils import count_queries

import models as M
from tests import factories as F
from tests.conftest import login


@pytest.fixture
def many_rows(users):
    plan = M.VisitPlan.create(name="计划", kind="quarterly", period_start="2026-10-01",
                              period_end="2026-12-31")
    for i in range(120):
        owner = users["spec1"] if i % 2 else users["spec2"]
        c = F.customer(owner=owner, name=f"客户{i:03d}")
        v = F.visit(c, staff=owner, visited_at=datetime(2026, 1, 1) + timedelta(hours=i))
        F.complaint(c, handler=owner)
        M.PlannedVisit.create(plan=plan, customer=c, due_on="2026-12-01", assignee=owner,
                              visit=v)
        M.Contact.create(customer=c, name=f"联系人{i}")


def queries_for(client, url):
    with count_queries() as counter:
        r = client.get(url)
        assert r.status_code == 200
        body = r.get_data(as_text=True)
    return counter.count, body


@pytest.mark.parametrize("endpoint", ["visit", "complaint", "planned_visit", "customer",
                                      "contact"])
def test_query_count_does_not_grow_with_page_size(client, many_rows, endpoint):
    login(client, "owner")
    client.get(f"/admin/{endpoint}/")  # the SLA sweep runs on the first open, not every one
    small, body20 = queries_for(client, f"/admin/{endpoint}/?page_size=20")
    large, body100 = queries_for(client, f"/admin/{endpoint}/?page_size=100")
    assert small == large, (small, large)
    assert small <= 8
    # The page really shows names from the joined registers.
    assert body100.count("客户") >= 100 or endpoint == "contact"


def test_specialist_list_is_scoped_and_still_fixed(client, many_rows):
    login(client, "spec1")
    small, _ = queries_for(client, "/admin/visit/?page_size=20")
    large, body = queries_for(client, "/admin/visit/?page_size=100")
    assert small == large
    assert "客户001" in body and "客户000" not in body


def test_search_by_customer_name_and_sort_by_customer(client, many_rows):
    login(client, "owner")
    body = client.get("/admin/visit/?search=客户007").get_data(as_text=True)
    assert "客户007" in body and "客户008" not in body
    body = client.get("/admin/visit/?sort=0&page_size=20").get_data(as_text=True)
    assert body.index("客户000") < body.index("客户001")


def test_count_is_a_plain_count(client, many_rows):
    """The COUNT(*) runs on the filtered table without joins or a subquery."""
    login(client, "owner")
    import logging
    seen = []

    class Grab(logging.Handler):
        def emit(self, record):
            seen.append(str(record.msg[0]) if isinstance(record.msg, tuple) else str(record.msg))

    logger = logging.getLogger("peewee")
    handler = Grab()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        client.get("/admin/visit/")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    counts = [q for q in seen if "COUNT(" in q.upper()]
    assert counts, seen
    assert all("JOIN" not in q.upper() for q in counts)
    assert all(q.upper().count("SELECT") == 1 for q in counts)
