"""PDF reports with a text layer: ruled tables, tables without rulings, and the prose around them.

One pass per page over what pdfplumber extracts once (the page's characters and its ruling
lines):

* **ruled tables** come from pdfplumber's table finder, fed only the *visible* rulings (Word
  PDFs paint every paragraph on an invisible white box, which would otherwise turn prose into
  one-column "tables"). Every grid slot becomes a :class:`~govdisclose.model.Cell`; slots covered
  by a spanning box repeat the box's text with ``merged=True``. Text inside a cell is joined
  line by line, CJK pieces without a space (``结``/``果`` → ``结果``).
* **tables without rulings** are rebuilt from text positions: lines ending in value-like
  segments make rows, value columns are clustered by x, label pieces on other lines join the
  nearest row, and a label printed one character per line down the side (``三``/``、``/``本``…)
  becomes one merged label instead of fake rows.
* **prose** outside tables becomes :class:`~govdisclose.model.Paragraph` blocks in reading
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
import re
import statistics
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from ..model import Cell, Document, Paragraph, Table
from ..normalize import fold_width
from ..values import is_value_text

__all__ = ["read", "MAX_PAGES", "MAX_SECONDS", "MAX_CHARS_PER_PAGE"]

#: Pages read at most; a report has 5-20. Longer files are read up to here, with a note.
MAX_PAGES = 200
#: Wall-clock budget for one file; a file that takes longer is refused.
MAX_SECONDS = 120.0
#: Characters on one page at most (a report page has about 1,500).
MAX_CHARS_PER_PAGE = 60_000

# ----------------------------------------------------------------------------------------------
# Glyphs and text assembly


class _Glyph(NamedTuple):
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


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _glue(left: str, right: str) -> str:
    """Join two pieces of one cell or paragraph: no space where either side is CJK."""
    if not left:
        return right
    if not right:
        return left
    if _is_cjk(left[-1]) or _is_cjk(right[0]):
        return left + right
    return left + " " + right


def _line_text(glyphs: list[_Glyph]) -> str:
    """Text of one printed line (glyphs in x order); gaps become one space except between CJK.

    Glyphs printed over each other (a damaged or doubled text layer) are kept apart by a space
    too, so ``1`` over ``1`` never reads as ``11``.
    """
    out: list[str] = []
    prev: _Glyph | None = None
    for g in glyphs:
        if g.text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            prev = None
            continue
        if prev is not None and out and out[-1] != " ":
            gap = g.x0 - prev.x1
            size = max(g.size, prev.size, 1.0)
            cjk_pair = _is_cjk(prev.text[-1]) and _is_cjk(g.text[0])
            overprint = -gap > 0.25 * min(g.x1 - g.x0, prev.x1 - prev.x0, size)
            if gap > (1.0 if cjk_pair else 0.25) * size or overprint:
                out.append(" ")  # apart, or printed over each other: never one word or number
        out.append(g.text)
        prev = g
    return "".join(out).strip()


def _cluster_lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Group glyphs into printed lines by their vertical centre; each line sorted by x."""
    lines: list[list[_Glyph]] = []
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


def _block_text(glyphs: list[_Glyph]) -> str:
    """Text of a cell: its lines top to bottom, joined without spaces where CJK meets.

    Text turned a quarter (a side label set with a text direction) is read in the order it was
    written, which is its reading order whichever way it turns.
    """
    if glyphs and not any(g.upright for g in glyphs):
        return "".join(g.text for g in glyphs if not g.text.isspace())
    text = ""
    for line in _cluster_lines(glyphs):
        text = _glue(text, _line_text(line))
    return text


def _box(glyphs: list[_Glyph]) -> tuple[float, float, float, float]:
    return (min(g.x0 for g in glyphs), min(g.top for g in glyphs), max(g.x1 for g in glyphs), max(g.bottom for g in glyphs))


def _fmt_box(box: tuple[float, float, float, float]) -> str:
    return "box ({:.0f},{:.0f},{:.0f},{:.0f})".format(*box)


# ----------------------------------------------------------------------------------------------
# Page numbers in the margins

_FOLIO = re.compile(
    r"^(?:[-—–~·•_]+\d{1,4}[-—–~·•_]+|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|共\d{1,4}页第\d{1,4}页|\d{1,4}/\d{1,4}"
    r"|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_BARE_FOLIO = re.compile(r"^\d{1,4}$")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", fold_width(text))


def _drop_folios(glyphs: list[_Glyph], height: float, table_boxes: list[tuple[float, float, float, float]]) -> list[_Glyph]:
    """Remove page numbers printed in the top 10% or bottom 15% of the page.

    ``-5-``, ``- 5 -``, ``第5页``, ``5/12`` go wherever they stand; a bare ``5`` only when it is
    alone on its line and outside ruled tables.
    """
    band = [g for g in glyphs if g.cy < 0.10 * height or g.cy > 0.85 * height]
    if not band:
        return glyphs
    drop: set[int] = set()
    for line in _cluster_lines(band):
        segments = _split_segments(line)
        for seg in segments:
            text = _compact(seg.text)
            inside = any(_inside(seg.glyphs[0], box) for box in table_boxes)
            if _FOLIO.match(text) or (_BARE_FOLIO.match(text) and len(segments) == 1 and not inside):
                drop.update(id(g) for g in seg.glyphs)
    if not drop:
        return glyphs
    return [g for g in glyphs if id(g) not in drop]


def _inside(g: _Glyph, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= g.cx < box[2] and box[1] <= g.cy < box[3]


# ----------------------------------------------------------------------------------------------
# Segments: runs of glyphs on one line separated by wide gaps (table columns)


@dataclass(slots=True)
class _Segment:
    glyphs: list[_Glyph]
    text: str = ""

    def __post_init__(self) -> None:
        self.text = _line_text(self.glyphs)

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

    @property
    def is_value(self) -> bool:
        return bool(self.text.strip()) and is_value_text(self.text)


def _split_segments(line: list[_Glyph], gap_em: float = 1.0) -> list[_Segment]:
    segments: list[list[_Glyph]] = []
    last: _Glyph | None = None
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
            out.append(_Segment(seg))
    return out


@dataclass(slots=True)
class _Line:
    """A printed line outside ruled tables."""

    glyphs: list[_Glyph]
    segments: list[_Segment] = field(default_factory=list)
    text: str = ""

    def __post_init__(self) -> None:
        self.segments = _split_segments(self.glyphs)
        self.text = _line_text(self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs if not g.text.isspace()) if self.text else 1.0

    @property
    def is_value_row(self) -> bool:
        """A label (or nothing) followed by value-like segments at a distance: a table row."""
        segs = self.segments
        return len(segs) >= 2 and segs[-1].is_value


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


def _grid_table(grid: _Grid, glyphs: list[_Glyph], where: str) -> tuple[Table, list[float]]:
    """The cell grid of a ruled table; ``where`` is ``page N, table M``."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    owned: dict[int, list[_Glyph]] = {}
    holes: dict[tuple[int, int], list[_Glyph]] = {}
    for g in glyphs:
        r = bisect_right(grid.ys, g.cy) - 1
        c = bisect_right(grid.xs, g.cx) - 1
        r, c = max(0, min(r, n_rows - 1)), max(0, min(c, n_cols - 1))
        k = grid.owner[r][c]
        if k >= 0:
            owned.setdefault(k, []).append(g)
        else:
            holes.setdefault((r, c), []).append(g)
    texts = {k: _block_text(gs) for k, gs in owned.items()}
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        row: list[Cell] = []
        for c in range(n_cols):
            k = grid.owner[r][c]
            unit = (grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1])
            place = f"{where}, row {len(rows) + 1}, col {c + 1}"
            if k < 0:
                hole = holes.get((r, c), [])
                row.append(Cell(_block_text(hole), f"{place}, {_fmt_box(unit)}"))
            elif grid.spans[k][:2] == (r, c):
                row.append(Cell(texts.get(k, ""), f"{place}, {_fmt_box(grid.boxes[k])}"))
            else:
                row.append(Cell(texts.get(k, ""), f"{place}, {_fmt_box(unit)}", merged=True))
        if any(not cell.merged and cell.text for cell in row) or any(
            grid.owner[r][c] >= 0 and grid.spans[grid.owner[r][c]][:2] == (r, c) for c in range(n_cols)
        ):
            rows.append(row)
    bbox = grid.bbox
    return Table(rows=rows, location=f"{where}, {_fmt_box(bbox)}"), list(grid.xs)


def _rulings_incomplete(grid: _Grid, glyphs: list[_Glyph]) -> bool:
    """A ruled box holding a label and numbers apart, or a run of numbers: column rulings are missing."""
    owned: dict[int, list[_Glyph]] = {}
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    for g in glyphs:
        r = max(0, min(bisect_right(grid.ys, g.cy) - 1, n_rows - 1))
        c = max(0, min(bisect_right(grid.xs, g.cx) - 1, n_cols - 1))
        if grid.owner[r][c] >= 0:
            owned.setdefault(grid.owner[r][c], []).append(g)
    for k, gs in owned.items():
        r0, c0, r1, c1 = grid.spans[k]
        for line in _cluster_lines(gs):
            segs = _split_segments(line)
            values = sum(s.is_value for s in segs)
            if values >= 3 or (c1 - c0 >= 2 and len(segs) >= 2 and segs[-1].is_value and not segs[0].is_value):
                return True
    return False


# ----------------------------------------------------------------------------------------------
# Tables without rulings, from text positions

_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*\S{2,}")
_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?")
_ARTICLE = re.compile(r"^\s*第\s*[一二三四五六七八九十百零〇\d]+\s*条")  # 第二十条 第（一）项: a block header


def _is_stack_piece(seg: _Segment) -> bool:
    text = _compact(seg.text)
    return 1 <= len(text) <= 2 and all(_is_cjk(ch) for ch in text)


def _text_regions(lines: list[_Line], body_width: float) -> list[list[_Line]]:
    """Runs of lines that form a table: value rows plus the header and label lines around them."""

    def pitch_ok(a: _Line, b: _Line) -> bool:
        return b.top - a.bottom < 4.0 * max(a.size, b.size)

    def tableish(line: _Line) -> bool:
        if len(line.segments) == 1 and (_HEADING.match(line.text) or line.text.rstrip().endswith(_SENTENCE_END)):
            return False
        return len(line.segments) >= 2 or (line.x1 - line.x0) < 0.7 * body_width

    regions: list[list[_Line]] = []
    i, floor = 0, 0
    n = len(lines)
    while i < n:
        if not lines[i].is_value_row:
            i += 1
            continue
        start = i
        while start - 1 >= floor and tableish(lines[start - 1]) and pitch_ok(lines[start - 1], lines[start]):
            start -= 1
        end = i
        j = i + 1
        while j < n and pitch_ok(lines[j - 1], lines[j]):
            if lines[j].is_value_row:
                end = j
            elif not tableish(lines[j]):
                break
            elif not any(lines[k].is_value_row for k in range(j + 1, min(n, j + 5))):
                break
            j += 1
        # trailing label pieces (the rest of the last row's label) sit right below it
        values_x0 = min(s.x0 for ln in lines[start:end + 1] for s in ln.segments if s.is_value and ln.is_value_row)
        while end + 1 < n and not lines[end + 1].is_value_row and lines[end + 1].x1 <= values_x0 and tableish(lines[end + 1]) \
                and lines[end + 1].top - lines[end].bottom < 0.8 * lines[end].size:
            end += 1
        region = lines[start:end + 1]
        regions.append(region)
        i, floor = end + 1, end + 1
    return regions


def _merge_intervals(spans: list[tuple[float, float]], pad: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1] + pad:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


@dataclass(slots=True)
class _Band:
    header: list[_Line] = field(default_factory=list)
    rows: list[_Line] = field(default_factory=list)  # value rows
    pieces: list[_Line] = field(default_factory=list)  # label-only lines in the label area


def _bands(region: list[_Line]) -> list[_Band]:
    """Split a region where a header line (text over the value columns) starts a new block."""
    value_x0 = min(s.x0 for ln in region if ln.is_value_row for s in ln.segments if s.is_value)
    bands: list[_Band] = [_Band()]
    for line in region:
        band = bands[-1]
        if line.is_value_row:
            band.rows.append(line)
        elif line.x1 <= value_x0 + 1 and band.rows and not _ARTICLE.match(line.text):
            band.pieces.append(line)
        else:
            if band.rows:
                # label-area lines right before a header line belong to that header (第二十条…)
                last = band.rows[-1]
                moved = [p for p in band.pieces if p.top > last.bottom + 0.8 * last.size]
                band.pieces = [p for p in band.pieces if p not in moved]
                bands.append(_Band(header=moved))
            bands[-1].header.append(line)
    return [b for b in bands if b.rows]


def _band_table(band: _Band, where: str) -> tuple[Table, list[float]]:
    """Rows of one block of a table without rulings.

    Value columns are the x-ranges of the value segments of all rows; each row's glyphs are
    then split by position (left of the first column: label; inside a column: that cell), so a
    number printed close to a label still lands in its column.
    """
    rows_lines = _join_offset_rows(band.rows)
    value_segs = [s for ln in rows_lines for s in _value_tail(ln)]
    em = statistics.median(g.size for s in value_segs for g in s.glyphs) or 10.0
    pad = 0.3 * em
    columns = _merge_intervals([(s.x0, s.x1) for s in value_segs], pad=pad)
    left = columns[0][0] - pad
    label_segs: list[_Segment] = []
    slots_per_row: list[list[list[_Glyph]]] = []
    for ln in rows_lines:
        label_glyphs = [g for g in ln.glyphs if g.cx < left]
        label_segs.extend(_split_segments(label_glyphs))
        slots: list[list[_Glyph]] = [[] for _ in columns]
        for g in ln.glyphs:
            if g.cx >= left and not g.text.isspace():
                slots[_nearest_column(columns, g.cx)].append(g)
        slots_per_row.append(slots)
    for ln in band.pieces:
        label_segs.extend(ln.segments)
    centres = [(ln.top + ln.bottom) / 2 for ln in rows_lines]
    stack, label_segs = _vertical_stack(label_segs, left)
    # every label piece joins the nearest value row
    labels: list[list[_Segment]] = [[] for _ in rows_lines]
    for seg in label_segs:
        cy = (seg.top + seg.bottom) / 2
        k = min(range(len(centres)), key=lambda k: (abs(centres[k] - cy), -k))
        labels[k].append(seg)
    n_lead = 2 if stack else 1
    n_cols = n_lead + len(columns)
    table_rows: list[list[Cell]] = []
    # header: one-segment lines stand alone; the others are folded into one header row per column
    grid_header: list[list[_Segment]] = [[] for _ in range(n_cols)]
    grid_at: int | None = None
    for ln in band.header:
        if len(ln.segments) == 1 and len(_compact(ln.text)) > 2:
            seg = ln.segments[0]
            place = f"{where}, row {len(table_rows) + 1}"
            first = Cell(seg.text, f"{place}, col 1, {_fmt_box(_box(seg.glyphs))}")
            table_rows.append([first] + [Cell(seg.text, f"{place}, col {c + 1}", merged=True) for c in range(1, n_cols)])
            continue
        if grid_at is None:
            grid_at = len(table_rows)
            table_rows.append([])
        for seg in _split_segments(ln.glyphs, gap_em=0.5):  # header words sit closer than values
            col = n_lead - 1 if seg.cx < left else n_lead + _nearest_column(columns, seg.cx)
            grid_header[col].append(seg)
    if grid_at is not None:
        place = f"{where}, row {grid_at + 1}"
        header_cells = []
        for c, segs in enumerate(grid_header):
            glyphs = [g for s in segs for g in s.glyphs]
            text = _block_text(glyphs) if glyphs else ""
            header_cells.append(Cell(text, f"{place}, col {c + 1}" + (f", {_fmt_box(_box(glyphs))}" if glyphs else "")))
        table_rows[grid_at] = header_cells
    stack_rows: list[int] = []
    if stack:
        reach = 0.6 * max(g.size for g in stack)
        s_top, s_bottom = min(g.top for g in stack) - reach, max(g.bottom for g in stack) + reach
        stack_rows = [k for k, c in enumerate(centres) if s_top <= c <= s_bottom]
    stack_text = _block_text(stack) if stack else ""
    for k, ln in enumerate(rows_lines):
        place = f"{where}, row {len(table_rows) + 1}"
        cells: list[Cell] = []
        if stack:
            if stack_rows and k == stack_rows[0]:
                cells.append(Cell(stack_text, f"{place}, col 1, {_fmt_box(_box(stack))}"))
            elif k in stack_rows:
                cells.append(Cell(stack_text, f"{place}, col 1", merged=True))
            else:
                cells.append(Cell("", f"{place}, col 1"))
        label_glyphs = [g for s in labels[k] for g in s.glyphs]
        label_box = f", {_fmt_box(_box(label_glyphs))}" if label_glyphs else ""
        cells.append(Cell(_label_text(labels[k]), f"{place}, col {n_lead}{label_box}"))
        for c, glyphs in enumerate(slots_per_row[k]):
            col = n_lead + c + 1
            if glyphs:
                # pieces far apart inside one column keep a space between them: unreadable, not merged
                cells.append(Cell(_line_text(sorted(glyphs, key=lambda g: g.x0)), f"{place}, col {col}, {_fmt_box(_box(glyphs))}"))
            else:
                x0, x1 = columns[c]
                cells.append(Cell("", f"{place}, col {col}, {_fmt_box((x0, ln.top, x1, ln.bottom))}"))
        table_rows.append(cells)
    boxes = [_box(ln.glyphs) for ln in band.header + rows_lines + band.pieces]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    xs = [bbox[0]] * n_lead + [x0 for x0, _ in columns] + [bbox[2]]
    return Table(rows=table_rows, location=f"{where}, {_fmt_box(bbox)}, from text positions (no rulings)"), xs


def _nearest_column(columns: list[tuple[float, float]], x: float) -> int:
    """Index of the column interval holding x, else the closest one."""
    best, distance = 0, float("inf")
    for c, (x0, x1) in enumerate(columns):
        d = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
        if d < distance:
            best, distance = c, d
    return best


def _label_text(pieces: list[_Segment]) -> str:
    """A row's label pieces: side by side columns left to right, each read top to bottom."""
    columns: list[list[_Segment]] = []
    for seg in sorted(pieces, key=lambda s: s.x0):
        em = max(g.size for g in seg.glyphs)
        if columns and seg.x0 - columns[-1][0].x0 < em:
            columns[-1].append(seg)
        else:
            columns.append([seg])
    return " ".join(_block_text([g for s in col for g in s.glyphs]) for col in columns)


def _value_tail(line: _Line) -> list[_Segment]:
    """The value-like segments at the end of a value row."""
    segs = line.segments
    k = len(segs)
    while k > 0 and segs[k - 1].is_value:
        k -= 1
    return segs[k:]


def _join_offset_rows(rows: list[_Line]) -> list[_Line]:
    """Two value lines printed half a line apart whose values never share a column are one row."""
    out: list[_Line] = []
    for line in rows:
        if out:
            prev = out[-1]
            near = line.top - prev.bottom < 0.5 * min(prev.size, line.size)
            a, b = _value_tail(prev), _value_tail(line)
            overlap = any(s.x0 <= t.x1 and t.x0 <= s.x1 for s in a for t in b)
            label_a, label_b = len(prev.segments) > len(a), len(line.segments) > len(b)
            if near and not overlap and not (label_a and label_b):
                out[-1] = _Line(sorted(prev.glyphs + line.glyphs, key=lambda g: g.x0))
                continue
        out.append(line)
    return out


def _vertical_stack(segs: list[_Segment], values_x0: float) -> tuple[list[_Glyph], list[_Segment]]:
    """A label printed one character per line down the left side, and the remaining pieces.

    Three or more one- or two-character pieces stacked at the same x make the stack; a stack
    character that sits on the same line as another label (too close to be split off as its own
    piece) is peeled off that label's start.
    """
    pieces = [s for s in segs if _is_stack_piece(s) and s.x1 < values_x0]
    if len(pieces) < 3:
        return [], segs
    pieces.sort(key=lambda s: s.cx)
    best: list[_Segment] = []
    group: list[_Segment] = []
    for seg in pieces:
        if group and seg.cx - group[0].cx > 0.6 * max(g.size for g in seg.glyphs):
            if len(group) > len(best):
                best = group
            group = []
        group.append(seg)
    if len(group) > len(best):
        best = group
    if len(best) < 3:
        return [], segs
    em = max(g.size for s in best for g in s.glyphs)
    x_mid = statistics.median(s.cx for s in best)
    top, bottom = min(s.top for s in best) - 1.5 * em, max(s.bottom for s in best) + 1.5 * em
    chosen = {id(s) for s in best}
    glyphs = [g for s in best for g in s.glyphs]
    rest: list[_Segment] = []
    for seg in segs:
        if id(seg) in chosen:
            continue
        if top <= seg.top and seg.bottom <= bottom and seg.x0 < x_mid < seg.x1 + 0.1 * em:
            head = [g for g in seg.glyphs[:2] if abs(g.cx - x_mid) < 0.6 * em]
            if not head or seg.glyphs[0] is not head[0]:
                return [], segs  # text crosses the stack's column: not a side label
            glyphs.extend(head)
            tail = seg.glyphs[len(head):]
            if tail:
                rest.append(_Segment(tail))
            continue
        rest.append(seg)
    glyphs.sort(key=lambda g: g.top)
    return glyphs, rest


# ----------------------------------------------------------------------------------------------
# Paragraphs


@dataclass(slots=True)
class _Placed:
    """A table on its page: where it starts and ends and its column x positions."""

    top: float
    bottom: float
    table: Table
    xs: list[float]


@dataclass(slots=True)
class _PageText:
    number: int
    lines: list[tuple[int, _Line]]  # (line number on the page, line)
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
    prev: _Line | None = None
    table_tops = sorted(t.top for t in page.tables)
    gaps = sorted(b.top - a.bottom for (_, a), (_, b) in zip(page.lines, page.lines[1:]) if b.top > a.bottom)
    usual_gap = gaps[len(gaps) // 2] if gaps else 0.0

    def centred(ln: _Line) -> bool:
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
            elif _HEADING.match(line.text) or re.match(r"^\s*[（(][一二三四五六七八九十]+[）)]", line.text):
                starts = True
            elif line.x0 > left + 0.9 * line.size or prev.x1 < right - 1.5 * prev.size:
                starts = True
        if starts:
            out.append((line.top, Paragraph(line.text, f"page {page.number}, line {number}")))
        else:
            out[-1][1].text = _glue(out[-1][1].text, line.text)
        prev = line
    return out


# ----------------------------------------------------------------------------------------------
# Rows cut by a page break


def _value_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and is_value_text(cell.text)


def _label_cell(cell: Cell) -> bool:
    return not cell.merged and bool(cell.text.strip()) and not is_value_text(cell.text)


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[、.．])")


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
                ok = ok and any(_NUMBERED.match(x.text) for x in a if _label_cell(x)) and all(
                    _label_cell(x) and not _NUMBERED.match(y.text) for x, y in zip(a, b) if _label_cell(y)
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
                joined.append(Cell(y.text, f"{y.location} (row continued from {x.location.split(', row')[0]})"))
            else:
                joined.append(Cell(_glue(x_text, y_text), f"{x.location}; continued at {y.location}"))
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
    chain = []
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


def _page_glyphs(page: Any) -> list[_Glyph]:
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
        out.append(_Glyph(text, x0, top, float(ch["x1"]), float(ch["bottom"]), float(ch.get("size") or 0.0), bool(ch.get("upright", True))))
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
    placed: list[tuple[float, _Grid, list[_Glyph]]] = []
    incomplete = 0
    for grid in sorted(grids, key=lambda g: g.bbox[1]):
        box = grid.bbox
        inside = [g for g in rest if _inside(g, box)]
        if _rulings_incomplete(grid, inside):
            incomplete += 1  # its glyphs stay for the text-position reading
            continue
        rest = [g for g in rest if not _inside(g, box)]
        placed.append((box[1], grid, inside))
    lines = [_Line(ln) for ln in _cluster_lines(rest) if any(not g.text.isspace() for g in ln)]
    width = max((ln.x1 - ln.x0 for ln in lines), default=0.0)
    regions = _text_regions(lines, width) if lines else []
    in_regions = {id(ln) for region in regions for ln in region}
    pending: list[tuple[float, float, str, Any]] = [(grid.bbox[1], grid.bbox[3], "grid", (grid, inside)) for _, grid, inside in placed]
    for region in regions:
        for band in _bands(region):
            lines_in = band.header + band.rows + band.pieces
            pending.append((min(ln.top for ln in lines_in), max(ln.bottom for ln in lines_in), "band", band))
    pending.sort(key=lambda item: item[0])
    k = 0
    for top, bottom, kind, item in pending:
        where = f"page {number}, table {k + 1}"
        if kind == "grid":
            grid, inside = item
            table, xs = _grid_table(grid, inside, where)
        else:
            table, xs = _band_table(item, where)
        if table.rows:
            k += 1
            tables.append(_Placed(top, bottom, table, xs))
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


def read(path: Path, data: bytes, *, rulings: bool = True) -> Document:
    """Read a PDF report into a :class:`~govdisclose.model.Document`.

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
        if any("from text positions" in t.table.location for t in page.tables):
            doc.notes.append(f"page {page.number}: a table without rulings was read from text positions")
    return doc
