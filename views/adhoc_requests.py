"""Ad hoc visit requests (临时回访需求): asked for by office roles or the sales
and customer-service departments, approved or refused by a manager; the
approval plans the visit (services.adhoc, domain.adhoc)."""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import ValidationError

import models as M
from domain import adhoc as D
from domain.clock import now
from services import adhoc

from .action_pages import return_url, selected_ids, to_form_page
from .base import BaseView, ScopedAjaxLoader
from .messages import flash_refusals, translated
from .worklists import QueueFilter


class RequesterCustomerLoader(ScopedAjaxLoader):
    """Sales and customer-service staff ask for visits to any customer though
    they see none of the archive: they may look one up by name to ask."""

    def _staff_may_ask(self):
        return current_user.role == "staff" and D.may_request("staff", current_user.department)

    def _scoped(self):
        if self._staff_may_ask():
            return self.model.select()
        return super()._scoped()

    def get_one(self, pk):
        if self._staff_may_ask():
            return self.model.get_or_none(self.model.id == pk)
        return super().get_one(pk)


class DecisionForm(BaseForm):
    note = TextAreaField(_l("Note to the requester"),
                         description=_l("Required when refusing: the requester reads it."))


class AdhocRequestView(BaseView):
    column_list = ("customer", "reason", "wished_on", "requested_by", "requested_at", "status",
                   "decided_by", "decided_at", "decision_note", "due_on")
    column_searchable_list = ("reason", M.Customer.name)
    column_filters = (QueueFilter("adhoc_request"), "status", "requested_by", "requested_at",
                      "wished_on", "due_on")
    column_default_sort = ("requested_at", True)
    form_columns = ("customer", "reason", "wished_on")
    details_template = "admin/adhoc_request/details.html"

    def _create_ajax_loader(self, name, options):
        if name == "customer":
            return RequesterCustomerLoader(name, M.Customer, **options)
        return super()._create_ajax_loader(name, options)

    @property
    def can_edit(self):
        return False  # a request is decided, not edited

    @property
    def can_create(self):
        return super().can_create and D.may_request(current_user.role,
                                                    current_user.department)

    def on_model_change(self, form, record, is_created):
        try:
            adhoc.prepare_request(record, user=current_user, now=now())
        except D.AdhocError as ex:
            raise ValidationError(translated(ex))

    # ------------------------------------------------------------- decisions
    def can_decide(self):
        return current_user.role in D.DECIDING_ROLES

    def is_action_allowed(self, name):
        if name in D.STEPS:
            return self.can_decide()
        return super().is_action_allowed(name)

    @action("approve", _l("Approve…"))
    def action_approve(self, ids):
        return to_form_page(self, "decide_view", ids, step="approve")

    @action("refuse", _l("Refuse…"))
    def action_refuse(self, ids):
        return to_form_page(self, "decide_view", ids, step="refuse")

    @expose("/decide/", methods=("GET", "POST"))
    def decide_view(self):
        name = request.values.get("step", "")
        if name not in D.STEPS:
            abort(404)
        if not self.can_decide():
            abort(403)
        wanted = selected_ids()
        rows = list(self.scoped().where(M.AdhocRequest.id.in_(wanted or [0])))
        form = DecisionForm(request.form)
        if request.method == "POST" and form.validate():
            done, refused = adhoc.decide(wanted, name, user=current_user, now=now(),
                                         note=form.note.data, ip=self._ip())
            if len(set(wanted)) == 1 and refused:
                flash(translated(refused[0][1]), "error")
            else:
                if done:
                    flash(ngettext("%(num)d request decided.", "%(num)d requests decided.",
                                   len(done)), "success")
                flash_refusals(refused)
                return redirect(return_url(self))
        title = _("Approve the ad hoc visit") if name == "approve" else \
            _("Refuse the ad hoc visit")
        summary = "; ".join(f"{r.customer.name}: {r.reason[:40]}" for r in rows[:10])
        return self.render("admin/action_form.html", form=form, title=title,
                           summary=summary or _("Nothing selected."), submit_label=title,
                           return_url=return_url(self))
