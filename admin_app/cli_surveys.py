"""flask --app wsgi plan-surveys --period 2027-Q1"""
import click

from domain.clock import now
from models import db
from services.surveys import SurveyError, plan_surveys

from . import migrations


@click.command("plan-surveys")
@click.option("--period", required=True, help="The quarter, like 2027-Q1.")
def plan_surveys_command(period):
    """Plan the satisfaction surveys due in a quarter (004 §5.1); safe to run twice."""
    migrations.upgrade(db.obj)
    try:
        r = plan_surveys(period, now=now())
    except SurveyError as ex:
        raise click.ClickException(str(ex))
    click.echo(f"{period}: {r['key']} key customers, {r['general']} other customers, "
               f"{r['dissatisfied']} dissatisfied customers planned; {r['already']} already "
               f"planned for the period, {r['do_not_disturb']} do-not-disturb left out.")


COMMANDS = [plan_surveys_command]
