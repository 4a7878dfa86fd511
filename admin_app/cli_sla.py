"""flask --app wsgi sla-sweep [--now 2027-01-05T09:00]: escalate what is past its deadline.

Meant for cron every few minutes; safe to run twice and in parallel with
itself (a second sweep waits for the first, then finds nothing left to do).
"""
from datetime import datetime

import click

from domain.clock import now as clock_now
from services.escalation import sweep


def parse_now(text):
    if text is None:
        return clock_now()
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date and time like 2027-01-05T09:00.")


@click.command("sla-sweep")
@click.option("--now", "now_text", default=None,
              help="Sweep as of this local time (YYYY-MM-DDTHH:MM); default: now.")
@click.option("--wait", default=60, show_default=True,
              help="Seconds to wait for a sweep already running before giving up.")
def sla_sweep_command(now_text, wait):
    """Escalate complaints and visit problems that missed a deadline."""
    at = parse_now(now_text)
    counts = sweep(at, wait_seconds=wait)
    if counts is None:
        click.echo("Another SLA sweep is running; nothing done.")
        return
    click.echo(f"{at:%Y-%m-%d %H:%M}: escalated {counts['complaint']} complaint deadline(s) "
               f"and {counts['visit_issue']} visit problem deadline(s).")


COMMANDS = [sla_sweep_command]
