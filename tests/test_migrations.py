"""init-db creates or upgrades in place and keeps the data of an older schema."""
from admin_app import migrations
from models import User, db
from playhouse.migrate import migrate


def _has_column(table, column):
    return any(c.name == column for c in db.get_columns(table))


def test_upgrade_from_the_first_schema_keeps_data(app):
    # Rebuild the version-1 schema: today's tables without what migration 2 added.
    migrate(migrations._migrator(db.obj).drop_column("user", "locale"))
    migrations.SchemaVersion.delete().execute()
    migrations.SchemaVersion.create(version=1)
    # Only the columns version 1 had (locale has no default, so it is left out).
    User.insert(username="oldboss", name="老板", role="owner", password_hash="x").execute()
    assert not _has_column("user", "locale")

    applied = migrations.upgrade(db.obj)

    assert applied == ["m0002_user_locale"]
    assert _has_column("user", "locale")
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
