"""flask --app wsgi import REGISTER FILE [--dry-run]: the web import, for cron
or a first migration from the shop's old spreadsheets."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from domain import import_values as V
from services import importer
from services.import_files import FileRefused, write_table
from services.import_limits import Limits


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


def _reason(register, outcome):
    """The row's problems, each field named by its (English) label."""
    return "; ".join(importer.problem_text(field, error,
                                           lambda f: importer.field_label(register, f))
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
@click.option("--clear-blanks", is_flag=True,
              help="A blank cell empties the stored value of an updated record.")
@with_appcontext  # the import limits come from the app's settings
def import_command(register, path, dry_run, skip_refused, pairs, refused_path, clear_blanks):
    """Import a CSV or XLSX file into REGISTER (all or nothing)."""
    started = time.perf_counter()
    limits = Limits.from_config(current_app.config)
    try:
        header = importer.read_header(path, limits=limits)
        mapping = _mapping(header, pairs)
        _check_columns(register, header, mapping)
        if dry_run:
            report = importer.analyse(register, path, mapping=mapping,
                                      clear_blanks=clear_blanks, limits=limits)
        else:
            report = importer.run_import(register, path, mapping=mapping,
                                         clear_blanks=clear_blanks,
                                         skip_refused=skip_refused, limits=limits)
        refused = importer.refused_rows(report, path, limits) if refused_path else []
    except (FileRefused, importer.ImportFailed) as ex:
        raise click.ClickException(str(ex))
    for outcome in report.refused[:20]:
        click.echo(f"line {outcome.line}: {_reason(register, outcome)}", err=True)
    if len(report.refused) > 20:
        click.echo(f"… and {len(report.refused) - 20} more refused rows", err=True)
    if refused:
        with open(refused_path, "wb") as f:
            write_table("xlsx" if refused_path.lower().endswith(".xlsx") else "csv",
                        list(report.header) + ["reason"],
                        [tuple(raw) + (_reason(register, o),) for raw, o in refused], f)
    counts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    verb = "Dry run" if dry_run else ("Imported" if report.imported else "Nothing imported")
    click.echo(f"{verb}: {counts} in {time.perf_counter() - started:.1f} s")
    if report.refused and not (report.imported or dry_run):
        raise click.exceptions.Exit(1)


def _check_columns(register, header, mapping):
    _columns, unknown = importer.header_columns(register, header, mapping)
    if unknown:
        names = ", ".join(repr(text) for _i, text in unknown)
        raise click.ClickException(f"unknown columns {names}: say what they hold with "
                                   f"--map 'HEADER=FIELD' (or 'HEADER=' to leave one out)")


COMMANDS = [import_command]
