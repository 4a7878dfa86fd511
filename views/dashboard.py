"""The dashboard on the home page: what HomeView shows, worked out here so the
view stays a few lines.

Who sees what (SPEC.md "Roles"): the owner and managers see the whole shop,
or one specialist's figures when they pick one, and the whole specialist
table; a specialist sees only their own figures and their own line (asking
for someone else's answers 403); department staff see the figures of the
registers they may read (problems, complaints), for their department. A
figure or chart is shown only when its register is readable by the user.
"""
from flask import abort, flash, url_for
from flask_admin.contrib.peewee import filters as pf
from flask_babel import gettext as _
from markupsafe import Markup

import models as M
from domain import access, kpi_charts, kpis, periods
from domain.clock import now
from domain.kpi_specialists import by_specialist
from services.rules import current_rules

from . import charts, params
from .dashboard_links import figure_url, list_url
from .messages import translated
from .reminders import reminders

TREND_MARKS = {"up": "▲", "down": "▼", "flat": "="}


def chosen_period(args, today):
    """The period the query string asks for; the current month (and a
    flashed message) when it cannot be read."""
    try:
        return periods.from_query(args, today)
    except periods.PeriodError as ex:
        flash(translated(ex), "error")
        return periods.containing("month", today)


def subject(args, user):
    """Whose figures: None (the whole shop), a specialist picked by a
    manager, or the user themself (specialists, staff)."""
    wanted = params.person_id(args.get("specialist"))  # 400 for what is no id
    if user.role in access.MANAGEMENT:
        if wanted is None:
            return None
        person = M.User.get_or_none((M.User.id == wanted) & (M.User.role == "specialist"))
        if person is None:
            abort(404)
        return person
    if wanted is not None and wanted != user.id:
        abort(403)  # nobody but management reads another person's figures
    return user


def sees_table(user):
    return user.role in access.OFFICE


def _text(item):
    """A chart label: plain text, or a tuple of msgids joined with " · "."""
    return " · ".join(_(part) for part in item) if isinstance(item, tuple) else str(item)


def _detail(figure):
    if figure.denominator is None:
        return ""
    if figure.code in ("second_sale", "visit_business_share"):
        return f"{figure.numerator:,.0f} / {figure.denominator:,.0f}"
    if figure.unit == kpis.SCORE:
        return _("%(num)s scored visits", num=figure.denominator)
    return f"{figure.numerator} / {figure.denominator}"


def figure_cards(period, rules, person, user):
    # The lists are scoped to a specialist or staff already; a manager looking
    # at one specialist gets the lists narrowed to what is assigned to them.
    link_person = person if user.role in access.MANAGEMENT else None
    cards = []
    for f in kpis.figures(period, rules=rules, now=now(), user=person):
        if not access.may(user, "read", kpis.BY_CODE[f.code].register):
            continue
        cards.append(dict(
            code=f.code, label=_(f.label), value=kpis.display(f.value, f.unit),
            target=kpis.display_target(f.target, f.unit), met=f.met, trend=f.trend, mark=TREND_MARKS.get(f.trend, ""),
            previous=kpis.display(f.previous, f.unit), detail=_detail(f),
            url=figure_url(f.code, period, rules, link_person)))
    return cards


def table_lines(period, rules, user):
    manager = user.role in access.MANAGEMENT
    lines = []
    for line in by_specialist(period, rules=rules, now=now(), only=None if manager else user):
        # A manager's link narrows the list to the specialist's assignments;
        # a specialist's own list is scoped to them already.
        person = M.User(id=line.user_id) if manager else None
        lines.append(dict(
            name=line.name, user_id=line.user_id,
            completion=kpis.display(line.completion, kpis.PERCENT),
            resolution=kpis.display(line.resolution, kpis.PERCENT),
            satisfaction=kpis.display(line.satisfaction, kpis.SCORE),
            score=kpis.display(line.score, kpis.POINTS),
            detail=f"{line.done} / {line.due}",
            own_url=url_for("admin.index", specialist=line.user_id, **period.query()),
            completion_url=figure_url("completion", period, rules, person)))
    return lines


def chart_svgs(period, rules, person, user):
    wanted = [code for code, _title, register in kpi_charts.CHARTS
              if access.may(user, "read", register)]
    out = []
    for spec in kpi_charts.chart_specs(period, rules=rules, now=now(), user=person, only=wanted):
        title = _(spec.title)
        categories = [_text(c) for c in spec.categories]
        series = [(_text(name), values) for name, values in spec.series]
        if spec.kind == "hbars":
            # A 1-5 score with two decimals, like the figures; counts whole.
            shown = (lambda v: kpis.display(v, kpis.SCORE)) if spec.max_value else None
            svg = charts.hbars(list(zip(categories, series[0][1])), title=title,
                               x_max=spec.max_value, shown=shown)
        else:
            svg = charts.bars(categories, series, title=title, stacked=spec.kind == "stacked")
        out.append((spec.code, title, Markup(svg)))
    return out


def period_form(period, today):
    """The values the period switch shows: the chosen period, and the current
    month, quarter and year pre-filled for switching to them."""
    values = {kind: periods.containing(kind, today).key for kind in ("month", "quarter", "year")}
    if period.kind != "range":
        values[period.kind] = period.key
    return dict(values, kind=period.kind, start=period.start.isoformat(),
                end=period.last.isoformat())


def report_month(period):
    """The month the report link prints: the period's own, else its last month."""
    return period.key if period.kind == "month" else periods.containing("month", period.last).key


def context(args, user):
    """Everything home.html needs for the dashboard."""
    today = now().date()
    period = chosen_period(args, today)
    person = subject(args, user)
    rules = current_rules()
    query = period.query()  # the downloads show what the page shows
    if person is not None and user.role in access.MANAGEMENT:
        query["specialist"] = person.id
    return dict(
        period=period, previous=periods.previous(period), kinds=periods.KINDS,
        form=period_form(period, today), person=person,
        specialists=(list(M.User.select(M.User.id, M.User.name).where(
            M.User.role == "specialist").order_by(M.User.name))
            if user.role in access.MANAGEMENT else []),
        figures=figure_cards(period, rules, person, user),
        table=table_lines(period, rules, user) if sees_table(user) else None,
        charts=chart_svgs(period, rules, person, user),
        export_figures=url_for("admin.export_dashboard", table="figures", **query),
        export_table=url_for("admin.export_dashboard", table="specialists", **query),
        report_url=(url_for("admin.demand_report", month=report_month(period))
                    if user.role in access.OFFICE else None),
        at_risk_url=list_url("customer", [((M.Customer.at_risk, pf.BooleanEqualFilter), "1")])
        if access.may(user, "read", "customer") else None,
        reminders=reminders(user, today, rules),
    )
