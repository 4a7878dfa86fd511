"""Benchmark: annual plan generation for 100,000 customers (20 % A, 30 % B, 50 % C).

    .venv/bin/python bench/planning.py [--customers 100000]
    DATABASE_URL=mysql://... .venv/bin/python bench/planning.py

Times generating the 2027 annual plan (~460,000 planned visits) and
regenerating it unchanged, on a fresh database of its own.
"""
import argparse
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from admin_app import create_app, migrations  # noqa: E402
from models import ALL_MODELS, Customer, PlannedVisit, User, db  # noqa: E402
from services.calendar import load_official_holidays  # noqa: E402
from services.planning import generate_plan  # noqa: E402


def build(customers):
    owners = [User.create(username=f"spec{i}", name=f"专员{i}", role="specialist",
                          password_hash="x").id for i in range(10)]
    stamp = datetime(2026, 1, 1)
    rows = []
    for i in range(customers):
        share = i % 10
        cls = "A" if share < 2 else "B" if share < 5 else "C"
        rows.append((f"C{i + 1:06d}", f"客户{i + 1:06d}", cls, ("new", "stable", "dormant")[i % 3],
                     owners[i % 10], stamp, stamp))
    fields = [Customer.code, Customer.name, Customer.customer_class, Customer.lifecycle,
              Customer.owner, Customer.created_at, Customer.updated_at]
    with db.atomic():
        for i in range(0, len(rows), 5000):
            Customer.insert_many(rows[i:i + 5000], fields=fields).execute()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL") or "sqlite:////tmp/bench-planning.sqlite3"
    if url.startswith("sqlite:///") and os.path.exists(url[len("sqlite:///"):]):
        os.remove(url[len("sqlite:///"):])
    create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    db.connect(reuse_if_open=True)
    db.drop_tables(ALL_MODELS, safe=True)
    migrations.SchemaVersion.drop_table(safe=True)
    migrations.upgrade(db.obj)
    build(args.customers)
    try:
        load_official_holidays(2026)
    except Exception as ex:  # noqa: BLE001 — the calendar package may not know the year
        print("holidays:", ex)
    print(f"{db.obj.__class__.__name__}, {Customer.select().count()} customers")
    for label, year in (("generate 2026 annual plan", 2026), ("regenerate unchanged", 2026)):
        t0 = time.perf_counter()
        r = generate_plan(year=year)
        print(f"{label:<28} {time.perf_counter() - t0:6.2f} s  added {r.added}, kept {r.kept}, "
              f"cancelled {r.cancelled}")
    print(f"planned visits: {PlannedVisit.select().count()}")


if __name__ == "__main__":
    main()
