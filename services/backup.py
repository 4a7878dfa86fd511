"""Backups taken while the app keeps writing.

SQLite: the online backup API copies the database as one snapshot (in WAL
mode writers carry on meanwhile) into a scratch file beside the backup,
which is then gzipped in chunks. MySQL/MariaDB: mysqldump
--single-transaction, gzipped as it arrives. Nothing is read into memory
whole; a backup appears under its final name only once it is complete.
"""
import gzip
import os
import shutil
import sqlite3
import time
from collections import namedtuple
from contextlib import contextmanager
from urllib.parse import unquote, urlparse

from peewee import MySQLDatabase

from . import backup_files, mysql_client

# gzip level: 1 is about three times faster than the default 6 for a file a
# few percent larger; a nightly backup of a big database must stay quick.
LEVEL = 1
CHUNK = 1024 * 1024

Backup = namedtuple("Backup", "path size seconds pruned")


def is_mysql(database):
    return isinstance(database, MySQLDatabase)


def sqlite_file(database):
    """The file of a SQLite database, also when it was opened by URI."""
    name = database.database
    if name.startswith("file:"):
        return unquote(urlparse(name).path)
    return name


def take(database, *, instance_path, now, out=None, keep=14, note=None):
    """Back ``database`` up; ``out`` names a file or a folder (default: the
    instance's backups folder, where only the newest ``keep`` stay)."""
    started = time.perf_counter()
    kind = "sql" if is_mysql(database) else "sqlite3"
    default = backup_files.folder(instance_path)
    directory = default if out is None else out
    if out is not None and not os.path.isdir(out) and not out.endswith(os.sep):
        path, directory = out, os.path.dirname(os.path.abspath(out))
    else:
        os.makedirs(directory, exist_ok=True)
        path = backup_files.new_path(directory, now, kind, note)
    os.makedirs(directory, exist_ok=True)
    part = path + ".part"
    try:
        if kind == "sql":
            with _gzip_writer(part, path) as out_file:
                mysql_client.dump(database, out_file)
        else:
            _copy_sqlite(sqlite_file(database), part, path)
        os.replace(part, path)
    finally:
        if os.path.exists(part):
            os.remove(part)
    pruned = []
    if os.path.abspath(directory) == os.path.abspath(default):
        pruned = backup_files.prune(default, keep)
    return Backup(path, os.path.getsize(path), time.perf_counter() - started, pruned)


@contextmanager
def _gzip_writer(part, path):
    # The name inside the gzip header is the final one (gunzip -N restores it).
    name = os.path.basename(path)[:-len(".gz")]
    with open(part, "wb") as raw, gzip.GzipFile(filename=name, fileobj=raw, mode="wb",
                                                compresslevel=LEVEL) as out:
        yield out


def _copy_sqlite(source, part, path):
    scratch = part + ".sqlite3"
    try:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(scratch)
        try:
            src.execute("PRAGMA busy_timeout=10000")
            # pages=-1: the whole database in one step, so one snapshot; a
            # stepwise copy restarts whenever another connection writes.
            src.backup(dst, pages=-1)
        finally:
            dst.close()
            src.close()
        with open(scratch, "rb") as f, _gzip_writer(part, path) as out:
            shutil.copyfileobj(f, out, CHUNK)
    finally:
        for leftover in (scratch, scratch + "-wal", scratch + "-shm", scratch + "-journal"):
            if os.path.exists(leftover):
                os.remove(leftover)
