"""Ruled grids from a page's painted paths: visible rulings, edges merged, intersections, cell boxes.

Word PDFs paint every paragraph on an invisible white box, which would otherwise turn prose into
one-column "tables": only rulings and boxes that show on white paper count (:func:`visible`),
plus white cell boxes whose four sides sit on a table's rulings (:func:`cell_boxes`).

The grid finder (:func:`find_tables`) then works the way a ruled table is drawn:

1. every ruling gives its edges: a line one edge (horizontal when flat, vertical when not), a
   box its four sides, another path each straight piece between two of its points;
2. edges less than :data:`SNAP` points apart across are moved onto their average position, and
   collinear edges less than :data:`JOIN` points apart along are joined into one; edges shorter
   than :data:`MIN_LENGTH` are dropped;
3. each vertical edge crossing (or ending within :data:`SNAP` points of) a horizontal one makes an
   intersection; a cell is the smallest rectangle of four intersections whose sides run along
   edges;
4. cells sharing a corner make one table; a table of a single cell is a box, not a table.

>>> from govdisclose.readers.pdf.pdfium import Shape
>>> def line(x0, top, x1, bottom):
...     return Shape("line", x0, top, x1, bottom, ((x0, top), (x1, bottom)), True, False, (0, 0, 0, 255), None, 0.5)
>>> rows = [line(72, y, 272, y) for y in (100, 120, 140, 140.8)]  # the bottom ruling drawn twice, 0.8 pt apart
>>> columns = [line(72, 100, 72, 130), line(72, 131, 72, 140)] + [line(x, 100, x, 140) for x in (172, 271, 272)]
>>> find_tables(columns + rows)
[[(72.0, 100.0, 172.0, 120.0), (72.0, 120.0, 172.0, 140.4), (172.0, 100.0, 271.5, 120.0), (172.0, 120.0, 271.5, 140.4)]]
>>> find_tables(rows + [line(72, 100, 72, 140)])  # one column ruling: no cell closes
[]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from govdisclose.readers.pdf.paths import is_white
from govdisclose.readers.pdf.pdfium import Shape

__all__ = ["visible", "cell_boxes", "find_tables", "table_rulings", "SNAP", "JOIN", "MIN_LENGTH"]

#: Edges closer than this across (points) are one ruling.
SNAP = 3.0
#: Collinear edges closer than this along (points) are joined.
JOIN = 3.0
#: Edges shorter than this (points), after joining, are not rulings.
MIN_LENGTH = 3.0

Box = tuple[float, float, float, float]


def visible(shape: Shape) -> bool:
    """A ruling or box that shows on white paper (Word's white paragraph boxes do not)."""
    if shape.kind == "line":
        return shape.stroke and not is_white(shape.stroke_color)
    stroked = shape.stroke and not is_white(shape.stroke_color)
    filled = shape.fill and not is_white(shape.fill_color)
    return stroked or filled


def _regions(shapes: list[Shape], pad: float = 3.0) -> list[list[float]]:
    """Bounding boxes of groups of touching rulings (each group a ruled table or more)."""
    boxes: list[list[float]] = []
    for s in shapes:
        box = [s.x0, s.top, s.x1, s.bottom]
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


def cell_boxes(rects: list[Shape], rulings: list[Shape]) -> list[Shape]:
    """White cell-shading boxes that close a ruled table where a ruling was not drawn.

    Word paints table cells (and every paragraph) on white boxes. Boxes inside a ruled area
    whose four sides sit on that table's rulings are cell boxes; the others are ignored.
    """
    if not rulings or not rects:
        return []
    thin_v = [s for s in rulings if s.x1 - s.x0 < 2]
    xs = sorted({s.x0 for s in thin_v} | {s.x1 for s in thin_v})
    ys = sorted({s.top for s in rulings if s.bottom - s.top < 2} | {s.top for s in thin_v} | {s.bottom for s in thin_v})
    if not xs or not ys:
        return []

    last = len(xs) - 1, len(ys) - 1

    def near(coords: list[float], v: float, end: int) -> bool:  # ``end``: the last index of coords
        i = bisect_right(coords, v)
        return (i > 0 and abs(coords[i - 1] - v) <= 2.0) or (i <= end and abs(coords[i] - v) <= 2.0)

    regions = _regions(rulings)
    out = []
    for r in rects:
        if not any(b[0] - 2 <= r.x0 and r.x1 <= b[2] + 2 and b[1] - 2 <= r.top and r.bottom <= b[3] + 2 for b in regions):
            continue
        if near(xs, r.x0, last[0]) and near(xs, r.x1, last[0]) and near(ys, r.top, last[1]) and near(ys, r.bottom, last[1]):
            out.append(r)
    return out


def table_rulings(shapes: list[Shape]) -> tuple[list[Shape], list[Shape]]:
    """The page's rulings for the grid finder: (vertical candidates, horizontal candidates)."""
    shown: list[Shape] = []  # lines and boxes that show, then stroked curves that show
    curves: list[Shape] = []
    hidden: list[Shape] = []  # boxes that do not show
    for s in shapes:
        kind = s.kind
        if visible(s):
            if kind != "curve":
                shown.append(s)
            elif s.stroke:
                curves.append(s)
        elif kind == "rect":
            hidden.append(s)
    shown += curves
    shown += cell_boxes(hidden, shown)
    vertical = [s for s in shown if s.x1 - s.x0 < 2 or s.kind != "line"]
    horizontal = [s for s in shown if s.bottom - s.top < 2 or s.kind != "line"]
    return vertical, horizontal


# ----------------------------------------------------------------------------------------------
# Edges


@dataclass(slots=True)
class _Edge:
    """A straight ruling piece: ``at`` its position across, ``start``/``end`` along it."""

    vertical: bool
    at: float  # x of a vertical edge, y (top) of a horizontal one
    start: float
    end: float
    width: float  # across extent kept from the source (a line's x1 - x0)


_Piece = list[float]  # an edge before merging: [at, start, end, width] as in :class:`_Edge`


def _pieces(shapes: list[Shape], want_vertical: bool) -> list[_Piece]:
    """The straight pieces of ``shapes`` running one way (vertical or horizontal), in order."""
    out: list[_Piece] = []
    add = out.append
    for shape in shapes:
        kind = shape.kind
        if kind == "line":
            vertical = shape.top != shape.bottom
            if vertical == want_vertical:
                if vertical:
                    add([shape.x0, shape.top, shape.bottom, shape.x1 - shape.x0])
                else:
                    add([shape.top, shape.x0, shape.x1, 0.0])
        elif kind == "rect":
            if want_vertical:
                add([shape.x0, shape.top, shape.bottom, 0.0])
                add([shape.x1, shape.top, shape.bottom, 0.0])
            else:
                add([shape.top, shape.x0, shape.x1, 0.0])
                add([shape.bottom, shape.x0, shape.x1, 0.0])
        else:
            pts = shape.pts
            for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
                if want_vertical and xa == xb:
                    add([xa, min(ya, yb), max(ya, yb), 0.0])
                elif not want_vertical and ya == yb and xa != xb:
                    add([ya, min(xa, xb), max(xa, xb), 0.0])
    return out


def _snap(pieces: list[_Piece]) -> None:
    """Move pieces whose positions chain within :data:`SNAP` of each other to their average."""
    if not pieces:
        return
    values = sorted({e[0] for e in pieces})
    groups: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v <= groups[-1][-1] + SNAP:
            groups[-1].append(v)
        else:
            groups.append([v])
    group_of = {v: k for k, group in enumerate(groups) for v in group}
    members: dict[int, list[_Piece]] = defaultdict(list)
    for e in pieces:
        members[group_of[e[0]]].append(e)
    for group in members.values():
        mean = sum(e[0] for e in group) / len(group)
        for e in group:
            e[0] = mean


_START = itemgetter(1)


def _join(pieces: list[_Piece], vertical: bool) -> list[_Edge]:
    """Collinear pieces (same position) overlapping or within :data:`JOIN` of each other, as one edge."""
    by_line: dict[float, list[_Piece]] = defaultdict(list)
    for e in pieces:
        by_line[e[0]].append(e)
    out: list[_Edge] = []
    for at in sorted(by_line):
        run = sorted(by_line[at], key=_START)
        first = run[0]
        current = _Edge(vertical, at, first[1], first[2], first[3])
        for e in run[1:]:
            if e[1] <= current.end + JOIN:
                current.end = max(current.end, e[2])
            else:
                out.append(current)
                current = _Edge(vertical, at, e[1], e[2], e[3])
        out.append(current)
    return [e for e in out if e.end - e.start >= MIN_LENGTH]


def _merged(shapes: list[Shape], vertical: bool) -> list[_Edge]:
    pieces = _pieces(shapes, vertical)
    _snap(pieces)
    return _join(pieces, vertical)


# ----------------------------------------------------------------------------------------------
# Intersections, cells, tables


def find_tables(vertical: list[Shape], horizontal: list[Shape] | None = None) -> list[list[Box]]:
    """Ruled tables, each a list of cell boxes ``(x0, top, x1, bottom)``, top to bottom.

    ``vertical`` gives the vertical rulings and ``horizontal`` the horizontal ones (both from
    ``vertical`` when not given).
    """
    v_edges = _merged(vertical, True)
    h_edges = _merged(vertical if horizontal is None else horizontal, False)
    tol = SNAP
    # the edges through each intersection, as bit masks of their numbers (an edge's box is
    # unique: collinear edges are apart once joined): [vertical edges, horizontal edges]
    meets: dict[tuple[float, float], list[int]] = {}
    h_sorted = sorted(h_edges, key=lambda e: (e.at, e.start))
    h_at = [h.at for h in h_sorted]
    for n, v in enumerate(sorted(v_edges, key=lambda e: (e.at, e.start))):
        # only the horizontal edges level with this vertical one (their ``at`` within its reach)
        lo, hi = bisect_left(h_at, v.start - tol - 1.0), bisect_right(h_at, v.end + tol + 1.0)
        v_at, v_start, v_end = v.at, v.start, v.end
        v_bit = 1 << n
        for m in range(lo, hi):
            h = h_sorted[m]
            h_y = h.at
            if v_start <= h_y + tol and v_end >= h_y - tol and h.start - tol <= v_at <= h.end + tol:
                point = (v_at, h_y)
                found = meets.get(point)
                if found is None:
                    meets[point] = [v_bit, 1 << m]
                else:
                    found[0] |= v_bit
                    found[1] |= 1 << m
    cells = _cells(meets)
    return _tables(cells)


def _cells(meets: dict[tuple[float, float], list[int]]) -> list[Box]:
    """The smallest closed rectangle from each intersection down and to the right (``meets``: each
    intersection's vertical and horizontal edges as bit masks)."""
    points = sorted(meets)
    number = {p: k for k, p in enumerate(points)}
    down_edges = [meets[p][0] for p in points]
    across_edges = [meets[p][1] for p in points]
    columns: dict[float, list[int]] = defaultdict(list)
    rows: dict[float, list[int]] = defaultdict(list)
    down_at: list[int] = []  # each point's place in its column
    across_at: list[int] = []  # and in its row
    for k, (x, y) in enumerate(points):
        column, row = columns[x], rows[y]
        down_at.append(len(column))
        across_at.append(len(row))
        column.append(k)
        row.append(k)
    # points are sorted by (x, y): a column's points run down, a row's to the right
    cells: list[Box] = []
    for k, p in enumerate(points):
        down, across = down_edges[k], across_edges[k]  # the vertical and horizontal edges through p
        column, row = columns[p[0]], rows[p[1]]
        found = None
        # an edge through p and a point further down (right) runs through every intersection
        # between them (they are on its line, and what crossed it there crosses it): the first
        # point no edge of p's reaches ends the search that way
        for j in range(down_at[k] + 1, len(column)):
            b = column[j]
            if not down & down_edges[b]:  # no vertical edge joins p and b
                break
            b_y, b_across = points[b][1], across_edges[b]
            for i in range(across_at[k] + 1, len(row)):
                r = row[i]
                if not across & across_edges[r]:
                    break
                r_x = points[r][0]
                corner = number.get((r_x, b_y))
                if corner is not None and down_edges[corner] & down_edges[r] and across_edges[corner] & b_across:
                    found = (p[0], p[1], r_x, b_y)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: a cell joins a table when it shares a corner with it."""
    corners_of = [_corners(cell) for cell in cells]
    remaining = list(range(len(cells)))
    tables: list[list[Box]] = []
    while remaining:
        first = remaining.pop(0)
        group = [first]
        corners = set(corners_of[first])
        grew = True
        while grew:
            grew = False
            rest = []
            for k in remaining:
                a, b, c, d = cell_corners = corners_of[k]
                if a in corners or b in corners or c in corners or d in corners:
                    group.append(k)
                    corners.update(cell_corners)
                    grew = True
                else:
                    rest.append(k)
            remaining = rest
        tables.append([cells[k] for k in group])
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _corners(box: Box) -> tuple[tuple[float, float], ...]:
    x0, top, x1, bottom = box
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
