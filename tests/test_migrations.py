"""init-db creates or upgrades in place and keeps the data of an older schema."""
from admin_app import migrations
from models import User, db
from playhouse.migrate import migrate


def _has_column(table, column):
    return any(c.name == column for c in db.get_columns(table))


def test_upgrade_from_the_first_schema_keeps_data(app):
    # Rebuild the version-1 schema: today's tables without what migrations 2 and 3 added.
    m = migrations._migrator(db.obj)
    migrate(m.drop_index("planned_visit", "planned_visit_plan_id_customer_id_slot"),
            m.drop_index("planned_visit", "planned_visit_assignee_id_due_on"),
            m.drop_index("visit", "visit_entered_late"))
    migrate(m.drop_column("user", "locale"), m.drop_column("planned_visit", "slot"),
            m.drop_column("planned_visit", "reason"), m.drop_column("visit", "entered_late"),
            m.drop_column("visit_issue", "level_reason"),
            m.add_index("planned_visit", ("plan_id", "customer_id", "due_on"), True))
    migrations.SchemaVersion.delete().execute()
    migrations.SchemaVersion.create(version=1)
    # Only the columns version 1 had (locale has no default, so it is left out).
    User.insert(username="oldboss", name="老板", role="owner", password_hash="x").execute()
    assert not _has_column("user", "locale")

    applied = migrations.upgrade(db.obj)

    assert applied == ["m0002_user_locale", "m0003_planning"]
    assert _has_column("user", "locale") and _has_column("planned_visit", "slot")
    assert _has_column("visit", "entered_late") and _has_column("visit_issue", "level_reason")
    names = {i.name for i in db.get_indexes("planned_visit")}
    assert "planned_visit_plan_id_customer_id_slot" in names
    assert "planned_visit_plan_id_customer_id_due_on" not in names
    assert migrations.current_version(db.obj) == migrations.LATEST
    assert User.get(User.username == "oldboss").name == "老板"
    # Safe to run twice.
    assert migrations.upgrade(db.obj) == []


def test_init_db_cli_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "up to date" in second.output
