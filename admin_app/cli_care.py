"""flask --app wsgi generate-care --month YYYY-MM: a month's birthday and holiday greetings."""
from datetime import date

import click

from domain.calendar import missing_schedule_warning
from models import db
from services.calendar import load_calendar
from services.care import generate_care

from . import migrations


def parse_month(text):
    """(year, month) of "YYYY-MM", or click.BadParameter."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        date(year, month, 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a month like 2027-01.")
    return year, month


@click.command("generate-care")
@click.option("--month", "month_text", required=True, help="The month, as YYYY-MM.")
def generate_care_command(month_text):
    """Schedule the month's birthday and holiday greetings (safe to run twice)."""
    year, month = parse_month(month_text)
    migrations.upgrade(db.obj)
    calendar = load_calendar()
    warning = missing_schedule_warning(calendar.missing_years(date(year, month, 1),
                                                              date(year, month, 1)))
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    result = generate_care(year, month, calendar=calendar)
    click.echo(f"{year:04d}-{month:02d}: {result['added']} greetings added, "
               f"{result['skipped_dnd']} left out (do not disturb), "
               f"{result['existing']} already scheduled.")


COMMANDS = [generate_care_command]
