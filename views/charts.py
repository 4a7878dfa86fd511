"""Charts as inline SVG, drawn on the server: no chart library, no CDN, no
JavaScript, so the dashboard works on a shop's offline laptop and prints.

Pure functions from already translated labels and numbers to an SVG string;
every piece of text goes through ``escape`` (a customer or category name is
user text). Hovering a bar shows its exact value (an SVG <title>).
"""
from decimal import Decimal
from html import escape
from math import floor, log10

PALETTE = ("#2c7fb8", "#41ab5d", "#fd8d3c", "#807dba", "#e7298a", "#969696", "#dd3497",
           "#66c2a4")
FONT = 'font-family="sans-serif" font-size="11" fill="#333"'


def nice_max(value, ticks=4):
    """The top of an axis above ``value`` that divides into round steps."""
    if not value or value <= 0:
        return ticks
    raw = float(value) / ticks
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            step = factor * magnitude
            break
    return step * ticks


def _num(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        value = value.normalize()
    return f"{value:g}" if isinstance(value, float) else str(value)


def text_width(content, size=11):
    """Roughly how wide ``content`` is drawn (a CJK character is about one
    em, a Latin one about half): enough to lay out labels and legends."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in str(content))


def _text(x, y, content, anchor="middle", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT}{extra}>'
            f"{escape(str(content))}</text>")


def _svg(width, height, title, body):
    # No xmlns: inline SVG in HTML needs none, and the page stays free of URLs.
    return (f'<svg viewBox="0 0 {width} {height}" '
            f'width="{width}" class="chart" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _legend(names, x0, y0, right):
    """Legend entries left to right, wrapping to a new line at ``right``;
    returns (svg pieces, height used)."""
    out, x, y = [], x0, y0
    for i, name in enumerate(names):
        width = 14 + text_width(name) + 14
        if x > x0 and x + width > right:
            x, y = x0, y + 16
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        out.append(_text(x + 14, y, name, "start"))
        x += width
    return out, y - y0 + 16


def bars(categories, series, *, title, stacked=False, width=640, height=260, y_max=None):
    """Vertical bars: one group per category, one bar per series (side by
    side, or ``stacked``). ``series``: [(name, [value per category])]."""
    left, right, bottom = 44, 10, 46
    legend, legend_h = _legend([name for name, _values in series], left, 14, width - right)
    top = 12 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = ([sum(float(s[1][i] or 0) for s in series) for i in range(len(categories))]
              if stacked else [float(v or 0) for _n, values in series for v in values])
    top_value = y_max or nice_max(max(totals, default=0))
    body = legend
    for i in range(5):  # gridlines and their values
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                    f'stroke="#e5e5e5"/>')
        body.append(_text(left - 4, y + 4, _num(top_value * i / 4), "end"))
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.7 / (1 if stacked else max(len(series), 1))
    for c, category in enumerate(categories):
        x0 = left + c * group_w + group_w * 0.15
        base = 0.0
        for s, (name, values) in enumerate(series):
            value = float(values[c] or 0)
            h = plot_h * value / top_value if top_value else 0
            x = x0 if stacked else x0 + s * bar_w
            y = top + plot_h - h - (plot_h * base / top_value if stacked else 0)
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[s % len(PALETTE)]}"><title>'
                        f'{escape(f"{category} · {name}: {_num(values[c] or 0)}")}</title></rect>')
            if stacked:
                base += value
        body.append(_text(left + c * group_w + group_w / 2, top + plot_h + 16, category))
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
                f'y2="{top + plot_h}" stroke="#999"/>')
    return _svg(width, height, title, body)


def hbars(rows, *, title, width=640, x_max=None, shown=None):
    """Horizontal bars, one per (label, value) row, its value written at its
    end (``shown``: how to write it; a None value draws no bar and "—")."""
    shown = shown or _num
    row_h, top = 24, 8
    # Labels get the room they need, up to 45 % of the width.
    label_width = min(max([text_width(label) for label, _v in rows] + [40]) + 12,
                      width * 0.45)
    height = top * 2 + row_h * max(len(rows), 1)
    plot_w = width - label_width - 60
    top_value = x_max or nice_max(max((float(v) for _l, v in rows if v), default=0))
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        body.append(_text(label_width - 6, y + 16, label, "end"))
        w = plot_w * float(value) / top_value if value else 0
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{PALETTE[0]}"><title>{escape(f"{label}: {shown(value)}")}'
                    f'</title></rect>')
        text = shown(value) if value is not None else "—"
        body.append(_text(label_width + w + 4, y + 16, text, "start"))
    return _svg(width, height, title, body)
