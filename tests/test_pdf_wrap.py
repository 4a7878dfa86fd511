"""Line breaking of mixed Chinese/Latin text (pdf_templates.wrap): pure, no PDF."""
import unicodedata

from hypothesis import given, strategies as st

from pdf_templates.wrap import CLOSING, break_lines, units


def width(ch):
    """Wide characters 1, narrow ones 0.5: the rough shape of a CJK font."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


TEXT = "客户反馈XJ-200示波器（新款）读数漂移，请尽快处理。Hello world, again"


def test_latin_words_and_model_numbers_stay_whole():
    for w in (5, 6, 7, 8, 10, 12):
        lines = break_lines(TEXT, w, width)
        words = " ".join(lines).split()
        assert "XJ-200" in "".join(lines)
        assert all(word.strip("，。（）") for word in words)
        for word in ("Hello", "world,", "again", "XJ-200"):
            assert any(word in line for line in lines), (w, lines)


def test_chinese_wraps_per_character_and_fills_the_line():
    lines = break_lines("一二三四五六七八九十", 4, width)
    assert lines == ["一二三四", "五六七八", "九十"]


def test_no_line_starts_with_closing_punctuation():
    text = "读数漂移，请处理。设备（新）、配件）好的！" * 5
    for w in range(3, 15):
        for line in break_lines(text, w, width)[1:]:
            assert line[0] not in CLOSING, (w, line)


def test_opening_bracket_stays_with_what_follows():
    assert ("（新", False) in units("示波器（新款）")
    for w in range(3, 10):
        assert not any(line.endswith("（") for line in break_lines("示波器（新款）读数" * 3, w, width))


def test_a_string_wider_than_the_line_is_cut_and_kept():
    lines = break_lines("x" * 3000, 10, width)
    assert "".join(lines) == "x" * 3000
    assert max(len(line) for line in lines) == 20


def test_newlines_and_blank_lines_are_kept():
    assert break_lines("第一行\n\n第三行\r\n末行", 20, width) == ["第一行", "", "第三行", "末行"]
    assert break_lines("", 20, width) == [""]


@given(st.text(alphabet=st.sampled_from(list("客户反馈，。（）ab cXJ-2\n😀")), max_size=200),
       st.integers(min_value=1, max_value=30))
def test_nothing_is_lost_but_spaces(text, w):
    lines = break_lines(text, w, width)
    squash = lambda s: "".join(s.split())  # noqa: E731
    assert squash("".join(lines)) == squash(text)
    for line in lines:  # only a unit wider than the line overflows it
        if sum(width(c) for c in line) > w:
            assert " " not in line.strip()
