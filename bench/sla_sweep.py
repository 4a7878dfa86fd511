"""Benchmark: the SLA sweep (SQLite by default, MySQL/MariaDB by DATABASE_URL).

    .venv/bin/python bench/sla_sweep.py [--complaints 100000] [--problems 100000] [--db PATH]
    bench/with-mariadb .venv/bin/python bench/sla_sweep.py

Builds (once) 1,000 customers and the given numbers of complaints and visit
problems, received over the past year: 95 % closed or with every deadline
met, 5 % open with a deadline missed. Then times a sweep (escalates the
overdue ones), a second sweep right after (changes nothing), and the
"overdue complaints" work queue's count.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from admin_app.database import is_mysql  # noqa: E402
from bench.common import open_database  # noqa: E402
from models import Complaint, Customer, Escalation, VisitIssue, db  # noqa: E402
from services.bulk import insert_rows  # noqa: E402
from services.escalation import sweep  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0)


def complaints(n, first, rng):
    C = Complaint
    fields = [C.number, C.customer, C.channel, C.severity, C.category, C.description, C.received_at, C.status,
              C.contact_due, C.response_due, C.plan_due, C.close_due, C.contacted_at,
              C.responded_at, C.planned_at, C.closed_at, C.sla_missed, C.reopen_count,
              C.escalation_level, C.created_at, C.updated_at]
    rows = []
    for i in range(n):
        got = NOW - timedelta(minutes=rng.randrange(365 * 1440))
        due = [got + timedelta(hours=12), got + timedelta(hours=24), got + timedelta(hours=48),
               got + timedelta(days=9)]
        overdue = rng.random() < 0.05
        if overdue:  # open; contacted in time, nothing since
            status, done = "investigating", [got + timedelta(hours=1), None, None, None]
            if due[1] > NOW:  # too recent to be overdue: make it older
                got -= timedelta(days=2)
                due = [d - timedelta(days=2) for d in due]
                done[0] = got + timedelta(hours=1)
        else:
            status, done = "closed", [got + timedelta(hours=h) for h in (1, 5, 20, 100)]
        rows.append((f"TS-B-{i:07d}", first + rng.randrange(1000), "phone", "medium",
                     "product_quality", "读数漂移",
                     got, status, *due, *done, 0, 0, 0, got, got))
    insert_rows(fields, rows)


def problems(n, first, rng):
    I = VisitIssue
    fields = [I.customer, I.description, I.category, I.level, I.raised_at, I.status,
              I.dispatch_due, I.response_due, I.resolve_due, I.dispatched_at, I.responded_at,
              I.resolved_at, I.is_complex, I.sla_missed, I.escalation_level, I.created_at,
              I.updated_at]
    rows = []
    for _ in range(n):
        got = NOW - timedelta(minutes=rng.randrange(365 * 1440))
        due = [got + timedelta(hours=4), got + timedelta(days=7), got + timedelta(days=9)]
        if rng.random() < 0.05:
            got -= timedelta(days=10)
            due = [d - timedelta(days=10) for d in due]
            status, done = "in_progress", [got + timedelta(hours=1), got + timedelta(hours=2),
                                           None]
        else:
            status, done = "closed", [got + timedelta(hours=h) for h in (1, 2, 30)]
        rows.append((first + rng.randrange(1000), "交货延迟", "delivery", "important", got,
                     status, *due, *done, False, 0, 0, got, got))
    insert_rows(fields, rows)


def build(args):
    rng = random.Random(42)
    with db.atomic():
        Customer.insert_many([{"code": f"C{i:06d}", "name": f"客户{i:06d}"}
                              for i in range(1, 1001)]).execute()
        first = Customer.select(Customer.id).order_by(Customer.id).first().id
        complaints(args.complaints, first, rng)
        problems(args.problems, first, rng)
    db.execute_sql("ANALYZE TABLE complaint, visit_issue" if is_mysql() else "ANALYZE")


def reset():
    for model in (Complaint, VisitIssue):
        model.update(sla_missed=0, escalation_level=0, escalated_at=None,
                     escalation_reason=None).where(model.sla_missed != 0).execute()
    Escalation.delete().execute()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--complaints", type=int, default=100_000)
    ap.add_argument("--problems", type=int, default=100_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    open_database(args.db or f"/tmp/bench-sla-{args.complaints}-{args.problems}.sqlite3")
    if not Complaint.select().exists():
        t0 = time.perf_counter()
        build(args)
        print(f"built {Complaint.select().count()} complaints and "
              f"{VisitIssue.select().count()} visit problems in {time.perf_counter() - t0:.0f} s")
    reset()
    for label in ("first sweep", "second sweep"):
        t0 = time.perf_counter()
        counts = sweep(NOW)
        print(f"{label:<13} {counts} in {time.perf_counter() - t0:.2f} s")
    print(f"escalation log rows: {Escalation.select().count()}")
    db.close()


if __name__ == "__main__":
    main()
