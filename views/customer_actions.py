"""Customer list actions that need a small form: generate a visit plan, and
request an ad hoc visit. Mixed into CustomerView."""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from domain import access
from domain.choices import VISIT_FOCUS
from domain.planning import CAMPAIGN_FOCUS
from domain.clock import now
from domain.i18n import TranslatableError
from models import PlannedVisit
from services import audit
from services.adhoc import request_visits
from services.planning import generate_plan

from .action_pages import (filtered_list_url, matching_count, matching_ids, return_url,
                           selected_ids, to_form_page)
from .messages import NOTHING_VISIBLE, flash_plan_result, translated


class PlanForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    quarter = SelectField(_l("Plan period"), choices=[("", _l("Whole year")), ("1", _l("Quarter 1")),
                                                 ("2", _l("Quarter 2")), ("3", _l("Quarter 3")),
                                                 ("4", _l("Quarter 4"))]
                          + [(f"m{m}", _l("Month %(month)d (campaign)", month=m))
                             for m in range(1, 13)],
                          validators=[Optional()],
                          description=_l("A quarter adjusts the year's annual plan for it; a "
                                         "month makes its campaign plan (choose the campaign)."))
    focus = SelectField(_l("Campaign (monthly plan)"),
                        choices=[("", "—")] + [(c, _l(label)) for c, label in VISIT_FOCUS
                                               if c in CAMPAIGN_FOCUS],
                        validators=[Optional()])
    scope = RadioField(_l("Customers"), choices=[("selected", ""), ("filter", "")],
                       default="selected")


class AdhocForm(BaseForm):
    reason = TextAreaField(_l("Reason (major event: expansion, upgrade, unresolved complaint…)"),
                           validators=[DataRequired()])
    wished_on = DateField(_l("Wished date"), validators=[Optional()],
                          description=_l("A manager approves the request; the visit then "
                                         "starts within 48 hours."))


class CustomerActionsMixin:
    @action("generate_plan", _l("Generate visit plan"))
    def action_generate_plan(self, ids):
        return to_form_page(self, "plan_view", ids)

    @action("adhoc_visit", _l("Request ad hoc visit"))
    def action_adhoc_visit(self, ids):
        return to_form_page(self, "adhoc_view", ids)

    def is_action_allowed(self, name):
        if name == "generate_plan" and current_user.role not in access.MANAGEMENT:
            return False
        return super().is_action_allowed(name)

    def _visible(self, ids):
        return [c.id for c in self.scoped().where(self.model.id.in_(ids or [0]))]

    @expose("/plan/", methods=("GET", "POST"))
    def plan_view(self):
        if current_user.role not in access.MANAGEMENT:
            abort(403)
        ids = self._visible(selected_ids())
        today = now().date()
        form = PlanForm(request.form, year=today.year + (1 if today.month == 12 else 0))
        form.scope.choices = [
            ("selected", ngettext("the %(num)d selected customer", "the %(num)d selected customers", len(ids))),
            ("filter", ngettext("all %(num)d customer matching the list's filter",
                                "all %(num)d customers matching the list's filter",
                                matching_count(self)))]
        if request.method == "POST" and form.validate():
            chosen = ids if form.scope.data == "selected" else matching_ids(self)
            if not chosen:
                flash(_(NOTHING_VISIBLE), "error")
                return redirect(return_url(self))
            period = form.quarter.data or ""
            quarter = int(period) if period.isdigit() else None
            month = int(period[1:]) if period.startswith("m") else None
            try:
                result = generate_plan(year=form.year.data, quarter=quarter, month=month,
                                       focus=form.focus.data or None, customer_ids=chosen,
                                       prune=False, user_id=current_user.id)
            except TranslatableError as ex:
                flash(translated(ex), "error")
            else:
                audit.record(user=current_user.id, action="action", register="visit_plan",
                             record_id=result.plan.id, ip=request.remote_addr,
                             changes={"generate": [len(chosen), result.added]})
                flash_plan_result(result.plan.name, result)
                return redirect(filtered_list_url("planned_visit", PlannedVisit.plan,
                                                  result.plan.id))
        return self.render("admin/action_form.html", form=form, title=_("Generate visit plan"),
                           summary=None, submit_label=_("Generate"), return_url=return_url(self))

    @expose("/adhoc/", methods=("GET", "POST"))
    def adhoc_view(self):
        ids = self._visible(selected_ids())
        form = AdhocForm(request.form)
        if request.method == "POST" and not ids:
            # Only ids the user may not see (or none): no plan, no visit.
            flash(_(NOTHING_VISIBLE), "error")
            return redirect(return_url(self))
        if request.method == "POST" and form.validate():
            try:  # a request: a manager approves it (000 §10)
                made = request_visits(ids, reason=form.reason.data,
                                      wished_on=form.wished_on.data, user=current_user,
                                      now=now(), ip=request.remote_addr)
            except TranslatableError as ex:
                flash(translated(ex), "error")
            else:
                flash(ngettext("%(num)d ad hoc visit requested; a manager approves it.",
                               "%(num)d ad hoc visits requested; a manager approves them.",
                               len(made)), "success")
                return redirect(return_url(self))
        summary = ngettext("%(num)d customer selected.", "%(num)d customers selected.", len(ids))
        return self.render("admin/action_form.html", form=form,
                           title=_("Request ad hoc visit"), summary=summary,
                           submit_label=_("Request"), return_url=return_url(self))
