"""Table structure from a page image: ruling lines by morphology, else text positions.

:func:`ruled_tables` opens the ink mask with long thin kernels, which keeps only horizontal and
vertical strokes (the rulings; characters are too short to survive), closes small gaps in them (a
faded scan), and takes each connected set of rulings with several lines each way as a table.
The table's cells are the connected regions of the paper between its rulings; their edges,
clustered, give the grid's row and column boundaries, so a box spanning two columns becomes a
cell with ``colspan=2``. :func:`text_rows` groups text boxes into printed rows for a table drawn
without rulings.

>>> import numpy as np
>>> page = np.full((300, 400, 3), 255, np.uint8)
>>> for y in (50, 100, 150, 200): page[y:y + 2, 40:360] = 0
>>> for x in (40, 200, 280, 358): page[50:202, x:x + 2] = 0
>>> [(len(t.rows), len(t.cols) - 1, len(t.cells)) for t in ruled_tables(page)]
[(4, 3, 9)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govdisclose.readers.ocr.image import cv2, ink

__all__ = ["GridCell", "RuledTable", "ruled_tables", "text_rows"]

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class GridCell:
    """One ruled box: its grid slot (0-based), spans and pixel box ``(x0, y0, x1, y1)``."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table: its pixel box, its row and column boundaries and its cells in reading order."""

    box: tuple[int, int, int, int]
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    cells: tuple[GridCell, ...]


def _cluster(values: list[int], tolerance: int) -> list[int]:
    """Values within ``tolerance`` of their neighbour merged into one (their median)."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(np.median(group)) for group in out]


def _index(bounds: list[int], value: int) -> int:
    return int(np.abs(np.asarray(bounds) - value).argmin())


def ruling_masks(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks (0/255) of a page image."""
    c = cv2()
    mask = ink(image)
    h, w = mask.shape
    unit = max(min(h, w) // 100, 4)  # ~ half a character on an A4 page
    bridge = 3  # gaps a faded ruling may have; wider would join the strokes of neighbouring characters
    horizontal = c.morphologyEx(mask, c.MORPH_CLOSE, c.getStructuringElement(c.MORPH_RECT, (bridge, 1)))
    horizontal = c.morphologyEx(horizontal, c.MORPH_OPEN, c.getStructuringElement(c.MORPH_RECT, (unit * 8, 1)))
    closed = c.morphologyEx(mask, c.MORPH_CLOSE, c.getStructuringElement(c.MORPH_RECT, (1, bridge)))
    vertical = c.morphologyEx(closed, c.MORPH_OPEN, c.getStructuringElement(c.MORPH_RECT, (1, int(unit * 2.5))))
    # a short row (cut by the page's end) has short column rulings: kept only where they run from
    # one horizontal ruling to another (a '1' inside a box touches neither)
    short = c.morphologyEx(closed, c.MORPH_OPEN, c.getStructuringElement(c.MORPH_RECT, (1, unit)))
    reach = c.dilate(horizontal, c.getStructuringElement(c.MORPH_RECT, (3, 7)))
    count, labels, stats, _ = c.connectedComponentsWithStats(short & ~vertical, connectivity=8)
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if reach[y, x:x + w].any() and reach[min(y + h - 1, reach.shape[0] - 1), x:x + w].any():
            vertical[labels == k] = 255
    return horizontal, vertical


def ruled_tables(image: np.ndarray) -> list[RuledTable]:
    """The ruled tables on a page image, top to bottom."""
    c = cv2()
    horizontal, vertical = ruling_masks(image)
    h, w = horizontal.shape
    unit = max(min(h, w) // 100, 4)
    lines = c.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = c.connectedComponentsWithStats(lines, connectivity=8)
    tables: list[RuledTable] = []
    for k in range(1, count):
        x, y, bw, bh, _ = stats[k]
        if bw < w // 5 or bh < unit * 4:
            continue
        region = (labels[y:y + bh, x:x + bw] == k).astype(np.uint8)
        # one ruled row at the top of a page is the end of a row cut by the page break (a label's
        # last character): a table of one row, which the reader joins to the previous page's
        table = _cells(region, x, y, unit, one_row=y < h // 8)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.box[1])


def _cells(region: np.ndarray, x: int, y: int, unit: int, one_row: bool = False) -> RuledTable | None:
    c = cv2()
    # a table cut by the page's end (or continued at the page's top) has no ruling there: its column
    # rulings run on to the edge; closing the region's top and bottom keeps that row's cells (their
    # paper would otherwise join the outside and the row be lost)
    region = _sealed(region, unit)
    paper = (1 - region).astype(np.uint8)
    count, _, stats, _ = c.connectedComponentsWithStats(paper, connectivity=4)
    rh, rw = region.shape
    boxes = []
    for k in range(1, count):
        bx, by, bw, bh, area = stats[k]
        if bw < unit * 1.5 or bh < unit * 1.5 or area < 0.5 * bw * bh:
            continue  # a speck between doubled lines, or the outside wrapping round the table
        if bx == 0 or by == 0 or bx + bw >= rw or by + bh >= rh:
            continue  # touches the region's border: outside the table
        boxes.append((bx, by, bx + bw, by + bh))
    if len(boxes) < (2 if one_row else 4):
        return None
    tolerance = max(unit, 6)
    rows = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
    cols = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
    if len(rows) < (2 if one_row else 3) or len(cols) < 3:
        return None
    cells = []
    for bx0, by0, bx1, by1 in boxes:
        r0, r1 = _index(rows, by0), _index(rows, by1)
        c0, c1 = _index(cols, bx0), _index(cols, bx1)
        if r1 <= r0 or c1 <= c0:
            continue
        cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (bx0 + x, by0 + y, bx1 + x, by1 + y)))
    cells.sort(key=lambda g: (g.row, g.col))
    return RuledTable((x, y, x + rw, y + rh), tuple(r + y for r in rows), tuple(cc + x for cc in cols), tuple(cells))


def _sealed(region: np.ndarray, unit: int) -> np.ndarray:
    """``region`` (a table's rulings, 0/1) closed along its top and bottom edges.

    Where a table is cut by the page's end its column rulings stop unevenly (a turned page levelled
    leaves their ends a pixel or two apart): each ruling ending within ``unit`` of the edge is run
    on to it, so that no strip of paper under the shorter ones joins the cells of the last row to
    each other or to the outside (before, a fax of 洪泽 2023 lost the last two rows of page 3).

    >>> r = np.zeros((8, 9), np.uint8); r[:, 0] = r[:6, 4] = r[:7, 8] = 1
    >>> _sealed(r, 4)[-3:].tolist()
    [[1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]]
    """
    out = region.copy()
    reach = min(unit, out.shape[0] // 2)
    for edge in (out[:reach], out[::-1][:reach]):  # views: the top rows, and the bottom rows upside down
        inked = np.any(edge, axis=0)
        nearest = np.argmax(edge, axis=0)  # each pixel column's ink nearest the edge (row 0 is the edge)
        edge[(np.arange(reach)[:, None] <= nearest[None, :]) & inked[None, :]] = 1
        edge[0, :] = 1
    return out


def text_rows(boxes: list[Box]) -> list[list[int]]:
    """Indexes of ``boxes`` grouped into printed lines (vertical overlap), each left to right."""
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i][1] + boxes[i][3]) / 2)
    lines: list[list[int]] = []
    for i in order:
        x0, y0, x1, y1 = boxes[i]
        middle = (y0 + y1) / 2
        if lines:
            last = [boxes[j] for j in lines[-1]]
            top = float(np.median([b[1] for b in last]))
            bottom = float(np.median([b[3] for b in last]))
            if top <= middle <= bottom:
                lines[-1].append(i)
                continue
        lines.append([i])
    return [sorted(line, key=lambda j: boxes[j][0]) for line in lines]
