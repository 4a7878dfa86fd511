"""flask --app wsgi backup [--out PATH] | restore FILE [--yes].

A nightly backup from cron (see the README):
``30 2 * * * cd /srv/app && .venv/bin/flask --app wsgi backup``.
"""
import click
from flask import current_app
from flask.cli import with_appcontext
from peewee import PeeweeException

from domain.clock import now
from models import db
from services import audit, backup, restore
from services.mysql_client import ClientError

from . import migrations
from .database import cannot_write


def _size(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def _audit(action, changes):
    """The audit row of a backup or restore. A database that cannot be
    written is exactly when a backup matters: then the log says it instead."""
    try:
        audit.record(user=None, action=action, register="backup",
                     changes={**changes, "via": [None, "cli"]})
    except PeeweeException as ex:
        if not cannot_write(ex):
            raise
        current_app.logger.warning("%s not audited, the database cannot be written: %s",
                                   action, ex)


@click.command("backup")
@click.option("--out", default=None, type=click.Path(),
              help="A file, or a folder to write crm-YYYYMMDD-HHMMSS.* into. "
                   "Default: instance/backups/, which keeps the newest BACKUP_KEEP.")
@with_appcontext
def backup_command(out):
    """Back the database up (a consistent copy, also while the app writes)."""
    try:
        done = backup.take(db.obj, instance_path=current_app.instance_path, now=now(),
                           out=out, keep=current_app.config["BACKUP_KEEP"])
    except (ClientError, OSError) as ex:
        raise click.ClickException(str(ex)) from None
    click.echo(f"Backup written to {done.path} ({_size(done.size)}) in {done.seconds:.1f} s.")
    if done.pruned:
        click.echo(f"Removed {len(done.pruned)} older backup(s): {', '.join(done.pruned)}.")
    _audit("backup", {"file": [None, done.path], "bytes": [None, done.size]})


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True,
              help="Replace a database that holds data without asking (it is backed up first).")
@with_appcontext
def restore_command(file, yes):
    """Restore a backup into the configured database, then upgrade its schema."""
    options = dict(upgrade=migrations.upgrade, instance_path=current_app.instance_path,
                   now=now(), keep=current_app.config["BACKUP_KEEP"])
    try:
        try:
            done = restore.restore(db.obj, file, replace=yes, **options)
        except restore.NotEmpty:
            click.confirm(f"The database {db.obj.database} holds data. Replace it with "
                          f"{file}? It is backed up first.", abort=True)
            done = restore.restore(db.obj, file, replace=True, **options)
    except (restore.RestoreError, ClientError) as ex:
        raise click.ClickException(str(ex)) from None
    if done.before:
        click.echo(f"The database as it was is backed up in {done.before}.")
    upgraded = f"; applied {', '.join(done.applied)}" if done.applied else ""
    click.echo(f"Restored {file} in {done.seconds:.1f} s{upgraded}; schema version "
               f"{migrations.current_version(db.obj)}.")
    _audit("restore", {"file": [None, file]})


COMMANDS = [backup_command, restore_command]
