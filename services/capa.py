"""Corrective and preventive actions: workflow steps on many rows (one
transaction, one audit row per changed action). Rules in domain/capa.py."""
from domain import capa as D
from domain.capa import CapaError
from models import CorrectiveAction
from services.steps import apply_each


def take_step(ids, name, *, user, now, verification_notes=None, ip=None):
    """Take step ``name`` on each action among ``ids`` the user may see.
    Returns (done ids, [(id, CapaError)])."""
    return apply_each(CorrectiveAction, "corrective_action", ids, name, user=user,
                      error=CapaError, ip=ip,
                      decide=lambda capa: D.apply(name, capa, now=now, user_id=user.id,
                                                  role=user.role,
                                                  verification_notes=verification_notes))
