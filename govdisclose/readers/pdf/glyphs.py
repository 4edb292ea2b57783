"""Glyphs, printed lines and their gap-separated segments: what every part of the PDF reader reads.

The PDF reader (:mod:`govdisclose.readers.pdf`) and its text-position table reading
(:mod:`govdisclose.readers.pdf.unruled`) both work on these: a :class:`Glyph` is one character as
pdfplumber placed it; :func:`cluster_lines` groups glyphs into printed lines, :func:`split_segments`
cuts a line where a wide gap separates table columns, and :func:`line_text` / :func:`block_text`
turn glyphs back into text (no space where CJK meets).

>>> g = [Glyph("总", 0, 0, 10, 10, 10), Glyph("计", 10, 0, 20, 10, 10), Glyph("1", 60, 0, 65, 10, 10), Glyph("2", 65, 0, 70, 10, 10)]
>>> line_text(g), [s.text for s in split_segments(g)], glue("结", "果"), glue("a", "b")
('总计 12', ['总计', '12'], '结果', 'a b')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from govdisclose.template.normalize import fold_width
from govdisclose.template.values import is_value_text

__all__ = [
    "GLYPH_TEXT", "GLYPH_X0", "GLYPH_TOP", "GLYPH_X1", "GLYPH_BOTTOM",
    "Glyph", "Segment", "Line", "is_cjk", "glue", "line_text", "cluster_lines", "block_text",
    "glyph_box", "compact", "split_segments", "segment_runs",
]



# ----------------------------------------------------------------------------------------------
# Glyphs and text assembly


class Glyph(NamedTuple):
    """One printed character: its text, box (points from the page's top left) and type size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7]")


_CJK_SEEN: dict[str, bool] = {}


def is_cjk(ch: str) -> bool:
    known = _CJK_SEEN.get(ch)
    if known is None:
        known = _CJK_SEEN[ch] = bool(_CJK.match(ch))
        if len(_CJK_SEEN) > 100_000:  # a memo of characters seen, bounded
            _CJK_SEEN.clear()
    return known


def glue(left: str, right: str) -> str:
    """Join two pieces of one cell or paragraph: no space where either side is CJK."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return left + " " + right


def line_text(glyphs: list[Glyph]) -> str:
    """Text of one printed line (glyphs in x order); gaps become one space except between CJK.

    Glyphs printed over each other (a damaged or doubled text layer) are kept apart by a space
    too, so ``1`` over ``1`` never reads as ``11``.
    """
    if len(glyphs) == 1:  # a single character (a digit in a table cell, mostly)
        return glyphs[0].text.strip()
    out: list[str] = []
    add = out.append
    after = False  # a printed glyph came before, no blank since: its right edge, size, width, text
    p_x1 = p_size = p_width = 0.0
    p_last = ""
    cjk = _CJK_SEEN.get
    for g in glyphs:
        text = g[0]
        if text.isspace():
            if out and out[-1] != " ":
                add(" ")
            after = False
            continue
        x0, x1, size = g[1], g[3], g[5]
        if after:
            gap = x0 - p_x1
            em = size if size > p_size else p_size
            if em < 1.0:
                em = 1.0
            a, b = p_last[-1], text[0]
            a_cjk = cjk(a)
            if a_cjk is None:
                a_cjk = is_cjk(a)
            if a_cjk:
                b_cjk = cjk(b)
                if b_cjk is None:
                    b_cjk = is_cjk(b)
            else:
                b_cjk = False
            if gap > (1.0 if b_cjk else 0.25) * em:
                add(" ")  # apart: never one word or number
            else:
                width = x1 - x0
                if p_width < width:
                    width = p_width
                if em < width:
                    width = em
                if -gap > 0.25 * width:
                    add(" ")  # printed over each other: never one word or number
        add(text)
        after = True
        p_x1, p_size, p_width, p_last = x1, size, x1 - x0, text
    return "".join(out).strip()


def cluster_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into printed lines by their vertical centre; each line sorted by x."""
    lines: list[list[Glyph]] = []
    if len(glyphs) < 2:
        return [list(glyphs)] if glyphs else lines
    first = glyphs[0]
    top, bottom = first[2], first[4]
    if (top + bottom) - (top + bottom) == 0.0:  # a finite centre: are all glyphs set on it (one line)?
        for g in glyphs:
            if g[2] != top or g[4] != bottom or not g[5] >= 0.0 or g[1] != g[1]:
                break
        else:  # one centre, sizes of at least 0 (and x0 a number): one line, as the loop below finds it
            return [sorted(glyphs, key=GLYPH_X0)]
    centres = [(g[2] + g[4]) / 2 for g in glyphs]
    # by centre, then x0, then the order given (what a stable sort on (centre, x0) gives)
    order = sorted(zip(centres, map(GLYPH_X0, glyphs), range(len(glyphs))))
    current: list[Glyph] = []
    centre = size = 0.0
    for cy, _, i in order:
        g = glyphs[i]
        g_size = g[5]
        if current and abs(cy - centre) <= 0.45 * (size if size > g_size else g_size):
            current.append(g)
            continue
        current = [g]
        lines.append(current)
        centre, size = cy, g_size
    for line in lines:
        if len(line) > 1:
            line.sort(key=GLYPH_X0)
    return lines


def block_text(glyphs: list[Glyph], lines: list[list[Glyph]] | None = None) -> str:
    """Text of a cell: its lines top to bottom, joined without spaces where CJK meets
    (``lines``: the glyphs' :func:`cluster_lines`, when already worked out).

    Text turned a quarter (a side label set with a text direction) is read in the order it was
    written, which is its reading order whichever way it turns.
    """
    if len(glyphs) == 1 and glyphs[0].upright:  # one character (a digit in a table cell, mostly)
        return glyphs[0].text.strip()
    if glyphs and not any(g.upright for g in glyphs):
        return "".join(g.text for g in glyphs if not g.text.isspace())
    text = ""
    for line in cluster_lines(glyphs) if lines is None else lines:
        text = glue(text, line_text(line))
    return text


#: A glyph's fields by position (read in C by min/max/sort/fromiter: the hot loops of the reader).
GLYPH_TEXT, GLYPH_X0, GLYPH_TOP, GLYPH_X1, GLYPH_BOTTOM = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)


def glyph_box(glyphs: list[Glyph]) -> tuple[float, float, float, float]:
    return (min(map(GLYPH_X0, glyphs)), min(map(GLYPH_TOP, glyphs)), max(map(GLYPH_X1, glyphs)), max(map(GLYPH_BOTTOM, glyphs)))


_BLANKS = re.compile(r"\s+")


def compact(text: str) -> str:
    return _BLANKS.sub("", fold_width(text))


# ----------------------------------------------------------------------------------------------
# Segments: runs of glyphs on one line separated by wide gaps (table columns)


def _run_box(glyphs: list[Glyph]) -> tuple[float, float, float, float]:
    """x0 (the first glyph's), x1, top and bottom of a run of glyphs."""
    if len(glyphs) == 1:
        g = glyphs[0]
        return g.x0, g.x1, g.top, g.bottom
    return glyphs[0].x0, max(map(GLYPH_X1, glyphs)), min(map(GLYPH_TOP, glyphs)), max(map(GLYPH_BOTTOM, glyphs))


class _GlyphRun:
    """Geometry shared by runs of glyphs (a segment, a line): their box on the page, worked out
    once (``x0`` is the first glyph's, the others the extremes)."""

    __slots__ = ()
    glyphs: list[Glyph]
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Segment(_GlyphRun):
    """Glyphs of one line between wide gaps: a table column's text on that line."""

    glyphs: list[Glyph]
    text: str = ""
    x0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)

    def __init__(self, glyphs: list[Glyph], text: str = "") -> None:  # ``text`` is worked out from the glyphs
        self.glyphs = glyphs
        self.text = line_text(glyphs)
        self.x0, self.x1, self.top, self.bottom = _run_box(glyphs)

    @property
    def is_value(self) -> bool:
        return bool(self.text.strip()) and is_value_text(self.text)


def segment_runs(line: list[Glyph], gap_em: float = 1.0) -> list[list[Glyph]]:
    """The glyphs of :func:`split_segments`'s segments, without their text (cheaper, for counting)."""
    segments: list[list[Glyph]] = []
    current: list[Glyph] = []
    last_x1 = last_size = 0.0  # of the last printed glyph
    blanks = False  # a blank glyph was put on a segment (its end is trimmed below)
    for g in line:
        if g[0].isspace():
            if segments:
                current.append(g)
                blanks = True
            continue
        size = g[5]
        if segments:
            em = size if size > last_size else last_size
            apart = g[1] - last_x1 > gap_em * (em if em > 1.0 else 1.0)
        else:
            apart = True
        if apart:
            current = [g]
            segments.append(current)
        else:
            current.append(g)
        last_x1, last_size = g[3], size
    if blanks:
        for seg in segments:
            while seg and seg[-1][0].isspace():
                seg.pop()
    return segments


def split_segments(line: list[Glyph], gap_em: float = 1.0) -> list[Segment]:
    """A line cut where a gap wider than ``gap_em`` type sizes separates its glyphs (table columns)."""
    return [Segment(seg) for seg in segment_runs(line, gap_em)]


def _median(values: list[float]) -> float:
    """The median, as :func:`statistics.median` gives it."""
    values.sort()
    n = len(values)
    if n % 2:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


@dataclass(slots=True)
class Line(_GlyphRun):
    """A printed line outside ruled tables."""

    glyphs: list[Glyph]
    segments: list[Segment] = field(default_factory=list)
    text: str = ""
    size: float = 1.0  # the median type size of its printed glyphs
    x0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)

    def __init__(self, glyphs: list[Glyph], segments: list[Segment] | None = None, text: str = "", size: float = 1.0) -> None:
        """``segments``, ``text`` and ``size`` are worked out from the glyphs."""
        self.glyphs = glyphs
        runs = segment_runs(glyphs)
        self.segments = segments = [Segment(seg) for seg in runs]
        if len(runs) == 1 and len(runs[0]) == len(glyphs):  # one segment of all the glyphs: its box
            one = segments[0]
            self.x0, self.x1, self.top, self.bottom = one.x0, one.x1, one.top, one.bottom
        else:
            self.x0, self.x1, self.top, self.bottom = _run_box(glyphs)
        # the segments' texts one space apart: what line_text gives for the whole line, since a
        # gap that splits segments (over one type size) is a space, and so are the blanks
        # between them, however many
        self.text = segments[0].text if len(segments) == 1 else " ".join([seg.text for seg in segments])
        self.size = _median([g[5] for g in glyphs if not g[0].isspace()]) if self.text else 1.0  # (size, text)

    @property
    def is_value_row(self) -> bool:
        """A label (or nothing) followed by value-like segments at a distance: a table row."""
        segs = self.segments
        return len(segs) >= 2 and segs[-1].is_value
