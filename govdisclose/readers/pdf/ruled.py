"""Ruled tables: the visible rulings of a page, pdfplumber's table finder fed only those, and the cell grid.

Word PDFs paint every paragraph on an invisible white box, which would otherwise turn prose into
one-column "tables": only rulings and boxes that show on white paper count, plus white cell boxes
whose four sides sit on a table's rulings. Every grid slot becomes a cell
(:class:`~govdisclose.readers.grid.GridBuilder`); slots covered by a spanning box are merged copies.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from govdisclose.readers.grid import CellBudget, GridBuilder
from govdisclose.readers.model import Location, Table
from govdisclose.readers.pdf.glyphs import Glyph, block_text, cluster_lines, split_segments

__all__ = ["RuledGrid", "ruled_grids", "grid_table", "rulings_incomplete", "in_box"]

def in_box(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= g.cx < box[2] and box[1] <= g.cy < box[3]


def _is_white(color: Any) -> bool:
    if isinstance(color, (int, float)):
        return float(color) >= 0.95
    if isinstance(color, (tuple, list)) and color and all(isinstance(c, (int, float)) for c in color):
        if len(color) == 4:  # CMYK
            return all(c <= 0.05 for c in color)
        return all(c >= 0.95 for c in color)
    return False


def _visible(obj: dict) -> bool:
    """A ruling or box that shows on white paper (Word's white paragraph boxes do not)."""
    if obj.get("object_type") == "line":
        return not _is_white(obj.get("stroking_color"))
    stroked = bool(obj.get("stroke")) and not _is_white(obj.get("stroking_color"))
    filled = bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))
    return stroked or filled


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


def _index(coords: list[float], v: float) -> int:
    i = bisect_right(coords, v + 0.5) - 1
    return max(0, min(i, len(coords) - 1))


def _grid(cells: list[tuple[float, float, float, float]], budget: CellBudget) -> RuledGrid | None:
    xs = _coords({c[0] for c in cells} | {c[2] for c in cells})
    ys = _coords({c[1] for c in cells} | {c[3] for c in cells})
    if len(xs) < 3 or len(ys) < 2:  # one column: a box around text, not a table
        return None
    budget.room((len(xs) - 1) * (len(ys) - 1))
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
        spans.append((r0, c0, r1, c1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = k
    return RuledGrid(xs, ys, list(cells), owner, spans)


def _regions(objs: list[dict], pad: float = 3.0) -> list[list[float]]:
    """Bounding boxes of groups of touching rulings (each group a ruled table or more)."""
    boxes: list[list[float]] = []
    for o in objs:
        box = [o["x0"], o["top"], o["x1"], o["bottom"]]
        merged = True
        while merged:
            merged = False
            for other in boxes:
                if box[0] - pad <= other[2] and other[0] - pad <= box[2] and box[1] - pad <= other[3] and other[1] - pad <= box[3]:
                    boxes.remove(other)
                    box = [min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3])]
                    merged = True
                    break
        boxes.append(box)
    return boxes


def _cell_boxes(rects: list[dict], rulings: list[dict]) -> list[dict]:
    """White cell-shading boxes that close a ruled table where a ruling was not drawn.

    Word paints table cells (and every paragraph) on white boxes. Boxes inside a ruled area
    whose four sides sit on that table's rulings are cell boxes; the others are ignored.
    """
    if not rulings or not rects:
        return []
    xs = sorted({o["x0"] for o in rulings if o["x1"] - o["x0"] < 2} | {o["x1"] for o in rulings if o["x1"] - o["x0"] < 2})
    ys = sorted(
        {o["top"] for o in rulings if o["bottom"] - o["top"] < 2}
        | {o["top"] for o in rulings if o["x1"] - o["x0"] < 2}
        | {o["bottom"] for o in rulings if o["x1"] - o["x0"] < 2}
    )
    if not xs or not ys:
        return []

    def near(coords: list[float], v: float) -> bool:
        i = bisect_right(coords, v)
        return any(abs(coords[j] - v) <= 2.0 for j in (i - 1, i) if 0 <= j < len(coords))

    regions = _regions(rulings)
    out = []
    for r in rects:
        if not any(b[0] - 2 <= r["x0"] and r["x1"] <= b[2] + 2 and b[1] - 2 <= r["top"] and r["bottom"] <= b[3] + 2 for b in regions):
            continue
        if near(xs, r["x0"]) and near(xs, r["x1"]) and near(ys, r["top"]) and near(ys, r["bottom"]):
            out.append(r)
    return out


def ruled_grids(page: Any, budget: CellBudget) -> list[RuledGrid]:
    rects = page.rects
    objs = [o for o in page.lines if _visible(o)]
    objs += [o for o in rects if _visible(o)]
    objs += [o for o in page.curves if _visible(o) and o.get("stroke")]
    objs += _cell_boxes([o for o in rects if not _visible(o)], objs)
    vertical = [o for o in objs if o["x1"] - o["x0"] < 2 or o.get("object_type") != "line"]
    horizontal = [o for o in objs if o["bottom"] - o["top"] < 2 or o.get("object_type") != "line"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    grids = []
    for table in page.find_tables(settings):
        grid = _grid(table.cells, budget)
        if grid is not None:
            grids.append(grid)
    return grids


def grid_table(grid: RuledGrid, glyphs: list[Glyph], where: Location, budget: CellBudget) -> tuple[Table, list[float]]:
    """The cell grid of a ruled table; ``where`` is its page and table number.

    Grid rows with no box starting in them and no text of their own (a ruling that only one
    column draws) are left out; a box's first slot holds its text (located by the box), the
    others are merged copies (located by their grid slot).
    """
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    owned: dict[int, list[Glyph]] = {}
    holes: dict[tuple[int, int], list[Glyph]] = {}
    for g in glyphs:
        r = bisect_right(grid.ys, g.cy) - 1
        c = bisect_right(grid.xs, g.cx) - 1
        r, c = max(0, min(r, n_rows - 1)), max(0, min(c, n_cols - 1))
        k = grid.owner[r][c]
        if k >= 0:
            owned.setdefault(k, []).append(g)
        else:
            holes.setdefault((r, c), []).append(g)
    texts = {k: block_text(gs) for k, gs in owned.items()}
    hole_texts = {rc: block_text(gs) for rc, gs in holes.items()}
    builder = GridBuilder(where, budget)
    anchors: dict[int, tuple[int, int]] = {}  # box -> its first slot in the builder
    out = 0
    for r in range(n_rows):
        owners = grid.owner[r]
        starts = any(k >= 0 and grid.spans[k][:2] == (r, c) for c, k in enumerate(owners))
        if not starts and not any(hole_texts.get((r, c)) for c in range(n_cols) if owners[c] < 0):
            continue
        for c, k in enumerate(owners):
            unit = (grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1])
            if k < 0:
                builder.place(out, c, hole_texts.get((r, c), ""), bbox=unit)
            elif grid.spans[k][:2] == (r, c):
                builder.place(out, c, texts.get(k, ""), bbox=grid.boxes[k])
                anchors[k] = (out, c)
            elif k in anchors:
                builder.cover(out, c, anchors[k], bbox=unit)
            else:  # a box whose first slot another box holds: its text is a copy, never a value
                builder.place(out, c, texts.get(k, ""), bbox=unit, merged=True)
        out += 1
    return Table(rows=builder.rows(), location=replace(where, bbox=grid.bbox)), list(grid.xs)


def rulings_incomplete(grid: RuledGrid, glyphs: list[Glyph]) -> bool:
    """A ruled box holding a label and numbers apart, or a run of numbers: column rulings are missing."""
    owned: dict[int, list[Glyph]] = {}
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    for g in glyphs:
        r = max(0, min(bisect_right(grid.ys, g.cy) - 1, n_rows - 1))
        c = max(0, min(bisect_right(grid.xs, g.cx) - 1, n_cols - 1))
        if grid.owner[r][c] >= 0:
            owned.setdefault(grid.owner[r][c], []).append(g)
    for k, gs in owned.items():
        r0, c0, r1, c1 = grid.spans[k]
        for line in cluster_lines(gs):
            segs = split_segments(line)
            values = sum(s.is_value for s in segs)
            if values >= 3 or (c1 - c0 >= 2 and len(segs) >= 2 and segs[-1].is_value and not segs[0].is_value):
                return True
    return False

