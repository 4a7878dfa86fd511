"""flask --app wsgi import REGISTER FILE [--dry-run]: the web import, for cron
or a first migration from the shop's old spreadsheets."""
import time

import click

from domain import import_values as V
from services import importer
from services.import_files import FileRefused, write_table


def _mapping(header, pairs):
    """--map 'HEADER=FIELD' (FIELD empty: leave the column out) → {index: field}."""
    by_key = {V.header_key(text): i for i, text in enumerate(header)}
    mapping = {}
    for pair in pairs:
        text, _sep, field = pair.partition("=")
        index = by_key.get(V.header_key(text))
        if index is None:
            raise click.BadParameter(f"no column {text!r} in the file", param_hint="--map")
        mapping[index] = field.strip()
    return mapping


def _reason(outcome):
    return "; ".join((f"{field}: " if field else "") + str(error)
                     for field, error in outcome.problems)


@click.command("import")
@click.argument("register", type=click.Choice(importer.REGISTERS))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only say what would happen.")
@click.option("--skip-refused", is_flag=True,
              help="Import the other rows when some are refused (default: nothing).")
@click.option("--map", "pairs", multiple=True, metavar="HEADER=FIELD",
              help="What an unknown column holds (FIELD empty: leave it out).")
@click.option("--refused", "refused_path", type=click.Path(dir_okay=False),
              help="Write the refused rows, with a reason column, to this file.")
def import_command(register, path, dry_run, skip_refused, pairs, refused_path):
    """Import a CSV or XLSX file into REGISTER (all or nothing)."""
    started = time.perf_counter()
    try:
        header = importer.read_header(path)
    except FileRefused as ex:
        raise click.ClickException(str(ex))
    mapping = _mapping(header, pairs)
    _columns, unknown = importer.header_columns(register, header, mapping)
    if unknown:
        names = ", ".join(repr(text) for _i, text in unknown)
        raise click.ClickException(f"unknown columns {names}: say what they hold with "
                                   f"--map 'HEADER=FIELD' (or 'HEADER=' to leave one out)")
    if dry_run:
        report = importer.analyse(register, path, mapping=mapping)
    else:
        report = importer.run_import(register, path, mapping=mapping,
                                     skip_refused=skip_refused)
    for outcome in report.refused[:20]:
        click.echo(f"line {outcome.line}: {_reason(outcome)}", err=True)
    if len(report.refused) > 20:
        click.echo(f"… and {len(report.refused) - 20} more refused rows", err=True)
    if refused_path and report.refused:
        with open(refused_path, "wb") as f:
            write_table("xlsx" if refused_path.lower().endswith(".xlsx") else "csv",
                        list(report.header) + ["reason"],
                        [tuple(o.raw) + (_reason(o),) for o in report.refused], f)
    counts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    verb = "Dry run" if dry_run else ("Imported" if report.imported else "Nothing imported")
    click.echo(f"{verb}: {counts} in {time.perf_counter() - started:.1f} s")
    if report.refused and not (report.imported or dry_run):
        raise click.exceptions.Exit(1)


COMMANDS = [import_command]
