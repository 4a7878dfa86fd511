"""Benchmark: list pages on realistic volumes (SQLite by default).

    .venv/bin/python bench/list_pages.py [--customers 100000] [--visits 1000000] [--db PATH]

Builds (once, reused when the file exists) a database with that many customers
and visits plus complaints, then times the list pages a clerk opens most, as
the owner and as a specialist, and counts their queries. Prints a table.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from playhouse.test_utils import count_queries  # noqa: E402

from bench.common import open_database  # noqa: E402
from models import Complaint, Customer, User, Visit, db  # noqa: E402
from services.users import create_user  # noqa: E402

PASSWORD = "bench-pw"


def build(customers, visits):
    rng = random.Random(42)
    owners = [create_user(username=f"spec{i}", password=PASSWORD, role="specialist",
                          name=f"专员{i}") for i in range(10)]
    create_user(username="owner", password=PASSWORD, role="owner", name="老板")
    stamp = datetime(2026, 1, 1)
    with db.atomic():
        rows = [dict(code=f"C{i:06d}", name=f"客户{i:06d}有限公司", owner=owners[i % 10].id,
                     customer_class=rng.choice("ABC"), created_at=stamp, updated_at=stamp)
                for i in range(1, customers + 1)]
        for start in range(0, len(rows), 5000):
            Customer.insert_many(rows[start:start + 5000]).execute()
    first = Customer.select(Customer.id).order_by(Customer.id).first().id
    base = datetime(2024, 1, 1)
    chunk = []
    with db.atomic():
        for i in range(visits):
            chunk.append((first + rng.randrange(customers), base + timedelta(minutes=i),
                          "phone", owners[i % 10].id, rng.randint(3, 5), stamp, stamp))
            if len(chunk) == 20000:
                Visit.insert_many(chunk, fields=[Visit.customer, Visit.visited_at,
                                                 Visit.channel, Visit.staff,
                                                 Visit.satisfaction, Visit.created_at,
                                                 Visit.updated_at]).execute()
                chunk = []
        if chunk:
            Visit.insert_many(chunk, fields=[Visit.customer, Visit.visited_at, Visit.channel,
                                             Visit.staff, Visit.satisfaction,
                                             Visit.created_at, Visit.updated_at]).execute()
        crows = [dict(number=f"TS-2026-{i:06d}", customer=first + rng.randrange(customers),
                      category="product_quality", description="读数漂移",
                      received_at=base + timedelta(hours=i), created_at=stamp, updated_at=stamp)
                 for i in range(visits // 10)]
        for start in range(0, len(crows), 5000):
            Complaint.insert_many(crows[start:start + 5000]).execute()


PAGES = [
    ("visit list", "/admin/visit/"),
    ("visit list, 100 rows", "/admin/visit/?page_size=100"),
    ("visit list, page 500", "/admin/visit/?page=500"),
    ("visit list, sort by customer", "/admin/visit/?sort=0"),
    ("visit search by customer name", "/admin/visit/?search=客户000123"),
    ("customer list", "/admin/customer/"),
    ("customer search", "/admin/customer/?search=客户0999"),
    ("complaint list", "/admin/complaint/"),
    ("customer ajax lookup", "/admin/visit/ajax/lookup/?name=customer&query=0999"),
]


def timed(client, url, runs=5):
    client.get(url)  # warm the page cache
    best = None
    for _ in range(runs):
        with count_queries() as counter:
            t0 = time.perf_counter()
            r = client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200, (url, r.status_code)
        best = elapsed if best is None else min(best, elapsed)
    return best, counter.count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=1_000_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    app = open_database(args.db or f"/tmp/bench-{args.customers}-{args.visits}.sqlite3",
                        WTF_CSRF_ENABLED=False, DEFAULT_LANGUAGE="en")
    if not User.select().exists():
        t0 = time.perf_counter()
        build(args.customers, args.visits)
        print(f"built {args.customers} customers, {args.visits} visits in "
              f"{time.perf_counter() - t0:.0f} s")
    client = app.test_client()
    print(f"{'page':<34}{'owner ms':>10}{'queries':>9}{'specialist ms':>15}{'queries':>9}")
    results = {}
    for who in ("owner", "spec1"):
        client.post("/logout")
        r = client.post("/login", data={"username": who, "password": PASSWORD})
        assert r.status_code == 302
        for label, page in PAGES:
            results.setdefault(label, []).extend(timed(client, page))
    for label, (oms, oq, sms, sq) in results.items():
        print(f"{label:<34}{oms:>10.1f}{oq:>9}{sms:>15.1f}{sq:>9}")


if __name__ == "__main__":
    main()
