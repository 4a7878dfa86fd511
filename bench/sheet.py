"""Benchmark: spreadsheet work on realistic volumes (SQLite by default,
MySQL/MariaDB by DATABASE_URL, e.g. through bench/with-mariadb).

    .venv/bin/python bench/sheet.py [--customers 50000] [--rows 100000] [--dir /tmp/bench-sheet]
                                    [--steps import-xlsx,import-web-xlsx]

Each step runs in a process of its own, so its memory is its own: the line
gives the process's RSS when the step starts (app and database open), its
peak (max RSS) and the difference, on an emptied customer register:

- import-xlsx / import-csv: ``--customers`` customers from a file as an old
  Excel list looks (numbers for phones, 1.2万 amounts, 2024/1/5 dates, 企业),
  through services.importer;
- import-web-xlsx: the same XLSX through the web pages as the owner uses them
  (upload and dry run, then import), so the peak is the server's;
- refuse-xlsx-bomb: a 4 MB .xlsx whose sheet unpacks to 1.2 GB, uploaded;
- refuse-csv-rows: a 50 MB CSV (560,000 rows) given to the CLI's import, which
  has no upload limit: refused for IMPORT_MAX_ROWS;
- bulk-edit: set the owner of ``--rows`` customers (all of them changing);
- export-xlsx: the owner's customer list as XLSX through the real view,
  ``--rows`` customers.
Targets: XLSX import < 60 s (issue 6) and within 300 MB of the start (issue
11), CSV import < 20 s, a refused file < 1 s, bulk edit < 5 s, XLSX export < 60 s.
"""
import argparse
import csv
import io
import os
import re
import resource
import subprocess
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STEPS = ("import-xlsx", "import-csv", "import-web-xlsx", "refuse-xlsx-bomb", "refuse-csv-rows",
         "bulk-edit", "export-xlsx")
BENCH_PASSWORD = "bench-pass-2024"
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
        create_user(username="bench-owner", password=BENCH_PASSWORD, role="owner", name="王老板")
        create_user(username="bench-wang", password=BENCH_PASSWORD, role="specialist", name="王芳")
        create_user(username="bench-li", password=BENCH_PASSWORD, role="specialist", name="李明")
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


def _rss_mb():
    """The process's resident memory now (Linux), in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _hidden(html, form_id):
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _web_import(app, path):
    """Upload, dry run and import through the pages, as the owner does."""
    client = app.test_client()
    client.post("/login", data={"username": "bench-owner", "password": BENCH_PASSWORD})
    with open(path, "rb") as f:
        page = client.post("/admin/customer/import/", data={
            "step": "upload", "file": (io.BytesIO(f.read()), os.path.basename(path))},
            content_type="multipart/form-data").get_data(as_text=True)
    created = re.search(r'id="count-created">[^:]*: (\d+)', page)
    if created is None:
        raise SystemExit("no dry run: " + re.sub(r"\s+", " ", page)[-600:])
    r = client.post("/admin/customer/import/", data={**_hidden(page, "import-confirm"),
                                                     "step": "import"})
    assert r.status_code == 302, r.get_data(as_text=True)[-600:]
    return f"{created.group(1)} customers"


def _refuse_bomb(app, folder):
    from tests.sheet_files import bomb_xlsx
    path = os.path.join(folder, "bomb.xlsx")
    if not os.path.exists(path):
        row = b'<row><c t="inlineStr"><is><t>' + b"A" * 60 + b"</t></is></c></row>"
        bomb_xlsx(path, "xl/worksheets/sheet1.xml",
                  b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main"><sheetData>', row * (1048576 // len(row)), 1200,
                  b"</sheetData></worksheet>")
    client = app.test_client()
    client.post("/login", data={"username": "bench-owner", "password": BENCH_PASSWORD})
    started = time.perf_counter()
    with open(path, "rb") as f:
        page = client.post("/admin/customer/import/", data={
            "step": "upload", "file": (io.BytesIO(f.read()), "bomb.xlsx")},
            content_type="multipart/form-data").get_data(as_text=True)
    seconds = time.perf_counter() - started
    refused = "unpacks to" in page
    return (f"{os.path.getsize(path) / 1e6:.1f} MB file unpacking to 1.2 GB "
            f"{'refused' if refused else 'NOT refused'} in {seconds:.2f} s")


def _refuse_rows(folder):
    from services import importer
    from services.import_files import FileRefused
    path = os.path.join(folder, "customers-50mb.csv")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            n = 0
            while f.tell() < 50 * 1000 * 1000:
                n += 1
                writer.writerow(_row(n))
    try:
        report = importer.analyse("customer", path)
        return f"NOT refused: {report.counts}"
    except FileRefused as ex:
        return f"{os.path.getsize(path) / 1e6:.0f} MB CSV refused: {ex}"


def run_step(step, args, url):
    """One measured step, in this (child) process; prints one line."""
    app = _app(url)
    _empty()
    users = _users()
    import models as M
    from services import bulk_edit, importer
    start_rss = _rss_mb()
    started = time.perf_counter()
    if step in ("import-xlsx", "import-csv"):
        path = args.xlsx if step == "import-xlsx" else args.csv
        report = importer.run_import("customer", path, user_id=users["bench-owner"].id)
        assert report.imported, report.refused[:3]
        what = f"{report.counts['created']} customers"
    elif step == "import-web-xlsx":
        what = _web_import(app, args.xlsx)
    elif step == "refuse-xlsx-bomb":
        what = _refuse_bomb(app, args.dir)
    elif step == "refuse-csv-rows":
        what = _refuse_rows(args.dir)
    else:
        _customers(args.rows, users["bench-wang"].id)
        start_rss = _rss_mb()
        started = time.perf_counter()
        if step == "bulk-edit":
            ids = [i for (i,) in M.Customer.select(M.Customer.id).tuples()]
            result = bulk_edit.bulk_edit(model=M.Customer, register="customer", field="owner",
                                         value=users["bench-li"].id, ids=ids,
                                         user_id=users["bench-owner"].id)
            what = f"{result.changed} of {result.total} customers changed"
        else:
            client = app.test_client()
            client.post("/login", data={"username": "bench-owner",
                                        "password": BENCH_PASSWORD})
            response = client.get("/admin/customer/export/xlsx/", buffered=False)
            size = sum(len(chunk) for chunk in response.response)
            response.close()
            what = f"{M.Customer.select().count()} customers, {size / 1e6:.1f} MB file"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{step:<16} {seconds:6.1f} s  RSS {start_rss:4.0f} → peak {peak:5.0f} MB "
          f"(+{peak - start_rss:4.0f})  ({what})", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=50_000, help="rows of the import files")
    ap.add_argument("--rows", type=int, default=100_000, help="customers for bulk edit/export")
    ap.add_argument("--dir", default="/tmp/bench-sheet")
    ap.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps to run")
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
    for step in args.steps.split(","):
        subprocess.run([sys.executable, __file__, "--step", step, "--customers",
                        str(args.customers), "--rows", str(args.rows), "--dir", args.dir,
                        "--xlsx", xlsx, "--csv", csv_path], check=True)


if __name__ == "__main__":
    main()
