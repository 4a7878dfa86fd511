"""Corrective and preventive actions: workflow steps on many rows (one
transaction, one audit row per changed action). Rules in domain/capa.py."""
from domain import access
from domain import capa as D
from domain.capa import CapaError
from domain.i18n import NOT_YOURS
from models import CorrectiveAction
from services import audit
from services.transactions import writing



def take_step(ids, name, *, user, now, verification_notes=None, ip=None):
    """Take step ``name`` on each action among ``ids`` the user may see.
    Returns (done ids, [(id, CapaError)])."""
    ids = sorted({int(i) for i in ids})
    done, refused = [], []
    with writing():
        query = access.scope_query(CorrectiveAction.select(), CorrectiveAction, user)
        rows = {r.id: r for r in query.where(CorrectiveAction.id.in_(ids or [0]))}
        for capa_id in ids:
            capa = rows.get(capa_id)
            if capa is None:
                refused.append((capa_id, CapaError(NOT_YOURS)))
                continue
            try:
                changes = D.apply(name, capa, now=now, user_id=user.id, role=user.role,
                                  verification_notes=verification_notes)
            except CapaError as ex:
                refused.append((capa_id, ex))
                continue
            before = audit.snapshot(capa)
            for field, value in changes.items():
                setattr(capa, field, value)
            capa.save()
            audit.record(user=user.id, action="action", register="corrective_action",
                         record_id=capa.id, ip=ip,
                         changes=dict({"action": [None, name]},
                                      **audit.diff(before, audit.snapshot(capa))))
            done.append(capa_id)
    return done, refused
