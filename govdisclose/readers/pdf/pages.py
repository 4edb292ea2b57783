"""One PDF page: its glyphs (doubled ones counted once), page numbers in the margins dropped, its ruled
and unruled tables placed, and the text lines left for prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from govdisclose.readers.grid import CellBudget
from govdisclose.readers.model import Location, Table
from govdisclose.readers.pdf.glyphs import (
    GLYPH_TEXT,
    GLYPH_TOP,
    GLYPH_X0,
    Glyph,
    Line,
    cluster_lines,
    compact,
    line_text,
    segment_runs,
)
from govdisclose.readers.pdf.pdfium import PageContent
from govdisclose.readers.pdf.ruled import Placement, RuledGrid, centres, grid_table, in_box, ruled_grids, rulings_incomplete
from govdisclose.readers.pdf.unruled import band_table, split_bands, table_regions

__all__ = ["Placed", "PageText", "PageStats", "read_page", "drop_folios", "page_glyphs"]

# ----------------------------------------------------------------------------------------------
# Page numbers in the margins

_FOLIO = re.compile(
    r"^(?:[-—–~·•_]+\d{1,4}[-—–~·•_]+|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|共\d{1,4}页第\d{1,4}页|\d{1,4}/\d{1,4}"
    r"|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)


_BARE_FOLIO = re.compile(r"^\d{1,4}$")

def drop_folios(glyphs: list[Glyph], height: float, table_boxes: list[tuple[float, float, float, float]]) -> list[Glyph]:
    """Remove page numbers printed in the top 10% or bottom 15% of the page.

    ``-5-``, ``- 5 -``, ``第5页``, ``5/12`` go wherever they stand; a bare ``5`` only when it is
    alone on its line and outside ruled tables.
    """
    low, high = 2 * (0.10 * height), 2 * (0.85 * height)  # the bands, on twice the centre
    band = [g for g in glyphs if not low <= g[2] + g[4] <= high]  # (top + bottom)
    if not band:
        return glyphs
    drop: set[int] = set()
    for line in cluster_lines(band):
        runs = segment_runs(line)  # the line's segments (their glyphs; the text is all we need)
        for run in runs:
            text = compact(line_text(run))
            if _FOLIO.match(text) or (_BARE_FOLIO.match(text) and len(runs) == 1 and not any(in_box(run[0], box) for box in table_boxes)):
                drop.update(id(g) for g in run)
    if not drop:
        return glyphs
    return [g for g in glyphs if id(g) not in drop]


@dataclass(slots=True)
class Placed:
    """A table on its page: where it starts and ends and its column x positions."""

    top: float
    bottom: float
    table: Table
    xs: list[float]
    unruled: bool = False  # read from text positions (no rulings)


@dataclass(slots=True)
class PageText:
    number: int
    lines: list[tuple[int, Line]]  # (line number on the page, line)
    tables: list[Placed]
    notes: list[str] = field(default_factory=list)
    source: str = ""  # the file, for locations


def page_glyphs(glyphs: list[Glyph]) -> list[Glyph]:
    """The page's characters; a character drawn twice at (almost) the same place counts once.

    Some producers fake bold type by printing each character twice, a fraction of a point apart.
    Most pages have no such pair: :func:`_maybe_doubled` tells so for the whole page at once.
    """
    if not _maybe_doubled(glyphs):
        return [g for g in glyphs if g[0]]
    seen: dict[str, dict[int, list[float]]] = {}  # text -> its rows (int of the top) -> x0 of each
    out = []
    for g in glyphs:
        text = g.text
        if not text:
            continue
        if not text.isspace():
            row, x0 = int(g.top), g.x0
            rows = seen.get(text)
            if rows is None:
                seen[text] = {row: [x0]}
            else:
                if _drawn_near(rows, row, x0):
                    continue
                here = rows.get(row)
                if here is None:
                    rows[row] = [x0]
                else:
                    here.append(x0)
        out.append(g)
    return out


def _maybe_doubled(glyphs: list[Glyph]) -> bool:
    """Whether two printed glyphs of the same text could be one drawn twice (their tops' whole
    points at most one apart, their x0 less than a point apart); never False when they are.

    Each glyph is keyed by its text and the whole point of its top, and again by its text and
    that point less one (so neighbouring points meet on one key); sorted by key and x0, two
    glyphs that close have neighbours in that order on one key less than a point apart.
    """
    n = len(glyphs)
    if n < 2:
        return False
    texts = "".join(map(GLYPH_TEXT, glyphs))
    if len(texts) != n:  # an empty glyph or one of several characters: the plain rule decides
        return True
    points = np.frombuffer(texts.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    blank = _blank_table()
    printed = ~(blank[np.minimum(points, len(blank) - 1)] & (points < len(blank)))
    code = points.astype(np.float64)
    x0 = np.fromiter(map(GLYPH_X0, glyphs), np.float64, n)[printed]
    row = np.trunc(np.fromiter(map(GLYPH_TOP, glyphs), np.float64, n)[printed])  # int() of the top
    if not len(row):
        return False
    reach = np.abs(row).max()
    if not (np.isfinite(x0).all() and reach < 1e6):
        return True  # NaN or far-off positions: the plain rule decides
    code = code[printed] * (2.0 * (reach + 2.0))
    keys = np.concatenate((code + row, code + row - 1.0))
    xs = np.concatenate((x0, x0))
    order = np.lexsort((xs, keys))
    keys, xs = keys[order], xs[order]
    return bool(((keys[1:] == keys[:-1]) & (xs[1:] - xs[:-1] < 1.0)).any())


@cache
def _blank_table() -> Any:
    """For each code point up to U+3000 (the last blank), whether ``str.isspace`` tells it blank."""
    return np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)


def _drawn_near(rows: dict[int, list[float]], row: int, x0: float) -> bool:
    for r in (row - 1, row, row + 1):
        xs = rows.get(r)
        if xs:
            for x in xs:
                if -1.0 < x - x0 < 1.0:
                    return True
    return False


class PageStats(NamedTuple):
    glyphs: int
    unmapped: int  # glyphs whose font gives no Unicode value
    images: bool


def read_page(page: PageContent, rulings: bool, source: str, budget: CellBudget) -> tuple[PageText, PageStats]:
    """One page (from :meth:`~govdisclose.readers.pdf.pdfium.PdfFile.page`): its tables and text
    lines, and what it holds. Locations name ``source``."""
    number = page.number
    glyphs = page_glyphs(page.glyphs)
    has_images = page.images > 0 if not glyphs else False
    grids = ruled_grids(page.shapes, budget) if rulings and glyphs else []
    glyphs = drop_folios(glyphs, page.height, [g.bbox for g in grids])
    tables: list[Placed] = []
    rest = glyphs
    placed: list[tuple[float, RuledGrid, tuple[list[Glyph], Placement]]] = []
    incomplete = 0
    if grids:
        cx, cy = centres(glyphs)
        left = np.ones(len(glyphs), dtype=bool)  # the glyphs no table has taken
        for grid in sorted(grids, key=lambda g: g.bbox[1]):
            x0, top, x1, bottom = box = grid.bbox
            # the glyphs whose centre is inside the box (as in_box tells), in page order
            at = np.flatnonzero(left & (x0 <= cx) & (cx < x1) & (top <= cy) & (cy < bottom))
            inside = [glyphs[i] for i in at.tolist()]
            placement = Placement(grid, inside, (cx[at], cy[at]))
            if rulings_incomplete(grid, inside, placement):
                incomplete += 1  # its glyphs stay for the text-position reading
                continue
            left[at] = False
            placed.append((box[1], grid, (inside, placement)))
        if placed:
            rest = [glyphs[i] for i in np.flatnonzero(left).tolist()]
    lines = [Line(ln) for ln in cluster_lines(rest) if any(not g.text.isspace() for g in ln)]
    width = max((ln.x1 - ln.x0 for ln in lines), default=0.0)
    regions = table_regions(lines, width) if lines else []
    in_regions = {id(ln) for region in regions for ln in region}
    pending: list[tuple[float, float, str, Any]] = [(grid.bbox[1], grid.bbox[3], "grid", (grid, inside)) for _, grid, inside in placed]
    for region in regions:
        for band in split_bands(region):
            lines_in = band.header + band.rows + band.pieces
            pending.append((min(ln.top for ln in lines_in), max(ln.bottom for ln in lines_in), "band", band))
    pending.sort(key=lambda item: item[0])
    k = 0
    for top, bottom, kind, item in pending:
        where = Location(source, page=number, table=k + 1)
        if kind == "grid":
            grid, (inside, placement) = item
            table, xs = grid_table(grid, inside, where, budget, placement)
        else:
            table, xs = band_table(item, where)
        if table.rows:
            k += 1
            tables.append(Placed(top, bottom, table, xs, unruled=kind != "grid"))
    text_lines = [(i, ln) for i, ln in enumerate((ln for ln in lines if id(ln) not in in_regions), start=1)]
    notes = [f"page {number}: a ruled table lacks column rulings; its cells were read from text positions"] * bool(incomplete)
    if page.lost:
        notes.append(f"page {number}: {page.lost} pieces of text in a font that is not embedded could not be placed (no font"
                     " on this machine draws them); they read \ufffd")
    return PageText(number, text_lines, tables, notes, source), PageStats(len(glyphs), page.unmapped, has_images)

