"""The two flowables every form is built from: a row of boxes, and a table of
such rows whose header row repeats on each page.

Own flowables rather than Paragraphs in a Table: text is drawn as plain
strings (user text is never parsed as markup), lines are broken by
``wrap.break_lines``, and a row taller than the rest of the page splits
between two lines of text and continues on the next page, so a 20,000
character description prints in full instead of raising LayoutError.
"""
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.platypus.flowables import Flowable

from .wrap import break_lines

FUZZ = 1e-6
LABEL_FILL = Color(0.93, 0.94, 0.96)
HEAD_FILL = Color(0.86, 0.89, 0.93)
BORDER = Color(0.25, 0.25, 0.25)


@dataclass(frozen=True)
class Style:
    fonts: object           # fonts.FontSet
    size: float = 9.5
    leading: float = 13.0
    pad_x: float = 4.0
    pad_y: float = 3.0
    border: float = 0.6


@dataclass(frozen=True)
class Cell:
    """kind: 'label' (shaded, bold font), 'head' (darker), 'value', 'note'
    (no border), 'check' (a tick box, ticked when ``checked``)."""
    text: str = ""
    width: float = 0.0
    kind: str = "value"
    center: bool = False
    checked: bool = False

    @property
    def bold(self):
        return self.kind in ("label", "head")


class BoxRow(Flowable):
    """A row of bordered cells; its height is its tallest cell's text."""

    def __init__(self, cells, style, min_lines=1, cont="", lines=None):
        super().__init__()
        self.cells, self.style, self.min_lines, self.cont = tuple(cells), style, min_lines, cont
        self._lines = lines  # pre-broken lines (pieces of a split row)

    def _broken(self):
        if self._lines is None:
            st = self.style
            self._lines = [self._break(c, st) for c in self.cells]
        return self._lines

    @staticmethod
    def _break(cell, st):
        if cell.kind == "check" or not cell.text:
            return [] if cell.kind == "check" else [""]
        size, fonts, bold = st.size, st.fonts, cell.bold
        return break_lines(cell.text, cell.width - 2 * st.pad_x,
                           lambda ch: fonts.char_width(ch, bold) * size)

    def line_count(self):
        return max([self.min_lines] + [len(x) for x in self._broken()])

    def wrap(self, availWidth, availHeight):
        self.width = sum(c.width for c in self.cells)
        self.height = self.line_count() * self.style.leading + 2 * self.style.pad_y
        return self.width, self.height

    def split(self, availWidth, availHeight):
        st = self.style
        fit = int((availHeight - 2 * st.pad_y + FUZZ) // st.leading)
        total = self.line_count()
        # Short rows move whole to the next page; a long one leaves at least
        # two lines on each side of the break.
        fit = min(fit, total - 2)
        if total < 5 or fit < 2:
            return []
        first, rest = [], []
        for cell, lines in zip(self.cells, self._broken()):
            first.append(lines[:fit])
            more = lines[fit:]
            if not more and cell.bold and self.cont:
                more = [(lines[0] if lines else "") + self.cont]  # "Description (continued)"
            rest.append(more)
        return [BoxRow(self.cells, st, fit, self.cont, first),
                BoxRow(self.cells, st, max(1, self.min_lines - fit), self.cont, rest)]

    def draw(self):
        canv, st = self.canv, self.style
        x = 0.0
        canv.saveState()
        canv.setLineWidth(st.border)
        canv.setStrokeColor(BORDER)
        for cell, lines in zip(self.cells, self._broken()):
            fill = {"label": LABEL_FILL, "head": HEAD_FILL}.get(cell.kind)
            if fill is not None:
                canv.setFillColor(fill)
                canv.rect(x, 0, cell.width, self.height, stroke=0, fill=1)
                canv.setFillColorRGB(0, 0, 0)
            if cell.kind != "note":
                canv.rect(x, 0, cell.width, self.height, stroke=1, fill=0)
            if cell.kind == "check":
                self._tick_box(x + cell.width / 2, self.height / 2, cell.checked)
            else:
                self._text(x, cell, lines)
            x += cell.width
        canv.restoreState()

    def _text(self, x, cell, lines):
        canv, st = self.canv, self.style
        top = self.height - st.pad_y
        if cell.bold:  # labels sit in the middle of a tall box
            top -= (self.height - 2 * st.pad_y - len(lines) * st.leading) / 2
        y = top - st.leading + (st.leading - st.size) / 2 + st.size * 0.12
        for line in lines:
            if line:
                left = x + st.pad_x
                if cell.center:
                    width = sum(st.fonts.char_width(c, cell.bold) for c in line) * st.size
                    left = x + max(st.pad_x, (cell.width - width) / 2)
                t = canv.beginText(left, y)
                for font, run in st.fonts.runs(line, cell.bold):
                    t.setFont(font, st.size)
                    t.textOut(run)
                canv.drawText(t)
            y -= st.leading

    def _tick_box(self, cx, cy, checked):
        canv, side = self.canv, self.style.size * 0.9
        canv.rect(cx - side / 2, cy - side / 2, side, side, stroke=1, fill=0)
        if checked:  # a drawn tick: no glyph needed from the font
            p = canv.beginPath()
            p.moveTo(cx - side * 0.32, cy)
            p.lineTo(cx - side * 0.08, cy - side * 0.28)
            p.lineTo(cx + side * 0.36, cy + side * 0.3)
            canv.setLineWidth(1.4)
            canv.drawPath(p, stroke=1, fill=0)
            canv.setLineWidth(self.style.border)


class RowTable(Flowable):
    """BoxRows under a header BoxRow that is drawn again on every page."""

    def __init__(self, header, rows):
        super().__init__()
        self.header, self.rows = header, list(rows)

    def _heights(self, aw, ah):
        return [r.wrap(aw, ah)[1] for r in self.rows]

    def wrap(self, availWidth, availHeight):
        self.width, head = self.header.wrap(availWidth, availHeight)
        self.height = head + sum(self._heights(availWidth, availHeight))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        room = availHeight - self.header.wrap(availWidth, availHeight)[1]
        taken = []
        for i, row in enumerate(self.rows):
            h = row.wrap(availWidth, availHeight)[1]
            if h <= room + FUZZ:
                taken.append(row)
                room -= h
                continue
            parts = row.split(availWidth, room)
            if len(parts) == 2:
                taken.append(parts[0])
                rest = [parts[1]] + self.rows[i + 1:]
            else:
                rest = self.rows[i:]
            if not taken:
                return []
            return [RowTable(self.header, taken), RowTable(self.header, rest)]
        return [self]

    def draw(self):
        y = self.height
        for row in [self.header] + self.rows:
            y -= row.height
            row.drawOn(self.canv, 0, y)


class FormStart(Flowable):
    """Marks where a form begins: pages from here on carry its header."""

    def __init__(self, header):
        super().__init__()
        self.header = header

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.form_header = self.header


__all__ = ["Style", "Cell", "BoxRow", "RowTable", "FormStart"]
