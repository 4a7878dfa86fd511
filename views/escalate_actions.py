"""Escalation on the complaint and visit-problem lists: a manager's
"Escalate…" action (reason required, one or many rows), the SLA sweep run
when the list opens (at most every ``sla_sweep_interval_minutes``), and the
stored reason shown in the user's language."""
from flask import abort, current_app, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from peewee import PeeweeException
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from admin_app.database import cannot_write
from domain import escalation as D
from domain.clock import now
from services import escalation
from services.rules import current_rules

from .action_pages import return_url, selected_ids, to_form_page
from .messages import flash_refusals


class EscalateForm(BaseForm):
    reason = TextAreaField(_l("Escalation reason"), validators=[DataRequired()],
                           description=_l("Why this needs the supervisor's or the manager's "
                                          "attention; it is kept with the record."))


def escalation_reason_formatter(view, context, model, name):
    return view.reason_text(model.escalation_reason)


def escalation_level_formatter(view, context, model, name):
    return view.level_label(model.escalation_level) if model.escalation_level else ""


def sweep_when_due():
    """Run the SLA sweep if the last one is older than the rule's interval.
    A database that cannot be written skips it: the page still shows what is
    there, and the log says why nothing was escalated."""
    rules = current_rules()
    try:
        escalation.sweep_if_due(now(), rules["sla_sweep_interval_minutes"])
    except PeeweeException as ex:
        if not cannot_write(ex):
            raise
        current_app.logger.warning("SLA sweep skipped, the database cannot be written: %s", ex)


class EscalationMixin:
    """For BaseView subclasses over Complaint / VisitIssue."""

    def _handle_view(self, name, **kwargs):
        if name == "index_view" and self.is_accessible():
            sweep_when_due()
        return super()._handle_view(name, **kwargs)

    def can_escalate(self):
        return current_user.role in D.ESCALATING_ROLES and self._may("read")

    def is_action_allowed(self, name):
        if name == "escalate":
            return self.can_escalate()
        return super().is_action_allowed(name)

    # For the details page (admin/_escalations.html, the complaint timeline).
    def escalations(self, record):
        return escalation.history(self.endpoint, record.id)

    def level_label(self, level):
        return _(dict(D.LEVELS)[min(level or 0, D.TOP_LEVEL)])

    def reason_text(self, reason):
        label = D.reason_label(self.endpoint, reason)
        return _(label) if label else (reason or "")

    @action("escalate", _l("Escalate…"))
    def action_escalate(self, ids):
        return to_form_page(self, "escalate_view", ids)

    @expose("/escalate/", methods=("GET", "POST"))
    def escalate_view(self):
        if not self.is_action_allowed("escalate"):
            abort(403)
        wanted = selected_ids()
        rows = list(self.scoped().where(self.model.id.in_(wanted or [0])))
        form = EscalateForm(request.form)
        if request.method == "POST" and form.validate():
            done, refused = escalation.escalate(self.endpoint, wanted, form.reason.data,
                                                user=current_user, now=now(), ip=self._ip())
            if done:
                flash(ngettext("%(num)d record escalated.", "%(num)d records escalated.",
                               len(done)), "success")
            flash_refusals(refused)
            return redirect(return_url(self))
        summary = ngettext("%(num)d record selected.", "%(num)d records selected.", len(rows))
        return self.render("admin/action_form.html", form=form, title=_("Escalate"),
                           summary=summary, submit_label=_("Escalate"),
                           return_url=return_url(self))
