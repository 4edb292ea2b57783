"""PDF reports with a text layer: ruled tables, tables without rulings, and the prose around them.

One pass per page over what pdfplumber extracts once (the page's characters and its ruling
lines):

* **ruled tables** come from pdfplumber's table finder, fed only the *visible* rulings (Word
  PDFs paint every paragraph on an invisible white box, which would otherwise turn prose into
  one-column "tables"). Every grid slot becomes a :class:`~govdisclose.readers.model.Cell`; slots covered
  by a spanning box repeat the box's text with ``merged=True``. Text inside a cell is joined
  line by line, CJK pieces without a space (``结``/``果`` → ``结果``).
* **tables without rulings** are rebuilt from text positions (:mod:`.pdf_text`): lines ending
  in value-like segments make rows, value columns are clustered by x, label pieces on other
  lines join the nearest row, and a label printed one character per line down the side (``三``/``、``/``本``…)
  becomes one merged label instead of fake rows.
* **prose** outside tables becomes :class:`~govdisclose.readers.model.Paragraph` blocks in reading
  order (a centred multi-line title is one paragraph; headings like ``一、总体情况`` stand alone).
* page numbers (``-5-``, ``- 5 -``, ``第5页``) printed in the top or bottom margin are dropped
  before anything else, so they never end up glued to a cell.
* a table row cut by a page break (label on one page, numbers on the next, or a label's last
  words on the next page) is joined into one row; rows with numbers on both sides never are.
* a ruled table whose boxes hold a label and numbers apart (column rulings not drawn) is read
  from text positions instead, with a note.

Never a guess: digits far apart inside one box, or printed over each other, keep a space
between them (the value parser then flags the cell), and a blank slot is an empty cell.

Cell locations read ``page 4, table 2, row 6, col 3, box (x0,top,x1,bottom)`` in points from the
page's top left corner; paragraph locations ``page 2, line 7`` (counting the text lines outside
tables). At most :data:`MAX_PAGES` pages are read (a note says so when a file has more).

>>> from pathlib import Path
>>> doc = read(Path("../shared/corpus/huaian_2024.pdf"), Path("../shared/corpus/huaian_2024.pdf").read_bytes())  # doctest: +SKIP
>>> row = next(r for t in doc.tables for r in t.rows if "本年新收" in r[0].text)  # doctest: +SKIP
>>> [c.text for c in row][-7:], row[3].location  # doctest: +SKIP
(['3001', '53', '0', '0', '61', '4', '3119'], 'page 4, table 2, row 4, col 4, box (251,457,285,481)')
>>> read(Path("cut.pdf"), b"%PDF-1.7 cut off here")
Traceback (most recent call last):
...
govdisclose.exceptions.CorruptDocumentError: cut.pdf: is truncated: the PDF's end-of-file marker is missing (an incomplete download?)
"""

from __future__ import annotations

import io
import logging
import re
import time
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.model import Cell, Document, Location, Paragraph, Table
from govdisclose.readers.pdf_common import (
    Glyph,
    Line,
    block_text,
    cluster_lines,
    compact,
    glue,
    split_segments,
)
from govdisclose.readers.pdf_text import band_table, split_bands, table_regions
from govdisclose.template.markers import HEADING, NUMBERED_ROW, SUB_HEADING
from govdisclose.template.values import is_value_text

__all__ = ["read", "MAX_PAGES", "MAX_SECONDS", "MAX_CHARS_PER_PAGE"]

#: Pages read at most; a report has 5-20. Longer files are read up to here, with a note.
MAX_PAGES = 200
#: Wall-clock budget for one file; a file that takes longer is refused.
MAX_SECONDS = 120.0
#: Characters on one page at most (a report page has about 1,500).
MAX_CHARS_PER_PAGE = 60_000

# ----------------------------------------------------------------------------------------------
# Page numbers in the margins

_FOLIO = re.compile(
    r"^(?:[-—–~·•_]+\d{1,4}[-—–~·•_]+|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|共\d{1,4}页第\d{1,4}页|\d{1,4}/\d{1,4}"
    r"|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_BARE_FOLIO = re.compile(r"^\d{1,4}$")


def _drop_folios(glyphs: list[Glyph], height: float, table_boxes: list[tuple[float, float, float, float]]) -> list[Glyph]:
    """Remove page numbers printed in the top 10% or bottom 15% of the page.

    ``-5-``, ``- 5 -``, ``第5页``, ``5/12`` go wherever they stand; a bare ``5`` only when it is
    alone on its line and outside ruled tables.
    """
    band = [g for g in glyphs if g.cy < 0.10 * height or g.cy > 0.85 * height]
    if not band:
        return glyphs
    drop: set[int] = set()
    for line in cluster_lines(band):
        segments = split_segments(line)
        for seg in segments:
            text = compact(seg.text)
            inside = any(_inside(seg.glyphs[0], box) for box in table_boxes)
            if _FOLIO.match(text) or (_BARE_FOLIO.match(text) and len(segments) == 1 and not inside):
                drop.update(id(g) for g in seg.glyphs)
    if not drop:
        return glyphs
    return [g for g in glyphs if id(g) not in drop]


def _inside(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= g.cx < box[2] and box[1] <= g.cy < box[3]


# ----------------------------------------------------------------------------------------------
# Ruled tables


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
class _Grid:
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


def _grid(cells: list[tuple[float, float, float, float]]) -> _Grid | None:
    xs = _coords({c[0] for c in cells} | {c[2] for c in cells})
    ys = _coords({c[1] for c in cells} | {c[3] for c in cells})
    if len(xs) < 3 or len(ys) < 2:  # one column: a box around text, not a table
        return None
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
        spans.append((r0, c0, r1, c1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = k
    return _Grid(xs, ys, list(cells), owner, spans)


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


def _ruled_grids(page: Any) -> list[_Grid]:
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
        grid = _grid(table.cells)
        if grid is not None:
            grids.append(grid)
    return grids


def _grid_table(grid: _Grid, glyphs: list[Glyph], where: Location) -> tuple[Table, list[float]]:
    """The cell grid of a ruled table; ``where`` is its page and table number."""
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
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        row: list[Cell] = []
        for c in range(n_cols):
            k = grid.owner[r][c]
            unit = (grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1])
            place = replace(where, row=len(rows) + 1, col=c + 1)
            if k < 0:
                hole = holes.get((r, c), [])
                row.append(Cell(block_text(hole), replace(place, bbox=unit)))
            elif grid.spans[k][:2] == (r, c):
                row.append(Cell(texts.get(k, ""), replace(place, bbox=grid.boxes[k])))
            else:
                row.append(Cell(texts.get(k, ""), replace(place, bbox=unit), merged=True))
        if any(not cell.merged and cell.text for cell in row) or any(
            grid.owner[r][c] >= 0 and grid.spans[grid.owner[r][c]][:2] == (r, c) for c in range(n_cols)
        ):
            rows.append(row)
    bbox = grid.bbox
    return Table(rows=rows, location=replace(where, bbox=bbox)), list(grid.xs)


def _rulings_incomplete(grid: _Grid, glyphs: list[Glyph]) -> bool:
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


# ----------------------------------------------------------------------------------------------
# Paragraphs


@dataclass(slots=True)
class _Placed:
    """A table on its page: where it starts and ends and its column x positions."""

    top: float
    bottom: float
    table: Table
    xs: list[float]
    unruled: bool = False  # read from text positions (no rulings)


@dataclass(slots=True)
class _PageText:
    number: int
    lines: list[tuple[int, Line]]  # (line number on the page, line)
    tables: list[_Placed]
    notes: list[str] = field(default_factory=list)


def _margins(pages: list[_PageText]) -> tuple[float, float]:
    """Left and right edges of the body text (from the long lines of the whole document)."""
    lines = [ln for p in pages for _, ln in p.lines]
    if not lines:
        return 0.0, 0.0
    widest = max(ln.x1 - ln.x0 for ln in lines)
    long = [ln for ln in lines if ln.x1 - ln.x0 >= 0.6 * widest] or lines
    x0s = sorted(ln.x0 for ln in long)
    x1s = sorted(ln.x1 for ln in long)
    return x0s[len(x0s) // 5], x1s[len(x1s) * 4 // 5]


def _paragraphs(page: _PageText, left: float, right: float) -> list[tuple[float, Paragraph]]:
    """The page's prose lines grouped into paragraphs, each with the top of its first line.

    A paragraph starts after a table or a wider gap, at a change of type size, at an indented
    line, a numbered heading (``一、``, ``（二）``) or after a line that ends short of the right
    margin. Centred lines of one size (a title over two lines) stay together.
    """
    out: list[tuple[float, Paragraph]] = []
    centre = (left + right) / 2
    prev: Line | None = None
    table_tops = sorted(t.top for t in page.tables)
    gaps = sorted(b.top - a.bottom for (_, a), (_, b) in zip(page.lines, page.lines[1:]) if b.top > a.bottom)
    usual_gap = gaps[len(gaps) // 2] if gaps else 0.0

    def centred(ln: Line) -> bool:
        return abs((ln.x0 + ln.x1) / 2 - centre) < 1.5 * ln.size and ln.x0 > left + 1.5 * ln.size

    for number, line in page.lines:
        starts = prev is None
        if prev is not None:
            size = max(prev.size, line.size)
            table_between = any(prev.bottom <= t <= line.top for t in table_tops)
            if table_between or abs(prev.size - line.size) > 0.15 * size or line.top - prev.bottom > max(1.2 * size, 1.6 * usual_gap):
                starts = True
            elif centred(prev) and centred(line):
                starts = False
            elif HEADING.match(line.text) or SUB_HEADING.match(line.text):
                starts = True
            elif line.x0 > left + 0.9 * line.size or prev.x1 < right - 1.5 * prev.size:
                starts = True
        if starts:
            out.append((line.top, Paragraph(line.text, Location(page=page.number, line=number))))
        else:
            out[-1][1].text = glue(out[-1][1].text, line.text)
        prev = line
    return out


# ----------------------------------------------------------------------------------------------
# Rows cut by a page break


def _value_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and is_value_text(cell.text)


def _label_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and not is_value_text(cell.text)




def _join_split_rows(pages: list[_PageText], notes: list[str]) -> None:
    """Join the first row of a page's first table to the last row of the previous page's last one."""
    for before, after in zip(pages, pages[1:]):
        if not before.tables or not after.tables:
            continue
        upper, xs_upper = before.tables[-1].table, before.tables[-1].xs
        lower, xs_lower = after.tables[0].table, after.tables[0].xs
        if any(ln.bottom <= after.tables[0].top for _, ln in after.lines) or any(
            ln.top >= before.tables[-1].bottom for _, ln in before.lines
        ):
            continue  # text between the two tables: not one table
        if not upper.rows or not lower.rows or len(xs_upper) != len(xs_lower):
            continue
        if any(abs(a - b) > 3 for a, b in zip(xs_upper, xs_lower)):
            continue
        a, b = upper.rows[-1], lower.rows[0]
        if len(a) != len(b):
            continue
        a_values, b_values = any(map(_value_cell, a)), any(map(_value_cell, b))
        a_labels, b_labels = any(map(_label_cell, a)), any(map(_label_cell, b))
        if not b_values and b_labels:
            # the last words of a label, alone on the next page, under the same columns
            ok = all(_label_cell(x) for x, y in zip(a, b) if _label_cell(y)) and all(
                not y.merged and not y.text.strip() for x, y in zip(a, b) if _value_cell(x)
            )
        elif not a_values and a_labels and b_values:
            # label on one page, its numbers (and maybe the label's last words) on the next: only
            # where the upper label is a numbered template row and the lower text does not start
            # a numbered row of its own
            ok = all(not x.merged and not x.text.strip() for x, y in zip(a, b) if _value_cell(y))
            if b_labels:
                ok = ok and any(NUMBERED_ROW.match(x.text) for x in a if _label_cell(x)) and all(
                    _label_cell(x) and not NUMBERED_ROW.match(y.text) for x, y in zip(a, b) if _label_cell(y)
                )
        else:
            ok = False
        if not ok:
            continue
        joined = []
        for x, y in zip(a, b):
            x_text = "" if x.merged else x.text
            y_text = "" if y.merged else y.text
            if x.merged and y.merged:
                joined.append(x)
            elif not y_text:
                joined.append(x)
            elif not x_text:
                joined.append(Cell(y.text, y.location.with_detail(f"row continued from page {x.location.page}, table {x.location.table}")))
            else:
                joined.append(Cell(glue(x_text, y_text), x.location.with_detail(f"continued at {y.location}")))
        upper.rows[-1] = joined
        del lower.rows[0]
        notes.append(f"page {after.number}: the first table row continues the last row of page {before.number}; joined")


# ----------------------------------------------------------------------------------------------
# Opening the file


def _open(path: Path, data: bytes) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; all mean "cannot be opened"
        raise _as_document_error(path, exc, "cannot be opened as a PDF") from None


def _as_document_error(path: Path, exc: BaseException, doing: str) -> CorruptDocumentError:
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 6:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
    names = " ".join(type(e).__name__ for e in chain)
    if "Password" in names or "Encrypt" in names:
        return CorruptDocumentError(path, "is encrypted (password protected); save an unprotected copy to read it")
    last = chain[-1]
    detail = f"{type(last).__name__}: {str(last).strip()}".rstrip(": ")
    return CorruptDocumentError(path, f"{doing}; the file looks damaged ({detail[:200]})")


def _page_glyphs(page: Any) -> list[Glyph]:
    """The page's characters; a character drawn twice at (almost) the same place counts once.

    Some producers fake bold type by printing each character twice, a fraction of a point apart.
    """
    seen: dict[tuple[str, int], list[float]] = {}
    out = []
    for ch in page.chars:
        text = ch.get("text") or ""
        if not text:
            continue
        x0, top = float(ch["x0"]), float(ch["top"])
        if not text.isspace():
            row = int(top)
            if any(abs(x - x0) < 1.0 for r in (row - 1, row, row + 1) for x in seen.get((text, r), ())):
                continue
            seen.setdefault((text, row), []).append(x0)
        out.append(Glyph(text, x0, top, float(ch["x1"]), float(ch["bottom"]), float(ch.get("size") or 0.0), bool(ch.get("upright", True))))
    return out


class _PageStats(NamedTuple):
    glyphs: int
    unmapped: int  # glyphs without a Unicode value, "(cid:N)"
    images: bool


def _read_page(page: Any, number: int, rulings: bool) -> tuple[_PageText, _PageStats]:
    """One page: its tables and text lines, and what it holds."""
    glyphs = _page_glyphs(page)
    if len(glyphs) > MAX_CHARS_PER_PAGE:
        raise _TooLarge(f"page {number} has {len(glyphs)} characters (over {MAX_CHARS_PER_PAGE})")
    has_images = bool(page.images) if not glyphs else False
    grids = _ruled_grids(page) if rulings and glyphs else []
    glyphs = _drop_folios(glyphs, float(page.height), [g.bbox for g in grids])
    tables: list[_Placed] = []
    rest = glyphs
    placed: list[tuple[float, _Grid, list[Glyph]]] = []
    incomplete = 0
    for grid in sorted(grids, key=lambda g: g.bbox[1]):
        box = grid.bbox
        inside = [g for g in rest if _inside(g, box)]
        if _rulings_incomplete(grid, inside):
            incomplete += 1  # its glyphs stay for the text-position reading
            continue
        rest = [g for g in rest if not _inside(g, box)]
        placed.append((box[1], grid, inside))
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
        where = Location(page=number, table=k + 1)
        if kind == "grid":
            grid, inside = item
            table, xs = _grid_table(grid, inside, where)
        else:
            table, xs = band_table(item, where)
        if table.rows:
            k += 1
            tables.append(_Placed(top, bottom, table, xs, unruled=kind != "grid"))
    text_lines = [(i, ln) for i, ln in enumerate((ln for ln in lines if id(ln) not in in_regions), start=1)]
    notes = [f"page {number}: a ruled table lacks column rulings; its cells were read from text positions"] * bool(incomplete)
    cid = sum(g.text.startswith("(cid:") for g in glyphs)
    return _PageText(number, text_lines, tables, notes), _PageStats(len(glyphs), cid, has_images)


class _TooLarge(Exception):
    pass


def _read_pages(path: Path, pdf: Any, rulings: bool, started: float, notes: list[str]) -> tuple[list[_PageText], list[_PageStats]]:
    """Every page (up to :data:`MAX_PAGES`): its text lines and tables."""
    pages: list[_PageText] = []
    stats: list[_PageStats] = []
    try:
        all_pages = pdf.pages
    except Exception as exc:
        raise _as_document_error(path, exc, "its page list cannot be read") from None
    if not all_pages:
        raise EmptyDocumentError(path, "the PDF has no pages")
    if len(all_pages) > MAX_PAGES:
        notes.append(f"only the first {MAX_PAGES} of {len(all_pages)} pages were read")
    for number, page in enumerate(all_pages[:MAX_PAGES], start=1):
        if time.monotonic() - started > MAX_SECONDS:
            raise DocumentTooLargeError(path, f"reading took over {MAX_SECONDS:.0f} s (stopped at page {number})")
        try:
            page_text, page_stats = _read_page(page, number, rulings)
        except _TooLarge as exc:
            raise DocumentTooLargeError(path, str(exc)) from None
        except (RecursionError, MemoryError) as exc:
            raise DocumentTooLargeError(path, f"page {number} is too complex to read ({type(exc).__name__})") from None
        except Exception as exc:  # pdfminer's parsing errors on a damaged page (or a layout we cannot follow)
            raise _as_document_error(path, exc, f"page {number} cannot be read") from None
        finally:
            page.close()
        pages.append(page_text)
        stats.append(page_stats)
    return pages, stats


def _close(pdf: Any) -> None:
    try:
        pdf.close()
    except Exception:  # closing walks the page tree again, which fails on a damaged file
        pdf.stream.close()


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning per damaged operator (hundreds for one bad stream): the reader
    reports damage itself, so those log lines are held back while a file is read."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read(path: Path, data: bytes, *, rulings: bool = True) -> Document:
    """Read a PDF report into a :class:`~govdisclose.readers.model.Document`.

    ``rulings=False`` ignores ruling lines and reads every table from text positions (for
    tests of that path). Raises :class:`~govdisclose.exceptions.CorruptDocumentError` for
    encrypted, damaged or image-only files, :class:`~govdisclose.exceptions.EmptyDocumentError`
    for a PDF without pages or text, :class:`~govdisclose.exceptions.DocumentTooLargeError` past
    the page, character or time limits.
    """
    started = time.monotonic()
    doc = Document(source=str(path), format="pdf")
    if not data.lstrip()[:1024].count(b"%PDF-"):
        raise CorruptDocumentError(path, "is not a PDF (no %PDF- header)")
    if data.rfind(b"%%EOF") < 0:
        raise CorruptDocumentError(path, "is truncated: the PDF's end-of-file marker is missing (an incomplete download?)")
    with _quiet_pdfminer():
        pdf = _open(path, data)
        try:
            pages, stats = _read_pages(path, pdf, rulings, started, doc.notes)
        finally:
            _close(pdf)
    image_pages = [p.number for p, st in zip(pages, stats) if st.images and not st.glyphs]
    total = sum(st.glyphs for st in stats)
    if total == 0:
        if image_pages:
            raise CorruptDocumentError(path, "has no text layer (scanned page images only); it needs OCR, which govdisclose does not do")
        raise EmptyDocumentError(path, "the PDF holds no text")
    if sum(st.unmapped for st in stats) > 0.2 * total:
        raise CorruptDocumentError(path, "its text layer cannot be decoded (fonts without a Unicode map); it needs OCR")
    if image_pages:
        doc.notes.append(f"pages {', '.join(map(str, image_pages))} have no text layer (images only) and were not read")
    _join_split_rows(pages, doc.notes)
    left, right = _margins(pages)
    for page in pages:
        blocks: list[tuple[float, int, Any]] = [(t.top, 0, t.table) for t in page.tables if t.table.rows]
        blocks += [(top, 1, para) for top, para in _paragraphs(page, left, right)]
        blocks.sort(key=lambda b: (b[0], b[1]))
        doc.blocks.extend(block for _, _, block in blocks)
        doc.notes.extend(page.notes)
        if any(t.unruled for t in page.tables):
            doc.notes.append(f"page {page.number}: a table without rulings was read from text positions")
    return doc
