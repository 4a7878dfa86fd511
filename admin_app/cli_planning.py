"""flask --app wsgi generate-visits --year 2027 [--quarter 1 | --month 3 --focus product_promotion]"""
import time

import click

from domain.calendar import missing_schedule_warning
from domain.planning import CAMPAIGN_FOCUS
from models import db
from services.planning import PlanError, generate_plan

from . import migrations


@click.command("generate-visits")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(1, 4), default=None,
              help="Adjust the year's annual plan for this quarter (000 §9).")
@click.option("--month", type=click.IntRange(1, 12), default=None,
              help="The month's campaign plan (with --focus).")
@click.option("--focus", type=click.Choice(CAMPAIGN_FOCUS), default=None,
              help="The campaign of a monthly plan.")
def generate_visits_command(year, quarter, month, focus):
    """Create or regenerate the draft visit plan of a year for every customer,
    adjust it for a quarter, or make a month's campaign plan."""
    if month is not None and quarter is not None:
        raise click.UsageError("Give --quarter or --month, not both.")
    if (month is None) != (focus is None):
        raise click.UsageError("A monthly plan needs --month and --focus together.")
    migrations.upgrade(db.obj)
    started = time.perf_counter()
    try:
        r = generate_plan(year=year, quarter=quarter, month=month, focus=focus)
    except PlanError as ex:
        raise click.ClickException(str(ex))
    what = f"quarter {quarter} adjusted: " if r.adjusted else ""
    click.echo(f"{r.plan.name} ({r.plan.status}): {what}{r.added} added, {r.kept} kept, "
               f"{r.restored} restored, {r.cancelled} cancelled, {r.moved} moved"
               + (f", {r.skipped} left out (do not disturb)" if r.skipped else "")
               + f" in {time.perf_counter() - started:.1f} s.")
    for other, count in sorted(r.left_out.items()):
        click.echo(f"{count} visits left out: the plan {other} already holds them.")
    warning = missing_schedule_warning(r.missing_years)
    if warning:
        click.echo("WARNING: " + str(warning), err=True)


COMMANDS = [generate_visits_command]
