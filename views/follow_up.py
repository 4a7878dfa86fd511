"""Visit records, visit problems, customer care.

Thin views: deadlines, the problem workflow, planned-visit links and care
generation are in services/ (issues, visits, care) and domain/.
"""
from datetime import date

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.fields import MonthField
from wtforms.validators import DataRequired, ValidationError

import models as M
from domain import access, choices
from domain.escalation import FINISHED
from domain import issues as D
from domain.clock import now, today
from services import care, issues, visits
from services.calendar import load_calendar
from services.rules import current_rules

from .action_pages import return_url, selected_ids, to_form_page
from .base import BaseView
from .capa_actions import CapaSourceMixin
from .dashboard_links import FigureFilter
from .deadlines import deadline_formatter
from .escalate_actions import (EscalationMixin, escalation_level_formatter,
                               escalation_reason_formatter)
from .issue_steps import STEP_LABELS, step_form, step_values
from .messages import flash_refusals, flash_schedule_warning, translated
from .printing import PrintMixin
from .worklists import QueueFilter


# ----------------------------------------------------------------- visits

class VisitView(PrintMixin, BaseView):
    column_list = ("customer", "visited_at", "channel", "staff", "contact_person",
                   "purpose", "satisfaction", "follow_up_needed", "entered_late")
    column_searchable_list = ("purpose", "contact_person", M.Customer.name)
    column_filters = ("channel", "staff", "satisfaction", "follow_up_needed", "entered_late",
                      "visited_at")
    column_default_sort = ("visited_at", True)
    form_excluded_columns = BaseView.form_excluded_columns + ("entered_late",)
    details_template = "admin/visit/details.html"
    print_forms = ("visit_record",)

    def create_form(self, obj=None):
        form = super().create_form(obj)
        raw = request.args.get("planned_visit")
        if request.method == "GET" and raw:
            planned = access.visible_one(M.PlannedVisit, current_user, raw)
            if planned is not None:
                form.planned_visit.data = planned
                form.customer.data = planned.customer
                form.channel.data = planned.channel
                form.staff.data = planned.assignee
                focus = dict(choices.VISIT_FOCUS).get(planned.focus)
                form.purpose.data = _(focus) if focus else None
        return form

    def on_model_change(self, form, record, is_created):
        # Checked before the save so the link made after it cannot fail.
        try:
            visits.check_link(record)
        except visits.VisitError as ex:
            raise ValidationError(translated(ex))
        rules = current_rules()
        record.entered_late = visits.is_entered_late(
            record.visited_at, record.created_at or now(), rules, load_calendar(rules))
        if not is_created:  # an existing visit links inside the save transaction
            visits.link_planned_visit(record, user=current_user.id, ip=self._ip())

    def after_model_change(self, form, record, is_created):
        # A new visit has no id until saved: link it in a transaction of its own.
        if is_created:
            visits.link_planned_visit(record, user=current_user.id, ip=self._ip())

    def can_raise_issue(self):
        return access.may(current_user, "write", "visit_issue")


# ----------------------------------------------------------------- problems

WORKFLOW_FIELDS = ("status", "dispatch_due", "response_due", "resolve_due", "dispatched_at",
                   "responded_at", "resolved_at", "confirmed_at", "customer_evaluation",
                   "next_follow_up_on",
                   "level_reason", "escalation_level", "escalated_at", "escalation_reason",
                   "sla_missed")


ISSUE_FORMATTERS = {
    "dispatch_due": deadline_formatter("dispatched_at", FINISHED["visit_issue"]),
    "response_due": deadline_formatter("responded_at", FINISHED["visit_issue"]),
    "resolve_due": deadline_formatter("resolved_at", FINISHED["visit_issue"]),
    "escalation_level": escalation_level_formatter,
    "escalation_reason": escalation_reason_formatter,
}


class VisitIssueView(PrintMixin, EscalationMixin, CapaSourceMixin, BaseView):
    column_list = ("customer", "description", "category", "level", "department",
                   "assignee", "raised_at", "response_due", "resolve_due", "next_follow_up_on",
                   "status", "escalation_level")
    column_searchable_list = ("description", M.Customer.name)
    column_filters = (QueueFilter("visit_issue"), FigureFilter("visit_issue"), "status", "level", "category", "department",
                      "assignee", "raised_at", "resolve_due", "next_follow_up_on",
                      "escalation_level")
    column_default_sort = ("raised_at", True)
    column_formatters = ISSUE_FORMATTERS
    column_formatters_detail = ISSUE_FORMATTERS
    column_details_exclude_list = ("sla_missed",)
    details_template = "admin/visit_issue/details.html"
    capa_source = "visit_issue"
    print_forms = ("visit_problem",)
    # Deadlines and the workflow are set by the system and the list actions.
    form_excluded_columns = BaseView.form_excluded_columns + WORKFLOW_FIELDS
    form_extra_fields = {
        "level_change_reason": TextAreaField(
            _l("Reason for the level change"),
            description=_l("Required when you change the level; the deadlines are "
                           "recomputed from the time the problem was raised.")),
    }

    def create_form(self, obj=None):
        form = super().create_form(obj)
        del form["level_change_reason"]
        raw = request.args.get("visit")
        if request.method == "GET" and raw:
            visit = access.visible_one(M.Visit, current_user, raw)
            if visit is not None:
                form.visit.data = visit
                form.customer.data = visit.customer
        return form

    def on_model_change(self, form, record, is_created):
        if record.visit_id:
            record.customer = M.Visit.get_by_id(record.visit_id).customer_id
        rules = current_rules()
        calendar = load_calendar(rules)
        if is_created:
            issues.apply_deadlines(record, now=now(), rules=rules, calendar=calendar)
            return
        for field, value in D.dispatched_on_raise(record, now()).items():
            setattr(record, field, value)  # a department and handler given while open
        before = M.VisitIssue.get_by_id(record.id)
        record.raised_at = record.raised_at or before.raised_at
        reason = form.level_change_reason.data if "level_change_reason" in form else None
        try:
            changes = D.edit_changes(before, record, reason, rules, calendar)
        except D.TransitionError as ex:
            raise ValidationError(translated(ex))
        for field, value in changes.items():
            setattr(record, field, value)

    # ------------------------------------------------------------- workflow
    def is_action_allowed(self, name):
        step = D.TRANSITIONS.get(name)
        if step is not None:
            return self._may("write") and current_user.role in step.roles
        return super().is_action_allowed(name)

    def allowed_steps(self, record):
        """The step buttons of the problem's page: those its status allows."""
        if not self._may("write"):
            return []
        return D.allowed_steps(record.status, current_user.role)

    def step_label(self, name):
        return _(STEP_LABELS[name])

    def follow_up_log(self, record):
        return issues.follow_up_log(record)

    def follow_up_step(self, line):
        label = dict(choices.ISSUE_STEPS).get(line.step)
        return _(label) if label else ""

    def _to_step(self, name, ids):
        return to_form_page(self, "step_view", ids, step=name)

    @action("dispatch", _l("Dispatch to a department…"))
    def action_dispatch(self, ids):
        return self._to_step("dispatch", ids)

    @action("start", _l("Start handling…"))
    def action_start(self, ids):
        return self._to_step("start", ids)

    @action("resolve", _l("Resolved (solution entered)…"))
    def action_resolve(self, ids):
        return self._to_step("resolve", ids)

    @action("follow_up", _l("Record a follow-up…"))
    def action_follow_up(self, ids):
        return self._to_step("follow_up", ids)

    @action("confirm", _l("Customer confirmed: close…"))
    def action_confirm(self, ids):
        return self._to_step("confirm", ids)

    @action("reopen", _l("Reopen…"))
    def action_reopen(self, ids):
        return self._to_step("reopen", ids)

    @expose("/dispatch/", methods=("GET", "POST"))
    def dispatch_view(self):
        return self._step_page("dispatch")

    @expose("/step/", methods=("GET", "POST"))
    def step_view(self):
        return self._step_page(request.values.get("step", ""))

    def _step_page(self, name):
        if name not in D.TRANSITIONS:
            abort(404)
        if not self.is_action_allowed(name):
            abort(403)
        wanted = selected_ids()
        rows = list(self.scoped().where(M.VisitIssue.id.in_(wanted or [0])))
        single = rows[0] if len(rows) == 1 else None
        form = step_form(name, request.form, single)
        if request.method == "GET":
            # Say at once which selected problems cannot take the step, and why.
            step = D.TRANSITIONS[name]
            unable = [r for r in rows if r.status not in step.sources]
            if unable:
                flash(_("%(num)d of the selected problems cannot take this step: %(reason)s",
                        num=len(unable), reason=_(step.refusal)), "warning")
        if request.method == "POST" and form.validate():
            values = step_values(form)
            done, refused = issues.transition(wanted, name, user=current_user, now=now(),
                                              ip=self._ip(), **values)
            if single is not None and len(set(wanted)) == 1 and refused:
                flash(translated(refused[0][1]), "error")  # keep what was typed
            else:
                if done:
                    flash(ngettext("%(num)d problem updated.", "%(num)d problems updated.",
                                   len(done)), "success")
                flash_refusals(refused)
                return redirect(return_url(self))
        summary = ngettext("%(num)d problem selected.", "%(num)d problems selected.", len(rows))
        if single is not None:
            summary = f"#{single.id} {single.description[:60]}"
        return self.render("admin/action_form.html", form=form, title=self.step_label(name),
                           summary=summary, submit_label=self.step_label(name),
                           return_url=return_url(self))


# ----------------------------------------------------------------- care

def _next_month():
    first = today().replace(day=1)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


class GenerateCareForm(BaseForm):
    month = MonthField(_l("Month"), validators=[DataRequired()], default=_next_month,
                       description=_l("Birthday greetings for contacts born in this month and "
                                      "holiday greetings for its holidays; never for "
                                      "do-not-disturb customers, never twice."))


class CareEventView(BaseView):
    column_list = ("customer", "contact", "kind", "scheduled_for", "done_at", "channel")
    column_searchable_list = ("notes", M.Customer.name)
    column_filters = ("kind", "channel", "scheduled_for", "done_at")
    column_default_sort = ("scheduled_for", False)
    list_template = "admin/care_event/list.html"

    @expose("/generate/", methods=("GET", "POST"))
    def generate_view(self):
        if not self._may("write"):
            abort(403)
        form = GenerateCareForm(request.form)
        if request.method == "POST" and form.validate():
            year, month = form.month.data.year, form.month.data.month
            customer_ids = None
            if current_user.role not in access.MANAGEMENT:  # a specialist: own customers
                customer_ids = [c.id for c in access.scope_query(
                    M.Customer.select(M.Customer.id), M.Customer, current_user)]
            calendar = load_calendar()
            result = care.generate_care(year, month, customer_ids=customer_ids,
                                        user=current_user.id, ip=self._ip(), calendar=calendar)
            flash(_("%(month)s: %(added)d greetings added, %(skipped)d left out (do not "
                    "disturb), %(existing)d already scheduled.",
                    month=f"{year:04d}-{month:02d}", added=result["added"],
                    skipped=result["skipped_dnd"], existing=result["existing"]), "success")
            first = date(year, month, 1)
            flash_schedule_warning(calendar.missing_years(first, first))
            return redirect(self.get_url(".index_view"))
        return self.render("admin/action_form.html", form=form,
                           title=_("Generate birthday and holiday greetings"), summary=None,
                           submit_label=_("Generate"), return_url=return_url(self))
