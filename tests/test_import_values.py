"""Cleaning the cells of a shop's old spreadsheets (domain.import_values; no app)."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from domain import import_values as V


@pytest.mark.parametrize("raw, expected", [
    ("2024-01-05", date(2024, 1, 5)),
    ("2024/1/5", date(2024, 1, 5)),
    ("2024.1.5", date(2024, 1, 5)),
    ("2024年1月5日", date(2024, 1, 5)),
    ("20240105", date(2024, 1, 5)),
    (20240105, date(2024, 1, 5)),
    ("２０２４－０１－０５", date(2024, 1, 5)),      # full-width digits and dash
    (" 2024/01/05 ", date(2024, 1, 5)),
    (45296, date(2024, 1, 5)),                      # an Excel serial number
    (45296.0, date(2024, 1, 5)),
    ("45296", date(2024, 1, 5)),                    # the serial as text (CSV)
    (datetime(2024, 1, 5, 0, 0), date(2024, 1, 5)),  # a datetime cell
    (date(2024, 1, 5), date(2024, 1, 5)),
    ("2024-01-05 00:00:00", date(2024, 1, 5)),
    (None, None), ("", None), ("\u3000", None),
])
def test_dates(raw, expected):
    assert V.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2024-13-01", "5/1/2024", "明天", "2024-01-05 10:30", True])
def test_dates_refused(raw):
    with pytest.raises(V.ValueRefused):
        V.parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    ("2024-01-05 14:30", datetime(2024, 1, 5, 14, 30)),
    ("2024/1/5 9:05:07", datetime(2024, 1, 5, 9, 5, 7)),
    ("2024年1月5日 14时30分", datetime(2024, 1, 5, 14, 30)),
    ("2024-01-05T14:30:00", datetime(2024, 1, 5, 14, 30)),
    ("2024-01-05", datetime(2024, 1, 5)),
    (45296.5, datetime(2024, 1, 5, 12, 0)),
    (datetime(2024, 1, 5, 14, 30, 0, 400), datetime(2024, 1, 5, 14, 30)),
])
def test_datetimes(raw, expected):
    assert V.parse_datetime(raw) == expected


def test_datetime_refuses_a_bad_time():
    with pytest.raises(V.ValueRefused):
        V.parse_datetime("2024-01-05 25:00")


@pytest.mark.parametrize("raw, expected", [
    (12800, Decimal("12800.00")),
    (12800.5, Decimal("12800.50")),
    ("¥12,800.00", Decimal("12800.00")),
    ("￥ 12,800", Decimal("12800.00")),
    ("12,800元", Decimal("12800.00")),
    ("1.28万", Decimal("12800.00")),
    ("３万", Decimal("30000.00")),
    ("RMB 1,200.5", Decimal("1200.50")),
    ("1.5亿", Decimal("150000000.00")),
    ("-300", Decimal("-300.00")),
    (None, None), (" ", None),
])
def test_amounts(raw, expected):
    assert V.parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12.8.0", "万", True])
def test_amounts_refused(raw):
    with pytest.raises(V.ValueRefused):
        V.parse_amount(raw)


@pytest.mark.parametrize("raw, expected", [
    (13800138000, "13800138000"),
    (13800138000.0, "13800138000"),            # Excel made it a number
    ("13800138000.0", "13800138000"),
    ("１３８００１３８０００", "13800138000"),   # full-width digits
    (" 0512-6688 1234 ", "0512-66881234"),        # one spelling (domain.phones)
    ("+86 138 0013 8000", "13800138000"),
    (5718765432, "5718765432"),
    ("0512-66881234转806", "0512-66881234转806"),
    (None, None),
])
def test_phones(raw, expected):
    assert V.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["1.38001E+10", "call me", 1380013.5])
def test_phones_refused(raw):
    with pytest.raises(V.ValueRefused):
        V.parse_phone(raw)


def test_excel_shortened_phone_says_why():
    with pytest.raises(V.ValueRefused) as ex:
        V.parse_phone("1.38001E+10")
    assert "Excel" in str(ex.value)


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("否", False), ("Yes", True), ("no", False), ("TRUE", True), (0, False),
    (1, True), ("√", True), ("×", False), (True, True), ("", None),
])
def test_booleans(raw, expected):
    assert V.parse_bool(raw) == expected


def test_ints():
    assert V.parse_int("３") == 3
    assert V.parse_int(3.0) == 3
    assert V.parse_int("1,200") == 1200
    with pytest.raises(V.ValueRefused):
        V.parse_int(2.5)


def test_text_spaces_are_trimmed_and_collapsed_but_characters_kept():
    assert V.clean_text("  苏州\u3000 精诚（集团） ") == "苏州 精诚（集团）"
    assert V.clean_text(1001.0) == "1001"
    assert V.clean_code("Ｃ０００１２３") == "C000123"


def test_names_match_whatever_the_spaces_width_and_case():
    assert V.match_key("苏州 精诚仪器") == V.match_key("苏州精诚仪器 ") == V.match_key(
        "苏州\u3000精诚仪器")
    assert V.match_key("ABC Ltd") == V.match_key("ａｂｃ　ltd")


def test_headers_match_case_and_space_insensitively():
    assert V.header_key(" Customer  Name ") == V.header_key("customername")
    assert V.header_key("客户 名称") == V.header_key("客户名称")


def test_choices_by_code_label_or_translation():
    lookup = V.choice_lookup((("enterprise", "Enterprise"), ("individual", "Individual")),
                             translators=[{"Enterprise": "企业", "Individual": "个人"}.get])
    assert V.parse_choice("企业", lookup) == "enterprise"
    assert V.parse_choice(" ENTERPRISE ", lookup) == "enterprise"
    assert V.parse_choice("individual", lookup) == "individual"
    with pytest.raises(V.ValueRefused):
        V.parse_choice("机构", lookup)


def test_integer_choices():
    lookup = V.choice_lookup(tuple((i, str(i)) for i in range(1, 6)))
    assert V.parse_choice(5, lookup) == 5
    assert V.parse_choice(5.0, lookup) == 5
    assert V.parse_choice("５", lookup) == 5
