"""Benchmark: the dashboard and the monthly demand-trend report on a large shop.

    .venv/bin/python bench/dashboard.py [--customers 100000] [--visits 1000000]
        [--problems 200000] [--complaints 200000] [--db PATH]
    bench/with-mariadb .venv/bin/python bench/dashboard.py

Builds (once; a SQLite file is reused when it exists) 10 specialists,
100,000 customers (20 % A, 30 % B, 50 % C), this year's approved annual plan
(~460,000 planned visits), 1,000,000 visit records, 300,000 sales (a fifth
from a visit), 200,000 visit problems, 200,000 complaints, 50,000 surveys
and 30,000 demands, spread over the three years up to today. Then times the
home page (the dashboard of the current month, of last month, of the
quarter and the year; as the owner and as a specialist), the domain
functions behind it, and the report PDF of last month. Prints a table.
"""
import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from playhouse.test_utils import count_queries  # noqa: E402

import models as M  # noqa: E402
from bench.common import open_database  # noqa: E402
from admin_app.database import is_mysql  # noqa: E402
from domain import kpi_charts, kpis, periods  # noqa: E402
from domain.clock import now  # noqa: E402
from domain.kpi_specialists import by_specialist  # noqa: E402
from pdf_templates import demand_report  # noqa: E402
from services.bulk import insert_rows  # noqa: E402
from services.report_data import report_data  # noqa: E402
from services.rules import current_rules, ensure_default_rules  # noqa: E402
from services.users import create_user  # noqa: E402

PASSWORD = "bench-pw"
FREQUENCY = {"A": 12, "B": 4, "C": 2}  # planned visits a year


def insert(fields, rows):
    """services.bulk.insert_rows, plus the model defaults of the NOT NULL
    columns not given (insert_rows sends exactly the columns it is told)."""
    model = fields[0].model
    given = {f.name for f in fields}  # by name: ``field in list`` would build SQL
    extra = [f for f in model._meta.sorted_fields
             if f.name not in given and not f.null and not f.primary_key
             and f.default is not None]
    values = tuple(f.default() if callable(f.default) else f.default for f in extra)
    return insert_rows(list(fields) + extra, [tuple(r) + values for r in rows])


def moments(rng, n, start, end):
    span = int((end - start).total_seconds())
    return sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(n))


def build_people(customers, rng, today):
    specialists = [create_user(username=f"spec{i}", password=PASSWORD, role="specialist",
                               name=f"专员{i}").id for i in range(10)]
    create_user(username="owner", password=PASSWORD, role="owner", name="老板")
    create_user(username="manager", password=PASSWORD, role="manager", name="经理")
    C, stamp = M.Customer, datetime(2024, 1, 1)
    rows = []
    for i in range(customers):
        cls = "A" if i % 10 < 2 else "B" if i % 10 < 5 else "C"
        amount = {"A": 6_000_000, "B": 2_000_000, "C": 300_000}[cls] * rng.uniform(0.5, 1.5)
        rows.append((f"C{i + 1:06d}", f"客户{i + 1:06d}有限公司", rng.choice(specialists), cls,
                     cls == "A", rng.choice(("new", "stable", "stable", "dormant")),
                     rng.random() < 0.08, Decimal(f"{amount:.2f}"),
                     Decimal("1000000") if rng.random() < 0.1 else None,
                     stamp, stamp, stamp.date(), today - timedelta(days=rng.randrange(400))))
    insert([C.code, C.name, C.owner, C.customer_class, C.is_key, C.lifecycle, C.at_risk,
                 C.annual_purchase, C.credit_limit, C.created_at, C.updated_at,
                 C.first_deal_on, C.last_deal_on], rows)
    owners = dict(C.select(C.id, C.owner).order_by(C.id).tuples())
    ids = list(owners)
    return ids, owners


def build_plan(ids, owners, rng, today):
    year = today.year
    plan = M.VisitPlan.create(name=f"{year}年度回访计划", kind="annual",
                              period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                              status="approved")
    P, cls_of = M.PlannedVisit, dict(M.Customer.select(M.Customer.id,
                                                       M.Customer.customer_class).tuples())
    rows, stamp = [], datetime(year, 1, 1)
    for cid in ids:
        n = FREQUENCY[cls_of[cid]]
        for slot in range(n):
            due = date(year, 1, 1) + timedelta(days=int(365 * slot / n) + rng.randrange(20))
            if due < today:
                status = rng.choices(("done", "missed", "planned"), (92, 3, 5))[0]
            else:
                status = "planned"
            rows.append((plan.id, cid, due, "phone", owners[cid], status, slot + 1, stamp, stamp))
    insert([P.plan, P.customer, P.due_on, P.channel, P.assignee, P.status, P.slot,
                 P.created_at, P.updated_at], rows)
    return len(rows)


def build_visits(n, ids, owners, rng, start, end):
    V = M.Visit
    rows = []
    for at in moments(rng, n, start, end):
        cid = rng.choice(ids)
        score = rng.choices((None, 1, 2, 3, 4, 5), (10, 1, 2, 10, 37, 40))[0]
        rows.append((cid, at, "phone", owners[cid], score, False, False, at, at))
    insert([V.customer, V.visited_at, V.channel, V.staff, V.satisfaction,
                 V.follow_up_needed, V.entered_late, V.created_at, V.updated_at], rows)


def build_sales(n, ids, rng, start, end, visit_range):
    S = M.Sale
    rows = []
    for at in moments(rng, n, start, end):
        visit = rng.randint(*visit_range) if rng.random() < 0.2 else None
        rows.append((rng.choice(ids), at.date(), "XJ-200", 1,
                     Decimal(rng.randrange(1000, 200000)), visit, at, at))
    insert([S.customer, S.sold_on, S.product, S.quantity, S.amount, S.visit,
                 S.created_at, S.updated_at], rows)


def build_problems(n, ids, owners, rng, start, end, today_at):
    I = M.VisitIssue
    rows = []
    for at in moments(rng, n, start, end):
        cid = rng.choice(ids)
        due = (at + timedelta(hours=24), at + timedelta(days=9))
        late = rng.random() < 0.08
        answered = at + timedelta(hours=30 if late else 5)
        resolved = at + timedelta(days=12 if late else 5)
        done = resolved < today_at
        rows.append((cid, "交货延迟", rng.choice(("product", "service", "delivery", "price")),
                     "important", owners[cid], at, *due,
                     answered if answered < today_at else None, resolved if done else None,
                     "closed" if done else "in_progress", False, 0, 0, at, at))
    insert([I.customer, I.description, I.category, I.level, I.assignee, I.raised_at,
                 I.response_due, I.resolve_due, I.responded_at, I.resolved_at, I.status,
                 I.is_complex, I.sla_missed, I.escalation_level, I.created_at, I.updated_at],
                rows)


def build_complaints(n, ids, owners, rng, start, end, today_at):
    K = M.Complaint
    categories = ("product_quality", "service_attitude", "repair_workmanship", "delivery",
                  "price", "other")
    rows = []
    for i, at in enumerate(moments(rng, n, start, end)):
        cid = rng.choice(ids)
        close_due = at + timedelta(days=9)
        closed = at + timedelta(days=rng.choice((3, 5, 6, 12)))
        done = closed < today_at
        escalated = rng.random() < 0.05
        rows.append((f"TS-B-{i:07d}", cid, "phone", "medium", rng.choice(categories), "读数漂移",
                     at, "closed" if done else "investigating",
                     at + timedelta(hours=12), at + timedelta(hours=24),
                     at + timedelta(hours=48), close_due, closed if done else None,
                     (rng.random() < 0.9) if done else None, owners[cid], 0, 0,
                     2 if escalated else 0, close_due if escalated else None,
                     "sla:close" if escalated else None, at, at))
    insert([K.number, K.customer, K.channel, K.severity, K.category, K.description,
                 K.received_at, K.status, K.contact_due, K.response_due, K.plan_due,
                 K.close_due, K.closed_at, K.customer_satisfied, K.handler, K.sla_missed,
                 K.reopen_count, K.escalation_level, K.escalated_at, K.escalation_reason,
                 K.created_at, K.updated_at], rows)


def build_surveys_and_demands(ids, rng, start, end):
    S, D = M.SatisfactionSurvey, M.Demand
    rows = []
    for at in moments(rng, 50_000, start, end):
        scores = [rng.choices((2, 3, 4, 5), (1, 3, 10, 10))[0] for _ in S.SCORE_FIELDS]
        rows.append((rng.choice(ids), f"{at.year}-Q{(at.month - 1) // 3 + 1}", "email", at,
                     *scores, Decimal(sum(scores)) / 6, at, at))
    insert([S.customer, S.period, S.method, S.returned_at,
                 *[getattr(S, f) for f in S.SCORE_FIELDS], S.overall, S.created_at,
                 S.updated_at], rows)
    rows = [(rng.choice(ids), at.date(), "visit",
             rng.choice(("product_improvement", "service_upgrade", "order_opportunity")),
             "希望增加智能化功能", "new", Decimal(rng.randrange(1000, 500000)), at, at)
            for at in moments(rng, 30_000, start, end)]
    insert([D.customer, D.raised_on, D.source, D.kind, D.description, D.status,
                 D.expected_value, D.created_at, D.updated_at], rows)


def build(args, today):
    rng = random.Random(42)
    start, end = datetime(today.year - 2, 1, 1), datetime.combine(today, datetime.min.time())
    steps = []
    with M.db.atomic():
        t0 = time.perf_counter()
        ids, owners = build_people(args.customers, rng, today)
        planned = build_plan(ids, owners, rng, today)
        build_visits(args.visits, ids, owners, rng, start, end)
        first_visit = M.Visit.select(M.Visit.id).order_by(M.Visit.id).scalar()
        build_sales(300_000, ids, rng, start, end, (first_visit, first_visit + args.visits - 1))
        build_problems(args.problems, ids, owners, rng, start, end, end)
        build_complaints(args.complaints, ids, owners, rng, start, end, end)
        build_surveys_and_demands(ids, rng, start, end)
        steps.append(f"{planned} planned visits")
        print(f"inserted in {time.perf_counter() - t0:.0f} s", flush=True)
    M.db.execute_sql("ANALYZE" if not is_mysql() else
                     "ANALYZE TABLE customer, planned_visit, visit, sale, visit_issue, complaint, "
                     "satisfaction_survey, demand")
    print(f"built in {time.perf_counter() - t0:.0f} s ({', '.join(steps)})")


def timed(fn, runs=5):
    fn()  # warm the page cache
    best, count = None, 0
    for _ in range(runs):
        with count_queries() as counter:
            t0 = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
        count = counter.count
    return best, count


def page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response
    return get


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=1_000_000)
    ap.add_argument("--problems", type=int, default=200_000)
    ap.add_argument("--complaints", type=int, default=200_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    app = open_database(args.db or f"/tmp/bench-dashboard-{args.customers}-{args.visits}.sqlite3",
                        WTF_CSRF_ENABLED=False, DEFAULT_LANGUAGE="zh_Hans_CN")
    ensure_default_rules()
    today = now().date()
    if not M.User.select().exists():
        build(args, today)
    month, last = periods.containing("month", today), periods.last_full_month(today)
    rules = current_rules()
    results = []
    client = app.test_client()
    login = client.post("/login", data={"username": "owner", "password": PASSWORD})
    assert login.status_code == 302
    t0 = time.perf_counter()
    client.get("/admin/")
    results.append(("first home page (with the SLA sweep)", time.perf_counter() - t0, "-"))
    for who in ("owner", "spec1"):
        client.post("/logout")
        assert client.post("/login", data={"username": who,
                                           "password": PASSWORD}).status_code == 302
        for label, query in ((f"dashboard {month.key} (default)", ""),
                             (f"dashboard {last.key}", f"?period=month&month={last.key}"),
                             ("dashboard this quarter", "?period=quarter"),
                             ("dashboard this year", "?period=year")):
            results.append((f"{label}, {who}", *timed(page(client, "/admin/" + query))))
    spec1 = M.User.get(M.User.username == "spec1")
    for label, fn in (
            ("figures + trend (domain), shop", lambda: kpis.figures(last, rules=rules, now=now())),
            ("figures + trend (domain), spec1",
             lambda: kpis.figures(last, rules=rules, now=now(), user=spec1)),
            ("specialist table (domain)", lambda: by_specialist(last, rules=rules, now=now())),
            ("five charts (domain)", lambda: kpi_charts.chart_specs(last, rules=rules, now=now())),
            (f"report data {last.key}", lambda: report_data(last, rules=rules, now=now()))):
        results.append((label, *timed(fn, runs=3)))
    data = report_data(last, rules=rules, now=now())
    results.append((f"report PDF render {last.key}", *timed(lambda: demand_report.render(data),
                                                              runs=3)))
    client.post("/logout")
    client.post("/login", data={"username": "owner", "password": PASSWORD})
    results.append((f"GET /admin/report/?month={last.key}",
                    *timed(page(client, f"/admin/report/?month={last.key}"), runs=3)))
    print(f"{'what':<48}{'seconds':>10}{'queries':>9}")
    for label, seconds, queries in results:
        print(f"{label:<48}{seconds:>10.3f}{queries:>9}")
    M.db.close()


if __name__ == "__main__":
    main()
