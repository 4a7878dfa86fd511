"""Shared layout: sections (pdf_templates.data) to flowables, the page header
and footer, and the document build.

Every page carries the shop's name (and logo), the form's title, number and
date, and "page x / y" counted within its own form, so a batch of 40 visit
forms numbers each form 1 / 1 rather than 17 / 40. The header is drawn in a
second pass (FormCanvas keeps each page until save) because the total page
count of a form is known only at the end.
"""
import logging
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from domain.i18n import N_

from . import fonts as font_lookup
from .data import Field, Fields, Heading, Msg, Note, Options, PrintSettings, Scores, Table, text
from .flowables import BoxRow, Cell, FormStart, RowTable, Style
from .i18n import gettext_for, normalize

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
TOP = 33 * mm          # room for the header
BOTTOM = 15 * mm       # room for the footer
WIDTH = PAGE_W - 2 * MARGIN_X
GAP = 5                # space between sections (pt)


@dataclass
class Context:
    """What every section builder needs: the language and the text style."""
    t: object           # gettext
    lang: str
    style: Style

    @property
    def colon(self):
        return "：" if self.lang == "zh" else ": "

    @property
    def cont(self):
        return self.t(N_("(continued)"))

    def value(self, value):
        """A field value as printed text, in the print language."""
        if isinstance(value, Msg):
            return self.t(value)
        if isinstance(value, Options):
            return "  ".join(("■ " if c == value.selected else "□ ") + self.t(c)
                             for c in value.choices)
        if isinstance(value, bool):
            return self.t(N_("Yes")) if value else self.t(N_("No"))
        return text(value)


# ----------------------------------------------------------------- sections

def _row(ctx, cells, min_lines=1):
    return BoxRow(cells, ctx.style, min_lines=min_lines, cont=ctx.cont)


def _fields(section, ctx):
    cols = max(1, section.cols)
    label_w = WIDTH * (0.15 if cols <= 2 else 0.12)
    value_w = (WIDTH - cols * label_w) / cols
    out, pending = [], []

    def flush():
        if not pending:
            return
        cells = []
        for i, f in enumerate(pending):
            last = i == len(pending) - 1
            width = value_w + (cols - len(pending)) * (label_w + value_w) if last else value_w
            cells += [Cell(ctx.t(f.label), label_w, "label"), Cell(ctx.value(f.value), width)]
        out.append(_row(ctx, cells, max(f.lines for f in pending)))
        pending.clear()

    for f in section.items:
        if f.wide:
            flush()
            cells = [Cell(ctx.t(f.label), label_w, "label"),
                     Cell(ctx.value(f.value), WIDTH - label_w)]
            out.append(_row(ctx, cells, f.lines))
            continue
        pending.append(f)
        if len(pending) == cols:
            flush()
    flush()
    return out


def _heading(section, ctx):
    return [Spacer(1, GAP), _row(ctx, [Cell(ctx.t(section.label), WIDTH, "head")])]


def _note(section, ctx):
    return [_row(ctx, [Cell(ctx.t(section.text), WIDTH, "note")])]


def _widths(weights, total=WIDTH):
    whole = float(sum(weights))
    return [total * w / whole for w in weights]


def _table(section, ctx):
    if section.small:
        ctx = replace(ctx, style=replace(ctx.style, size=8.0, leading=10.5, pad_x=3.0,
                                         pad_y=2.0))
    widths = _widths([c.weight for c in section.columns])
    header = _row(ctx, [Cell(ctx.t(c.label), w, "head", center=True)
                        for c, w in zip(section.columns, widths)])
    rows = [_row(ctx, [Cell(ctx.value(v), w, center=c.center)
                       for v, c, w in zip(values, section.columns, widths)])
            for values in section.rows]
    if not rows:
        rows = [_row(ctx, [Cell("", w) for w in widths]) for _ in range(section.empty_rows)]
    return [RowTable(header, rows)]


def _scores(section, ctx):
    box_w = WIDTH * 0.06
    name_w, score_w = WIDTH * 0.16, WIDTH * 0.08
    hint_w = WIDTH - name_w - score_w - section.scale * box_w
    legend = f"1 = {ctx.t(section.low)} … {section.scale} = {ctx.t(section.high)}"
    header = _row(ctx, [Cell(ctx.t(N_("Indicator")), name_w, "head", center=True),
                        Cell(ctx.t(N_("What is rated")), hint_w, "head", center=True)]
                  + [Cell(str(i), box_w, "head", center=True) for i in range(1, section.scale + 1)]
                  + [Cell(ctx.t(N_("Score")), score_w, "head", center=True)])
    rows = []
    for label, hint, score in section.items:
        score = int(score) if score not in (None, "") else None
        rows.append(_row(ctx, [Cell(ctx.t(label), name_w, "label"), Cell(ctx.t(hint), hint_w)]
                         + [Cell("", box_w, "check", checked=score == i)
                            for i in range(1, section.scale + 1)]
                         + [Cell(text(score), score_w, center=True)]))
    return [_row(ctx, [Cell(legend, WIDTH, "note")]), RowTable(header, rows)]


BUILDERS = {Fields: _fields, Heading: _heading, Note: _note, Table: _table, Scores: _scores}


def flowables(sections, ctx):
    out = []
    for section in sections:
        if isinstance(section, Field):
            section = Fields((section,))
        out.extend(BUILDERS[type(section)](section, ctx))
    return out


# ----------------------------------------------------------------- pages

@dataclass(frozen=True)
class PageHeader:
    title: str
    number: str
    date: str


class FormCanvas(Canvas):
    """Keeps every page until save, then draws header and "x / y" footer."""

    def __init__(self, *args, decorate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._decorate, self._kept, self.form_header = decorate, [], None

    def showPage(self):
        self._kept.append((self.form_header, dict(self.__dict__)))
        self._startPage()

    def save(self):
        totals = Counter(id(h) for h, _state in self._kept)
        seen = Counter()
        for header, state in self._kept:
            self.__dict__.update(state)
            seen[id(header)] += 1
            self._decorate(self, header, seen[id(header)], totals[id(header)])
            Canvas.showPage(self)
        Canvas.save(self)


def draw_line(canv, fonts, x, y, s, size, bold=False, align="left", max_width=None):
    """One line of text; shrunk to ``max_width`` rather than cut off."""
    width = sum(fonts.char_width(c, bold) for c in s) * size
    if max_width and width > max_width:
        size, width = size * max_width / width, max_width
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    t = canv.beginText(x, y)
    for font, run in fonts.runs(s, bold):
        t.setFont(font, size)
        t.textOut(run)
    canv.drawText(t)


class Decorator:
    """Draws the page header and footer of one document."""

    def __init__(self, ctx, settings):
        self.ctx, self.settings, self.fonts = ctx, settings, ctx.style.fonts
        self.logo = self._logo(settings.logo_path)

    @staticmethod
    def _logo(path):
        if not path:
            return None
        try:
            return ImageReader(path)
        except Exception as ex:  # noqa: BLE001 — a missing or broken logo must not stop printing
            log.warning("Shop logo %s cannot be read: %s", path, ex)
            return None

    def __call__(self, canv, head, page, pages):
        if head is None:
            return
        ctx, fonts, top = self.ctx, self.fonts, PAGE_H - 11 * mm
        left, right, middle = MARGIN_X, PAGE_W - MARGIN_X, PAGE_W / 2
        canv.saveState()
        logo_w = 0
        if self.logo is not None:
            iw, ih = self.logo.getSize()
            h = 13 * mm
            logo_w = min(40 * mm, h * iw / ih)
            canv.drawImage(self.logo, left, top - h + 2, width=logo_w, height=h,
                           preserveAspectRatio=True, anchor="sw", mask="auto")
        room = WIDTH - 2 * (logo_w + 4)
        if self.settings.shop_name:
            draw_line(canv, fonts, middle, top - 8, self.settings.shop_name, 11, True,
                      "center", room)
        draw_line(canv, fonts, middle, top - 30, head.title, 17, True, "center", room)
        small, y = 9, top - 48
        if head.number:
            draw_line(canv, fonts, left, y, ctx.t("Number") + ctx.colon + head.number, small,
                      max_width=WIDTH * 0.6)
        if head.date:
            draw_line(canv, fonts, right, y, ctx.t("Date") + ctx.colon + head.date, small,
                      align="right", max_width=WIDTH * 0.38)
        canv.setLineWidth(0.8)
        canv.line(left, y - 5, right, y - 5)
        draw_line(canv, fonts, middle, 9 * mm, f"{page} / {pages}", 8, align="center")
        canv.restoreState()


# ----------------------------------------------------------------- build

def context(lang, settings):
    lang = normalize(lang)
    fonts = font_lookup.resolve(settings.font_path, settings.bold_font_path)
    return Context(gettext_for(lang), lang, Style(fonts))


def build(forms, lang="zh", settings=None):
    """PDF bytes of ``forms`` (data.Form), each starting on a new page."""
    settings = settings or PrintSettings()
    ctx = context(lang, settings)
    story = []
    for i, form in enumerate(forms):
        if i:
            story.append(PageBreak())
        head = PageHeader(ctx.t(form.title), text(form.number), text(form.date))
        story.append(FormStart(head))
        story.extend(flowables(form.sections, ctx))
    if not story:
        story.append(Spacer(1, 1))
    first = forms[0] if forms else None
    title = ((ctx.t(first.title) + (f" {text(first.number)}" if first.number else ""))
             if first else "")
    return write(story, ctx, settings, title)


def write(story, ctx, settings, title):
    """PDF bytes of the flowables ``story`` on the forms' A4 page (margins,
    header and "x / y" footer); also what the report template builds with."""
    out = BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, invariant=1, pageCompression=1,
        initialFontName=ctx.style.fonts.regular,  # no stray Helvetica in the resources
        leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=TOP, bottomMargin=BOTTOM,
        title=title, author=settings.shop_name, creator="", subject="")
    frame = Frame(MARGIN_X, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    doc.build(story, canvasmaker=partial(FormCanvas, decorate=Decorator(ctx, settings)))
    return out.getvalue()
