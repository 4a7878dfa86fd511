"""How big an import may be, checked before a file is parsed.

An .xlsx is a zip: a few MB can unpack to gigabytes (a "zip bomb"), and
openpyxl holds the shared strings and styles in memory whatever mode it reads
in. Before openpyxl sees a file we read the zip's directory (no unpacking):
the declared unpacked size of its parts, and how many times each part grows
when unpacked. The declared sizes can be trusted as a bound: Python's zipfile,
which openpyxl reads through, stops at the declared size and fails the CRC
check of a part that claims less than it holds.
"""
import zipfile
from collections import namedtuple

from domain.i18n import N_, TranslatableError

MB = 1024 * 1024
# How many times a part may grow when unpacked. Spreadsheets written by Excel,
# WPS or openpyxl grow 5-20 times (a sheet of one repeated row: 18); a zip
# bomb grows hundreds of times.
MAX_RATIO = 100
RATIO_FROM = 1 * MB       # smaller parts may grow as they like: they cannot hurt
MAX_PARTS = 10_000
MAX_COLUMNS = 500


class FileRefused(TranslatableError):
    """A file that is not a table we can read, or too big to read."""


class Limits(namedtuple("Limits", "max_rows max_expanded_mb")):
    """The settings IMPORT_MAX_ROWS and IMPORT_MAX_EXPANDED_MB (same defaults)."""

    @classmethod
    def from_config(cls, config):
        return cls(max_rows=int(config["IMPORT_MAX_ROWS"]),
                   max_expanded_mb=int(config["IMPORT_MAX_EXPANDED_MB"]))


DEFAULT = Limits(max_rows=200_000, max_expanded_mb=200)


def check_xlsx(path, limits=DEFAULT):
    """Refuse an .xlsx that would unpack to more than ``limits`` allow, from
    its zip directory alone (milliseconds, whatever the file holds)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError) as ex:
        raise FileRefused(N_("This is not an Excel .xlsx file we can read: %(error)s"),
                          error=str(ex)) from None
    if len(parts) > MAX_PARTS:
        raise FileRefused(N_("This .xlsx file has %(num)d parts; an Excel workbook has a "
                             "few dozen."), num=len(parts))
    total = sum(p.file_size for p in parts)
    if total > limits.max_expanded_mb * MB:
        raise FileRefused(N_("This .xlsx file unpacks to %(size)d MB; at most %(limit)d MB "
                             "can be imported. Split it, or save it as CSV."),
                          size=total // MB, limit=limits.max_expanded_mb)
    # What openpyxl keeps in memory (shared strings, styles…) gets a quarter
    # of the allowance; the sheet itself is read row by row.
    held = limits.max_expanded_mb * MB // 4
    for p in parts:
        if p.file_size >= RATIO_FROM and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise FileRefused(N_("A part of this .xlsx file (%(part)s) unpacks to %(times)d "
                                 "times its size; at most %(limit)d times is accepted."),
                              part=p.filename, times=p.file_size // max(p.compress_size, 1),
                              limit=MAX_RATIO)
        if not p.filename.startswith("xl/worksheets/") and p.file_size > held:
            raise FileRefused(N_("A part of this .xlsx file (%(part)s) unpacks to %(size)d "
                                 "MB; at most %(limit)d MB is accepted."),
                              part=p.filename, size=p.file_size // MB, limit=held // MB)


def too_many_rows(limits):
    return FileRefused(N_("The file has more than %(limit)d rows; at most %(limit)d rows "
                          "can be imported at once. Split it into smaller files."),
                       limit=limits.max_rows)


def too_many_columns(count):
    return FileRefused(N_("The file has %(num)d columns; at most %(limit)d can be "
                          "imported."), num=count, limit=MAX_COLUMNS)
