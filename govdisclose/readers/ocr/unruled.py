"""Tables printed without rulings (a spreadsheet screenshot without gridlines), from text positions.

Where a page has no rulings round a table, its lines are found by the detection model like prose.
:func:`unruled_tables` finds the tables among them:

1. each detected line is cut into **segments** where its ink leaves a gap wider than most of a
   character, across the page's width (the detection model misses a lone small digit; ink of
   the row above or below, cut by the line's band, is left to its own line);
2. a line of three or more short, spaced segments that read as values is a **value row** (a page
   without one costs nothing more); value rows with only label text or rows of fewer values
   between them are one table (a page whose rows climb over :data:`MAX_TILT` has none);
3. its **value columns** are where the value segments of two or more rows overlap (a column's
   numbers overlap whatever their alignment; a gap between columns is covered by at most one
   number run into its neighbour); a table needs three value rows and three columns (or one row of
   ten or more values, as table 4 prints them) — prose never yields one;
4. the label text left of the first column goes to label columns by its left edge, the lines
   above the first row (up to a heading or a line of prose) are header rows, a label line touching
   a value row is part of that row; a header segment over several columns spans them.

A value segment that overlaps no column, or more than one, makes the cells it touches
``unreadable`` (never a guessed column); so does ink in a slot where no segment was found, and a
segment right of a row's first value whose ink reads as nothing (a digit under a seal: it marks its
column as a value does, so a one-row table keeps every column and the arithmetic its place). The
cells are read segment by segment like ruled cells (:func:`as_table`: their readings go into
``doc.readings``, so the arithmetic confirms every value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from govdisclose.readers.grid import CellBudget, GridBuilder
from govdisclose.readers.model import Table
from govdisclose.readers.ocr.document import CellOcr, OcrDocument
from govdisclose.readers.ocr.engine import Reading
from govdisclose.readers.ocr.ink_segments import Box, segments
from govdisclose.readers.ocr.text_lines import Line as _Line
from govdisclose.readers.ocr.text_lines import gather, page_lines
from govdisclose.records import Location

__all__ = ["UnruledTable", "unruled_tables", "as_table", "segments"]

#: Reads line crops ``(image, boxes)`` as the table cells are read.
Reader = Callable[[list[Box]], list[Reading]]

#: A section heading (``三、收到和处理…``): never a header row of the table under it.
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
#: Value rows a table needs (with three columns each), or values one row needs alone.
MIN_ROWS, MIN_COLUMNS, ONE_ROW = 3, 3, 10
#: Line heights a wrapped label's line may stand from its value row (one near two rows stays alone);
#: half a line lost 1、申请人无正当理由逾期不补 (0.53 line heights above its values, 淮安 sealed)
WRAP = 0.75
#: Degrees value rows may climb: a page turned more than this (not levelled) is not read as a table.
MAX_TILT = 0.3


@dataclass(slots=True)
class UnruledTable:
    """A table found from text positions: its box, grid size and cells ``(row, col, colspan) → segments``."""

    box: Box
    n_rows: int
    n_cols: int
    cells: dict[tuple[int, int, int], list[tuple[Box, Reading]]] = field(default_factory=dict)
    unreadable: dict[tuple[int, int], tuple[Box, str]] = field(default_factory=dict)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:  # the runs of True of a 1-d mask, [start, end)
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _overlapping(columns: list[tuple[int, int]], box: Box) -> list[int]:
    return [k for k, (a, b) in enumerate(columns) if box[0] < b and box[2] > a]


def _beside(columns: list[tuple[int, int]], box: Box) -> list[int]:
    """The columns either side of a box that overlaps none."""
    return [k for k, (_, b) in enumerate(columns) if b <= box[0]][-1:] + [k for k, (a, _) in enumerate(columns) if a >= box[2]][:1]


def _columns(lines: list[_Line], width: int) -> list[tuple[int, int]]:
    """Value columns: x ranges where the value segments of two or more rows (all, if fewer) overlap."""
    cover = np.zeros(width + 1, np.int32)
    for x0, _, x1, _ in (line.segments[i] for line in lines for i in line.values() + line.unread()):
        cover[x0:x1] += 1
    return _runs(cover >= min(2, len(lines)))


def _group(lines: list[_Line], height: float) -> list[list[int]]:
    """Runs of value rows (indexes into ``lines``) with only label text between them."""
    groups: list[list[int]] = []
    last: int | None = None
    for k, line in enumerate(lines):
        if len(line.values()) < MIN_COLUMNS:
            continue
        if last is not None:
            left = min(lines[j].segments[i][0] for j in (last, k) for i in lines[j].values())
            between = lines[last + 1:k]  # label text, or a row of fewer values (blanks)
            if line.top - lines[last].bottom <= 6 * height and all(s[2] <= left or i in b.values() for b in between
                                                                   for i, s in enumerate(b.segments)):
                groups[-1].extend(range(last + 1, k + 1))
                last = k
                continue
        groups.append([k])
        last = k
    return groups


def unruled_tables(ink: np.ndarray, boxes: list[tuple[float, float, float, float]], read: Reader) -> tuple[list[UnruledTable], set[int]]:
    """The tables printed without rulings among the detected text ``boxes`` of a page (its ``ink``
    mask without rulings), and the indexes of the boxes they take (not prose)."""
    if len(boxes) < MIN_ROWS:
        return [], set()
    height = float(np.median([b[3] - b[1] for b in boxes]))
    gap = max(int(0.6 * height), 4)
    lines = page_lines(ink, boxes, height, gap)
    for line in lines:  # 3 pixels of room, as ruled cells
        line.segments = [(max(s[0] - 3, 0), s[1], min(s[2] + 3, ink.shape[1]), s[3]) for s in line.segments]
        line.readings = [None] * len(line.segments)
    widest = 6 * height  # a value's segment is short: only those are read to find the rows
    _read([line for line in lines if _spaced(line.segments, widest, 1.2 * height) >= MIN_COLUMNS], read, widest)
    if not any(len(line.values()) >= MIN_COLUMNS for line in lines):
        return [], set()  # no row of values: prose (the lines are read once, as paragraphs)
    _read(lines, read, widest)  # rows of fewer values
    gather(lines)
    if abs(_tilt(lines)) > MAX_TILT:
        return [], set()  # rows turned: a row's digits would fall in the next one's band (read as prose: unproved)
    tables: list[UnruledTable] = []
    taken: set[int] = set()
    for group in _group(lines, height):
        values = [lines[k] for k in group if len(lines[k].values()) >= MIN_COLUMNS]
        columns = _columns(values, ink.shape[1])
        if not (len(values) >= MIN_ROWS and len(columns) >= MIN_COLUMNS or len(columns) >= ONE_ROW):
            continue
        head = _header(lines, group[0], columns, height, read)
        after = group[-1] + 1  # the last row's label wrapped under it
        tail = [after] if after < len(lines) and lines[after].top - lines[group[-1]].bottom <= 0.5 * height \
            and all(s[2] <= columns[0][0] for s in lines[after].segments) else []
        members = [lines[k] for k in head + group + tail]
        _read(members, read)
        tables.append(_grid(members, [lines[k] for k in head], columns, height, ink))
        taken.update(i for line in members for i in line.boxes)
    return tables, taken


def _tilt(lines: list[_Line]) -> float:
    """Degrees the value rows climb left to right (the median of their value segments' fitted slopes)."""
    slopes = []
    for line in lines:
        if len(values := line.values()) >= MIN_COLUMNS:
            xs = np.array([(line.segments[i][0] + line.segments[i][2]) / 2 for i in values])
            ys = np.array([(line.segments[i][1] + line.segments[i][3]) / 2 for i in values])
            if np.ptp(xs) > 0:
                slopes.append(float(np.polyfit(xs, ys, 1)[0]))
    return float(np.degrees(np.arctan(np.median(slopes)))) if slopes else 0.0


def _spaced(segs: list[Box], widest: float, gap: float) -> int:
    """Short segments standing ``gap`` or more from the one before (a column's value; spaced prose is closer)."""
    return sum(b[2] - b[0] <= widest and b[0] - a[2] >= gap for a, b in zip([(0, 0, -10**6, 0), *segs], segs))


def _read(lines: list[_Line], read: Reader, widest: float = np.inf) -> None:
    """The segments of ``lines`` not read yet (no wider than ``widest``) read, in one batch."""
    todo = [(line, k) for line in lines for k, r in enumerate(line.readings)
            if r is None and line.segments[k][2] - line.segments[k][0] <= widest]
    for (line, k), reading in zip(todo, read([line.segments[k] for line, k in todo]) if todo else []):
        line.readings[k] = reading


def _header(lines: list[_Line], first: int, columns: list[tuple[int, int]], height: float, read: Reader) -> list[int]:
    """Indexes of the lines above the first value row that head the table: up to a heading, a line of
    prose (a segment across the label/value boundary or over most columns) or a wide gap."""
    out: list[int] = []
    below = lines[first].top
    left = columns[0][0]
    for k in range(first - 1, max(first - 9, -1), -1):
        line = lines[k]
        _read([line], read)
        if below - line.bottom > 4 * height or line.values() or _HEADING.match("".join(r.text for r in line.readings if r)):
            break
        if any(s[0] < left - height < s[2] and s[2] > left + height or len(_overlapping(columns, s)) > 6 and s[2] - s[0] > 12 * height
               for s in line.segments):
            break
        out.insert(0, k)
        below = line.top
    return out


def _grid(members: list[_Line], head: list[_Line], columns: list[tuple[int, int]], height: float, ink: np.ndarray) -> UnruledTable:
    left = columns[0][0]
    label_edges: list[int] = []
    for line in members:
        label_edges += [s[0] for s in line.segments if s[2] <= left]
    labels: list[int] = []
    for x in sorted(label_edges):  # label columns by their left edges
        if not labels or x - labels[-1] > height:
            labels.append(x)
    n_labels = len(labels)
    rows = _rows(members, head, columns, height)
    box = (min(s[0] for line in members for s in line.segments), int(min(line.top for line in members)),
           max(s[2] for line in members for s in line.segments), int(max(line.bottom for line in members)))
    table = UnruledTable(box, len(rows), n_labels + len(columns))
    body = next(r for r, row in enumerate(rows) if not any(line is h for line in row for h in head))
    for r, row in enumerate(rows):
        is_value_row = any(line.holds_values(left) for line in row)
        placed: set[int] = set()
        for line in row:
            for box, reading in zip(line.segments, line.readings):
                assert reading is not None
                if box[2] <= left:  # label text
                    col = max([k for k, x in enumerate(labels) if x <= box[0]] or [0])
                    table.cells.setdefault((r, col, 1), []).append((box, reading))
                    continue
                over = _overlapping(columns, box)
                if is_value_row and over and not reading.text.strip():
                    for k in over:
                        table.unreadable[(r, n_labels + k)] = (box, "ink in a value's slot read as nothing")
                    continue
                if is_value_row and len(over) != 1:  # over no column or several: never a guessed one
                    for k in over or _beside(columns, box):
                        table.unreadable[(r, n_labels + k)] = (box, f"{reading.text!r} stands over {len(over) or 'no'} value columns: its column is ambiguous")
                    continue
                if not over:  # a header word between columns: the nearest one
                    middle = (box[0] + box[2]) / 2
                    over = [int(np.argmin([abs((a + b) / 2 - middle) for a, b in columns]))]
                table.cells.setdefault((r, n_labels + over[0], len(over)), []).append((box, reading))
                placed.update(n_labels + k for k in over)
        if r < body:
            # a "header" line of label text only (nothing over the value columns) is a row whose
            # values were not found (a long label run into the columns split the table above it):
            # its slots are never blank
            if not any(s[2] > left for line in row for s in line.segments):
                top, bottom = _reach(rows, r)
                for k, (a, b) in enumerate(columns):
                    table.unreadable.setdefault((r, n_labels + k), ((a, top, b, bottom), "a line of label text only over the table's first row of values: no value was found for it"))
            continue
        # a blank slot is blank only where no ink is halfway to the rows either side (a tilted row's
        # digits); a body row of label text only has no value the mapper could place: none is blank
        top, bottom = _reach(rows, r)
        for k, (a, b) in enumerate(columns):
            if n_labels + k not in placed and (r, n_labels + k) not in table.unreadable:
                if not is_value_row:
                    table.unreadable[(r, n_labels + k)] = ((a, top, b, bottom), "a row of label text only: no value is printed in it")
                elif int(np.count_nonzero(ink[top:bottom, a:b])) > (height / 6) ** 2:
                    table.unreadable[(r, n_labels + k)] = ((a, top, b, bottom), "ink where no text was found")
    return table


def _reach(rows: list[list[_Line]], r: int) -> tuple[int, int]:
    """Row ``r``'s band widened halfway to the rows above and below (by half its height at an edge)."""
    spans = [(min(line.top for line in row), max(line.bottom for line in row)) for row in rows]
    top, bottom = spans[r]
    above = (spans[r - 1][1] + top) / 2 if r > 0 else top - (bottom - top) / 2
    below = (bottom + spans[r + 1][0]) / 2 if r + 1 < len(spans) else bottom + (bottom - top) / 2
    return max(int(min(above, top)), 0), int(max(below, bottom)) + 1


def _rows(members: list[_Line], head: list[_Line], columns: list[tuple[int, int]], height: float) -> list[list[_Line]]:
    """The table's rows: header lines close together (a header wrapped in its cell) as one row where
    no spanning header collides; each value row with the label lines touching it; other lines alone."""
    rows: list[list[_Line]] = []
    for line in head:
        if rows and line.top - rows[-1][-1].bottom <= 0.5 * height and not _collide(rows[-1], line, columns):
            rows[-1].append(line)
        else:
            rows.append([line])
    body = [line for line in members if not any(line is h for h in head)]
    value_rows = [line for line in body if line.holds_values(columns[0][0])]
    rows_of: dict[int, list[_Line]] = {id(v): [v] for v in value_rows}
    order: list[_Line] = []
    for line in body:
        if id(line) in rows_of:
            order.append(line)
            continue
        gaps = [(max(v.top - line.bottom, line.top - v.bottom), k) for k, v in enumerate(value_rows)]
        best = min(gaps)
        if best[0] <= WRAP * height and sum(g <= WRAP * height for g, _ in gaps) == 1:
            rows_of[id(value_rows[best[1]])].append(line)
        else:
            order.append(line)
            rows_of[id(line)] = [line]
    rows += [sorted(rows_of[id(line)], key=lambda x: x.top) for line in order]
    return rows


def _collide(row: list[_Line], line: _Line, columns: list[tuple[int, int]]) -> bool:
    """Whether ``line`` put in ``row`` would have a spanning header over another header's column."""
    old = [o for x in row for s in x.segments if (o := _overlapping(columns, s))]
    new = [o for s in line.segments if (o := _overlapping(columns, s))]
    return any((len(a) > 1 or len(b) > 1) and set(a) & set(b) for a in old for b in new)


def as_table(doc: OcrDocument, found: UnruledTable, page: int, number: int, budget: CellBudget) -> Table:
    """``found`` as a :class:`Table` of the document, each cell's reading in ``doc.readings``; an
    ambiguous cell is empty with a reading no value comes of (the arithmetic leaves it unreadable)."""
    where = Location(file=doc.source, page=page, table=number, bbox=tuple(float(v) for v in found.box))  # type: ignore[arg-type]
    grid = GridBuilder(where, budget, rows=found.n_rows)
    filled: set[tuple[int, int]] = set()
    for (r, c, span), parts in sorted(found.cells.items()):
        if (r, c) in filled or (r, c) in found.unreadable:
            continue
        parts.sort(key=lambda p: (p[0][1] // 4, p[0][0]))
        text = "".join(reading.text for _, reading in parts)
        box = (min(p[0][0] for p in parts), min(p[0][1] for p in parts), max(p[0][2] for p in parts), max(p[0][3] for p in parts))
        span = max(min(span, found.n_cols - c), 1)
        grid.place(r, c, text, colspan=span, bbox=tuple(float(v) for v in box))
        filled.update((r, c + k) for k in range(span))
        first = parts[0][1]
        key = (page, number, r + 1, c + 1)
        if len(parts) == 1:
            doc.readings[key] = CellOcr(text, first.confidence, first.alternatives, parts[0][0])
        else:
            doc.readings[key] = CellOcr(text, min(p[1].confidence for p in parts), (), parts[0][0])
    noted: dict[tuple[int, str], list[int]] = {}
    for (r, c), (box, why) in sorted(found.unreadable.items()):
        if (r, c) in filled:
            continue
        grid.place(r, c, "", bbox=tuple(float(v) for v in box))
        filled.add((r, c))
        doc.readings[(page, number, r + 1, c + 1)] = CellOcr("", 0.0, (), (box[0], box[1], box[0], box[1]))
        noted.setdefault((r, why), []).append(c + 1)
    for (r, why), cols in noted.items():
        where_cols = f"col {cols[0]}" if len(cols) == 1 else f"cols {', '.join(map(str, cols))}"
        doc.notes.append(f"page {page}, table {number}, row {r + 1}, {where_cols}: {why} (unreadable)")
    for r in range(found.n_rows):
        for c in range(found.n_cols):
            if (r, c) not in filled:
                grid.place(r, c, "")
    return Table(rows=grid.rows(found.n_cols), location=where)
