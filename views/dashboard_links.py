"""Drill-down: from a figure to the list of records behind it.

Each figure links to its register's list with the period's date filter set,
plus the condition that makes the figure fall short (the planned visits not
done, the problems answered late…). Those conditions are domain/kpi_sql.py's,
offered on the lists as one extra filter, ``FigureFilter``. A list view that
does not (yet) have a FigureFilter among its ``column_filters`` still gets
the period's date filter, and the stock status filters where they suffice.
"""
from datetime import date

from flask import current_app, url_for
from flask_admin.contrib.peewee import filters as pf
from flask_babel import lazy_gettext as _l

import models as M
from domain import kpi_sql, kpis
from domain.clock import now
from domain.i18n import N_

# register -> [(option, label, condition(now))]
FIGURE_OPTIONS = {
    "planned_visit": (("not_done", N_("Not done yet"), lambda at: kpi_sql.not_done()),),
    "visit_issue": (
        ("response_late", N_("Not answered on time"), kpi_sql.response_missed),
        ("resolution_late", N_("Not resolved in time"), kpi_sql.resolution_missed)),
    "complaint": (("not_closed_on_time", N_("Not closed on time"), kpi_sql.complaint_missed),),
    "sale": (("from_visit", N_("From a visit"), lambda at: M.Sale.visit.is_null(False)),),
}
MODELS = {"planned_visit": M.PlannedVisit, "visit_issue": M.VisitIssue,
          "complaint": M.Complaint, "sale": M.Sale}


class FigureFilter(pf.BasePeeweeFilter):
    """The dashboard's "falls short" conditions as a list filter."""

    def __init__(self, register):
        self.register = register
        self.conditions = {code: cond for code, _label, cond in FIGURE_OPTIONS[register]}
        options = [(code, _l(label)) for code, label, _cond in FIGURE_OPTIONS[register]]
        super().__init__(MODELS[register].id, _l("Figure"), options=options)

    def apply(self, query, value):
        condition = self.conditions.get(value)
        return query if condition is None else query.where(condition(now()))

    def operation(self):
        return _l("is")


def _view(endpoint):
    admin = current_app.extensions["customer_service_admin"]
    return next(v for v in admin._views if getattr(v, "endpoint", None) == endpoint)


def _is_figure(wanted):
    # Not ``wanted[0] == "figure"``: on a peewee field that is an SQL expression.
    return isinstance(wanted[0], str)


def _find(view, wanted):
    """The url argument of the filter ``wanted`` is: (field, filter class) or
    ('figure', option); None when the view has no such filter."""
    for i, flt in enumerate(view._filters or ()):
        if _is_figure(wanted):
            if isinstance(flt, FigureFilter) and wanted[1] in flt.conditions:
                return view.get_filter_arg(i, flt)
        elif type(flt) is wanted[1] and getattr(flt, "column", None) is wanted[0]:
            return view.get_filter_arg(i, flt)
    return None


def list_url(endpoint, filters, fallback=()):
    """The list of ``endpoint`` with ``filters`` [(wanted, value)] set; when
    a ('figure', …) filter is missing on the view, ``fallback`` filters instead."""
    view = _view(endpoint)
    args, n = {}, 0
    chosen = list(filters)
    if any(_is_figure(w) and _find(view, w) is None for w, _v in chosen):
        chosen = [(w, v) for w, v in chosen if not _is_figure(w)] + list(fallback)
    for wanted, value in chosen:
        arg = _find(view, wanted)
        if arg is not None:
            args[f"flt{n}_{arg}"] = value
            n += 1
    return url_for(f"{endpoint}.index_view", **args)


def _days(period):
    return f"{period.start.isoformat()} to {period.last.isoformat()}"


def _moments(period):
    return f"{period.start.isoformat()} 00:00:00 to {period.last.isoformat()} 23:59:59"


def _person(field, person):
    return [((field, pf.FilterEqual), str(person.id))] if person is not None else []


def figure_url(code, period, rules, person=None):
    """The list behind figure ``code`` of ``period`` (``person``: narrowed to
    the records assigned to them, where the list has such a filter)."""
    PV, I, C, S = M.PlannedVisit, M.VisitIssue, M.Complaint, M.Sale
    if code in ("coverage", "completion", "score"):
        return list_url("planned_visit",
                        [(("figure", "not_done"), "not_done"),
                         ((PV.due_on, pf.DateBetweenFilter), _days(period))]
                        + _person(PV.assignee, person),
                        [((PV.status, pf.FilterNotEqual), "done"),
                         ((PV.status, pf.FilterNotEqual), "cancelled")])
    if code in ("response_on_time", "resolved_in_time"):
        option = "response_late" if code == "response_on_time" else "resolution_late"
        return list_url("visit_issue", [(("figure", option), option),
                                        ((I.raised_at, pf.DateTimeBetweenFilter),
                                         _moments(period))] + _person(I.assignee, person))
    if code == "satisfaction":
        return list_url("visit", [((M.Visit.visited_at, pf.DateTimeBetweenFilter),
                                   _moments(period))] + _person(M.Visit.staff, person))
    if code == "satisfied_customers":
        SS = M.SatisfactionSurvey
        return list_url("satisfaction_survey", [
            ((SS.returned_at, pf.DateTimeBetweenFilter), _moments(period)),
            ((SS.overall, pf.FloatSmallerFilter),
             str(rules.number("survey_satisfied_min_overall")))])
    if code == "complaints_closed_on_time":
        return list_url("complaint", [(("figure", "not_closed_on_time"), "not_closed_on_time"),
                                      ((C.received_at, pf.DateTimeBetweenFilter), _moments(period))]
                        + _person(C.handler, person))
    if code in ("second_sale", "visit_business_share"):
        return list_url("sale", [(("figure", "from_visit"), "from_visit"),
                                 ((S.sold_on, pf.DateBetweenFilter), _days(period))])
    if code == "key_renewal":
        # Key customers whose last deal was last year: not renewed yet.
        (start, end), _this_year = kpis.renewal_years(period)
        last_year = f"{start.isoformat()} to {date.fromordinal(end.toordinal() - 1).isoformat()}"
        return list_url("customer", [((M.Customer.is_key, pf.BooleanEqualFilter), "1"),
                                     ((M.Customer.last_deal_on, pf.DateBetweenFilter), last_year)])
    raise LookupError(code)
