"""One spelling of a phone number (domain.phones; no app)."""
import pytest

from domain import phones


@pytest.mark.parametrize("typed, clean", [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("１３８　００１３　８０００", "13800138000"),       # full-width digits and space
    ("+86 138 0013 8000", "13800138000"),
    ("(+86)13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("0571-87654321", "0571-87654321"),
    ("0571 8765 4321", "0571-87654321"),
    ("0571-8765-4321", "0571-87654321"),
    ("(0571)87654321", "0571-87654321"),
    ("０５７１－８７６５４３２１", "0571-87654321"),
    ("0571—87654321", "0571-87654321"),               # a typographic dash
    ("057187654321", "0571-87654321"),                # the area code found by its length
    ("01012345678", "010-12345678"),
    ("+86 571 8765 4321", "0571-87654321"),
    ("+86 (0)571 8765 4321", "0571-87654321"),
    ("0512-66881234转806", "0512-66881234转806"),
    ("0512-66881234 ext. 806", "0512-66881234转806"),
    ("13800138000 / 0512 6688 1234", "13800138000 / 0512-66881234"),
    ("13800138000、13900139000", "13800138000 / 13900139000"),
    ("+1 415 555 2671", "+1-415-555-2671"),
    ("400-820-8820", "4008208820"),
    ("95588", "95588"),
    ("  ", None), (None, None),
])
def test_clean(typed, clean):
    assert phones.clean(typed) == clean


@pytest.mark.parametrize("typed, message", [
    ("call me", "Letters are not allowed"),
    ("tel:13800138000", "Letters are not allowed"),
    ("13800138000 (Mr Li)", "Letters are not allowed"),
    ("没有", "Not a phone number"),
    ("138*0013", "Not a phone number"),
    ("--", "Not a phone number"),
])
def test_refused_with_a_reason(typed, message):
    with pytest.raises(phones.PhoneRefused) as ex:
        phones.clean(typed)
    assert message in str(ex.value)


@pytest.mark.parametrize("word, digits", [
    ("138 0013", "1380013"), ("0571-8765", "05718765"), ("+86 571 8765", "05718765"),
    ("１３８００", "13800"), ("(0571)", "0571"),
    ("C000123", None), ("王工", None), ("12", None),
])
def test_search_digits(word, digits):
    assert phones.search_digits(word) == digits


def test_the_same_number_in_another_spelling():
    assert phones.same_number("+86 138 0013 8000", "13800138000")
    assert phones.same_number("0571 8765 4321", "0571-87654321")
    assert not phones.same_number("0571 8765 4321", "0571-87654322")
    assert not phones.same_number("call me", "13800138000")
