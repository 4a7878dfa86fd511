"""The visit plan screens of managers: the quarterly adjustment of the annual
plan (000 §9 每季度首月5日前调整) and a month's campaign plan (000 §5 月度回访计划:
新品推广, 政策宣贯, 满意度调查). Mixed into VisitPlanView; the work is
services.planning's."""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.form import BaseForm
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange

import models as M
from domain import access
from domain.choices import VISIT_FOCUS
from domain.clock import today
from domain.i18n import TranslatableError
from domain.planning import CAMPAIGN_FOCUS
from services import audit
from services.planning import generate_plan

from .action_pages import filtered_list_url, return_url
from .messages import flash_plan_result, translated


def _this_quarter():
    return str((today().month - 1) // 3 + 1)


class AdjustForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)],
                        default=lambda: today().year)
    quarter = SelectField(_l("Quarter"), choices=[(str(q), str(q)) for q in (1, 2, 3, 4)],
                          default=_this_quarter,
                          description=_l("The annual plan's visits of the quarter follow the "
                                         "customers' classes today: added for new or "
                                         "reclassified customers, cancelled for leavers, due "
                                         "dates moved into a shorter window. Done visits and "
                                         "hand edits stay."))


class CampaignForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)],
                        default=lambda: today().year)
    month = SelectField(_l("Month"), choices=[(str(m), str(m)) for m in range(1, 13)],
                        default=lambda: str(today().month))
    focus = SelectField(_l("Campaign"), choices=[(c, _l(label)) for c, label in VISIT_FOCUS
                                                 if c in CAMPAIGN_FOCUS],
                        description=_l("One visit per customer in the month, never for "
                                       "do-not-disturb customers, never twice."))


class PlanScreensMixin:
    def can_plan(self):
        return current_user.role in access.MANAGEMENT

    def plan_adjustments(self, plan):
        """The quarterly adjustments recorded on ``plan``, newest first."""
        return list(M.PlanAdjustment.select(M.PlanAdjustment, M.User)
                    .join(M.User, on=(M.PlanAdjustment.by == M.User.id), join_type=JOIN.LEFT_OUTER)
                    .where(M.PlanAdjustment.plan == plan.id)
                    .order_by(M.PlanAdjustment.at.desc(), M.PlanAdjustment.id.desc()))

    def _run(self, form, title, submit, args):
        if not self.can_plan():
            abort(403)
        if request.method == "POST" and form.validate():
            try:
                result = generate_plan(user_id=current_user.id, **args(form))
            except TranslatableError as ex:
                flash(translated(ex), "error")
            else:
                audit.record(user=current_user.id, action="action", register="visit_plan",
                             record_id=result.plan.id, ip=self._ip(),
                             changes={"generate": [None, {"added": result.added,
                                                          "cancelled": result.cancelled,
                                                          "moved": result.moved}]})
                flash_plan_result(result.plan.name, result)
                return redirect(filtered_list_url("planned_visit", M.PlannedVisit.plan,
                                                  result.plan.id))
        return self.render("admin/action_form.html", form=form, title=title, summary=None,
                           submit_label=submit, return_url=return_url(self))

    @expose("/adjust/", methods=("GET", "POST"))
    def adjust_view(self):
        return self._run(AdjustForm(request.form), _("Quarterly adjustment"), _("Adjust"),
                         lambda f: {"year": f.year.data, "quarter": int(f.quarter.data)})

    @expose("/campaign/", methods=("GET", "POST"))
    def campaign_view(self):
        return self._run(CampaignForm(request.form), _("Monthly campaign plan"),
                         _("Generate"), lambda f: {"year": f.year.data,
                                                      "month": int(f.month.data),
                                                      "focus": f.focus.data})
