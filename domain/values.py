"""What a value typed, posted or imported may be: record ids, counts,
amounts, scores, dates and text. Declared once here; forms, list cells,
bulk edit, import and the URL parameters all apply these rules.

- ids: whole numbers from 1 to 2⁶³−1 (a 64-bit key); anything else names
  no record.
- amounts: 0 to 999,999,999,999.99 (DECIMAL(14, 2)), two places; quantities
  positive; scores 1–5; no NaN, no infinities.
- dates and years: 1900 to 2100.
- text: no NUL or other control characters (tab and newline stay in long
  text), at most the column's length.

Pure: no Flask, no ORM import. ``rule_of(field)`` reads a field's shape
(duck-typed: ``field_type``, ``max_digits``, ``decimal_places``,
``max_length``, ``choices``) so the models need no annotation.
"""
import unicodedata
from collections import namedtuple
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .i18n import N_, TranslatableError

MAX_KEY = 2 ** 63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Long text (TEXT columns, 65,535 bytes on MySQL) at four bytes a character.
LONG_TEXT_MAX = 16_000


class ValueRefused(TranslatableError):
    """A value outside its field's rule."""


# kind: key | int | decimal | date | datetime | text
Rule = namedtuple("Rule", "kind minimum maximum places max_length multiline",
                  defaults=(None, None, 0, None, False))

KEY = Rule("key", 1, MAX_KEY)
AMOUNT = Rule("decimal", Decimal("0"), Decimal("999999999999.99"), places=2)
QUANTITY = Rule("int", 1, 1_000_000_000)
SCORE = Rule("int", 1, 5)
SCORE_AVERAGE = Rule("decimal", Decimal("1"), Decimal("5"), places=2)
SMALL_COUNT = Rule("int", 0, 32_767)          # SMALLINT
COUNT = Rule("int", 0, 2 ** 31 - 1)           # INT
DATE = Rule("date", date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
DATETIME = Rule("datetime", datetime(FIRST_YEAR, 1, 1), datetime(LAST_YEAR, 12, 31, 23, 59, 59))

# (model name, field name) -> a rule its shape does not say.
DECLARED = {
    ("Sale", "quantity"): QUANTITY,
    ("SatisfactionSurvey", "overall"): SCORE_AVERAGE,
}
SCORE_CODES = (1, 2, 3, 4, 5)


def rule_of(field):
    """The rule of a Peewee field, or None (booleans, choices of codes)."""
    model = getattr(getattr(field, "model", None), "__name__", None)
    declared = DECLARED.get((model, field.name))
    if declared:
        return declared
    if hasattr(field, "rel_model"):
        return KEY
    kind = field.field_type
    if field.choices:
        codes = tuple(code for code, _label in field.choices)
        return SCORE if codes == SCORE_CODES else None  # other codes: the choices check them
    if kind == "DECIMAL":
        places = field.decimal_places
        if (field.max_digits, places) == (14, 2):
            return AMOUNT
        top = Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)
        return Rule("decimal", Decimal(0), top, places=places)
    if kind == "SMALLINT":
        return SMALL_COUNT
    if kind in ("INT", "BIGINT"):
        return COUNT
    if kind == "DATE":
        return DATE
    if kind == "DATETIME":
        return DATETIME
    if kind == "VARCHAR":
        return Rule("text", max_length=field.max_length)
    if kind == "TEXT":
        return Rule("text", max_length=LONG_TEXT_MAX, multiline=True)
    return None


# ---------------------------------------------------------------- text
def _dropped(ch, multiline):
    if multiline and ch in "\t\n":
        return False
    # Cc: NUL, the other C0 controls, DEL and C1; Cs: lone surrogates, which
    # no database or file encoding can hold.
    return unicodedata.category(ch) in ("Cc", "Cs")


def clean_text(value, multiline=False):
    """``value`` without control characters (a Windows line break becomes
    one newline); anything else as typed. None stays None."""
    if value is None or not isinstance(value, str):
        return value
    if multiline:
        value = value.replace("\r\n", "\n")
    if value.isprintable() and "\x00" not in value:
        return value
    return "".join(ch for ch in value if not _dropped(ch, multiline))


def clean_for_export(value):
    """A stored text as a file may carry it: control characters dropped, tab
    and newline kept (a record saved before the rules still exports)."""
    return clean_text(value, multiline=True) if isinstance(value, str) else value


# ---------------------------------------------------------------- checks
def check(rule, value):
    """``value`` (already of the field's Python type, or None) if it keeps
    ``rule``, text cleaned; else ValueRefused."""
    if value is None or rule is None:
        return value
    if rule.kind == "text":
        text = clean_text(str(value), rule.multiline)
        if rule.max_length and len(text) > rule.max_length:
            raise ValueRefused(N_("Longer than %(num)d characters."), num=rule.max_length)
        return text
    if rule.kind in ("date", "datetime"):
        return check_moment(value, rule)
    if rule.kind == "decimal":
        return _check_decimal(value, rule)
    return _check_int(value, rule)


def check_moment(value, rule=DATE):
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueRefused(N_("Dates must lie between %(first)d and %(last)d."),
                           first=FIRST_YEAR, last=LAST_YEAR)
    return value


def check_year(year):
    """A year of a period, a plan or a report: 1900 to 2100."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueRefused(N_("Years must lie between %(first)d and %(last)d."),
                           first=FIRST_YEAR, last=LAST_YEAR)
    return year


def _check_decimal(value, rule):
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueRefused(N_("Not a number: %(value)s."), value=str(value)[:40]) from None
    if not number.is_finite():
        raise ValueRefused(N_("Not a number: %(value)s."), value=str(value)[:40])
    _in_range(number, rule)
    if number != number.quantize(Decimal(1).scaleb(-rule.places), rounding="ROUND_DOWN"):
        raise ValueRefused(N_("At most %(num)d decimal places."), num=rule.places)
    return number


def _check_int(value, rule):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, (float, Decimal)) and value == value and value == int(value):
            value = int(value)
        else:
            raise ValueRefused(N_("Not a whole number: %(value)s."), value=str(value)[:40])
    _in_range(value, rule)
    return value


def _in_range(number, rule):
    if not rule.minimum <= number <= rule.maximum:
        raise ValueRefused(N_("Must lie between %(min)s and %(max)s."),
                           min=_shown(rule.minimum), max=_shown(rule.maximum))


def _shown(number):
    return f"{number:,}"


# ---------------------------------------------------------------- parameters
def parse_key(text):
    """A record id from a URL or a form: ASCII digits naming 1 … 2⁶³−1, else
    None (it names no record)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= MAX_KEY else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_KEY else None


def parse_keys(values):
    """Record ids from a list (or one comma-separated text); ValueRefused
    when any of them is not an id."""
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    out = []
    for raw in values or ():
        key = parse_key(raw)
        if key is None:
            raise ValueRefused(N_("%(value)s is not a record number."), value=_short(raw))
        out.append(key)
    return out


def parse_count(text, maximum=MAX_KEY):
    """A page number, offset or limit: 0 … ``maximum``; ValueRefused otherwise."""
    raw = text.strip() if isinstance(text, str) else text
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 19:
        number = int(raw)
        if number <= maximum:
            return number
    elif isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= maximum:
        return raw
    raise ValueRefused(N_("%(value)s is not a whole number from 0 to %(max)s."),
                       value=_short(text), max=_shown(maximum))


def _short(value):
    text = clean_text(str(value))
    return text if len(text) <= 40 else text[:40] + "…"


def check_field(field, value):
    """``value`` for a Peewee ``field`` if it keeps the field's rule (text
    comes back cleaned); ids and records pass (their lookups check them)."""
    rule = rule_of(field)
    if rule is None or rule.kind == "key":
        return value
    return check(rule, value)
