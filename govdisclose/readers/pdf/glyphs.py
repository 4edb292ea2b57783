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
import statistics
from dataclasses import dataclass, field
from typing import NamedTuple

from govdisclose.template.normalize import fold_width
from govdisclose.template.values import is_value_text

__all__ = [
    "Glyph", "Segment", "Line", "is_cjk", "glue", "line_text", "cluster_lines", "block_text",
    "glyph_box", "compact", "split_segments",
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
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        if g.text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            prev = None
            continue
        if prev is not None and out and out[-1] != " ":
            gap = g.x0 - prev.x1
            size = max(g.size, prev.size, 1.0)
            cjk_pair = is_cjk(prev.text[-1]) and is_cjk(g.text[0])
            overprint = -gap > 0.25 * min(g.x1 - g.x0, prev.x1 - prev.x0, size)
            if gap > (1.0 if cjk_pair else 0.25) * size or overprint:
                out.append(" ")  # apart, or printed over each other: never one word or number
        out.append(g.text)
        prev = g
    return "".join(out).strip()


def cluster_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into printed lines by their vertical centre; each line sorted by x."""
    lines: list[list[Glyph]] = []
    centre = 0.0
    size = 0.0
    for g in sorted(glyphs, key=lambda g: (g.cy, g.x0)):
        if lines and abs(g.cy - centre) <= 0.45 * max(size, g.size):
            lines[-1].append(g)
            continue
        lines.append([g])
        centre, size = g.cy, g.size
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def block_text(glyphs: list[Glyph], lines: list[list[Glyph]] | None = None) -> str:
    """Text of a cell: its lines top to bottom, joined without spaces where CJK meets
    (``lines``: the glyphs' :func:`cluster_lines`, when already worked out).

    Text turned a quarter (a side label set with a text direction) is read in the order it was
    written, which is its reading order whichever way it turns.
    """
    if glyphs and not any(g.upright for g in glyphs):
        return "".join(g.text for g in glyphs if not g.text.isspace())
    text = ""
    for line in cluster_lines(glyphs) if lines is None else lines:
        text = glue(text, line_text(line))
    return text


def glyph_box(glyphs: list[Glyph]) -> tuple[float, float, float, float]:
    return (min(g.x0 for g in glyphs), min(g.top for g in glyphs), max(g.x1 for g in glyphs), max(g.bottom for g in glyphs))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", fold_width(text))


# ----------------------------------------------------------------------------------------------
# Segments: runs of glyphs on one line separated by wide gaps (table columns)


class _GlyphRun:
    """Geometry shared by runs of glyphs (a segment, a line): their box on the page."""

    __slots__ = ()
    glyphs: list[Glyph]

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)


@dataclass(slots=True)
class Segment(_GlyphRun):
    """Glyphs of one line between wide gaps: a table column's text on that line."""

    glyphs: list[Glyph]
    text: str = ""

    def __post_init__(self) -> None:
        self.text = line_text(self.glyphs)

    @property
    def is_value(self) -> bool:
        return bool(self.text.strip()) and is_value_text(self.text)


def split_segments(line: list[Glyph], gap_em: float = 1.0) -> list[Segment]:
    segments: list[list[Glyph]] = []
    last: Glyph | None = None
    for g in line:
        if g.text.isspace():
            if segments:
                segments[-1].append(g)
            continue
        if last is None or g.x0 - last.x1 > gap_em * max(g.size, last.size, 1.0):
            segments.append([g])
        else:
            segments[-1].append(g)
        last = g
    out = []
    for seg in segments:
        while seg and seg[-1].text.isspace():
            seg.pop()
        if seg:
            out.append(Segment(seg))
    return out


@dataclass(slots=True)
class Line(_GlyphRun):
    """A printed line outside ruled tables."""

    glyphs: list[Glyph]
    segments: list[Segment] = field(default_factory=list)
    text: str = ""
    size: float = 1.0  # the median type size of its printed glyphs

    def __post_init__(self) -> None:
        self.segments = split_segments(self.glyphs)
        self.text = line_text(self.glyphs)
        self.size = statistics.median(g.size for g in self.glyphs if not g.text.isspace()) if self.text else 1.0

    @property
    def is_value_row(self) -> bool:
        """A label (or nothing) followed by value-like segments at a distance: a table row."""
        segs = self.segments
        return len(segs) >= 2 and segs[-1].is_value
