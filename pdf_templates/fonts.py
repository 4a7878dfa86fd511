"""Font discovery: an embedded TrueType CJK font, or STSong-Light as a last resort.

ReportLab's built-in ``STSong-Light`` is a CID font that is *not embedded*:
Acrobat asks for a font pack, a machine without CJK fonts shows boxes and
pdftotext needs Debian's poppler-data. So we embed a subset of a TrueType
CJK font. ReportLab's ``TTFont`` reads TrueType outlines only (Noto CJK and
Source Han are CFF: "postscript outlines are not supported"), hence
WenQuanYi first. A path may name a face of a .ttc collection: ``file.ttc#2``.

Bold: WenQuanYi has no bold face, nor does any other TrueType CJK font
Debian ships. We never fake bold by stroking; the bold font is a registered
font of its own, taken from ``PDF_BOLD_FONT_PATH`` (point it at a real bold
TrueType CJK face if the shop has one), else WenQuanYi Zen Hei *Sharp* (face
2 of the Zen Hei collection: same outlines, differs only in embedded screen
bitmaps that PDF ignores), else the regular file. Headings therefore stand
out by size and shading, not by weight, until a real bold is configured.

Glyphs the CJK font lacks (emoji, ✓) are drawn from fallback fonts when one
of them has the glyph (DejaVu Sans, Symbola), so no character is silently lost.
"""
import hashlib
import logging
import os
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

WQY = "/usr/share/fonts/truetype/wqy/"
REGULAR_CANDIDATES = (
    WQY + "wqy-zenhei.ttc",                               # Debian fonts-wqy-zenhei
    WQY + "wqy-microhei.ttc",                             # Debian fonts-wqy-microhei
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",         # Fedora
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",         # Debian fonts-arphic-uming
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
BOLD_CANDIDATES = (WQY + "wqy-zenhei.ttc#2", "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc#2")
GLYPH_FALLBACKS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",  # Debian fonts-symbola
)
CID_FALLBACK = "STSong-Light"
_warned = set()  # messages already logged: each is said once per process


def _warn_once(message, *args):
    if message not in _warned:
        _warned.add(message)
        log.warning(message, *args)


def _utf16_to_unicode_cmap(fontname, subset, _original=ttfonts.makeToUnicodeCMap):
    """ReportLab writes a character above U+FFFF (an emoji) into the ToUnicode
    CMap as 5 hex digits ("<1F600>"), which PDF readers misread (pdftotext
    gives U+1F60, pypdf nothing); the CMap wants UTF-16BE ("<D83DDE00>").
    Same CMap otherwise, so copy-paste and text extraction keep the emoji."""
    cmap = _original(fontname, subset)
    for code, point in enumerate(subset):
        if point > 0xFFFF:
            utf16 = chr(point).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{code:02X}> <{point:04X}>", f"<{code:02X}> <{utf16}>")
    return cmap


if getattr(ttfonts.makeToUnicodeCMap, "__name__", "") != _utf16_to_unicode_cmap.__name__:
    ttfonts.makeToUnicodeCMap = _utf16_to_unicode_cmap


@dataclass(frozen=True)
class FontSet:
    """Registered font names and the per-character metrics the layout needs."""
    regular: str
    bold: str
    embedded: bool          # False: the STSong-Light fallback (not embedded)
    fallbacks: tuple = ()   # (font name, frozenset of code points) in order

    def font_for(self, ch, bold=False):
        main = self.bold if bold else self.regular
        if not self.fallbacks or _has(main, ch):
            return main
        for name, points in self.fallbacks:
            if ord(ch) in points:
                return name
        return main

    def char_width(self, ch, bold=False):
        """Width of ``ch`` at 1 pt (scale by the font size)."""
        return _width(self.font_for(ch, bold), ch)

    def runs(self, text, bold=False):
        """[(font name, text)]: consecutive characters drawn with one font."""
        if not self.fallbacks:
            return [(self.bold if bold else self.regular, text)]
        out = []
        for ch in text:
            name = self.font_for(ch, bold)
            if out and out[-1][0] == name:
                out[-1][1].append(ch)
            else:
                out.append((name, [ch]))
        return [(name, "".join(chars)) for name, chars in out]


@lru_cache(maxsize=65536)
def _width(font_name, ch):
    return pdfmetrics.stringWidth(ch, font_name, 1000) / 1000.0


@lru_cache(maxsize=None)
def _points(font_name):
    font = pdfmetrics.getFont(font_name)
    return frozenset(getattr(font.face, "charToGlyph", {}))


@lru_cache(maxsize=65536)
def _has(font_name, ch):
    return ord(ch) in _points(font_name)


def _split(spec):
    """'file.ttc#2' -> ('file.ttc', 2)."""
    path, _sep, index = spec.rpartition("#")
    if path and index.isdigit():
        return path, int(index)
    return spec, 0


def _register(spec, suffix=""):
    """Register the TrueType face ``spec`` once; its font name, or None."""
    path, index = _split(spec)
    if not os.path.isfile(path):
        return None
    # Deterministic name (same bytes for the same input), unique per face.
    digest = hashlib.sha1(f"{os.path.abspath(path)}#{index}".encode()).hexdigest()[:8]
    name = f"{os.path.splitext(os.path.basename(path))[0]}-{index}-{digest}{suffix}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except Exception as ex:  # noqa: BLE001 — CFF outlines, bad index, broken file
            log.warning("PDF font %s cannot be used: %s", spec, ex)
            return None
    return name


def _first(specs):
    for spec in specs:
        if spec:
            name = _register(spec)
            if name:
                return name, spec
    return None, None


def resolve(font_path=None, bold_font_path=None):
    """The FontSet for these settings (None: search the usual places)."""
    return _resolve(font_path, bold_font_path, REGULAR_CANDIDATES, BOLD_CANDIDATES,
                    GLYPH_FALLBACKS)


@lru_cache(maxsize=16)
def _resolve(font_path, bold_font_path, regular_candidates, bold_candidates, glyph_fallbacks):
    if font_path and not _register(font_path):
        log.warning("PDF_FONT_PATH %s is not a usable TrueType font; searching the usual places",
                    font_path)
    regular, regular_spec = _first((font_path,) + regular_candidates)
    if regular is None:
        _warn_once("No TrueType CJK font found (set PDF_FONT_PATH or install fonts-wqy-zenhei); "
                    "printing with %s, which is not embedded in the PDF", CID_FALLBACK)
        if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        # A CID font has no bold face: headings use the same font.
        return FontSet(CID_FALLBACK, CID_FALLBACK, embedded=False)
    bold, _spec = _first((bold_font_path,) + tuple(
        b for b in bold_candidates if _split(b)[0] == _split(regular_spec)[0]))
    if bold is None:
        # No distinct face: the regular face registered again under a name of its own.
        bold = _register(regular_spec, suffix="-bold")
    fallbacks = tuple((n, _points(n)) for n in (_register(p) for p in glyph_fallbacks) if n)
    return FontSet(regular, bold, embedded=True, fallbacks=fallbacks)
