"""Satisfaction surveys (顾客满意度调查表): planning a quarter's batch (004 §5.1,
services.surveys), the "Surveys due" queue, sending, and a low score that
opens a corrective action or a demand on request."""
from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired

import models as M
from domain import access
from domain import surveys as D
from domain.clock import now, today
from services import surveys
from services.rules import current_rules

from .action_pages import return_url
from .base import BaseView
from .capa_actions import CapaSourceMixin
from .messages import flash_refusals, translated
from .printing import PrintMixin
from .worklists import QueueFilter


def _next_quarter():
    day = today()
    quarter = (day.month - 1) // 3 + 2
    return f"{day.year + (quarter > 4)}-Q{(quarter - 1) % 4 + 1}"


class PlanSurveysForm(BaseForm):
    period = StringField(_l("Quarter"), validators=[DataRequired()], default=_next_quarter,
                         description=_l("Like 2027-Q1. Key customers once a year, other "
                                        "customers once a year where possible, a customer "
                                        "who said they were dissatisfied again sooner; never "
                                        "twice in a quarter, never do-not-disturb customers."))


class SatisfactionSurveyView(PrintMixin, CapaSourceMixin, BaseView):
    column_list = ("customer", "period", "status", "plan_reason", "method", "sent_at",
                   "returned_at", "score_quality", "score_service", "overall")
    column_searchable_list = ("period", M.Customer.name)
    column_filters = (QueueFilter("satisfaction_survey"), "period", "status", "plan_reason",
                      "method", "overall", "returned_at")
    column_default_sort = ("period", True)
    form_excluded_columns = BaseView.form_excluded_columns + ("overall", "status", "plan_reason")
    details_template = "admin/satisfaction_survey/details.html"
    list_template = "admin/satisfaction_survey/list.html"
    capa_source = "survey"
    print_forms = ("satisfaction_survey",)

    def on_model_change(self, form, record, is_created):
        # Overall is the mean of the indicators the customer scored.
        scores = [getattr(record, f) for f in M.SatisfactionSurvey.SCORE_FIELDS]
        scores = [int(s) for s in scores if s not in (None, "")]
        record.overall = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01")) \
            if scores else None
        record.status = surveys.status_of(record)

    # ------------------------------------------------------------- planning
    def can_plan(self):
        return current_user.role in access.MANAGEMENT

    @expose("/plan/", methods=("GET", "POST"))
    def plan_view(self):
        if not self.can_plan():
            abort(403)
        form = PlanSurveysForm(request.form)
        if request.method == "POST" and form.validate():
            try:
                r = surveys.plan_surveys(form.period.data.strip().upper(), now=now(),
                                         user=current_user, ip=self._ip())
            except surveys.SurveyError as ex:
                flash(translated(ex), "error")
            else:
                flash(_("%(period)s: %(key)d key customers, %(general)d other customers and "
                        "%(dissatisfied)d dissatisfied customers planned; %(already)d already "
                        "planned, %(quiet)d do-not-disturb left out.",
                        period=form.period.data.strip().upper(), key=r["key"],
                        general=r["general"], dissatisfied=r["dissatisfied"],
                        already=r["already"], quiet=r["do_not_disturb"]), "success")
                return redirect(self.get_url(".index_view"))
        return self.render("admin/action_form.html", form=form, title=_("Plan surveys"),
                           summary=None, submit_label=_("Plan"), return_url=return_url(self))

    @action("send", _l("Mark sent"))
    def action_send(self, ids):
        done, refused = surveys.mark_sent(ids, user=current_user, now=now(), ip=self._ip())
        if done:
            flash(ngettext("%(num)d survey sent.", "%(num)d surveys sent.", len(done)), "success")
        flash_refusals(refused)

    def is_action_allowed(self, name):
        if name == "send":
            return self._may("write")
        return super().is_action_allowed(name)

    # ------------------------------------------------------------- low scores
    def is_low(self, survey):
        """A returned survey below the rule's satisfied score."""
        low = Decimal(str(current_rules()["survey_satisfied_min_overall"]))
        return survey.overall is not None and Decimal(survey.overall) < low

    def can_open_demand(self):
        return access.may(current_user, "write", "demand")

    def demand_url(self, survey):
        return url_for("demand.create_view", survey=survey.id)


class DemandFromSurveyMixin:
    """For the demand view: ``/new/?survey=<id>`` comes filled in from a survey
    the user may see (a low score followed up as a demand)."""

    def create_form(self, obj=None):
        form = super().create_form(obj)
        raw = request.args.get("survey")
        if request.method == "GET" and raw:
            survey = access.visible_one(M.SatisfactionSurvey, current_user, raw)
            if survey is None:
                abort(404)
            for field, value in D.demand_prefill(survey, today()).items():
                if field in form:
                    form[field].data = survey.customer if field == "customer" else value
        return form
