"""Query building for list pages, kept apart from the view class.

A list page costs: one COUNT(*) over the filtered table (no joins), and one
SELECT of the page joined to every foreign key it shows. Searching a related
register (e.g. visits by customer name) goes through an IN (subquery) so the
count stays join-free.
"""
from peewee import JOIN, ForeignKeyField

DISPLAY_FIELDS = ("name", "number", "code", "username", "key")


def display_field(model):
    """The field a foreign key to ``model`` is shown and sorted by."""
    for name in DISPLAY_FIELDS:
        if name in model._meta.fields:
            return model._meta.fields[name]
    return model._meta.primary_key


def search_condition(model, fields, word):
    """OR over ``fields`` containing ``word``; fields of other registers are
    reached through this model's foreign key to them."""
    cond = None
    for field in fields:
        if field.model is model:
            term = field.contains(word)
        else:
            fk = next(f for f in model._meta.fields.values()
                      if isinstance(f, ForeignKeyField) and f.rel_model is field.model)
            target = field.model
            term = fk.in_(target.select(target.id).where(field.contains(word)))
        cond = term if cond is None else cond | term
    return cond


def fetch_page(model, query, foreign_keys, order, page, page_size):
    """The page of ``query``, with ``foreign_keys`` joined and ``order`` applied.

    ``order`` is [(field or column name, descending)]; a foreign key's name
    sorts by the joined record's display field.
    """
    fields = model._meta.fields
    for column, _desc in order or ():
        name = column if isinstance(column, str) else getattr(column, "name", None)
        fk = fields.get(name)
        if isinstance(fk, ForeignKeyField) and fk not in foreign_keys:
            foreign_keys = list(foreign_keys) + [fk]
    aliases = {}
    for fk in foreign_keys:
        alias = fk.rel_model.alias()
        query = query.join_from(model, alias, JOIN.LEFT_OUTER,
                                on=(fk == alias.id), attr=fk.name)
        aliases[fk.name] = alias
    if aliases:
        query = query.select_extend(*aliases.values())
    clauses = []
    for column, desc in order or ():
        name = column if isinstance(column, str) else getattr(column, "name", None)
        if name in aliases:
            target = getattr(aliases[name], display_field(fields[name].rel_model).name)
        elif isinstance(column, str):
            target = fields[column]
        else:
            target = column
        clauses.append(target.desc() if desc else target.asc())
    # A stable tie-break so pages never repeat or skip rows.
    clauses.append(model._meta.primary_key.desc())
    query = query.order_by(*clauses)
    if page_size:
        query = query.limit(page_size)
        if page:
            query = query.offset(page * page_size)
    return query
