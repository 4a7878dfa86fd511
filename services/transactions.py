"""Write transactions that queue instead of failing under concurrency."""
from peewee import SqliteDatabase

from models import db


def writing():
    """A transaction for a write. On SQLite it takes the write lock at BEGIN
    (BEGIN IMMEDIATE): a deferred transaction that read first and then writes
    fails at once with "database is locked" when another connection wrote in
    between, whereas IMMEDIATE waits for the busy timeout. Nested calls
    become savepoints of the outer transaction."""
    database = db.obj
    if isinstance(database, SqliteDatabase) and not database.in_transaction():
        return database.atomic("IMMEDIATE")
    return database.atomic()
