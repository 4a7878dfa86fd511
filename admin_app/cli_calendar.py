"""flask --app wsgi load-holidays YEAR: China's official schedule into the holiday register."""
import click

from models import db
from services.calendar import HolidaySourceError, load_official_holidays

from . import migrations


@click.command("load-holidays")
@click.argument("year", type=click.IntRange(1900, 9999))
def load_holidays_command(year):
    """Add YEAR's official holidays and make-up working days (safe to run twice)."""
    migrations.upgrade(db.obj)
    try:
        result = load_official_holidays(year)
    except HolidaySourceError as ex:
        raise click.ClickException(str(ex))
    click.echo(f"{year}: {result['added']} added, {result['kept']} already on record "
               "(kept as they were).")


COMMANDS = [load_holidays_command]
