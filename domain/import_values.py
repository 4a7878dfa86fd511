"""Reading the values of a shop's old spreadsheets (no Flask, no database).

Real files are messy: full-width digits and spaces typed with a Chinese input
method, phone numbers Excel turned into numbers, dates in five spellings or as
Excel serial numbers, amounts with ¥, commas or 万. Each ``parse_*`` function
takes a raw cell (str, int, float, date, datetime or None) and returns the
clean Python value, None for an empty cell, or raises ``ValueRefused`` whose
msgid the UI translates.
"""
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from . import phones
from .i18n import N_, TranslatableError


class ValueRefused(TranslatableError):
    """A cell that cannot be read as the value its column needs."""


# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in); serials
# from 1 (1900) to 2958465 (9999-12-31).
EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL_RANGE = (1, 2958465)

_SPACES = re.compile(r"\s+")


def fold(value):
    """Full-width letters, digits, punctuation and spaces to their ASCII forms."""
    return unicodedata.normalize("NFKC", value)


def is_empty(value):
    return value is None or (isinstance(value, str) and not fold(value).strip())


def header_key(text):
    """How headers are compared: width-folded, without any spaces, case-folded."""
    return _SPACES.sub("", fold(str(text or ""))).casefold()


def match_key(text):
    """How names are compared (a customer typed twice with different spaces
    is one customer): width-folded, no spaces, case-folded."""
    return header_key(text)


def clean_text(value):
    """A text cell: spaces trimmed and runs of spaces (also the ideographic
    space U+3000) made one; other characters kept as typed, so a company name
    keeps its full-width brackets."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1001.0 from a number cell is the code 1001
    if isinstance(value, datetime):
        value = value.isoformat(sep=" ")
    text = _SPACES.sub(" ", str(value).replace("\u3000", " ")).strip()
    return _unquote(text)


def _unquote(text):
    """Drop the apostrophe that keeps '=…, '+86…, '0512… as text in Excel (our
    CSV export writes it before = + - @)."""
    if len(text) > 1 and text[0] == "'" and (text[1] in "=+-@" or text[1].isdigit()):
        return text[1:]
    return text


def clean_code(value):
    """Codes, numbers and serials: width-folded (Ａ００１ → A001) and trimmed."""
    text = clean_text(value)
    return None if text is None else fold(text).strip()


def parse_phone(value):
    """A phone number cleaned as everywhere else (domain.phones); Excel's
    numbers (13800138000.0) come back as digits. A number Excel shortened to
    scientific notation lost its digits: refused, saying why."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueRefused(N_("Not a phone number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueRefused(N_("Not a phone number."))
        value = int(value)
    text = _unquote(_SPACES.sub(" ", fold(str(value))).strip())
    if re.fullmatch(r"\d(\.\d+)?e\+?\d+", text, re.IGNORECASE):
        raise ValueRefused(N_("Excel shortened this phone number to %(value)s; format the "
                              "column as text and type it again."), value=text)
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    try:
        return phones.clean(text)
    except phones.PhoneRefused as ex:
        raise ValueRefused(ex.msgid, **ex.params) from None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_PATTERN = re.compile(r"^(\d{1,2})[:时點点](\d{1,2})(?:[:分](\d{1,2})秒?)?分?$")


def from_serial(number):
    """An Excel serial day number (with a fraction for the time of day)."""
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise ValueRefused(N_("Not a date: %(value)s."), value=number)
    moment = EXCEL_EPOCH + timedelta(days=float(number))
    return moment.replace(microsecond=0) if moment.microsecond < 500000 else (
        moment.replace(microsecond=0) + timedelta(seconds=1))


def _date_from_text(text):
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueRefused(N_("Not a date: %(value)s."), value=text) from None
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):  # a serial number that lost its date format
        return from_serial(float(text)).date()
    raise ValueRefused(N_("Not a date: %(value)s (write it as 2024-01-05)."), value=text)


def _split_moment(text):
    """'2024/1/5 10:30' → ('2024/1/5', '10:30'); '2024年1月5日10时30分' too."""
    text = text.strip()
    m = re.match(r"^(\d{4}年\d{1,2}月\d{1,2}[日号]?)\s*(.*)$", text)
    if m:
        return m.group(1), m.group(2).strip()
    date_part, _sep, time_part = text.partition(" ")
    if "T" in date_part and not time_part:
        date_part, _sep, time_part = date_part.partition("T")
    return date_part, time_part.strip()


def parse_date(value):
    """2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105, an Excel serial
    (45296) or a date/datetime cell → date."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueRefused(N_("Not a date: %(value)s."), value=value)
    if isinstance(value, (int, float)):
        if isinstance(value, int) and 19000101 <= value <= 99991231:
            return _date_from_text(str(value))  # 20240105 typed into a number cell
        return from_serial(value).date()
    date_part, time_part = _split_moment(fold(str(value)))
    if time_part and not re.fullmatch(r"0{1,2}:00(:00)?", time_part):
        raise ValueRefused(N_("Not a date: %(value)s (write it as 2024-01-05)."),
                           value=str(value).strip())
    return _date_from_text(date_part)


def parse_datetime(value):
    """A date as parse_date reads it, optionally followed by a time
    (10:30, 10:30:15, 10时30分) → datetime; a bare date means midnight."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, int) and 19000101 <= value <= 99991231:
            return datetime.combine(_date_from_text(str(value)), time())
        return from_serial(value)
    date_part, time_part = _split_moment(fold(str(value)))
    day = _date_from_text(date_part)
    if not time_part:
        return datetime.combine(day, time())
    m = _TIME_PATTERN.match(time_part)
    if not m:
        raise ValueRefused(N_("Not a time: %(value)s (write it as 2024-01-05 14:30)."),
                           value=str(value).strip())
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueRefused(N_("Not a time: %(value)s (write it as 2024-01-05 14:30)."),
                           value=str(value).strip())
    return datetime.combine(day, time(hour, minute, second))


_UNITS = (("亿", Decimal(100000000)), ("万", Decimal(10000)), ("千", Decimal(1000)))
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY|人民币)|(?:元|RMB|CNY)$", re.IGNORECASE)


def parse_amount(value, places=2):
    """12800, '¥12,800.00', '12,800元', '1.28万', '￥ 3 000' → Decimal with
    ``places`` decimals."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueRefused(N_("Not an amount: %(value)s."), value=value)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # 0.1 stays 0.1, not 0.1000000000000000055…
    else:
        text = fold(str(value)).strip().replace(",", "").replace(" ", "")
        text = _CURRENCY.sub("", _CURRENCY.sub("", text))
        factor = Decimal(1)
        for unit, times in _UNITS:
            if text.endswith(unit):
                text, factor = text[:-len(unit)], times
                break
        try:
            number = Decimal(text) * factor
        except InvalidOperation:
            raise ValueRefused(N_("Not an amount: %(value)s."),
                               value=str(value).strip()) from None
    if not number.is_finite():
        raise ValueRefused(N_("Not an amount: %(value)s."), value=str(value).strip())
    return number.quantize(Decimal(1).scaleb(-places))


def parse_int(value):
    """A whole number: 3, 3.0, '３', '1,200'."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueRefused(N_("Not a whole number: %(value)s."), value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = fold(str(value)).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+(\.0+)?", text):
        return int(Decimal(text))
    raise ValueRefused(N_("Not a whole number: %(value)s."), value=str(value).strip())


_TRUE = {"1", "y", "yes", "true", "t", "是", "有", "对", "✓", "✔", "√", "☑"}
_FALSE = {"0", "n", "no", "false", "f", "否", "无", "不是", "✗", "×", "☐"}


def parse_bool(value):
    """是/否, Yes/No, True/False, 1/0, ✓ … → bool (an empty cell → None)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = header_key(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueRefused(N_("Not yes or no: %(value)s."), value=str(value).strip())


def parse_choice(value, lookup):
    """A code or a label in any language → code. ``lookup`` maps
    ``header_key(code or label)`` to the code (see ``choice_lookup``)."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = lookup.get(header_key(value))
    if found is None:
        raise ValueRefused(N_("Unknown value: %(value)s."), value=str(value).strip())
    return found


def choice_lookup(choices, translators=()):
    """{header_key(code / label / translated label): code} for a field's
    ``choices``; ``translators`` are gettext-like callables (one per UI
    language) so a Chinese file's 企业 finds the code ``enterprise``."""
    lookup = {}
    for code, label in choices:
        names = [str(code), str(label)] + [t(str(label)) for t in translators]
        for name in filter(None, names):
            lookup.setdefault(header_key(name), code)
            # 技术 for 技术部, 采购 for 采购部门: departments are written both ways.
            for suffix in ("部门", "部"):
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    lookup.setdefault(header_key(name[:-len(suffix)]), code)
    return lookup
