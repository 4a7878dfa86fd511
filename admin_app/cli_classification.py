"""flask --app wsgi reclassify: recompute every customer's class and lifecycle (for cron)."""
import time

import click

from domain import clock
from services import audit
from services.classification import reclassify, transaction


@click.command("reclassify")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Compute as of this day (YYYY-MM-DD); default: today.")
def reclassify_command(today):
    """Recompute class, key flag, lifecycle and at-risk flag of all customers."""
    day = today.date() if today else clock.today()
    started = time.perf_counter()
    with transaction():
        result = reclassify(today=day)
        audit.record(user=None, action="action", register="customer",
                     changes={"reclassify": [result["total"], result["changed"]],
                              "via": [None, "cli"], "today": [None, day.isoformat()]})
    click.echo(f"{result['total']} customers, {result['changed']} changed "
               f"in {time.perf_counter() - started:.1f} s")


COMMANDS = [reclassify_command]
