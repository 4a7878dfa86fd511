"""The backup folder: how backups are named, which are there, keeping the last N.

Backups are ``crm-YYYYMMDD-HHMMSS[-note].sqlite3.gz`` (SQLite) or ``.sql.gz``
(MySQL/MariaDB, a mysqldump). Only names of that shape are listed, offered for
download or removed, so nothing else in the folder is ever touched.
"""
import os
import re
from collections import namedtuple
from datetime import datetime

from domain import clock

NAME = re.compile(r"^crm-(\d{8}-\d{6})(-[a-z0-9-]+)?\.(sqlite3|sql)\.gz$")
EXTENSIONS = {"sqlite3": ".sqlite3.gz", "sql": ".sql.gz"}

BackupFile = namedtuple("BackupFile", "name path size modified")


def folder(instance_path):
    """Where backups go unless told otherwise."""
    return os.path.join(instance_path, "backups")


def new_path(directory, now, kind, note=None):
    """A free path in ``directory`` for a backup taken at ``now``; a second
    backup in the same second gets -2, -3… rather than overwriting."""
    stem = f"crm-{now:%Y%m%d-%H%M%S}" + (f"-{note}" if note else "")
    extension = EXTENSIONS[kind]
    path, n = os.path.join(directory, stem + extension), 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(directory, f"{stem}-{n}{extension}")
    return path


def listing(directory):
    """The backups in ``directory``, newest first."""
    found = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    for entry in entries:
        if NAME.match(entry.name) and entry.is_file():
            stat = entry.stat()
            # Local time of the shop, as every stored time (domain.clock).
            modified = datetime.fromtimestamp(stat.st_mtime, clock.timezone())
            found.append(BackupFile(entry.name, entry.path, stat.st_size,
                                    modified.replace(tzinfo=None)))
    return sorted(found, key=lambda f: (f.modified, f.name), reverse=True)


def find(directory, name):
    """The backup called ``name`` in ``directory``, or None (a name that is
    not a backup's, a path or '..' is simply not found)."""
    return next((f for f in listing(directory) if f.name == name), None)


def prune(directory, keep):
    """Remove all but the newest ``keep`` backups; returns the names removed."""
    removed = []
    for old in listing(directory)[max(int(keep), 1):]:
        os.remove(old.path)
        removed.append(old.name)
    return removed
