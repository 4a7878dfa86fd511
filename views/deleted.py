"""Recently deleted (owner): the deletions of the last 30 days, and a button
that brings one back under its old id (services.undelete)."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from domain import values
from domain.clock import now
from domain.registers import REGISTERS
from queries.recently_deleted import DAYS, PAGE, recently_deleted
from services import undelete

from domain import values

from . import params
from .page_base import PolicyPage

_ENDPOINT_OF = {r.model: r.endpoint for r in REGISTERS}
_LABEL_OF = {r.endpoint: r.label for r in REGISTERS}


def reason(ex):
    """An UndeleteError in the user's language, register and field names too."""
    params = {}
    for key, value in ex.params.items():
        if key in ex.labels:
            value = _(", ").join(_(v) for v in value) if isinstance(value, tuple) else _(value)
        params[key] = value
    return _(ex.msgid, **params)


class DeletedRecordsView(PolicyPage):
    @expose("/")
    def index(self):
        page = params.count("page", default=0, maximum=params.PAGE_MAX)
        rows, total = recently_deleted(now(), page=page)
        labels = {endpoint: _(label) for endpoint, label in _LABEL_OF.items()}
        return self.render("admin/deleted.html", rows=rows, total=total, page=page,
                           pages=max((total + PAGE - 1) // PAGE, 1), days=DAYS, labels=labels)

    @expose("/restore/", methods=("POST",))
    def restore(self):
        self.needs("write")
        entry = request.form.get("entry", "")
        try:
            model, pk = undelete.restore(entry_id=values.parse_key(entry) or 0,
                                         user=current_user.id, now=now(),
                                         ip=request.remote_addr)
        except undelete.UndeleteError as ex:
            flash(_("Not restored: %(reason)s", reason=reason(ex)), "error")
        else:
            # To the record itself: what was brought back is what the owner checks.
            endpoint = _ENDPOINT_OF[model]
            flash(_("%(register)s #%(id)s was restored.", register=_(_LABEL_OF[endpoint]),
                    id=pk), "success")
            return redirect(url_for(f"{endpoint}.details_view", id=pk))
        return redirect(url_for(".index"))
