"""The column mappings a user chose for an import's unknown headers, kept per
register and user so the same old spreadsheet maps itself next time.

A preference, like the user's language: no audit row (it changes no record).
"""
from domain import import_values as V
from domain.clock import now
from models import ImportMapping

from .import_registers import SPECS
from .transactions import writing

KEY_LENGTH = 190


def _key(header):
    return V.header_key(header)[:KEY_LENGTH]


def remember(*, user_id, register, choices):
    """Keep ``choices`` [(header text, field or "")]; a field the register
    cannot import is not kept."""
    spec = SPECS[register]
    valid = set(spec.fields) | set(spec.extra) | {""}
    keep = {_key(h): f for h, f in choices if _key(h) and f in valid}
    if not keep:
        return
    M = ImportMapping
    with writing():
        M.delete().where((M.user == user_id) & (M.register == register)
                         & M.header.in_(list(keep))).execute()
        M.insert_many([{"user": user_id, "register": register, "header": h, "field": f,
                        "updated_at": now()} for h, f in keep.items()]).execute()


def remembered(*, user_id, register, headers):
    """{header text: field or ""} of ``headers`` the user mapped before."""
    keys = sorted({_key(h) for h in headers} - {""})
    if not keys:
        return {}
    M = ImportMapping
    found = dict(M.select(M.header, M.field)
                 .where((M.user == user_id) & (M.register == register) & M.header.in_(keys))
                 .tuples())
    return {h: found[_key(h)] for h in headers if _key(h) in found}
