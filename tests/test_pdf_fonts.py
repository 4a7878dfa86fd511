"""Font discovery: an embedded TrueType CJK font when one is found, else the
non-embedded STSong-Light with one warning; bold is a font of its own."""
import io
import logging
import os

import pytest
from pypdf import PdfReader

from pdf_templates import PrintSettings, fonts, render

ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
needs_wqy = pytest.mark.skipif(not os.path.exists(ZENHEI), reason="needs fonts-wqy-zenhei")
DATA = {"number": "TS-2026-0001", "customer": "上海精密仪器有限公司", "description": "读数漂移"}


def font_names(pdf):
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def no_system_fonts(monkeypatch):
    monkeypatch.setattr(fonts, "REGULAR_CANDIDATES", ())
    monkeypatch.setattr(fonts, "_warned", set())
    fonts._resolve.cache_clear()
    yield
    fonts._resolve.cache_clear()


@needs_wqy
def test_truetype_font_is_found_embedded_and_bold_is_its_own_font():
    found = fonts.resolve()
    assert found.embedded and found.regular != found.bold
    pdf = render("complaint_registration", DATA, "zh")
    names = font_names(pdf)
    assert any("WenQuanYiZenHei+" in n or "WenQuanYiZenHei" in n for n in names), names
    assert any("Sharp" in n for n in names), names  # the bold face, a separate font
    assert b"/FontFile2" in pdf  # the subset is embedded
    assert "上海精密仪器有限公司" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@needs_wqy
def test_configured_font_path_wins_and_a_ttc_face_can_be_chosen():
    found = fonts.resolve(ZENHEI + "#1", ZENHEI + "#0")
    assert found.regular.startswith("wqy-zenhei-1-") and found.bold.startswith("wqy-zenhei-0-")
    pdf = render("customer_card", {"name": "客户"}, "zh",
                 PrintSettings(font_path=ZENHEI + "#1", bold_font_path=ZENHEI + "#0"))
    assert any("Mono" in n for n in font_names(pdf))


def test_unusable_configured_font_is_reported_and_the_search_goes_on(tmp_path, caplog):
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"not a font")
    with caplog.at_level(logging.WARNING, logger="pdf_templates.fonts"):
        found = fonts.resolve(str(bogus))
    assert "not-a-font.ttf" in caplog.text
    assert found.regular  # whatever the search found, or the fallback


def test_without_a_truetype_font_stsong_light_is_used_with_one_warning(no_system_fonts, caplog):
    with caplog.at_level(logging.WARNING, logger="pdf_templates.fonts"):
        first = render("complaint_registration", DATA, "zh")
        render("complaint_registration", DATA, "en")
        render("visit_record", {}, "zh", PrintSettings(font_path="/nonexistent.ttf"))
    fallback_warnings = [r for r in caplog.records if "STSong-Light" in r.getMessage()]
    assert len(fallback_warnings) == 1
    assert font_names(first) == {"/STSong-Light"}
    assert b"/FontFile2" not in first  # not embedded: the reason it is only a fallback
    assert not fonts.resolve().embedded


@needs_wqy
def test_characters_missing_from_the_cjk_font_come_from_a_fallback_font():
    found = fonts.resolve()
    if not found.fallbacks:
        pytest.skip("no glyph fallback font (fonts-dejavu-core / fonts-symbola) installed")
    assert found.font_for("客") == found.regular
    assert found.font_for("😀") != found.regular
    text = PdfReader(io.BytesIO(render("complaint_registration", {"customer": "笑脸😀 ok"}, "zh"))
                     ).pages[0].extract_text()
    assert "笑脸😀 ok" in text
