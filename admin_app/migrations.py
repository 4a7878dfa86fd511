"""Versioned schema migrations.

``upgrade(database)`` brings any database to the newest schema in place and is
safe to run twice. The version lives in the one-row table ``schema_version``.
Each migration is idempotent on its own (it checks what is there), so a fresh
database built by migration 1 from today's models passes through the later
ones unchanged, while an old database gets exactly what it lacks.
"""
from peewee import (SQL, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, SmallIntegerField, TextField)
from playhouse.migrate import MySQLMigrator, SqliteMigrator, migrate

import models
from .database import is_mysql


class SchemaVersion(Model):
    version = IntegerField()

    class Meta:
        database = models.db
        table_name = "schema_version"


def _migrator(database):
    return MySQLMigrator(database) if is_mysql(database) else SqliteMigrator(database)


def _has_column(database, table, column):
    return any(c.name == column for c in database.get_columns(table))


def m0001_initial(database):
    """The registers of SPEC.md."""
    if is_mysql(database):
        database.execute_sql(
            f"ALTER DATABASE `{database.database}` "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    database.create_tables(models.ALL_MODELS, safe=True)


def m0002_user_locale(database):
    """Per-user UI language."""
    if not _has_column(database, "user", "locale"):
        migrate(_migrator(database).add_column(
            "user", "locale", CharField(max_length=10, null=True)))


def m0003_planning(database):
    """Plan slots and ad hoc reasons, late-entered visits, level-change reasons."""
    migrator = _migrator(database)
    adds = [
        ("planned_visit", "slot", SmallIntegerField(null=True)),
        ("planned_visit", "reason", TextField(null=True)),
        ("visit", "entered_late", BooleanField(default=False)),
        ("visit_issue", "level_reason", TextField(null=True)),
    ]
    ops = [migrator.add_column(t, c, f) for t, c, f in adds if not _has_column(database, t, c)]
    indexes = {i.name for i in database.get_indexes("planned_visit")}
    if "planned_visit_plan_id_customer_id_due_on" in indexes:
        ops.append(migrator.drop_index("planned_visit", "planned_visit_plan_id_customer_id_due_on"))
    if "planned_visit_plan_id_customer_id_slot" not in indexes:
        ops.append(migrator.add_index("planned_visit", ("plan_id", "customer_id", "slot"), True))
    if "planned_visit_assignee_id_due_on" not in indexes:
        ops.append(migrator.add_index("planned_visit", ("assignee_id", "due_on"), False))
    if not _has_index_on(database, "visit", "entered_late"):
        ops.append(migrator.add_index("visit", ("entered_late",), False))
    if ops:
        migrate(*ops)


def _zero():
    return SmallIntegerField(default=0, constraints=[SQL("DEFAULT 0")])


def m0004_complaints(database):
    """Complaint steps and reopen count, SLA misses, the escalation log, number
    sequences and job runs."""
    migrator = _migrator(database)
    adds = [
        ("complaint", "sla_missed", _zero()),
        ("complaint", "reopen_count", _zero()),
        ("visit_issue", "sla_missed", _zero()),
        ("complaint_follow_up", "step", CharField(max_length=20, null=True)),
    ]
    ops = [migrator.add_column(t, c, f) for t, c, f in adds if not _has_column(database, t, c)]
    if ops:
        migrate(*ops)
    database.create_tables([models.Escalation, models.NumberSequence, models.JobRun], safe=True)


def _has_index_on(database, table, column):
    return any(i.columns == [column] for i in database.get_indexes(table))


# (table, columns) of the indexes the dashboard's month needs (bench/dashboard.py):
# the month's planned visits read from the index alone; a customer's last
# scored visit and their sales of a year found without reading their rows.
DASHBOARD_INDEXES = (
    ("planned_visit", ("due_on", "status", "plan_id", "customer_id", "assignee_id")),
    ("visit", ("customer_id", "visited_at", "satisfaction")),
    ("sale", ("customer_id", "sold_on")),
)


def m0005_dashboard_indexes(database):
    """Covering indexes for the dashboard's figures and the at-risk reasons."""
    migrator = _migrator(database)
    ops = [migrator.add_index(table, columns, False) for table, columns in DASHBOARD_INDEXES
           if not any(i.columns == list(columns) for i in database.get_indexes(table))]
    if ops:
        migrate(*ops)


def _versioned_tables():
    return [m._meta.table_name for m in models.ALL_MODELS
            if "version" in m._meta.fields]


def m0006_record_versions(database):
    """A version on every register: saves from a stale copy are refused."""
    migrator = _migrator(database)
    ops = [migrator.add_column(t, "version", IntegerField(default=1,
                                                          constraints=[SQL("DEFAULT 1")]))
           for t in _versioned_tables()
           # A register created by a later migration gets its version from the model.
           if database.table_exists(t) and not _has_column(database, t, "version")]
    if not any(i.columns == ["register", "record_id"] for i in database.get_indexes("audit_log")):
        ops.append(migrator.add_index("audit_log", ("register", "record_id"), False))
    if ops:
        migrate(*ops)
    if is_mysql(database):
        # MySQLMigrator makes the new column NOT NULL with MODIFY, which drops
        # its DEFAULT: inserts naming only their own columns would then fail.
        for t in _versioned_tables():
            if database.table_exists(t):
                database.execute_sql(f"ALTER TABLE `{t}` ALTER COLUMN `version` SET DEFAULT 1")


def m0007_import_mappings(database):
    """The column mappings each user chose for an import's unknown headers."""
    database.create_tables([models.ImportMapping], safe=True)


def m0008_sessions_and_logins(database):
    """Sessions that end (a per-user session version), the forced password
    change, and the failed-login counters and locks."""
    adds = [
        ("user", "session_version", IntegerField(default=1, constraints=[SQL("DEFAULT 1")])),
        ("user", "must_change_password", BooleanField(default=False,
                                                      constraints=[SQL("DEFAULT 0")])),
    ]
    migrator = _migrator(database)
    ops = [migrator.add_column(t, c, f) for t, c, f in adds if not _has_column(database, t, c)]
    if ops:
        migrate(*ops)
    database.create_tables([models.LoginFailure, models.LoginLock], safe=True)


def _fk(model):
    return ForeignKeyField(model, field=model.id, null=True)


def _loop_columns():
    """(table, column, field) that the loops of issue 15 add to existing tables."""
    return [
        ("complaint", "complainant_phone", CharField(max_length=40, null=True)),
        ("complaint", "target_kind", CharField(max_length=20, null=True)),
        ("complaint", "target_equipment_id", _fk(models.Equipment)),
        ("complaint", "target_staff_id", _fk(models.User)),
        ("complaint", "target_department", CharField(max_length=20, null=True)),
        ("complaint", "promised_due", DateTimeField(null=True)),
        ("complaint", "recheck_on", DateField(null=True, index=True)),
        ("complaint_follow_up", "customer_satisfied", BooleanField(null=True)),
        ("complaint_follow_up", "customer_score", SmallIntegerField(null=True)),
        ("visit_issue", "customer_evaluation", SmallIntegerField(null=True)),
        ("planned_visit", "appointment_at", DateTimeField(null=True)),
        ("planned_visit", "appointment_contact", CharField(max_length=64, null=True)),
        ("satisfaction_survey", "status", CharField(max_length=20, default="planned",
                                                    index=True)),
        ("satisfaction_survey", "plan_reason", CharField(max_length=20, null=True)),
    ]


def _loop_tables():
    """The registers and logs the loops of issue 15 add."""
    return [models.VisitIssueFollowUp, models.AdhocRequest, models.PlanAdjustment]


# The escalation log's key: a deadline that is due again (a new handling plan
# after "not satisfied", the next follow-up of a problem) is logged again.
ESCALATION_OLD_KEY = ["register", "record_id", "deadline"]
ESCALATION_KEY = ["register", "record_id", "deadline", "due"]


def _window_month(slot, due_on, frequencies=(1, 3, 6)):
    """The start month of the window an old occurrence slot (1..n, counted
    per frequency) stands for, told by its due date; None when no frequency
    fits (a date moved by hand out of its window)."""
    if slot == 1:
        return 1
    for every in frequencies:
        start = (slot - 1) * every + 1
        if start <= 12 and start <= due_on.month < start + every:
            return start
    return None


def _slots_as_window_months(database):
    """Plan slots were occurrences (a class B customer's 2nd visit: slot 2);
    now they are the window's start month (April: 4), the same for every
    class. Rows whose window cannot be told (or that would clash) lose their
    slot: kept as they are, never touched by a regeneration."""
    PV = models.PlannedVisit
    rows = list(PV.select(PV.id, PV.plan, PV.customer, PV.slot, PV.due_on)
                .where(PV.slot.is_null(False)).tuples())
    if not rows:
        return
    new, taken = {}, set()
    for pv_id, plan_id, customer_id, slot, due_on in sorted(rows, key=lambda r: (r[3], r[0])):
        month = _window_month(slot, due_on)
        if month is not None and (plan_id, customer_id, month) in taken:
            month = None
        taken.add((plan_id, customer_id, month))
        new.setdefault(month, []).append(pv_id)
    # Out of the way first, so no row meets another's new slot on the unique index.
    PV.update(slot=PV.slot + 100, version=PV.version + 1).where(PV.slot.is_null(False)).execute()
    for month, ids in new.items():
        for i in range(0, len(ids), 500):
            PV.update(slot=month).where(PV.id.in_(ids[i:i + 500])).execute()


def m0011_seed_loops(database):
    """Closing the seeds' loops: complaint targets, promises and recurrence
    checks; the escalation log keyed by due time too; the visit problems'
    follow-up log and the customer's evaluation; ad hoc requests; plan
    slots as window months, appointments and the quarterly adjustments."""
    migrator = _migrator(database)
    if not _has_column(database, "planned_visit", "appointment_at"):
        _slots_as_window_months(database)  # the same schema change marks it done
    surveys_without_status = not _has_column(database, "satisfaction_survey", "status")
    ops = [migrator.add_column(t, c, f) for t, c, f in _loop_columns()
           if not _has_column(database, t, c)]
    indexes = {tuple(i.columns): i.name for i in database.get_indexes("escalation")}
    if tuple(ESCALATION_OLD_KEY) in indexes:
        ops.append(migrator.drop_index("escalation", indexes[tuple(ESCALATION_OLD_KEY)]))
    if tuple(ESCALATION_KEY) not in indexes:
        ops.append(migrator.add_index("escalation", ESCALATION_KEY, True))
    if not _has_index_on(database, "visit_issue", "next_follow_up_on"):
        ops.append(migrator.add_index("visit_issue", ("next_follow_up_on",), False))
    if ops:
        migrate(*ops)
    database.create_tables(_loop_tables(), safe=True)
    if surveys_without_status:
        S = models.SatisfactionSurvey
        S.update(status="returned", version=S.version + 1).where(
            S.returned_at.is_null(False) | S.overall.is_null(False)).execute()
        S.update(status="sent", version=S.version + 1).where(
            S.returned_at.is_null() & S.overall.is_null() & S.sent_at.is_null(False)).execute()
    # 004 §5.1: other customers once a year where possible (the old default was 3).
    R = models.Rule
    R.update(value="12", version=R.version + 1).where(
        (R.key == "survey_all_customers_months") & (R.value == "3")).execute()


MIGRATIONS = [m0001_initial, m0002_user_locale, m0003_planning, m0004_complaints,
              m0005_dashboard_indexes, m0006_record_versions, m0007_import_mappings,
              m0008_sessions_and_logins, m0011_seed_loops]
LATEST = len(MIGRATIONS)


def current_version(database):
    if not database.table_exists("schema_version"):
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def upgrade(database, target=LATEST):
    """Apply the migrations after the database's version; return those applied."""
    database.create_tables([SchemaVersion], safe=True)
    if is_mysql(database) or current_version(database) >= min(target, LATEST):
        return _upgrade(database, target)
    # SQLite rebuilds a table to change a column; with foreign keys on, dropping
    # the old copy of a referenced table fails. SQLite's documented recipe: keys
    # off outside the transaction, rebuild, check, keys back on.
    database.execute_sql("PRAGMA foreign_keys=OFF")
    try:
        applied = _upgrade(database, target)
        broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        database.execute_sql("PRAGMA foreign_keys=ON")
    return applied


def _upgrade(database, target):
    applied = []
    with database.atomic():
        version = current_version(database)
        for number, step in enumerate(MIGRATIONS[:target], start=1):
            if number <= version:
                continue
            step(database)
            applied.append(step.__name__)
        if applied:
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=max(version, min(target, LATEST)))
    if not is_mysql(database):
        # Planner statistics: list pages rely on them to pick the right index
        # (InnoDB keeps its own statistics).
        database.execute_sql("ANALYZE")
    return applied
