"""Phone numbers, cleaned one way wherever they are typed (forms, list cells,
imports) and found by their digits however they were typed.

Clerks type full-width digits and spaces with a Chinese input method, group
digits with spaces or dashes, add +86, or an extension (转806). ``clean``
gives one spelling: a mobile as its 11 digits (13800138000), a landline with
its area code and one dash (0571-87654321), an extension as 转806, several
numbers in a cell separated by " / ". Letters are refused, since a number
with letters in it cannot be dialled.
"""
import re
import unicodedata

from .i18n import N_, TranslatableError


class PhoneRefused(TranslatableError):
    """A phone number that cannot be cleaned into one we can dial."""


MOBILE = re.compile(r"1[3-9]\d{9}")
# Between digit groups: spaces, ASCII and typographic dashes, dots.
_JOINERS = "\\s\\-.\u00b7\u2010-\u2015\u2212\u30fc"
_EXTENSION = re.compile(r"\s*(?:转|轉|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*[/,;、]\s*")    # several numbers in one cell
_ALLOWED = re.compile(rf"\+?[\d(){_JOINERS}]+")
_COUNTRY = re.compile(rf"^\(?(?:\+|00)\s*86\)?[{_JOINERS}]*|^86(?=1[3-9]\d{{9}}$)")


def fold(text):
    """Full-width digits, letters, brackets and spaces to ASCII."""
    return unicodedata.normalize("NFKC", text)


def clean(text):
    """The one spelling of the phone number(s) ``text``; None when empty.
    Raises PhoneRefused."""
    text = fold(str(text or "")).strip()
    if not text:
        return None
    parts = [p for p in _SEPARATORS.split(text) if p]
    return " / ".join(_clean_one(p) for p in parts)


def _clean_one(text):
    extension = ""
    m = _EXTENSION.search(text)
    if m and m.start() > 0:
        text, extension = text[:m.start()], "转" + m.group(1)
    typed = text
    national = _national(text)
    text = typed if national is None else national
    if not _ALLOWED.fullmatch(text):
        if re.search(r"[A-Za-z]", text):  # a word where the number should be
            raise PhoneRefused(N_("Letters are not allowed in a phone number: %(value)s."),
                               value=typed)
        raise PhoneRefused(N_("Not a phone number: %(value)s."), value=typed)
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise PhoneRefused(N_("Not a phone number: %(value)s."), value=typed)
    if national is None and (text.startswith("+") or text.startswith("00")):
        # Another country: its digits, grouped by single dashes as typed.
        groups = re.findall(r"\d+", text)
        return "+" + "-".join(groups).lstrip("0") + extension
    if MOBILE.fullmatch(digits):
        return digits + extension
    if digits.startswith("0"):
        return _landline(text, digits) + extension
    return digits + extension


def _national(text):
    """``text`` without a +86 / 0086 / 86 prefix (a landline gets back its
    leading 0), or None when it has none."""
    m = _COUNTRY.match(text)
    if not m:
        return None
    rest = text[m.end():].lstrip()
    rest = re.sub(r"^\(0\)", "0", rest)  # +86 (0)571 …
    digits = re.sub(r"\D", "", rest)
    if MOBILE.fullmatch(digits) or rest.startswith("0"):
        return rest
    return "0" + rest


def _landline(text, digits):
    """0571-87654321: the area code the clerk set apart (a dash, a space or
    brackets), else China's: 3 digits for 010 and 02x, 4 for the others."""
    m = re.match(rf"^\(?(0\d{{1,4}})(?:\)[{_JOINERS}]*|[{_JOINERS}]+)(.+)$", text)
    if m:
        return m.group(1) + "-" + re.sub(r"\D", "", m.group(2))
    if 10 <= len(digits) <= 12:
        size = 3 if digits[1] in "12" else 4
        return digits[:size] + "-" + digits[size:]
    return digits


def same_number(stored, typed):
    """Whether ``typed`` is the number already stored, however it was
    spelled then (a number stored before phones were cleaned)."""
    if stored == typed:
        return True
    try:
        return clean(stored) == clean(typed)
    except PhoneRefused:
        return False


def digits(text):
    """The digits of ``text`` (full-width ones too), as search compares phones."""
    return re.sub(r"\D", "", fold(str(text or "")))


def search_digits(word):
    """The digits to look for when ``word`` is a (part of a) phone number as
    someone would type it (digits, spaces, dashes, brackets, +86), else None:
    a customer code such as C000123 is not a phone number."""
    word = fold(word).strip()
    word = _national(word) or word
    if not _ALLOWED.fullmatch(word):
        return None
    found = digits(word)
    return found if len(found) >= 3 else None
