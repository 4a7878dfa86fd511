"""客户需求趋势报告 — the monthly customer-demand trend report, with charts.

Pure: plain data in, PDF bytes out (``invariant=1``: the same data gives the
same bytes). ``rows(data)`` gives the sections for tests; ``render`` draws
them with the shared layout (fonts, page header and footer of
pdf_templates/layout.py) plus ReportLab charts for the ``Chart`` sections.

data (services/report_data.py; * marks msgids, translated here):
period ("2027-01"), generated, person (the specialist, or None for the shop),
figures [{label*, value, target, met (bool/None), previous, trend}],
charts [{title*, kind (bars | stacked | hbars), categories, series, max_value}]
where a category or series label is plain text or a tuple of msgids,
top_problems [(register*, category*, count)], demand_kinds [(kind*, count,
expected value)], demands [{raised_on, customer, kind*, description, status*,
expected_value}], demands_total, escalated [{number, customer, received_at,
category*, level*, reason* (or None), reason_text, status*}], escalated_total,
at_risk [{code, name, owner, customer_class, lifecycle*, annual_purchase,
reasons* [..]}], at_risk_total.
"""
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Spacer

from domain.i18n import N_

from . import layout
from .data import Column, Field, Fields, Heading, Msg, Note, PrintSettings, Table, text
from .flowables import FormStart

TITLE = N_("Customer demand trend report")
PALETTE = tuple(colors.HexColor(c) for c in (
    "#2c7fb8", "#41ab5d", "#fd8d3c", "#807dba", "#e7298a", "#969696", "#dd3497", "#66c2a4"))
TRENDS = {"up": "↑", "down": "↓", "flat": "→"}


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str
    categories: tuple
    series: tuple
    max_value: object = None


@dataclass(frozen=True)
class Line:
    """A sentence with numbers in it: msgid and its params."""
    msgid: str
    params: tuple = ()


def _met(met):
    return "—" if met is None else Msg(N_("Met") if met else N_("Not met"))


def _money(value):
    return "" if value is None else f"{value:,.2f}"


def _more(shown, total):
    if total > shown:
        return (Line(N_("The first %(shown)d of %(total)d are listed."),
                     (("shown", shown), ("total", total))),)
    return ()


FIGURE_COLUMNS = (Column(N_("Figure"), 3), Column(N_("Value"), 1.2, True),
                  Column(N_("Target"), 1.2, True), Column(N_("Met?"), 1, True),
                  Column(N_("Previous period"), 1.3, True), Column(N_("Trend"), 0.8, True))
PROBLEM_COLUMNS = (Column(N_("No."), 0.5, True), Column(N_("Source"), 1.5),
                   Column(N_("Category"), 2), Column(N_("Count"), 1, True))
KIND_COLUMNS = (Column(N_("Kind"), 2), Column(N_("Count"), 1, True),
                Column(N_("Expected value"), 1.5, True))
DEMAND_COLUMNS = (Column(N_("Raised on"), 1.1, True), Column(N_("Customer"), 1.8),
                  Column(N_("Kind"), 1.3), Column(N_("Description"), 3),
                  Column(N_("Status"), 0.9), Column(N_("Expected value"), 1.2, True))
ESCALATED_COLUMNS = (Column(N_("Number"), 1.4, True), Column(N_("Customer"), 1.8),
                     Column(N_("Received at"), 1.4, True), Column(N_("Category"), 1.2),
                     Column(N_("Escalation level"), 1.3), Column(N_("Escalation reason"), 2.2),
                     Column(N_("Status"), 1))
RISK_COLUMNS = (Column(N_("Code"), 1, True), Column(N_("Customer"), 2),
                Column(N_("Responsible person"), 1.1), Column(N_("Class"), 0.6, True),
                Column(N_("Lifecycle"), 0.9), Column(N_("Annual purchase amount"), 1.4, True),
                Column(N_("Why at risk"), 3))


def _listed(columns, rows):
    """The table, or nothing when it has no rows (the count line says so)."""
    return (Table(columns, tuple(rows), small=True),) if rows else ()


def figure_rows(figures):
    return tuple((Msg(f["label"]), f["value"], f["target"], _met(f["met"]), f["previous"],
                  TRENDS.get(f["trend"], "")) for f in figures)


def _demands(d):
    demands = d("demands") or ()
    return (
        Heading(N_("New demands of the period")),
        Line(N_("%(count)d new demands in the period."), (("count", d("demands_total") or 0),)),
        *_listed(KIND_COLUMNS, [(Msg(kind), str(n), _money(value))
                                for kind, n, value in d("demand_kinds") or ()]),
        *_listed(DEMAND_COLUMNS, [(text(x["raised_on"]), x["customer"], Msg(x["kind"]),
                                   x["description"], Msg(x["status"]),
                                   _money(x["expected_value"])) for x in demands]),
        *_more(len(demands), d("demands_total") or 0),
    )


def _escalated(d):
    rows = d("escalated") or ()
    return (
        Heading(N_("Escalated complaints")),
        Line(N_("%(count)d complaints escalated in the period."),
             (("count", d("escalated_total") or 0),)),
        *_listed(ESCALATED_COLUMNS, [
            (x["number"], x["customer"], text(x["received_at"]), Msg(x["category"]),
             Msg(x["level"]), Msg(x["reason"]) if x["reason"] else x["reason_text"],
             Msg(x["status"])) for x in rows]),
        *_more(len(rows), d("escalated_total") or 0),
    )


def _at_risk(d):
    rows = d("at_risk") or ()
    return (
        Heading(N_("At-risk customers")),
        Line(N_("%(count)d customers are at risk."), (("count", d("at_risk_total") or 0),)),
        *_listed(RISK_COLUMNS, [
            (x["code"], x["name"], x["owner"], x["customer_class"], Msg(x["lifecycle"]),
             _money(x["annual_purchase"]), tuple(Msg(r) for r in x["reasons"])) for x in rows]),
        *_more(len(rows), d("at_risk_total") or 0),
    )


def rows(data):
    d = data.get
    head = [Field(N_("Reporting period"), d("period")), Field(N_("Generated at"), d("generated"))]
    if d("person"):
        head.append(Field(N_("Specialist"), d("person")))
    return (
        Fields(tuple(head)),
        Heading(N_("Figures against targets")),
        Table(FIGURE_COLUMNS, figure_rows(d("figures") or ())),
        Heading(N_("Charts")),
        *[Chart(c["title"], c["kind"], tuple(c["categories"]), tuple(c["series"]),
                c.get("max_value")) for c in d("charts") or ()],
        Heading(N_("Top recurring problems")),
        Table(PROBLEM_COLUMNS, tuple((str(i), Msg(reg), Msg(cat), str(n)) for i, (reg, cat, n)
                                     in enumerate(d("top_problems") or (), 1)), empty_rows=1),
        *_demands(d), *_escalated(d), *_at_risk(d),
    )


# ----------------------------------------------------------------- drawing

def _label(item, t):
    return " · ".join(t(p) for p in item) if isinstance(item, tuple) else str(item)


def _axis_top(values, fixed):
    if fixed:
        return float(fixed)
    top = max([float(v or 0) for v in values] + [0])
    step = max(1, -(-int(top) // 4))  # whole steps: these are counts
    return step * 4


def _bar_label(chart):
    # Scores with two decimals like the page; counts as whole numbers.
    return (lambda v: f"{v:.2f}") if chart.max_value else (lambda v: f"{v:.0f}")


def _chart(chart, ctx):
    t, font = ctx.t, ctx.style.fonts.regular
    width = layout.WIDTH
    categories = [_label(c, t) for c in chart.categories]
    names = [_label(name, t) for name, _values in chart.series]
    if chart.kind == "hbars":
        values = list(chart.series[0][1]) if chart.series else []
        height = 30 + 18 * max(len(categories), 1)
        bc = HorizontalBarChart()
        bc.x, bc.y, bc.width, bc.height = 160, 8, width - 210, height - 30
        # Drawn bottom-up: reversed so the list reads top-down like the page.
        # A missing value (no survey answered it) stays None: no bar, "—".
        bc.data = [tuple(None if v is None else float(v) for v in reversed(values)) or (0,)]
        bc.categoryAxis.categoryNames = list(reversed(categories)) or [""]
        bc.barLabelFormat = _bar_label(chart)
        bc.barLabels.fontName, bc.barLabels.fontSize = font, 7
        bc.barLabels.boxAnchor, bc.barLabels.dx = "w", 3
        bc.naLabel = NA_Label()
        bc.naLabel.text, bc.naLabel.fontName, bc.naLabel.fontSize = "—", font, 7
        bc.naLabel.boxAnchor, bc.naLabel.dx = "w", 3
        top = [v for v in values]
    else:
        data = [tuple(float(v or 0) for v in values) for _name, values in chart.series]
        height = 200
        bc = VerticalBarChart()
        bc.x, bc.y, bc.width, bc.height = 40, 22, width - 60, height - 70
        bc.data = data or [(0,) * max(len(categories), 1)]
        bc.categoryAxis.categoryNames = categories or [""]
        stacked = chart.kind == "stacked"
        if stacked:
            bc.categoryAxis.style = "stacked"
        top = [sum(col) for col in zip(*data)] if stacked and data else [
            v for row in data for v in row]
    bc.valueAxis.valueMin, bc.valueAxis.valueMax = 0, _axis_top(top, chart.max_value)
    for axis in (bc.categoryAxis, bc.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 7
    for i in range(len(bc.data)):
        bc.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        bc.bars[i].strokeColor = None
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, t(chart.title), fontName=ctx.style.fonts.bold,
                       fontSize=10))
    drawing.add(bc)
    if chart.kind != "hbars" and names:
        legend = Legend()  # one row under the title
        legend.x, legend.y, legend.alignment = 0, height - 22, "right"
        legend.fontName, legend.fontSize, legend.columnMaximum = font, 7, 1
        legend.dx = legend.dy = 7
        legend.deltax, legend.dxTextSpace = 10, 4
        legend.colorNamePairs = list(zip(PALETTE, names))
        drawing.add(legend)
    return [Spacer(1, layout.GAP), drawing]


def _flowables(section, ctx):
    if isinstance(section, Heading):
        # A heading never sits alone at the foot of a page.
        return [CondPageBreak(90)] + layout.flowables([section], ctx)
    if isinstance(section, Chart):
        return _chart(section, ctx)
    if isinstance(section, Line):
        params = dict(section.params)
        return layout.flowables([Note(ctx.t(section.msgid) % params)], ctx)
    if isinstance(section, Table):
        # Several reasons in one cell: translated, then joined.
        section = Table(section.columns, tuple(
            tuple("；".join(ctx.t(m) for m in v) if isinstance(v, tuple) else v for v in row)
            for row in section.rows), section.empty_rows, section.small)
    return layout.flowables([section], ctx)


def render(data, lang="zh", settings=None):
    settings = settings or PrintSettings()
    ctx = layout.context(lang, settings)
    title = f"{ctx.t(TITLE)} {text(data.get('period'))}".strip()
    story = [FormStart(layout.PageHeader(title, "", text(data.get("generated"))))]
    for section in rows(data):
        story.extend(_flowables(section, ctx))
    return layout.write(story, ctx, settings, title)
