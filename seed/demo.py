"""Deterministic demo data: ``seed_demo(customers=300)``.

Everything is dated relative to ``today`` and drawn from one
``random.Random(rng_seed)``, so the same arguments give the same data. Rows are
inserted in batches inside one transaction; ids are read back by each
register's natural key (code, number, serial, customer + time), which works the
same on SQLite and MySQL/MariaDB.

The parts live beside this module: ``demo_customers`` (archive, contacts,
sales, equipment), ``demo_follow_up`` (plan, visits, problems),
``demo_complaints`` (repairs, complaints, CAPA), ``demo_care`` (surveys, care,
contact log, demands) and ``demo_text`` (the word pools).
"""
from datetime import datetime, time, timedelta

import models as M
from domain import clock
from domain.registers import REGISTERS
from domain.rule_defaults import DEFAULT_RULES
from services.escalation import sweep
from services.users import create_user

from . import demo_care, demo_complaints, demo_customers, demo_follow_up
from .demo_context import Ctx, bulk_insert, holiday_days

DEMO_PASSWORD = "demo-pass-1234"  # long enough for the password policy

DEMO_USERS = [
    {"username": "owner", "password": DEMO_PASSWORD, "role": "owner",
     "name": "陈志远", "department": "management"},
    {"username": "manager", "password": DEMO_PASSWORD, "role": "manager",
     "name": "李静", "department": "service"},
    {"username": "zhangmin", "password": DEMO_PASSWORD, "role": "specialist",
     "name": "张敏", "department": "service"},
    {"username": "liuyang", "password": DEMO_PASSWORD, "role": "specialist",
     "name": "刘洋", "department": "service"},
    {"username": "wanglei", "password": DEMO_PASSWORD, "role": "staff",
     "name": "王磊", "department": "technical"},
    {"username": "zhaoli", "password": DEMO_PASSWORD, "role": "staff",
     "name": "赵丽", "department": "quality"},
]


class DemoAlreadyLoaded(Exception):
    """The database already holds customers or the demo users."""


def seed_demo(customers=300, today=None, rng_seed=42):
    """Load the demo into an empty database; return {register label: row count}."""
    ctx = Ctx(today or clock.today(), rng_seed)
    with M.db.atomic():
        _refuse_if_loaded()
        _seed_settings(ctx)
        _seed_users(ctx)
        demo_customers.seed_customers(ctx, customers)
        demo_customers.seed_contacts(ctx)
        demo_customers.seed_equipment(ctx)
        quarter_start, items = demo_follow_up.seed_plan(ctx)
        visits = demo_follow_up.seed_visits(ctx, quarter_start, items)
        demo_customers.seed_sales(ctx)
        demo_follow_up.seed_issues(ctx, visits)
        demo_complaints.seed_repairs(ctx)
        complaints = demo_complaints.seed_complaints(ctx)
        demo_complaints.seed_complaint_follow_ups(ctx, complaints)
        demo_complaints.seed_corrective_actions(ctx, complaints)
        surveys = demo_care.seed_surveys(ctx)
        demo_care.seed_care_events(ctx)
        demo_care.seed_interactions(ctx, complaints)
        demo_care.seed_demands(ctx, complaints, surveys)
        demo_follow_up.seed_adhoc_requests(ctx)
        # Escalations as the SLA sweep makes them (one level per missed
        # deadline, each in the escalation log), as of the demo's "now".
        sweep(ctx.now)
        _mark_at_risk(ctx)
    return summary()


def summary():
    return {reg.label: reg.model.select().count()
            for reg in REGISTERS if reg.endpoint != "audit_log"}


def _refuse_if_loaded():
    if M.Customer.select().exists():
        raise DemoAlreadyLoaded(
            "The database already has customers; demo data is only loaded into an "
            "empty database.")
    names = [u["username"] for u in DEMO_USERS]
    taken = sorted(M.User.select(M.User.username).where(M.User.username.in_(names))
                   .tuples().execute())
    if taken:
        raise DemoAlreadyLoaded(
            f"Demo user(s) {', '.join(t[0] for t in taken)} already exist; "
            "the demo data has been loaded before.")


def _seed_users(ctx):
    for u in DEMO_USERS:
        user = create_user(username=u["username"], password=u["password"], role=u["role"],
                           name=u["name"], department=u["department"])
        ctx.users[u["username"]] = user.id
    # The shop has had its accounts for a while; and the seed must not depend
    # on the wall clock.
    since = datetime.combine(ctx.today - timedelta(days=730), time(9))
    (M.User.update(created_at=since, updated_at=since)
     .where(M.User.id.in_(list(ctx.users.values()))).execute())


def _seed_settings(ctx):
    """Default rules and 2026 holidays, leaving any row already there alone."""
    stamp = datetime.combine(ctx.today, time(8))
    have = {k for (k,) in M.Rule.select(M.Rule.key).tuples()}
    bulk_insert(M.Rule, [ctx.stamped({"key": key, "value": value, "unit": unit,
                                      "description": description}, stamp)
                         for key, value, unit, description in DEFAULT_RULES if key not in have])
    days = {d for (d,) in M.Holiday.select(M.Holiday.day).tuples()}
    bulk_insert(M.Holiday, [ctx.stamped({"day": day, "name": name,
                                         "is_working_day": working}, stamp)
                            for day, name, working in holiday_days() if day not in days])


def _mark_at_risk(ctx):
    """Dormant, last visit scored 2 or less, or an overdue (escalated) open complaint."""
    risky = [c["id"] for c in ctx.customers if c["lifecycle"] == "dormant"
             or (c["visits"] and c["visits"][-1]["row"]["satisfaction"] <= 2)]
    risky += [cid for (cid,) in M.Complaint.select(M.Complaint.customer).where(
        (M.Complaint.escalation_level > 0) & (M.Complaint.status != "closed")).tuples()]
    risky = sorted(set(risky))
    for i in range(0, len(risky), 500):
        M.Customer.update(at_risk=True).where(M.Customer.id.in_(risky[i:i + 500])).execute()
