"""Fast bulk inserts: one prepared statement and the driver's executemany.

Peewee's insert_many builds SQL text for every chunk; for hundreds of
thousands of rows (an annual plan) the driver's executemany is several times
faster on SQLite, and PyMySQL turns it into multi-row INSERTs on MySQL.
"""
from models import db

CHUNK = 5000


def insert_rows(fields, rows):
    """Insert tuples ``rows`` into the table of ``fields`` (model fields, in order)."""
    if not rows:
        return 0
    model = fields[0].model
    database = db.obj
    left, right = database.quote  # the two quote characters: "" or ``
    columns = ", ".join(f"{left}{f.column_name}{right}" for f in fields)
    marks = ", ".join([database.param] * len(fields))
    table = f"{left}{model._meta.table_name}{right}"
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    converters = [f.db_value for f in fields]
    cursor = database.cursor()
    for start in range(0, len(rows), CHUNK):
        chunk = [tuple(conv(v) for conv, v in zip(converters, row))
                 for row in rows[start:start + CHUNK]]
        cursor.executemany(sql, chunk)
    return len(rows)


IN_CHUNK = 900  # ids per IN (...): under the bound-variable limit of older SQLite builds


def chunks(ids, size=IN_CHUNK):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def tuples_in(query, field, ids):
    """The tuples of ``query`` where ``field`` is one of ``ids`` (every row when
    ``ids`` is None), asked in chunks so a long id list stays a valid query."""
    if ids is None:
        return list(query.tuples())
    out = []
    for part in chunks(ids):
        out.extend(query.where(field.in_(part)).tuples())
    return out
