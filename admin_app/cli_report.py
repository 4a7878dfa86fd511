"""flask --app wsgi report --month 2027-01 --out report.pdf: the monthly
customer-demand trend report 客户需求趋势报告 for a scheduled job.

Without --month it prints last month (cron on the 1st:
``0 7 1 * * cd /srv/app && .venv/bin/flask --app wsgi report --out /srv/reports/last-month.pdf``).
The report covers the whole shop; it is written to an audit row like a
download from the dashboard.
"""
import click
from flask import current_app
from flask.cli import with_appcontext

from domain import periods
from domain.clock import now
from pdf_templates import demand_report
from pdf_templates.data import PrintSettings
from services import audit
from services.report_data import report_data
from services.rules import current_rules


@click.command("report")
@click.option("--month", default=None, help="The month, like 2027-01; default: last month.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PDF.")
@click.option("--lang", type=click.Choice(("zh", "en")), default="zh", show_default=True)
@with_appcontext  # the shop's name and fonts come from the app's settings
def report_command(month, out_path, lang):
    """Write the monthly customer-demand trend report as a PDF."""
    try:
        period = periods.parse("month", month) if month else periods.last_full_month(now().date())
    except periods.PeriodError as ex:
        raise click.BadParameter(str(ex), param_hint="--month") from None
    data = report_data(period, rules=current_rules(), now=now())
    content = demand_report.render(data, lang, PrintSettings.from_mapping(current_app.config))
    with open(out_path, "wb") as f:
        f.write(content)
    audit.record(user=None, action="print", register="report",
                 changes={"report": [None, "demand_trend"], "month": [None, period.key],
                          "language": [None, lang], "via": [None, "cli"]})
    click.echo(f"Wrote the demand trend report of {period.key} to {out_path} "
               f"({len(content):,} bytes).")


COMMANDS = [report_command]
