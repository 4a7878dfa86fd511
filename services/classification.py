"""Keep customers' class, key flag, lifecycle and at-risk flag current.

``reclassify`` reads what domain.classification needs in four queries per
batch of customers (the customers; their sales grouped by customer; their
overdue open complaints; the satisfaction of their last scored visit), never
one query per customer, and writes back only the customers whose values
changed, all in one transaction.

The write goes through a temporary staging table and one joined UPDATE:
nearly every changed customer has an annual purchase of its own, so grouping
customers by identical new values would still mean one UPDATE per customer,
and a CASE of hundreds of branches is evaluated branch by branch for every row.
That needs UPDATE ... FROM on SQLite (3.33 or later) and the CREATE TEMPORARY
TABLES privilege on MySQL/MariaDB.
"""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from peewee import Case, MySQLDatabase, Select, fn

from domain import clock
from domain.classification import FIELDS, Classifier, CustomerFacts, annual_window
from models import Complaint, Customer, Sale, Visit, db

from .rules import current_rules
from .transactions import writing

BATCH = 900        # ids per IN (...) list: below SQLite's oldest variable limit (999)
STAGE_ROWS = 100   # staged rows per INSERT: 100 x 8 values, same limit
CENT = Decimal("0.01")

STAGING = "reclassify_staging"
STAGING_COLUMNS = ("id",) + FIELDS
_STAGING_DDL = (f"CREATE TEMPORARY TABLE {STAGING} ("
                "id INTEGER PRIMARY KEY, annual_purchase DECIMAL(14,2) NOT NULL, "
                "customer_class VARCHAR(1) NOT NULL, is_key SMALLINT NOT NULL, "
                "lifecycle VARCHAR(20) NOT NULL, at_risk SMALLINT NOT NULL, "
                "first_deal_on DATE NULL, last_deal_on DATE NULL)")


def reclassify(customer_ids=None, *, today, rules=None, now=None):
    """Recompute the classification of ``customer_ids`` (all customers when
    None) as of ``today``; ``now`` (default: today at the current clock time)
    decides which complaints are overdue and which visits have happened.
    Returns {"changed": customers whose values changed, "total": customers seen}."""
    rules = rules if rules is not None else current_rules()
    now = now or datetime.combine(today, clock.now().time())
    if customer_ids is None:
        batches = [None]
    else:
        ids = sorted({int(i) for i in customer_ids if i is not None})
        if not ids:
            return {"changed": 0, "total": 0}
        batches = [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]
    classify = Classifier(rules, today)
    changed, total = [], 0
    with transaction():
        for batch in batches:
            for customer_id, current, facts in _gather(batch, today, now):
                total += 1
                new = classify(facts)
                if new != current:
                    changed.append((customer_id, new))
        _write(changed, now)
    return {"changed": len(changed), "total": total}


def on_sales_changed(customer_ids, *, today):
    """A sale of these customers was added, edited or deleted: recompute them."""
    return reclassify([i for i in customer_ids if i is not None], today=today)


# ---------------------------------------------------------------- reading
def _only(query, field, batch):
    return query if batch is None else query.where(field.in_(batch))


def _gather(batch, today, now):
    """(id, current values, CustomerFacts) of the customers in ``batch``
    (all when None)."""
    customers = _only(Customer.select(
        Customer.id, Customer.created_at, Customer.credit_limit, Customer.is_strategic,
        Customer.class_locked, *[getattr(Customer, f) for f in FIELDS]),
        Customer.id, batch)
    if isinstance(db.obj, MySQLDatabase):
        customers = customers.for_update()  # a sale saved meanwhile waits for us
    customers = list(customers.tuples())
    sales = _sales(batch, today)
    overdue = _overdue_complaints(batch, now)
    satisfaction = _last_satisfaction(batch, now)
    for cid, created_at, credit_limit, strategic, locked, *values in customers:
        current = dict(zip(FIELDS, values))
        amount, first_sale, last_sale = sales.get(cid, (Decimal("0.00"), None, None))
        yield cid, current, CustomerFacts(
            created_on=created_at.date() if created_at else None,
            annual_purchase=amount, first_sale_on=first_sale, last_sale_on=last_sale,
            first_deal_on=current["first_deal_on"], last_deal_on=current["last_deal_on"],
            has_overdue_complaint=cid in overdue,
            last_satisfaction=satisfaction.get(cid), credit_limit=credit_limit,
            is_strategic=bool(strategic), class_locked=bool(locked),
            current_class=current["customer_class"])


def _sales(batch, today):
    """customer id -> (purchase in the annual window, first sale, last sale)."""
    start, end = annual_window(today)
    in_window = (Sale.sold_on >= start) & (Sale.sold_on <= end)
    query = _only(Sale.select(
        Sale.customer, fn.SUM(Case(None, [(in_window, Sale.amount)], 0)),
        fn.MIN(Sale.sold_on), fn.MAX(Sale.sold_on)), Sale.customer, batch)
    return {cid: (_money(amount), _date(first), _date(last))
            for cid, amount, first, last in query.group_by(Sale.customer).tuples()}


def _overdue_complaints(batch, now):
    """Ids of customers with a complaint not closed and past its closing deadline."""
    query = _only(Complaint.select(Complaint.customer).distinct().where(
        (Complaint.status != "closed") & (Complaint.close_due < now)),
        Complaint.customer, batch)
    return {cid for (cid,) in query.tuples()}


def _last_satisfaction(batch, now):
    """customer id -> satisfaction of their latest visit that recorded one."""
    ranked = _only(Visit.select(
        Visit.customer.alias("cid"), Visit.satisfaction.alias("score"),
        fn.ROW_NUMBER().over(partition_by=[Visit.customer],
                             order_by=[Visit.visited_at.desc(), Visit.id.desc()]).alias("rn"))
        .where(Visit.satisfaction.is_null(False) & (Visit.visited_at <= now)),
        Visit.customer, batch).alias("ranked")
    query = (Select([ranked], [ranked.c.cid, ranked.c.score])
             .where(ranked.c.rn == 1).bind(db))
    return {cid: int(score) for cid, score in query.tuples()}


def _money(value):
    # SQLite sums DECIMAL columns as floats: back to cents.
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------- writing
def transaction():
    """The transaction ``reclassify`` runs in (callers adding writes of their
    own, like an audit row, wrap both in it). On SQLite it takes the write
    lock before the first read, so no sale is saved between what we read and
    what we write; on MySQL the customer rows are read FOR UPDATE instead."""
    return writing()


def _write(changed, now):
    """Stage the new values of the ``changed`` customers and apply them in one
    joined UPDATE."""
    if not changed:
        return
    mysql = isinstance(db.obj, MySQLDatabase)
    drop = (f"DROP TEMPORARY TABLE IF EXISTS {STAGING}" if mysql
            else f"DROP TABLE IF EXISTS temp.{STAGING}")
    db.execute_sql(drop)
    db.execute_sql(_STAGING_DDL)
    # Plain multi-row INSERTs: building them as peewee queries costs more
    # than running them.
    param = db.obj.param
    row_sql = "(" + ", ".join([param] * len(STAGING_COLUMNS)) + ")"
    rows = [(cid, *(values[f] for f in FIELDS)) for cid, values in changed]
    for start in range(0, len(rows), STAGE_ROWS):
        chunk = rows[start:start + STAGE_ROWS]
        db.execute_sql(f"INSERT INTO {STAGING} ({', '.join(STAGING_COLUMNS)}) VALUES "
                       + ", ".join([row_sql] * len(chunk)),
                       [value for row in chunk for value in row])
    table = Customer._meta.table_name
    if mysql:
        sets = ", ".join(f"c.{f} = s.{f}" for f in FIELDS)
        sql = (f"UPDATE {table} AS c JOIN {STAGING} AS s ON s.id = c.id "
               f"SET {sets}, c.updated_at = {param}, c.version = c.version + 1")
    else:
        sets = ", ".join(f"{f} = s.{f}" for f in FIELDS)
        sql = (f"UPDATE {table} SET {sets}, updated_at = {param}, version = version + 1 "
               f"FROM {STAGING} AS s WHERE s.id = {table}.id")
    db.execute_sql(sql, (now,))
    db.execute_sql(drop)
