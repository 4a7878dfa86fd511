"""init-db creates or upgrades in place and keeps the data of an older schema."""
from admin_app import migrations
from datetime import datetime

import models as M
from models import User, db
from playhouse.migrate import MySQLMigrator, migrate
from services.bulk import insert_rows


def _has_column(table, column):
    return any(c.name == column for c in db.get_columns(table))


def _index_on(table, columns):
    """The name of the index on exactly ``columns`` of ``table``, or None."""
    return next((i.name for i in db.get_indexes(table) if i.columns == list(columns)), None)


def test_upgrade_from_the_first_schema_keeps_data(app):
    # Rebuild the version-1 schema: today's tables without what migrations 2-4 added.
    m = migrations._migrator(db.obj)
    migrate(m.drop_index("planned_visit", "planned_visit_plan_id_customer_id_slot"),
            m.drop_index("planned_visit", "planned_visit_assignee_id_due_on"),
            m.drop_index("visit", "visit_entered_late"),
            *[m.drop_index(table, _index_on(table, columns))
              for table, columns in migrations.DASHBOARD_INDEXES])
    migrate(m.drop_column("user", "locale"), m.drop_column("planned_visit", "slot"),
            m.drop_column("planned_visit", "reason"), m.drop_column("visit", "entered_late"),
            m.drop_column("visit_issue", "level_reason"),
            m.add_index("planned_visit", ("plan_id", "customer_id", "due_on"), True),
            m.drop_column("complaint", "sla_missed"), m.drop_column("complaint", "reopen_count"),
            m.drop_column("visit_issue", "sla_missed"),
            m.drop_column("complaint_follow_up", "step"),
            m.drop_column("user", "session_version"), m.drop_column("user", "must_change_password"),
            *[m.drop_column(table, "version") for table in migrations._versioned_tables()])
    db.drop_tables([M.Escalation, M.NumberSequence, M.JobRun, M.LoginFailure, M.LoginLock,
                    M.ImportMapping])
    _drop_loop_schema(m)
    migrations.SchemaVersion.delete().execute()
    migrations.SchemaVersion.create(version=1)
    # Data of version 1 in tables that later migrations rebuild, with rows
    # referring to them (only the columns version 1 had).
    # Exactly these columns (peewee's insert would add later columns' defaults).
    V, stamp = M.Visit, datetime(2026, 1, 5, 10)
    insert_rows([User.username, User.name, User.role, User.active, User.password_hash,
                 User.created_at, User.updated_at],
                [("oldboss", "老板", "owner", True, "x", stamp, stamp)])
    uid = User.select(User.id).scalar()
    C = M.Customer
    insert_rows([C.code, C.name, C.owner, C.nature, C.industry, C.annual_purchase,
                 C.customer_class, C.class_locked, C.is_key, C.is_strategic, C.tier,
                 C.lifecycle, C.at_risk, C.do_not_disturb, C.created_at, C.updated_at],
                [("C000001", "老客户", uid, "enterprise", "other", 0, "C", False, False,
                  False, "regular", "new", False, False, stamp, stamp)])
    cid = C.select(C.id).scalar()
    insert_rows([V.customer, V.visited_at, V.channel, V.follow_up_needed, V.created_at,
                 V.updated_at], [(cid, stamp, "phone", False, stamp, stamp)])
    vid = V.select(V.id).scalar()
    I = M.VisitIssue
    insert_rows([I.customer, I.visit, I.description, I.category, I.level, I.raised_at,
                 I.is_complex, I.status, I.escalation_level, I.created_at, I.updated_at],
                [(cid, vid, "旧问题", "other", "general", stamp, False, "open", 0, stamp, stamp)])
    S = M.Sale
    insert_rows([S.customer, S.sold_on, S.product, S.quantity, S.amount, S.visit, S.created_at,
                 S.updated_at], [(cid, "2026-01-05", "X", 1, 1, vid, stamp, stamp)])
    assert not _has_column("user", "locale")

    applied = migrations.upgrade(db.obj)

    assert applied == ["m0002_user_locale", "m0003_planning", "m0004_complaints",
                       "m0005_dashboard_indexes", "m0006_record_versions",
                       "m0007_import_mappings", "m0008_sessions_and_logins",
                       "m0011_seed_loops"]
    for table, columns in migrations.DASHBOARD_INDEXES:
        assert _index_on(table, columns), (table, columns)
    assert _has_column("user", "locale") and _has_column("planned_visit", "slot")
    assert _has_column("visit", "entered_late") and _has_column("visit_issue", "level_reason")
    names = {i.name for i in db.get_indexes("planned_visit")}
    assert "planned_visit_plan_id_customer_id_slot" in names
    assert "planned_visit_plan_id_customer_id_due_on" not in names
    assert migrations.current_version(db.obj) == migrations.LATEST
    assert User.get(User.username == "oldboss").name == "老板"
    oldboss = User.get(User.username == "oldboss")
    assert oldboss.session_version == 1 and oldboss.must_change_password is False
    assert db.table_exists("login_failure") and db.table_exists("login_lock")
    visit = M.Visit.get_by_id(vid)
    assert visit.customer.name == "老客户" and visit.entered_late is False
    old_issue = M.VisitIssue.get(M.VisitIssue.visit == vid)
    assert old_issue.description == "旧问题" and old_issue.sla_missed == 0
    assert _has_column("complaint", "reopen_count") and db.table_exists("escalation")
    assert M.Sale.get().visit_id == vid
    assert M.Customer.get_by_id(cid).version == 1 and _has_column("holiday", "version")
    assert _index_on("audit_log", ("register", "record_id"))
    # Inserts that name only their own columns still work after the upgrade.
    insert_rows([C.code, C.name, C.nature, C.industry, C.annual_purchase, C.customer_class,
                 C.class_locked, C.is_key, C.is_strategic, C.tier, C.lifecycle, C.at_risk,
                 C.do_not_disturb, C.created_at, C.updated_at],
                [("C000002", "新客户", "enterprise", "other", 0, "C", False, False, False,
                  "regular", "new", False, False, stamp, stamp)])
    assert M.Customer.get(M.Customer.code == "C000002").version == 1
    assert db.table_exists("import_mapping")
    _check_loop_schema()
    # Safe to run twice.
    assert migrations.upgrade(db.obj) == []


def test_init_db_cli_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "up to date" in second.output


def _drop_loop_schema(m):
    """Undo what m0011 (the loops of issue 15) adds: its columns and tables."""
    # SQLite drops a foreign-key column only by rebuilding the table (legacy).
    legacy = {} if isinstance(m, MySQLMigrator) else {"legacy": True}
    migrate(*[m.drop_index(table, _index_on(table, (column,)))
              for table, column, f in migrations._loop_columns()
              if f.index and not column.endswith("_id")])
    migrate(*[m.drop_column(table, column, **(legacy if column.endswith("_id") else {}))
              for table, column, _f in migrations._loop_columns()])
    migrate(m.drop_index("visit_issue", _index_on("visit_issue", ("next_follow_up_on",))))
    db.drop_tables(migrations._loop_tables())


def _check_loop_schema():
    for table, column, _f in migrations._loop_columns():
        assert _has_column(table, column), (table, column)
    assert _index_on("escalation", migrations.ESCALATION_KEY)
    assert _index_on("visit_issue", ("next_follow_up_on",))
    for model in migrations._loop_tables():
        assert db.table_exists(model._meta.table_name), model
    assert not _index_on("escalation", migrations.ESCALATION_OLD_KEY)
