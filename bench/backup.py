"""Benchmark: backup and restore of a big database (SQLite by default).

    .venv/bin/python bench/backup.py [--customers 100000] [--visits 1000000] [--db PATH]
    bench/with-mariadb .venv/bin/python bench/backup.py

Builds (once, reused when the file exists) the list pages' database: that many
customers and visits, a tenth as many complaints. Then times a backup as
``flask backup`` takes it (SQLite's online backup API + gzip, or mysqldump
--single-transaction + gzip) and a restore as ``flask restore`` does it into
an empty database (unpack, integrity check, copy in, migrations). SQLite
restores into a new file beside the benchmark's; MySQL/MariaDB, whose user
may create no other database, into the benchmark database emptied first
(bench/with-mariadb throws it away after).
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peewee import SqliteDatabase  # noqa: E402

from admin_app import migrations  # noqa: E402
from admin_app.database import SQLITE_PRAGMAS, is_mysql  # noqa: E402
from bench.common import open_database  # noqa: E402
from bench import list_pages  # noqa: E402
from models import Complaint, Customer, User, Visit, db  # noqa: E402
from services import backup, restore  # noqa: E402


def counts():
    return Customer.select().count(), Visit.select().count(), Complaint.select().count()


def _mb(n):
    return f"{n / 1024 / 1024:,.0f} MB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=1_000_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    path = args.db or f"/tmp/bench-{args.customers}-{args.visits}.sqlite3"
    open_database(path)
    if not User.select().exists():
        t0 = time.perf_counter()
        list_pages.build(args.customers, args.visits)
        print(f"built {args.customers} customers, {args.visits} visits in "
              f"{time.perf_counter() - t0:.0f} s")
    source = db.obj
    before = counts()
    if not is_mysql(source):
        print(f"database file: {_mb(os.path.getsize(path))}")
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(path))) as work:
        db.close()
        taken = backup.take(source, instance_path=work, now=datetime.now(), out=work)
        print(f"backup: {taken.seconds:.1f} s, {_mb(taken.size)} ({os.path.basename(taken.path)})")

        if is_mysql(source):
            target = source
            target.execute_sql("SET FOREIGN_KEY_CHECKS=0")
            for table in target.get_tables():
                target.execute_sql(f"DROP TABLE `{table}`")
            target.execute_sql("SET FOREIGN_KEY_CHECKS=1")
        else:
            target = SqliteDatabase(os.path.join(work, "restored.sqlite3"), pragmas=SQLITE_PRAGMAS)
        db.initialize(target)
        done = restore.restore(target, taken.path, upgrade=migrations.upgrade,
                               instance_path=work, now=datetime.now())
        after = counts()
        print(f"restore: {done.seconds:.1f} s into an empty database "
              f"({after[0]:,} customers, {after[1]:,} visits, {after[2]:,} complaints)")
        assert after == before, (before, after)
        target.close()


if __name__ == "__main__":
    main()
