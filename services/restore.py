"""Restore a backup into the configured database, then bring its schema up
to date, so a backup of an older version comes up on today's code.

Into an empty database it simply loads; a database that holds data is only
replaced when asked (``replace``), and is backed up first. SQLite: the
backup is unpacked beside the database, checked (PRAGMA quick_check)
and copied in with SQLite's backup API, which takes the database's locks
like any writer, so a running app sees the restored data on its next query.
MySQL/MariaDB: the tables are dropped and the dump is fed to the mysql client.
"""
import gzip
import os
import shutil
import sqlite3
import time
from collections import namedtuple

from domain.i18n import N_, TranslatableError

from . import backup, mysql_client

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
# Tables the app fills by itself (init-db's default rules, the schema version,
# the sweep's last run): rows there do not make a database "in use".
BOOKKEEPING = ("schema_version", "rule", "job_run")

Restored = namedtuple("Restored", "seconds kind before applied")


class RestoreError(TranslatableError):
    """The backup cannot be restored here; the message says why."""


class NotEmpty(RestoreError):
    """The database holds data and replacing it was not asked for."""


def open_backup(path):
    """The backup's bytes, unpacked when it is gzipped."""
    with open(path, "rb") as f:
        packed = f.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if packed else open(path, "rb")


def kind_of(path):
    """"sqlite3" or "sql"; RestoreError for anything else."""
    try:
        with open_backup(path) as f:
            head = f.read(len(SQLITE_MAGIC))
    except (OSError, EOFError) as ex:
        raise RestoreError(N_("%(file)s cannot be read: %(error)s"), file=path,
                           error=str(ex)) from ex
    if head == SQLITE_MAGIC:
        return "sqlite3"
    if head.startswith((b"-- ", b"/*", b"\n", b"SET ", b"DROP", b"CREATE")):
        return "sql"
    raise RestoreError(N_("%(file)s is neither a SQLite database nor an SQL dump."), file=path)


def holds_data(database):
    """Whether any table other than the app's bookkeeping has a row."""
    quote = database.quote
    for table in database.get_tables():
        if table in BOOKKEEPING:
            continue
        name = f"{quote[0]}{table}{quote[1]}"
        if database.execute_sql(f"SELECT 1 FROM {name} LIMIT 1").fetchone():
            return True
    return False


def restore(database, path, *, upgrade, instance_path, now, replace=False, keep=14):
    """Restore the backup ``path`` into ``database``; ``upgrade(database)``
    runs the migrations afterwards. Raises NotEmpty when the database holds
    data and ``replace`` is false."""
    started = time.perf_counter()
    kind = kind_of(path)
    wanted = "sql" if backup.is_mysql(database) else "sqlite3"
    if kind != wanted:
        raise RestoreError(
            N_("%(file)s is a %(kind)s backup, but the configured database is %(engine)s."),
            file=path, kind="SQLite" if kind == "sqlite3" else "MySQL/MariaDB",
            engine="MySQL/MariaDB" if wanted == "sql" else "SQLite")
    database.connect(reuse_if_open=True)
    before = None
    if holds_data(database):
        if not replace:
            raise NotEmpty(N_("The database holds data."))
        before = backup.take(database, instance_path=instance_path, now=now, keep=keep,
                             note="before-restore").path
    database.close()
    if kind == "sqlite3":
        _restore_sqlite(backup.sqlite_file(database), path)
    else:
        _restore_mysql(database, path)
    database.connect(reuse_if_open=True)
    applied = upgrade(database)
    return Restored(time.perf_counter() - started, kind, before, applied)


def _restore_sqlite(target, path):
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    scratch = target + ".restoring"
    try:
        with open_backup(path) as src, open(scratch, "wb") as out:
            shutil.copyfileobj(src, out, backup.CHUNK)
        source = sqlite3.connect(scratch)
        try:
            # quick_check: every page and b-tree sound (a cut-off or damaged file
            # fails it) in a tenth of integrity_check's time on a big database.
            problems = [r[0] for r in source.execute("PRAGMA quick_check").fetchmany(5)]
            if problems != ["ok"]:
                raise RestoreError(N_("The backup is damaged: %(problems)s"),
                                   problems="; ".join(problems))
            dest = sqlite3.connect(target)
            try:
                dest.execute("PRAGMA busy_timeout=30000")
                source.backup(dest, pages=-1)
            finally:
                dest.close()
        finally:
            source.close()
    except (sqlite3.DatabaseError, OSError, EOFError) as ex:
        raise RestoreError(N_("The backup could not be restored: %(error)s"),
                           error=str(ex)) from ex
    finally:
        for leftover in (scratch, scratch + "-wal", scratch + "-shm", scratch + "-journal"):
            if os.path.exists(leftover):
                os.remove(leftover)


def _restore_mysql(database, path):
    mysql_client.program(mysql_client.CLIENT_PROGRAMS)  # missing: say so before dropping
    database.connect(reuse_if_open=True)
    tables = database.get_tables()
    if tables:
        # Tables the backup does not have (added by newer code) go too: the
        # migrations create them again, empty, as for any old database.
        database.execute_sql("SET FOREIGN_KEY_CHECKS=0")
        try:
            for table in tables:
                database.execute_sql(f"DROP TABLE IF EXISTS `{table}`")
        finally:
            database.execute_sql("SET FOREIGN_KEY_CHECKS=1")
    database.close()
    try:
        with open_backup(path) as source:
            mysql_client.load(database, source)
    except (OSError, EOFError) as ex:  # a damaged or cut-off gzip
        raise RestoreError(N_("The backup could not be restored: %(error)s"),
                           error=str(ex)) from ex
