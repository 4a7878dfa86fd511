"""The customer list's "Recompute class and lifecycle" action.

A mixin for CustomerView (put it before BaseView among the bases); it relies
on the base view's ``scoped()`` and ``_ip()``.
"""
from flask import abort, flash, has_request_context
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l, ngettext
from flask_login import current_user

import models as M
from domain import access, clock
from services import audit
from services.classification import reclassify, transaction


class ReclassifyActionMixin:
    RECLASSIFY_ROLES = access.OFFICE  # owner, manager, specialist

    def is_action_allowed(self, name):
        if name == "reclassify":
            return (has_request_context() and current_user.is_authenticated
                    and current_user.role in self.RECLASSIFY_ROLES)
        return super().is_action_allowed(name)

    @action("reclassify", _l("Recompute class and lifecycle"))
    def action_reclassify(self, ids):
        if not self.is_action_allowed("reclassify"):
            abort(403)
        wanted = [int(i) for i in ids if str(i).isdigit()]
        # Only the selected customers this user may see.
        visible = [cid for (cid,) in self.scoped(M.Customer.select(M.Customer.id))
                   .where(M.Customer.id.in_(wanted)).tuples()]
        with transaction():
            result = reclassify(visible, today=clock.today())
            audit.record(user=current_user.id, action="action", register="customer",
                         record_id=None,
                         changes={"reclassify": [result["total"], result["changed"]]},
                         ip=self._ip())
        flash(ngettext("%(num)d customer recomputed, %(changed)d changed.",
                       "%(num)d customers recomputed, %(changed)d changed.",
                       result["total"], changed=result["changed"]), "success")
