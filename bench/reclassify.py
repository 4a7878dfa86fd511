"""Benchmark: reclassify every customer (SQLite by default, MySQL/MariaDB by DATABASE_URL).

    .venv/bin/python bench/reclassify.py [--customers 100000] [--sales 1000000]
                                         [--visits 200000] [--complaints 20000] [--db PATH]
    DATABASE_URL=mysql://user:pw@127.0.0.1:3307/db .venv/bin/python bench/reclassify.py

Builds (once; reused when the database already holds customers) customers at
purchase levels of 20 % class A, 30 % B and 50 % C, their sales spread over
the two years up to --today (a tenth of the C customers stopped buying over
half a year ago), plus visits with scores and complaints, some overdue. Then
resets the stored classification and times ``reclassify()`` for all
customers twice: the first run changes nearly everyone, the second none.
"""
import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from admin_app.database import is_mysql  # noqa: E402
from bench.common import open_database  # noqa: E402
from models import Complaint, Customer, Sale, Visit, db  # noqa: E402
from services.classification import reclassify  # noqa: E402

CHUNK = 10_000
LEVELS = (("A", 0.2, 6_000_000, 20_000_000), ("B", 0.3, 1_500_000, 4_500_000),
          ("C", 0.5, 10_000, 800_000))


def bulk(model, names, rows):
    """Insert tuples of ``names`` values straight through the DB-API cursor,
    the model's other defaults filled in once."""
    fields = model._meta.fields
    extra = {n: f.default() if callable(f.default) else f.default
             for n, f in fields.items()
             if n not in names and n != "id" and f.default is not None}
    columns = [fields[n].column_name for n in (*names, *extra)]
    tail = tuple(fields[n].db_value(v) for n, v in extra.items())
    sql = (f"INSERT INTO {model._meta.table_name} ({', '.join(columns)}) "
           f"VALUES ({', '.join([db.obj.param] * len(columns))})")
    batch = []
    cursor = db.cursor()
    for row in rows:
        batch.append(tuple(row) + tail)
        if len(batch) == CHUNK:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


def build(args, today):
    rng = random.Random(42)
    stamp = datetime(2024, 1, 1)
    n = args.customers
    a, b, c = LEVELS
    levels = [a] * round(n * a[1]) + [b] * round(n * b[1])
    levels += [c] * (n - len(levels))
    rng.shuffle(levels)
    with db.atomic():
        bulk(Customer, ("code", "name", "credit_limit", "created_at", "updated_at"),
             ((f"C{i:06d}", f"客户{i:06d}有限公司",
               Decimal(rng.choice((0, 0, 0, 500_000, 5_000_000))), stamp, stamp)
              for i in range(1, n + 1)))
    first = Customer.select(Customer.id).order_by(Customer.id).first().id
    per_customer = args.sales // n
    start = today - timedelta(days=729)

    def sales():
        for i, (cls, _share, low, high) in enumerate(levels):
            target = Decimal(rng.randint(low, high))
            lapsed = cls == "C" and rng.random() < 0.2  # last sale > 6 months ago
            span = 530 if lapsed else 729
            for _ in range(per_customer):
                amount = (target * 2 / per_customer * Decimal(rng.uniform(0.6, 1.4))
                          ).quantize(Decimal("0.01"))
                yield (first + i, start + timedelta(days=rng.randint(0, span)),
                       "XJ-200", 1, amount, stamp, stamp)

    with db.atomic():
        bulk(Sale, ("customer", "sold_on", "product", "quantity", "amount",
                    "created_at", "updated_at"), sales())
    with db.atomic():
        bulk(Visit, ("customer", "visited_at", "satisfaction", "created_at", "updated_at"),
             ((first + rng.randrange(n),
               datetime.combine(start, datetime.min.time()) + timedelta(minutes=rng.randrange(
                   729 * 1440)), rng.choice((1, 2, 3, 4, 4, 5, 5, 5, None)), stamp, stamp)
              for _ in range(args.visits)))
        bulk(Complaint, ("number", "customer", "category", "description", "status",
                         "close_due", "created_at", "updated_at"),
             ((f"TS-B-{i:06d}", first + rng.randrange(n), "product_quality", "读数漂移",
               rng.choice(("closed", "closed", "closed", "investigating")),
               datetime.combine(today, datetime.min.time()) + timedelta(
                   days=rng.randint(-400, 20)), stamp, stamp)
              for i in range(args.complaints)))
    db.execute_sql("ANALYZE TABLE customer, sale, visit, complaint" if is_mysql() else "ANALYZE")


def reset():
    Customer.update(annual_purchase=0, customer_class="C", is_key=False, lifecycle="new",
                    at_risk=False, first_deal_on=None, last_deal_on=None).execute()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--sales", type=int, default=1_000_000)
    ap.add_argument("--visits", type=int, default=200_000)
    ap.add_argument("--complaints", type=int, default=20_000)
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 30))
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    open_database(args.db or f"/tmp/bench-reclassify-{args.customers}-{args.sales}.sqlite3")
    if not Customer.select().exists():
        t0 = time.perf_counter()
        build(args, args.today)
        print(f"built {Customer.select().count()} customers, {Sale.select().count()} sales, "
              f"{Visit.select().count()} visits, {Complaint.select().count()} complaints "
              f"in {time.perf_counter() - t0:.0f} s")
    reset()
    for label in ("first run", "second run"):
        t0 = time.perf_counter()
        result = reclassify(today=args.today)
        print(f"{label:<11} {result['total']} customers, {result['changed']} changed "
              f"in {time.perf_counter() - t0:.2f} s")
    counts = Counter(Customer.select(Customer.customer_class).tuples())
    stages = Counter(Customer.select(Customer.lifecycle).tuples())
    risky = Customer.select().where(Customer.at_risk).count()
    print("class", {k[0]: v for k, v in sorted(counts.items())},
          "lifecycle", {k[0]: v for k, v in sorted(stages.items())}, "at risk", risky)
    db.close()


if __name__ == "__main__":
    main()
