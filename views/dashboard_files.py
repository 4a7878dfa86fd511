"""The dashboard's downloads: each figure table as XLSX, and the monthly
customer-demand trend report as PDF. Both check the role, carry only what
the user may see (the same scope as the page) and leave an audit row."""
from io import BytesIO

from flask import abort, current_app, request, send_file
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Font

from domain import access, kpis, periods
from domain.clock import now
from domain.kpi_specialists import by_specialist
from pdf_templates import demand_report
from pdf_templates.data import PrintSettings
from pdf_templates.i18n import normalize
from services import audit
from services.report_data import report_data
from services.rules import current_rules

from . import params
from .dashboard import sees_table, subject

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("figures", "specialists")


def _met(met):
    return "—" if met is None else (_("Met") if met else _("Not met"))


def _number(value):
    return "—" if value is None else value  # a number stays a number in the sheet


def figure_rows(period, rules, person):
    header = [_("Figure"), _("Value"), _("Unit"), _("Target"), _("Met?"),
              _("Previous period"), _("Numerator"), _("Denominator")]
    units = {kpis.PERCENT: "%", kpis.SCORE: _("score (1-5)"), kpis.POINTS: _("points")}
    rows = [[_(f.label), _number(f.value), units[f.unit], kpis.display_target(f.target, f.unit), _met(f.met),
             _number(f.previous), _number(f.numerator), _number(f.denominator)]
            for f in kpis.figures(period, rules=rules, now=now(), user=person)
            if access.may(current_user, "read", kpis.BY_CODE[f.code].register)]
    return header, rows


def specialist_rows(period, rules):
    only = None if current_user.role in access.MANAGEMENT else current_user
    header = [_("Specialist"), _("Completion %"), _("Resolution %"), _("Satisfaction"),
              _("Weighted score"), _("Planned visits done"), _("Planned visits due"),
              _("Problems resolved in time"), _("Problems"), _("Scored visits")]
    rows = [[line.name, _number(line.completion), _number(line.resolution),
             _number(line.satisfaction), _number(line.score), line.done, line.due,
             line.resolved, line.resolvable, line.scored_visits]
            for line in by_specialist(period, rules=rules, now=now(), only=only)]
    return header, rows


def _workbook(title, period, header, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title, period.key])
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name like "=1+1" is text, never a formula
    sheet.column_dimensions["A"].width = 32
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _download(content, mimetype, name, attachment=True):
    response = send_file(BytesIO(content), mimetype=mimetype, as_attachment=attachment,
                         download_name=name, conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # customer data
    return response


def export(table):
    """GET /admin/dashboard/export/<table>/ with the page's period arguments."""
    if table not in TABLES:
        abort(404)
    person = subject(request.args, current_user)   # 403 for someone else's figures
    if table == "specialists" and not sees_table(current_user):
        abort(403)
    period = params.period(request.args, now().date())  # a download cannot show a flash: 400
    rules = current_rules()
    if table == "figures":
        title, (header, rows) = _("Figures"), figure_rows(period, rules, person)
    else:
        title, (header, rows) = _("Figures per specialist"), specialist_rows(period, rules)
    content = _workbook(title, period, header, rows)
    audit.record(user=current_user.id, action="export", register="dashboard",
                 ip=request.remote_addr,
                 changes={"table": [None, table], "period": [None, period.key],
                          "specialist": [None, person.id if person is not None else None],
                          "rows": [None, len(rows)]})
    return _download(content, XLSX, f"{table}-{period.key}.xlsx")


def _language():
    chosen = request.args.get("lang")
    return normalize(chosen if chosen in ("zh", "en") else str(get_locale() or "zh"))


def report():
    """GET /admin/report/?month=2027-01[&lang=zh|en]: the demand-trend report
    of that month (default: last month) for the shop (management) or for the
    specialist themself."""
    if current_user.role not in access.OFFICE:
        abort(403)
    person = None if current_user.role in access.MANAGEMENT else current_user
    month = request.args.get("month")
    period = params.month(month) if month else periods.last_full_month(now().date())
    lang = _language()
    data = report_data(period, rules=current_rules(), now=now(), user=person)
    content = demand_report.render(data, lang, PrintSettings.from_mapping(current_app.config))
    audit.record(user=current_user.id, action="print", register="report", ip=request.remote_addr,
                 changes={"report": [None, "demand_trend"], "month": [None, period.key],
                          "language": [None, lang]})
    return _download(content, "application/pdf", f"demand-report-{period.key}.pdf",
                     attachment=False)
