"""Which exported cells a spreadsheet would run as a formula.

Excel and LibreOffice start a formula at = + - @ (and take the full-width
forms an IME types, ＝ ＋ － ＠, the same way), and they skip spaces, tabs,
line breaks and other control characters in front of it when a CSV is opened.
A customer named ``=HYPERLINK(…)`` or ``\\t+cmd|…`` must come out as text.
"""
import re
import unicodedata

FORMULA_STARTS = frozenset("=+-@＝＋－＠")
# A plain number ("-5", "+3.2e4") is a number to Excel, never a formula.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _ignored(ch):
    """Characters a spreadsheet passes over before reading a formula: white
    space of any kind and control/format characters (CR, NUL, zero-width…)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def is_formula_like(text):
    """True when ``text`` would be read as a formula."""
    if not text or _NUMBER.fullmatch(text):
        return False
    for ch in text:
        if not _ignored(ch):
            return ch in FORMULA_STARTS
    return False


def as_text(text):
    """``text`` with the apostrophe that makes a spreadsheet keep it as text,
    when it needs one."""
    return "'" + text if is_formula_like(text) else text
