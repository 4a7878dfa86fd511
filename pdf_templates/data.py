"""The plain data a form is made of: sections of label/value rows.

A template's ``rows(data)`` returns a list of these; ``layout`` turns them
into flowables. Labels are English msgids (translated at render time);
values are user text (printed as they are), ``Msg`` (a msgid, translated),
``Options`` (tick boxes), or None (an empty box to fill in by hand).
"""
from dataclasses import dataclass

from domain.i18n import N_


class Msg(str):
    """A value that is a msgid (a choice label), not user text: translated."""
    __slots__ = ()


@dataclass(frozen=True)
class Options:
    """Tick boxes: every (msgid) choice, the selected one filled."""
    choices: tuple
    selected: str = None


@dataclass(frozen=True)
class Field:
    label: str
    value: object = None
    wide: bool = False      # takes a whole row (long text)
    lines: int = 1          # at least this many lines: room to write by hand


@dataclass(frozen=True)
class Fields:
    """Label/value pairs, ``cols`` pairs per row; wide fields get a row each."""
    items: tuple
    cols: int = 2


@dataclass(frozen=True)
class Heading:
    label: str


@dataclass(frozen=True)
class Column:
    label: str
    weight: float = 1.0     # share of the row's width
    center: bool = False


@dataclass(frozen=True)
class Table:
    """Rows under a header row that is repeated on every page it flows to."""
    columns: tuple
    rows: tuple
    empty_rows: int = 0     # blank rows to write in when there are none
    small: bool = False     # a smaller font: many narrow columns


@dataclass(frozen=True)
class Scores:
    """Indicators scored 1..``scale`` in tick boxes: (label, hint, score)."""
    items: tuple
    scale: int = 5
    low: str = N_("Very dissatisfied")
    high: str = N_("Very satisfied")


@dataclass(frozen=True)
class Note:
    """A line of instructions printed above a section (a msgid)."""
    text: str


@dataclass(frozen=True)
class Form:
    """One filled-in form: what the page header shows and its sections."""
    title: str
    number: str = None
    date: str = None
    sections: tuple = ()


@dataclass(frozen=True)
class PrintSettings:
    """What the shop configures (admin_app.settings): name, logo, fonts."""
    shop_name: str = ""
    logo_path: str = None
    font_path: str = None
    bold_font_path: str = None

    @classmethod
    def from_mapping(cls, config):
        return cls(shop_name=config.get("SHOP_NAME") or "",
                   logo_path=config.get("SHOP_LOGO_PATH") or None,
                   font_path=config.get("PDF_FONT_PATH") or None,
                   bold_font_path=config.get("PDF_BOLD_FONT_PATH") or None)


def text(value):
    """A record value as printed text: dates ISO, None empty (no translation)."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def signatures(*items):
    """Signature boxes, each with a date box: labels, or (label, name) pairs."""
    fields = []
    for item in items:
        label, name = item if isinstance(item, tuple) else (item, None)
        fields += [Field(label, name, lines=2), Field(N_("Date"), None, lines=2)]
    return Fields(tuple(fields), cols=2)


def options(choices, selected=None):
    """Tick boxes over the labels of a domain.choices vocabulary."""
    return Options(tuple(Msg(label) for _code, label in choices), selected)


def steps(rows):
    """The deadline table: (step msgid, deadline, done at) rows."""
    return Table((Column(N_("Step"), 2), Column(N_("Deadline"), 2, True),
                  Column(N_("Done at"), 2, True)),
                 tuple((Msg(step), text(due), text(done)) for step, due, done in rows))


__all__ = ["Msg", "Options", "Field", "Fields", "Heading", "Column", "Table", "Scores",
           "Note", "Form", "PrintSettings", "text", "signatures", "options", "steps"]
