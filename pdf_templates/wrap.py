"""Line breaking for mixed Chinese/Latin text; pure, widths from a callable.

Why not ReportLab's ``wordWrap='CJK'``: it breaks after any character and
only looks half a line back for a space, so English words and model numbers
get cut in two; and its "cannot start a line" set lacks the full-width
comma, colon, semicolon and question mark (reportlab/lib/textsplit.py).

Here a run of narrow characters (a Latin word, a number, "XJ-200") is one
unit, each wide character (UAX #11: CJK, full-width punctuation, emoji) is a
unit of its own, closing punctuation sticks to the unit before it and opening
punctuation to the unit after it. Only a unit wider than a whole line is cut,
so a long unbroken string still prints in full.
"""
import unicodedata

# May not start a line (kept on the line before) / may not end one.
CLOSING = frozenset("，。、；：！？）》」』】〉〕］｝”’…‥—～·%‰℃°,.;:!?)]}")
OPENING = frozenset("（《「『【〈〔［｛“‘([{")
FUZZ = 1e-6


def _wide(ch):
    return unicodedata.east_asian_width(ch) in "WF"


def units(paragraph):
    """[(text, is_space)] break units of one line of text (no newlines)."""
    out, run, run_space = [], [], None
    for ch in paragraph:
        space = ch.isspace()
        if space or not _wide(ch):
            if run and run_space is not space:
                out.append(("".join(run), run_space))
                run = []
            run.append(ch)
            run_space = space
            continue
        if run:
            out.append(("".join(run), run_space))
            run = []
        out.append((ch, False))
    if run:
        out.append(("".join(run), run_space))
    return _glue(out)


def _glue(raw):
    """Closing punctuation joins the unit before it, opening the unit after."""
    out, opening = [], ""
    for text, space in raw:
        if space:
            if opening:
                out.append((opening, False))
                opening = ""
            out.append((text, True))
        elif opening:
            out.append((opening + text, False))
            opening = ""
        elif text[0] in OPENING and len(text) == 1:
            opening = text
        elif text[0] in CLOSING and out and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        else:
            out.append((text, False))
    if opening:
        out.append((opening, False))
    return out


def break_lines(text, width, char_width):
    """``text`` cut into lines no wider than ``width`` (where possible).

    Newlines in the text start new lines; blank lines are kept.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(_paragraph(paragraph, width, char_width))
    return lines


def _width(text, char_width):
    return sum(char_width(c) for c in text)


def _paragraph(paragraph, width, char_width):
    lines, parts, used = [], [], 0.0
    space, space_w = "", 0.0
    for text, is_space in units(paragraph):
        if is_space:
            if parts:  # spaces at the start of a line are dropped
                space, space_w = space + text, space_w + _width(text, char_width)
            continue
        w = _width(text, char_width)
        if parts and used + space_w + w <= width + FUZZ:
            parts += [space, text]
            used += space_w + w
        else:
            if parts:
                lines.append("".join(parts))
            if w <= width + FUZZ:
                parts, used = [text], w
            else:
                pieces = _cut(text, width, char_width)
                lines.extend(pieces[:-1])
                parts, used = [pieces[-1]], _width(pieces[-1], char_width)
        space, space_w = "", 0.0
    lines.append("".join(parts))
    return lines


def _cut(text, width, char_width):
    """A unit wider than a line, cut by characters; closing punctuation hangs."""
    pieces, piece, used = [], [], 0.0
    for ch in text:
        w = char_width(ch)
        if piece and used + w > width + FUZZ and ch not in CLOSING:
            pieces.append("".join(piece))
            piece, used = [], 0.0
        piece.append(ch)
        used += w
    pieces.append("".join(piece))
    return pieces
