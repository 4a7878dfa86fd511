"""Benchmark: spreadsheet work on realistic volumes (SQLite by default,
MySQL/MariaDB by DATABASE_URL, e.g. through bench/with-mariadb).

    .venv/bin/python bench/sheet.py [--customers 50000] [--rows 100000] [--dir /tmp/bench-sheet]

Each step runs in a process of its own, so its peak memory (max RSS) is its
own, on an emptied customer register:

- import-xlsx / import-csv: ``--customers`` customers from a file as an old
  Excel list looks (numbers for phones, 1.2万 amounts, 2024/1/5 dates, 企业);
- bulk-edit: set the owner of ``--rows`` customers (all of them changing);
- export-xlsx: the owner's customer list as XLSX through the real view,
  ``--rows`` customers.
Targets (issue 6): XLSX import < 60 s and < 500 MB, CSV import < 20 s,
bulk edit < 5 s, XLSX export < 60 s.
"""
import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STEPS = ("import-xlsx", "import-csv", "bulk-edit", "export-xlsx")
HEADER = ["客户编号", "客户名称", "电话", "地区", "年采购额", "最近成交日期", "客户性质", "负责人"]


def _row(n):
    return [f"C{n:06d}", f"苏州客户{n:06d}有限公司", 13800000000 + n, "苏州", "1.2万",
            "2024/1/5", "企业", "王芳"]


def make_files(folder, count):
    import openpyxl
    xlsx = os.path.join(folder, f"customers-{count}.xlsx")
    csv_path = os.path.join(folder, f"customers-{count}.csv")
    if not os.path.exists(xlsx):
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for n in range(1, count + 1):
            sheet.append(_row(n))
        book.save(xlsx)
    if not os.path.exists(csv_path):
        with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(_row(n) for n in range(1, count + 1))
    return xlsx, csv_path


def _app(url):
    from admin_app import create_app, migrations
    from models import db
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "DEFAULT_LANGUAGE": "zh_Hans_CN"})
    db.connect(reuse_if_open=True)
    migrations.upgrade(db.obj)
    return app


def _empty():
    import models as M
    M.AuditLog.delete().execute()
    M.Customer.delete().execute()


def _users():
    import models as M
    from services.users import create_user
    if not M.User.select().where(M.User.username == "bench-owner").exists():
        create_user(username="bench-owner", password="bench-pass", role="owner", name="王老板")
        create_user(username="bench-wang", password="bench-pass", role="specialist", name="王芳")
        create_user(username="bench-li", password="bench-pass", role="specialist", name="李明")
    return {u.username: u for u in M.User.select()}


def _customers(count, owner_id):
    import models as M
    from services.bulk import insert_rows
    from models import db
    stamp = datetime(2024, 1, 1)
    fields = [f for f in M.Customer._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}

    def row(n):
        values = {**defaults, "code": f"C{n:06d}", "name": f"客户{n:06d}有限公司",
                  "industry": "testing", "region": "苏州", "phone": f"0512-{n:08d}",
                  "owner": owner_id, "annual_purchase": 120000, "created_at": stamp,
                  "updated_at": stamp}
        return tuple(values[f.name] for f in fields)
    with db.atomic():
        insert_rows(fields, [row(n) for n in range(1, count + 1)])


def run_step(step, args, url):
    """One measured step, in this (child) process; prints one line."""
    app = _app(url)
    _empty()
    users = _users()
    import models as M
    from services import bulk_edit, importer
    started = time.perf_counter()
    if step.startswith("import"):
        path = args.xlsx if step == "import-xlsx" else args.csv
        report = importer.run_import("customer", path, user_id=users["bench-owner"].id)
        assert report.imported, report.refused[:3]
        what = f"{report.counts['created']} customers"
    else:
        _customers(args.rows, users["bench-wang"].id)
        started = time.perf_counter()
        if step == "bulk-edit":
            ids = [i for (i,) in M.Customer.select(M.Customer.id).tuples()]
            result = bulk_edit.bulk_edit(model=M.Customer, register="customer", field="owner",
                                         value=users["bench-li"].id, ids=ids,
                                         user_id=users["bench-owner"].id)
            what = f"{result.changed} of {result.total} customers changed"
        else:
            client = app.test_client()
            client.post("/login", data={"username": "bench-owner", "password": "bench-pass"})
            response = client.get("/admin/customer/export/xlsx/", buffered=False)
            size = sum(len(chunk) for chunk in response.response)
            response.close()
            what = f"{M.Customer.select().count()} customers, {size / 1e6:.1f} MB file"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{step:<12} {seconds:6.1f} s  peak RSS {peak:5.0f} MB  ({what})", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=50_000, help="rows of the import files")
    ap.add_argument("--rows", type=int, default=100_000, help="customers for bulk edit/export")
    ap.add_argument("--dir", default="/tmp/bench-sheet")
    ap.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    ap.add_argument("--xlsx", help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{args.dir}/bench.sqlite3"
    os.environ.setdefault("INSTANCE_PATH", args.dir)
    if args.step:
        return run_step(args.step, args, url)
    t0 = time.perf_counter()
    xlsx, csv_path = make_files(args.dir, args.customers)
    print(f"files: {args.customers} rows ({time.perf_counter() - t0:.0f} s to make); "
          f"database: {url.split('@')[-1]}")
    for step in STEPS:
        subprocess.run([sys.executable, __file__, "--step", step, "--customers",
                        str(args.customers), "--rows", str(args.rows), "--dir", args.dir,
                        "--xlsx", xlsx, "--csv", csv_path], check=True)


if __name__ == "__main__":
    main()
