"""Complaints, their follow-ups, and corrective & preventive actions.

Thin views: numbering, deadlines, the workflow and escalation are in
services/ (complaints, escalation, capa) and domain/.
"""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

import models as M
from domain import access, choices
from domain import capa as CAPA
from domain import complaints as D
from domain.clock import now
from domain.escalation import FINISHED
from services import capa, complaints
from services.numbering import yearly_number

from .action_pages import return_url, selected_ids, to_form_page
from .base import BaseView
from .capa_actions import CapaSourceMixin
from .complaint_steps import step_form, step_label, step_values
from .dashboard_links import FigureFilter
from .deadlines import date_due_formatter, deadline_formatter
from .escalate_actions import (EscalationMixin, escalation_level_formatter,
                               escalation_reason_formatter)
from .messages import flash_refusals, translated
from .printing import PrintMixin
from .worklists import QueueFilter

_done = FINISHED["complaint"]
COMPLAINT_FORMATTERS = {
    "contact_due": deadline_formatter("contacted_at", _done),
    "response_due": deadline_formatter("responded_at", _done),
    "plan_due": deadline_formatter("planned_at", _done),
    "close_due": deadline_formatter("closed_at", _done),
    "promised_due": deadline_formatter("closed_at", _done),
    "escalation_level": escalation_level_formatter,
    "escalation_reason": escalation_reason_formatter,
}
# Set by the system and the workflow steps, never typed in the form.
SYSTEM_FIELDS = ("number", "status", "contact_due", "response_due", "plan_due", "close_due",
                 "contacted_at", "responded_at", "planned_at", "closed_at",
                 "customer_satisfied", "customer_score", "escalation_level", "escalated_at",
                 "escalation_reason", "sla_missed", "reopen_count", "recheck_on")
# Worked out later in the handling; the registration form stays short.
HANDLING_FIELDS = ("root_cause_category", "root_cause", "responsibility", "solution",
                   "compensation")


class ComplaintView(PrintMixin, EscalationMixin, CapaSourceMixin, BaseView):
    column_list = ("number", "customer", "received_at", "category", "severity", "department",
                   "handler", "status", "contact_due", "response_due", "plan_due", "close_due",
                   "promised_due", "escalation_level")
    column_searchable_list = ("number", "description", "complainant", "complainant_phone",
                              M.Customer.name)
    column_filters = (QueueFilter("complaint"), FigureFilter("complaint"), "status", "category", "severity", "channel",
                      "department", "handler", "received_at", "close_due", "promised_due",
                      "escalation_level", "customer_satisfied", "target_kind", "recheck_on")
    column_default_sort = ("received_at", True)
    column_formatters = COMPLAINT_FORMATTERS
    column_formatters_detail = COMPLAINT_FORMATTERS
    column_details_exclude_list = ("sla_missed",)
    form_excluded_columns = BaseView.form_excluded_columns + SYSTEM_FIELDS
    details_template = "admin/complaint/details.html"
    list_template = "admin/_print_list.html"
    capa_source = "complaint"
    print_forms = ("complaint_report", "complaint_registration")

    def create_form(self, obj=None):
        form = super().create_form(obj)
        for name in HANDLING_FIELDS:
            if name in form:
                del form[name]
        return form

    def on_model_change(self, form, record, is_created):
        try:
            complaints.check_target_and_promise(record)
        except D.StepError as ex:
            raise ValidationError(translated(ex))
        if is_created:  # inside the save's transaction: the number is reserved there
            complaints.prepare_new(record, now=now())
        elif record.received_at != M.Complaint.get_by_id(record.id).received_at:
            complaints.redo_deadlines(record)

    # ------------------------------------------------------------- workflow
    def allowed_steps(self, record):
        if not self._may("write"):
            return []
        return D.allowed_steps(record.status, current_user.role)

    def step_label(self, name, record=None):
        return _(step_label(name, getattr(record, "status", None)))

    def timeline(self, record):
        return complaints.timeline(record)

    def follow_up_step(self, follow_up):
        label = dict(choices.COMPLAINT_STEPS).get(follow_up.step)
        return _(label) if label else ""

    def is_action_allowed(self, name):
        step = D.STEPS.get(name)
        if step is not None:
            return self._may("write") and current_user.role in step.roles
        return super().is_action_allowed(name)

    def _to_step(self, name, ids):
        return to_form_page(self, "step_view", ids, step=name)

    @action("dispatch", _l("Dispatch to a department…"))
    def action_dispatch(self, ids):
        return self._to_step("dispatch", ids)

    @action("acknowledge", _l("Acknowledge (customer contacted)…"))
    def action_acknowledge(self, ids):
        return self._to_step("acknowledge", ids)

    @action("investigate", _l("Start investigating…"))
    def action_investigate(self, ids):
        return self._to_step("investigate", ids)

    @action("resolve", _l("Set the handling plan…"))
    def action_resolve(self, ids):
        return self._to_step("resolve", ids)

    @action("await_customer", _l("Solution given, await the customer…"))
    def action_await_customer(self, ids):
        return self._to_step("await_customer", ids)

    @action("close", _l("Close with the customer's verdict…"))
    def action_close(self, ids):
        return self._to_step("close", ids)

    @action("reopen", _l("Reopen…"))
    def action_reopen(self, ids):
        return self._to_step("reopen", ids)

    @action("note", _l("Add a follow-up note…"))
    def action_note(self, ids):
        return self._to_step("note", ids)

    @expose("/step/", methods=("GET", "POST"))
    def step_view(self):
        name = request.values.get("step", "")
        if name not in D.STEPS:
            abort(404)
        if not self.is_action_allowed(name):
            abort(403)
        wanted = selected_ids()
        rows = list(self.scoped().where(M.Complaint.id.in_(wanted or [0])))
        single = rows[0] if len(rows) == 1 else None
        tracking = name == "note" and any(r.status == "closed" for r in rows)
        form = step_form(name, request.form, single, tracking=tracking)
        if request.method == "POST" and form.validate():
            values = step_values(form)
            values.pop("result"), values.pop("next_step")
            done, refused = complaints.take_step(
                wanted, name, user=current_user, now=now(), ip=self._ip(),
                result=form.data.get("result"), next_step=form.data.get("next_step"),
                **values)
            if single is not None and len(set(wanted)) == 1 and refused:
                # One complaint: keep what was typed and say what is missing.
                flash(translated(refused[0][1]), "error")
            else:
                if done:
                    flash(ngettext("%(num)d complaint updated.", "%(num)d complaints updated.",
                                   len(done)), "success")
                flash_refusals(refused)
                return redirect(return_url(self))
        summary = ", ".join(r.number for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        label = self.step_label(name, single)
        return self.render("admin/action_form.html", form=form, title=label,
                           summary=summary or _("Nothing selected."),
                           submit_label=label, return_url=return_url(self))


class ComplaintFollowUpView(BaseView):
    column_list = ("complaint", "at", "by", "step", "action", "result", "next_step",
                   "customer_satisfied", "customer_score")
    column_searchable_list = ("action", "result", M.Complaint.number)
    column_filters = ("at", "by", "step", "customer_satisfied")
    column_default_sort = ("at", True)


# ----------------------------------------------------------------- CAPA

class VerifyForm(BaseForm):
    verification_notes = TextAreaField(_l("Verification notes"), validators=[DataRequired()])


CAPA_FORMATTERS = {"due_on": date_due_formatter(("done", "verified"))}


class CorrectiveActionView(PrintMixin, BaseView):
    column_list = ("number", "source", "source_ref", "problem", "action_type",
                   "department", "owner", "due_on", "status", "verified_by")
    column_searchable_list = ("number", "problem", "source_ref")
    column_filters = (QueueFilter("corrective_action"), "source", "action_type", "department",
                      "owner", "status", "due_on")
    column_default_sort = ("due_on", False)
    column_formatters = CAPA_FORMATTERS
    column_formatters_detail = CAPA_FORMATTERS
    form_excluded_columns = BaseView.form_excluded_columns + (
        "number", "status", "verified_by", "verified_at")
    form_args = {"source_ref": {"validators": [Optional()]}}
    print_forms = ("corrective_action",)

    def create_form(self, obj=None):
        form = super().create_form(obj)
        kind, ref = request.args.get("source"), request.args.get("ref")
        if request.method == "GET" and kind in ("complaint", "visit_issue", "survey") and ref:
            model = {"complaint": M.Complaint, "visit_issue": M.VisitIssue,
                     "survey": M.SatisfactionSurvey}[kind]
            source = access.visible_one(model, current_user, ref)
            if source is None:
                abort(404)
            for field, value in CAPA.prefill(kind, source).items():
                if field in form:
                    form[field].data = value
        return form

    def on_model_change(self, form, record, is_created):
        if is_created:
            record.number = yearly_number(M.CorrectiveAction.number, "CA", now().year)

    def is_action_allowed(self, name):
        step = CAPA.STEPS.get(name)
        if step is not None:
            return self._may("write") and current_user.role in step.roles
        return super().is_action_allowed(name)

    def _step(self, ids, name, **options):
        done, refused = capa.take_step(ids, name, user=current_user, now=now(),
                                       ip=self._ip(), **options)
        if done:
            flash(ngettext("%(num)d action updated.", "%(num)d actions updated.", len(done)),
                  "success")
        flash_refusals(refused)

    @action("start", _l("Start"))
    def action_start(self, ids):
        self._step(ids, "start")

    @action("complete", _l("Mark done"))
    def action_complete(self, ids):
        self._step(ids, "complete")

    @action("verify", _l("Verify…"))
    def action_verify(self, ids):
        return to_form_page(self, "verify_view", ids)

    @action("reopen", _l("Reopen"), _l("Reopen the selected actions?"))
    def action_reopen(self, ids):
        self._step(ids, "reopen")

    @expose("/verify/", methods=("GET", "POST"))
    def verify_view(self):
        if not self.is_action_allowed("verify"):
            abort(403)
        rows = list(self.scoped().where(M.CorrectiveAction.id.in_(selected_ids() or [0])))
        form = VerifyForm(request.form)
        if request.method == "POST" and form.validate():
            self._step([r.id for r in rows], "verify",
                       verification_notes=form.verification_notes.data)
            return redirect(return_url(self))
        summary = ", ".join(r.number for r in rows[:10])
        return self.render("admin/action_form.html", form=form, title=_("Verify"),
                           summary=summary, submit_label=_("Verify"),
                           return_url=return_url(self))

