"""Ruled tables: the grid of each table :mod:`.rulings` finds on a page, and its cells.

Every grid slot becomes a cell
(:class:`~govdisclose.readers.grid.GridBuilder`); slots covered by a spanning box are merged copies.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from govdisclose.readers.grid import CellBudget, GridBuilder, location_fields, slot_location
from govdisclose.readers.model import Cell, Location, Table, lazy_cell
from govdisclose.readers.pdf.glyphs import (
    GLYPH_BOTTOM,
    GLYPH_TOP,
    GLYPH_X0,
    GLYPH_X1,
    Glyph,
    Segment,
    block_text,
    cluster_lines,
    glue,
    line_text,
    segment_runs,
)
from govdisclose.readers.pdf.pdfium import Shape
from govdisclose.readers.pdf.rulings import find_tables, table_rulings

__all__ = ["RuledGrid", "Placement", "ruled_grids", "grid_table", "rulings_incomplete", "in_box", "centres"]


def centres(glyphs: list[Glyph]) -> tuple[Any, Any]:
    """The glyphs' x and y centres (``numpy`` arrays), as :attr:`Glyph.cx` and :attr:`Glyph.cy` give them."""
    n = len(glyphs)
    x0, top = np.fromiter(map(GLYPH_X0, glyphs), float, n), np.fromiter(map(GLYPH_TOP, glyphs), float, n)
    x1, bottom = np.fromiter(map(GLYPH_X1, glyphs), float, n), np.fromiter(map(GLYPH_BOTTOM, glyphs), float, n)
    return (x0 + x1) / 2, (top + bottom) / 2


def in_box(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= g.cx < box[2] and box[1] <= g.cy < box[3]


@dataclass(slots=True)
class RuledGrid:
    """A ruled table on one page: grid lines, the boxes covering its slots, glyphs per box."""

    xs: list[float]
    ys: list[float]
    boxes: list[tuple[float, float, float, float]]
    owner: list[list[int]]  # owner[r][c] -> index in boxes, -1 for a slot no box covers
    spans: list[tuple[int, int, int, int]]  # box -> (r0, c0, r1, c1), exclusive ends

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def _coords(values: set[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 0.5:
            out.append(v)
    return out


def _grid(cells: list[tuple[float, float, float, float]], budget: CellBudget) -> RuledGrid | None:
    xs = _coords({c[0] for c in cells} | {c[2] for c in cells})
    ys = _coords({c[1] for c in cells} | {c[3] for c in cells})
    if len(xs) < 3 or len(ys) < 2:  # one column: a box around text, not a table
        return None
    budget.room((len(xs) - 1) * (len(ys) - 1))
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        # each edge's grid line: the last one at most half a point beyond it (the first when none is)
        c0, c1 = bisect_right(xs, x0 + 0.5) - 1, bisect_right(xs, x1 + 0.5) - 1
        r0, r1 = bisect_right(ys, top + 0.5) - 1, bisect_right(ys, bottom + 0.5) - 1
        c0, c1, r0, r1 = (c0 if c0 > 0 else 0), (c1 if c1 > 0 else 0), (r0 if r0 > 0 else 0), (r1 if r1 > 0 else 0)
        spans.append((r0, c0, r1, c1))
        for r in range(r0, r1):
            row = owner[r]
            for c in range(c0, c1):
                if row[c] < 0:
                    row[c] = k
    return RuledGrid(xs, ys, list(cells), owner, spans)


def ruled_grids(shapes: list[Shape], budget: CellBudget) -> list[RuledGrid]:
    """The page's ruled tables, from its painted paths (:mod:`.rulings` finds the cells)."""
    vertical, horizontal = table_rulings(shapes)
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    grids = []
    for cells in find_tables(vertical, horizontal):
        grid = _grid(cells, budget)
        if grid is not None:
            grids.append(grid)
    return grids


class Placement:
    """A ruled table's glyphs by the box that holds them (``owned``) or the grid slot no box covers
    (``holes``), and each box's printed lines: worked out once for both the check for missing
    column rulings and the cells."""

    __slots__ = ("owned", "holes", "_lines", "_texts")

    def __init__(self, grid: RuledGrid, glyphs: list[Glyph], xy: tuple[Any, Any] | None = None) -> None:
        """``xy``: the glyphs' x and y centres as ``numpy`` arrays (:func:`centres`), when already worked out."""
        n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
        cx, cy = xy if xy is not None else centres(glyphs)
        # each centre's grid slot: the last grid line at or before it, kept inside the grid
        rows = np.clip(np.searchsorted(np.asarray(grid.ys), cy, side="right") - 1, 0, n_rows - 1).tolist()
        cols = np.clip(np.searchsorted(np.asarray(grid.xs), cx, side="right") - 1, 0, n_cols - 1).tolist()
        self.owned: dict[int, list[Glyph]] = {}
        self.holes: dict[tuple[int, int], list[Glyph]] = {}
        owned, holes, owner = self.owned, self.holes, grid.owner
        for g, r, c in zip(glyphs, rows, cols):
            k = owner[r][c]
            if k >= 0:
                box = owned.get(k)
                if box is None:
                    owned[k] = [g]
                else:
                    box.append(g)
            else:
                holes.setdefault((r, c), []).append(g)
        self._lines: dict[int, list[list[Glyph]]] = {}
        self._texts: dict[int, list[str]] = {}

    def lines(self, k: int) -> list[list[Glyph]]:
        """The printed lines of box ``k``."""
        found = self._lines.get(k)
        if found is None:
            found = self._lines[k] = cluster_lines(self.owned[k])
        return found

    def line_texts(self, k: int) -> list[str]:
        """The :func:`~.glyphs.line_text` of each printed line of box ``k``."""
        found = self._texts.get(k)
        if found is None:
            found = self._texts[k] = [line_text(line) for line in self.lines(k)]
        return found

    def text(self, k: int) -> str:
        """The text of box ``k``, as :func:`~.glyphs.block_text` gives it (its lines' texts worked out once)."""
        glyphs = self.owned[k]
        if len(glyphs) == 1 or not any(g.upright for g in glyphs):  # one character, or text turned a quarter
            return block_text(glyphs)
        text = ""
        for line in self.line_texts(k):
            text = glue(text, line)
        return text


def grid_table(grid: RuledGrid, glyphs: list[Glyph], where: Location, budget: CellBudget,
               placement: Placement | None = None) -> tuple[Table, list[float]]:
    """The cell grid of a ruled table; ``where`` is its page and table number (``placement``:
    the :class:`Placement` of ``glyphs``, when already worked out).

    Grid rows with no box starting in them and no text of their own (a ruling that only one
    column draws) are left out; a box's first slot holds its text (located by the box), the
    others are merged copies (located by their grid slot).
    """
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    placed = placement or Placement(grid, glyphs)
    texts = {k: placed.text(k) for k in placed.owned}
    hole_texts = {rc: block_text(gs) for rc, gs in placed.holes.items()}
    if budget.used + n_rows * n_cols > budget.limit:  # it may not fit: the builder says where it stops
        return _built_table(grid, texts, hole_texts, where, budget)
    return _full_rows(grid, texts, hole_texts, where, budget)


def _kept_rows(grid: RuledGrid, hole_texts: dict[tuple[int, int], str]) -> list[int]:
    """The grid rows a table row is made of: those where a box starts or a slot no box covers has text."""
    firsts = [(r0, c0) for r0, c0, _, _ in grid.spans]  # each box's first slot
    n_cols = len(grid.xs) - 1
    kept = []
    for r, owners in enumerate(grid.owner):
        starts = any(k >= 0 and firsts[k] == (r, c) for c, k in enumerate(owners))
        if starts or any(hole_texts.get((r, c)) for c in range(n_cols) if owners[c] < 0):
            kept.append(r)
    return kept


def _full_rows(grid: RuledGrid, texts: dict[int, str], hole_texts: dict[tuple[int, int], str], where: Location,
               budget: CellBudget) -> tuple[Table, list[float]]:
    """The cells of :func:`grid_table` made straight away, as :class:`GridBuilder` places them
    (every row holds a cell in each column, so no slot is padded): box text at the box's first
    slot, located by the box; covered slots merged with it, located by their unit slot."""
    xs, ys, boxes = grid.xs, grid.ys, grid.boxes
    firsts = [(r0, c0) for r0, c0, _, _ in grid.spans]
    base = location_fields(where)
    anchors: dict[int, tuple[int, int]] = {}  # box -> its first slot in the table (1-based)
    details: dict[int, str] = {}  # box -> the detail of the slots merged with it
    rows: list[list[Cell]] = []
    for r in _kept_rows(grid, hole_texts):
        row_no = len(rows) + 1
        row: list[Cell] = []
        add = row.append
        for c, k in enumerate(grid.owner[r]):
            if k >= 0 and firsts[k] == (r, c):
                add(lazy_cell(texts.get(k, ""), slot_location, (base, row_no, c + 1, {"bbox": boxes[k]})))
                anchors[k] = (row_no, c + 1)
                continue
            unit = (xs[c], ys[r], xs[c + 1], ys[r + 1])
            if k < 0:
                add(lazy_cell(hole_texts.get((r, c), ""), slot_location, (base, row_no, c + 1, {"bbox": unit})))
            elif k in anchors:
                detail = details.get(k)
                if detail is None:
                    anchor_row, anchor_col = anchors[k]
                    note = f"merged with row {anchor_row}, col {anchor_col}"
                    detail = details[k] = f"{where.detail}; {note}" if where.detail else note
                add(lazy_cell(texts.get(k, ""), slot_location, (base, row_no, c + 1, {"detail": detail, "bbox": unit}), False, True))
            else:  # a box whose first slot another box holds: its text is a copy, never a value
                add(lazy_cell(texts.get(k, ""), slot_location, (base, row_no, c + 1, {"bbox": unit}), False, True))
        rows.append(row)
    budget.used += len(rows) * (len(xs) - 1)
    return Table(rows=rows, location=replace(where, bbox=grid.bbox)), list(xs)


def _built_table(grid: RuledGrid, texts: dict[int, str], hole_texts: dict[tuple[int, int], str], where: Location,
                 budget: CellBudget) -> tuple[Table, list[float]]:
    """The cells of :func:`grid_table` placed through :class:`GridBuilder`, which pays for each
    slot from ``budget`` and stops at the slot past it."""
    builder = GridBuilder(where, budget)
    anchors: dict[int, tuple[int, int]] = {}  # box -> its first slot in the builder
    xs, ys, boxes = grid.xs, grid.ys, grid.boxes
    firsts = [(r0, c0) for r0, c0, _, _ in grid.spans]  # each box's first slot
    place, cover = builder.place, builder.cover
    for out, r in enumerate(_kept_rows(grid, hole_texts)):
        for c, k in enumerate(grid.owner[r]):
            if k >= 0 and firsts[k] == (r, c):
                place(out, c, texts.get(k, ""), bbox=boxes[k])
                anchors[k] = (out, c)
                continue
            unit = (xs[c], ys[r], xs[c + 1], ys[r + 1])
            if k < 0:
                place(out, c, hole_texts.get((r, c), ""), bbox=unit)
            elif k in anchors:
                cover(out, c, anchors[k], bbox=unit)
            else:  # a box whose first slot another box holds: its text is a copy, never a value
                place(out, c, texts.get(k, ""), bbox=unit, merged=True)
    return Table(rows=builder.rows(), location=replace(where, bbox=grid.bbox)), list(grid.xs)


def rulings_incomplete(grid: RuledGrid, glyphs: list[Glyph], placement: Placement | None = None) -> bool:
    """A ruled box holding a label and numbers apart, or a run of numbers: column rulings are missing."""
    placed = placement or Placement(grid, glyphs)
    for k, glyphs_in in placed.owned.items():
        if len(glyphs_in) < 2:  # one character: one piece
            continue
        r0, c0, r1, c1 = grid.spans[k]
        for line, text in zip(placed.lines(k), placed.line_texts(k)):
            if " " not in text:  # a gap that parts segments (or a blank) is a space in the line's text: one piece
                continue
            runs = segment_runs(line)
            if len(runs) < 2:  # one piece: neither a run of numbers nor a label and numbers apart
                continue
            segs = [Segment(run) for run in runs]
            values = sum(s.is_value for s in segs)
            if values >= 3 or (c1 - c0 >= 2 and len(segs) >= 2 and segs[-1].is_value and not segs[0].is_value):
                return True
    return False
