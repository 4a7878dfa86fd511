"""Command-line tools: flask --app wsgi init-db | create-user | seed-demo."""
import click
from flask.cli import with_appcontext

from models import User, db
from services import audit
from services.rules import ensure_default_rules
from services.users import (DEPARTMENT_CODES, ROLE_CODES, PasswordRejected, UserError,
                            create_user, set_password)

from . import migrations


@click.command("init-db")
def init_db_command():
    """Create or upgrade the database schema in place (safe to run twice)."""
    applied = migrations.upgrade(db.obj)
    added = ensure_default_rules()
    version = migrations.current_version(db.obj)
    if added:
        click.echo(f"Added {added} default rules.")
    if applied:
        click.echo(f"Applied {', '.join(applied)}; schema version {version}.")
    else:
        click.echo(f"Schema is up to date (version {version}).")


@click.command("create-user")
@with_appcontext  # a refused password is told in the shop's language
@click.argument("username")
@click.option("--role", type=click.Choice(ROLE_CODES), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for (not echoed) when not given.")
@click.option("--department", type=click.Choice(DEPARTMENT_CODES), default=None)
@click.option("--name", default=None)
@click.option("--must-change-password", is_flag=True,
              help="The user chooses a new password at their first login.")
def create_user_command(username, role, password, department, name, must_change_password):
    """Create a user who can log in."""
    migrations.upgrade(db.obj)
    try:
        user = create_user(username=username, password=password, role=role,
                           department=department, name=name,
                           must_change_password=must_change_password, check_policy=True)
    except PasswordRejected as ex:
        raise click.ClickException(_in_shop_language(ex))
    except UserError as ex:
        raise click.ClickException(str(ex))
    audit.record(user=None, action="create", register="user", record_id=user.id,
                 changes={"username": [None, username], "role": [None, role], "via": [None, "cli"]})
    click.echo(f"Created {user.role} {user.username}.")


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for (not echoed) when not given.")
@click.option("--must-change-password", is_flag=True,
              help="The user chooses a new password at their next login.")
def set_password_command(username, password, must_change_password):
    """Give a user a new password (ends their sessions), e.g. a locked-out owner."""
    user = User.get_or_none(User.username == username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        set_password(user, password, by=None, must_change=must_change_password)
    except PasswordRejected as ex:
        raise click.ClickException(_in_shop_language(ex))
    click.echo(f"New password set for {user.username}; their sessions have ended.")


def _in_shop_language(error):
    """A refusal in the shop's default language (the CLI has no user to ask)."""
    from flask import current_app
    from flask_babel import force_locale, gettext
    with force_locale(current_app.config["DEFAULT_LANGUAGE"]):
        return gettext(error.msgid, **error.params)


@click.command("seed-demo")
@click.option("--customers", default=300, show_default=True, help="How many customers.")
def seed_demo_command(customers):
    """Load deterministic demo data (refuses to load it twice)."""
    from seed.demo import DemoAlreadyLoaded, seed_demo
    migrations.upgrade(db.obj)
    try:
        summary = seed_demo(customers=customers)
    except DemoAlreadyLoaded as ex:
        raise click.ClickException(str(ex))
    click.echo("Demo data loaded: " + ", ".join(f"{k} {v}" for k, v in summary.items()))


@click.command("demo-login")
def demo_login_command():
    """Print the demo logins (after seed-demo)."""
    from seed.demo import DEMO_USERS
    for u in DEMO_USERS:
        if User.select().where(User.username == u["username"]).exists():
            click.echo(f"  {u['role']:<10} {u['username']} / {u['password']}")


# Each feature keeps its commands in its own module (COMMANDS).
FEATURE_MODULES = ("cli_calendar", "cli_planning", "cli_classification", "cli_care", "cli_sla",
                   "cli_import", "cli_report", "cli_backup", "cli_surveys")


def init_app(app):
    import importlib
    commands = [init_db_command, create_user_command, set_password_command, seed_demo_command,
                demo_login_command]
    for name in FEATURE_MODULES:
        commands += importlib.import_module(f"{__package__}.{name}").COMMANDS
    for command in commands:
        app.cli.add_command(command)
