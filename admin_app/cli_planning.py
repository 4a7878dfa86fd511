"""flask --app wsgi generate-visits --year 2027 [--quarter 1]"""
import time

import click

from domain.calendar import missing_schedule_warning
from models import db
from services.planning import PlanError, generate_plan

from . import migrations


@click.command("generate-visits")
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(1, 4), default=None)
def generate_visits_command(year, quarter):
    """Create or regenerate the draft visit plan of a year (or quarter) for every customer."""
    migrations.upgrade(db.obj)
    started = time.perf_counter()
    try:
        r = generate_plan(year=year, quarter=quarter)
    except PlanError as ex:
        raise click.ClickException(str(ex))
    click.echo(f"{r.plan.name} ({r.plan.status}): {r.added} added, {r.kept} kept, "
               f"{r.restored} restored, {r.cancelled} cancelled "
               f"in {time.perf_counter() - started:.1f} s.")
    warning = missing_schedule_warning(r.missing_years)
    if warning:
        click.echo("WARNING: " + str(warning), err=True)


COMMANDS = [generate_visits_command]
