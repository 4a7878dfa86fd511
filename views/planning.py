"""Visit plans, their planned visits, and each specialist's "my visits" queue."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.validators import DataRequired

import models as M
from domain import access
from domain.clock import today
from services import audit
from services.calendar import load_calendar
from services.planning import PlanError, generate_plan, transition_plans
from services.rules import current_rules

from .action_pages import filtered_list_url, return_url, selected_ids, to_form_page
from .base import BaseView
from .dashboard_links import FigureFilter
from .messages import flash_plan_result, translated
from .plan_screens import PlanScreensMixin
from .printing import PrintMixin


def _flash_refusals(done, refused):
    if done:
        flash(ngettext("%(num)d record updated.", "%(num)d records updated.", len(done)),
              "success")
    for record, msgid, params in refused[:5]:
        flash(f"{record}: " + _(msgid, **{k: _(str(v)) for k, v in params.items()}), "error")


class VisitPlanView(PlanScreensMixin, PrintMixin, BaseView):
    column_list = ("name", "kind", "period_start", "period_end", "status",
                   "created_by", "approved_by", "approved_at")
    column_searchable_list = ("name",)
    column_filters = ("kind", "status", "period_start")
    column_default_sort = ("period_start", True)
    form_excluded_columns = BaseView.form_excluded_columns + ("approved_by", "approved_at",
                                                              "status", "created_by")
    column_formatters = {"name": lambda v, c, m, n: Markup(
        f'<a href="{filtered_list_url("planned_visit", M.PlannedVisit.plan, m.id)}">'
        f'{escape(m.name)}</a>')}

    print_forms = ("visit_plan",)
    list_template = "admin/visit_plan/list.html"
    details_template = "admin/visit_plan/details.html"

    def on_model_change(self, form, record, is_created):
        if is_created:
            record.created_by = current_user.id

    def _step(self, ids, name):
        done, refused = transition_plans(
            [p.id for p in self.scoped().where(M.VisitPlan.id.in_(ids))], name, user=current_user)
        for plan in done:
            audit.record(user=current_user.id, action="action", register="visit_plan",
                         record_id=plan.id, changes={"status": [None, plan.status]},
                         ip=request.remote_addr)
        _flash_refusals(done, refused)

    @action("submit", _l("Submit for approval"))
    def action_submit(self, ids):
        self._step(ids, "submit")

    @action("approve", _l("Approve"))
    def action_approve(self, ids):
        self._step(ids, "approve")

    @action("return", _l("Return to draft"))
    def action_return(self, ids):
        self._step(ids, "return")

    @action("close", _l("Close"))
    def action_close(self, ids):
        self._step(ids, "close")

    @action("regenerate", _l("Generate / regenerate items"),
            _l("Add the missing visits for every customer and cancel planned visits of "
               "customers who left the plan?"))
    def action_regenerate(self, ids):
        for plan in self.scoped().where(M.VisitPlan.id.in_(ids)):
            if plan.kind not in ("annual", "quarterly"):
                flash(_("%(plan)s is not an annual or quarterly plan.", plan=plan.name), "error")
                continue
            quarter = None if plan.kind == "annual" else (plan.period_start.month - 1) // 3 + 1
            try:
                r = generate_plan(year=plan.period_start.year, quarter=quarter,
                                  user_id=current_user.id)
            except PlanError as ex:
                flash(translated(ex), "error")
                continue
            audit.record(user=current_user.id, action="action", register="visit_plan",
                         record_id=plan.id, ip=request.remote_addr,
                         changes={"regenerate": [r.kept, r.added]})
            flash_plan_result(plan.name, r)

    def is_action_allowed(self, name):
        if name in ("approve", "return", "close", "regenerate"):
            return current_user.role in access.MANAGEMENT and super().is_action_allowed(name)
        return super().is_action_allowed(name)


def _due_formatter(view, context, model, name):
    """Due date, red when overdue and still planned."""
    if model.status == "planned" and model.due_on < today():
        return Markup(f'<span class="badge badge-danger overdue">{escape(model.due_on)} · '
                      f'{escape(_("Overdue"))}</span>')
    return model.due_on


def _status_formatter(view, context, model, name):
    """Status label; a planned visit offers to record the visit that fulfils it."""
    label = escape(_(dict(model._meta.fields["status"].choices)[model.status]))
    if model.status != "planned":
        return label
    url = url_for("visit.create_view", planned_visit=model.id, url=request.full_path)
    return Markup(f'{label} · <a class="record-visit" href="{escape(url)}">'
                  f'{escape(_("Record visit"))}</a>')


class ReassignForm(BaseForm):
    assignee = SelectField(_l("Assignee"), validators=[DataRequired()], coerce=int)


class PlannedVisitView(PrintMixin, BaseView):
    column_list = ("plan", "customer", "due_on", "channel", "focus", "assignee", "status",
                   "appointment_at", "appointment_contact", "reason")
    column_searchable_list = (M.Customer.name,)
    column_filters = ("plan", "status", "channel", "focus", "assignee", "due_on",
                      FigureFilter("planned_visit"))
    column_default_sort = ("due_on", False)
    column_formatters = {"due_on": _due_formatter, "status": _status_formatter}
    column_formatters_export = {}
    form_excluded_columns = BaseView.form_excluded_columns + ("slot",)
    print_forms = ("visit_record",)  # pre-filled forms to take on the visits

    @action("mark_missed", _l("Mark missed"))
    def action_mark_missed(self, ids):
        rows = list(self.scoped().where(M.PlannedVisit.id.in_(ids)
                                        & (M.PlannedVisit.status == "planned")))
        with M.db.atomic():
            for pv in rows:
                pv.status = "missed"
                pv.save()
                audit.record(user=current_user.id, action="action", register="planned_visit",
                             record_id=pv.id, changes={"status": ["planned", "missed"]},
                             ip=request.remote_addr)
        flash(ngettext("%(num)d planned visit marked missed.",
                       "%(num)d planned visits marked missed.", len(rows)), "success")

    @action("reassign", _l("Reassign"))
    def action_reassign(self, ids):
        return to_form_page(self, "reassign_view", ids)

    def is_action_allowed(self, name):
        if name == "reassign" and current_user.role not in access.MANAGEMENT:
            return False
        return super().is_action_allowed(name)

    @expose("/reassign/", methods=("GET", "POST"))
    def reassign_view(self):
        if current_user.role not in access.MANAGEMENT:
            abort(403)
        rows = list(self.scoped().where(M.PlannedVisit.id.in_(selected_ids() or [0])))
        form = ReassignForm(request.form)
        form.assignee.choices = [(u.id, str(u)) for u in M.User.select().where(
            M.User.active & M.User.role.in_(("specialist", "manager", "owner")))
            .order_by(M.User.name)]
        if request.method == "POST" and form.validate():
            with M.db.atomic():
                for pv in rows:
                    old = pv.assignee_id
                    pv.assignee = form.assignee.data
                    pv.save()
                    audit.record(user=current_user.id, action="update",
                                 register="planned_visit", record_id=pv.id,
                                 changes={"assignee": [old, form.assignee.data]},
                                 ip=request.remote_addr)
            flash(ngettext("%(num)d planned visit reassigned.",
                           "%(num)d planned visits reassigned.", len(rows)), "success")
            return redirect(return_url(self))
        summary = ngettext("%(num)d planned visit selected.", "%(num)d planned visits selected.",
                           len(rows))
        return self.render("admin/action_form.html", form=form, title=_("Reassign"),
                           summary=summary, submit_label=_("Reassign"),
                           return_url=return_url(self))


class MyVisitsView(PlannedVisitView):
    """The assignee's queue: planned visits of approved plans, visible from the
    preparation window (rule visit_preparation_working_days) before they are due."""
    column_default_sort = ("due_on", False)

    def get_query(self):
        rules = current_rules()
        horizon = load_calendar(rules).add_working_days(today(), rules["visit_preparation_working_days"])
        approved = M.VisitPlan.select(M.VisitPlan.id).where(M.VisitPlan.status == "approved")
        return (self.scoped().where((M.PlannedVisit.assignee == current_user.id)
                                    & (M.PlannedVisit.status == "planned")
                                    & (M.PlannedVisit.due_on <= horizon)
                                    & M.PlannedVisit.plan.in_(approved)))

    @property
    def can_create(self):
        return False

    @property
    def can_delete(self):
        return False
