"""Tables without rulings, rebuilt from text positions (the PDF reader's fallback).

Where a table's rulings are missing (or ``read(..., rulings=False)``), its rows are found among
the printed lines outside ruled tables: lines ending in value-like segments make rows
(:func:`table_regions`), a header line over the value columns starts a new block
(:func:`split_bands`), value columns are clustered by x, label pieces on other lines join the
nearest row, and a label printed one character per line down the side (``三``/``、``/``本``…)
becomes one merged label instead of fake rows (:func:`band_table`).

>>> from govdisclose.readers.pdf.glyphs import Glyph, Line
>>> from govdisclose.records import Location
>>> def line(text, x, top):  # one glyph per character, 10 points wide, value columns 60 apart
...     return Line([Glyph(ch, x + 10 * i, top, x + 10 * i + 10, top + 10, 10) for i, ch in enumerate(text)])
>>> lines = [line("规章", 0, 0), line("3", 100, 0), line("4", 160, 0), line("规范性文件", 0, 14), line("12", 100, 14), line("0", 160, 14)]
>>> rows = [Line(a.glyphs + b.glyphs + c.glyphs) for a, b, c in (lines[:3], lines[3:])]
>>> [band] = split_bands(table_regions(rows, 200.0)[0])
>>> table, xs = band_table(band, Location(page=1, table=1))
>>> [[c.text for c in r] for r in table.rows]
[['规章', '3', '4'], ['规范性文件', '12', '0']]
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace

from govdisclose.readers.model import Cell, Location, Table
from govdisclose.readers.pdf.glyphs import (
    Glyph,
    Line,
    Segment,
    block_text,
    compact,
    glyph_box,
    is_cjk,
    line_text,
    split_segments,
)
from govdisclose.template.markers import BLOCK_HEADER, HEADING

__all__ = ["Band", "table_regions", "split_bands", "band_table"]

_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?")


def _is_stack_piece(seg: Segment) -> bool:
    text = compact(seg.text)
    return 1 <= len(text) <= 2 and all(is_cjk(ch) for ch in text)


def table_regions(lines: list[Line], body_width: float) -> list[list[Line]]:
    """Runs of lines that form a table: value rows plus the header and label lines around them."""

    def pitch_ok(a: Line, b: Line) -> bool:
        return b.top - a.bottom < 4.0 * max(a.size, b.size)

    def tableish(line: Line) -> bool:
        if len(line.segments) == 1 and (HEADING.match(line.text) or line.text.rstrip().endswith(_SENTENCE_END)):
            return False
        return len(line.segments) >= 2 or (line.x1 - line.x0) < 0.7 * body_width

    def offset_label(k: int) -> bool:
        """Line ``k`` is the label of a value row next to it printed half a line off its values."""
        return any(0 <= j < n and _offset_label(lines[k], lines[j]) for j in (k - 1, k + 1))

    regions: list[list[Line]] = []
    i, floor = 0, 0
    n = len(lines)
    while i < n:
        if not lines[i].is_value_row:
            i += 1
            continue
        start = i
        while start - 1 >= floor and (tableish(lines[start - 1]) or offset_label(start - 1)) and pitch_ok(lines[start - 1], lines[start]):
            start -= 1
        end = i
        j = i + 1
        while j < n and pitch_ok(lines[j - 1], lines[j]):
            if lines[j].is_value_row:
                end = j
            elif offset_label(j):
                end = j
            elif not tableish(lines[j]):
                break
            elif not any(lines[k].is_value_row for k in range(j + 1, min(n, j + 5))):
                break
            j += 1
        # trailing label pieces (the rest of the last row's label) sit right below it
        values_x0 = min(s.x0 for ln in lines[start:end + 1] for s in ln.segments if s.is_value and ln.is_value_row)
        while end + 1 < n and not lines[end + 1].is_value_row and lines[end + 1].x1 <= values_x0 \
                and (tableish(lines[end + 1]) or offset_label(end + 1)) and lines[end + 1].top - lines[end].bottom < 0.8 * lines[end].size:
            end += 1
        region = lines[start:end + 1]
        regions.append(region)
        i, floor = end + 1, end + 1
    return regions


#: Vertical centres closer than this (type sizes) are "half a line" apart: with the usual line
#: pitch of 1.5 to 2.5 type sizes, half a line is 0.75 to 1.25.
_HALF_LINE = 1.3


def _centre_gap(a: Line, b: Line) -> float:
    """How far apart the two lines' vertical centres are, in type sizes."""
    return abs((a.top + a.bottom) - (b.top + b.bottom)) / 2 / max(a.size, b.size, 1.0)


def _values_only(line: Line) -> bool:
    return bool(line.segments) and all(s.is_value for s in line.segments)


def _offset_label(line: Line, row: Line) -> bool:
    """``line`` is a label alone on its line, printed less than a line off ``row``'s values,
    which have no label of their own, and left of them."""
    if line.is_value_row or row is line or not row.is_value_row or not _values_only(row):
        return False
    if any(s.is_value for s in line.segments):
        return False
    return line.x1 <= row.x0 + 1 and _centre_gap(line, row) < _HALF_LINE


def _offset_values(line: Line, region: list[Line], k: int) -> bool:
    """``line`` (``region[k]``) holds only values and sits less than a line off a value row next
    to it: values printed half a line off their row, not a header."""
    if line.is_value_row or not _values_only(line):
        return False
    return any(0 <= j < len(region) and region[j].is_value_row and _centre_gap(line, region[j]) < _HALF_LINE for j in (k - 1, k + 1))


def _merge_intervals(spans: list[tuple[float, float]], pad: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1] + pad:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


@dataclass(slots=True)
class Band:
    header: list[Line] = field(default_factory=list)
    rows: list[Line] = field(default_factory=list)  # value rows
    pieces: list[Line] = field(default_factory=list)  # label-only lines in the label area


def split_bands(region: list[Line]) -> list[Band]:
    """Split a region where a header line (text over the value columns) starts a new block."""
    value_x0 = min(s.x0 for ln in region if ln.is_value_row for s in ln.segments if s.is_value)
    bands: list[Band] = [Band()]
    for k, line in enumerate(region):
        band = bands[-1]
        if line.is_value_row or _offset_values(line, region, k):
            band.rows.append(line)
        elif line.x1 <= value_x0 + 1 and band.rows and not BLOCK_HEADER.match(line.text):
            band.pieces.append(line)
        else:
            if band.rows:
                # label-area lines right before a header line belong to that header (第二十条…)
                last = band.rows[-1]
                moved = [p for p in band.pieces if p.top > last.bottom + 0.8 * last.size]
                band.pieces = [p for p in band.pieces if p not in moved]
                bands.append(Band(header=moved))
            bands[-1].header.append(line)
    return [b for b in bands if b.rows]


def band_table(band: Band, where: Location) -> tuple[Table, list[float]]:
    """Rows of one block of a table without rulings.

    Value columns are the x-ranges of the value segments of all rows; each row's glyphs are
    then split by position (left of the first column: label; inside a column: that cell), so a
    number printed close to a label still lands in its column.
    """
    rows_lines, doubtful = _join_offset_rows(band.rows)
    value_segs = [s for ln in rows_lines + [ln for _, ln in doubtful] for s in _value_tail(ln)]
    em = statistics.median(g.size for s in value_segs for g in s.glyphs) or 10.0
    pad = 0.3 * em
    columns = _merge_intervals([(s.x0, s.x1) for s in value_segs], pad=pad)
    left = columns[0][0] - pad
    label_segs: list[Segment] = []
    slots_per_row: list[list[list[Glyph]]] = []
    for ln in rows_lines:
        label_glyphs = [g for g in ln.glyphs if g.cx < left]
        label_segs.extend(split_segments(label_glyphs))
        slots: list[list[Glyph]] = [[] for _ in columns]
        for g in ln.glyphs:
            if g.cx >= left and not g.text.isspace():
                slots[_nearest_column(columns, g.cx)].append(g)
        slots_per_row.append(slots)
    for ln in band.pieces:
        label_segs.extend(ln.segments)
    # values printed between two rows that both lack them: either row's, so neither row's blank
    doubts: dict[tuple[int, int], tuple[str, str]] = {}
    for k, ln in doubtful:
        for seg in _value_tail(ln):
            c = _nearest_column(columns, seg.cx)
            for row, other in ((k, "below"), (k + 1, "above")):
                if row < len(slots_per_row) and not slots_per_row[row][c]:
                    doubts[(row, c)] = (seg.text, other)
    centres = [(ln.top + ln.bottom) / 2 for ln in rows_lines]
    stack, label_segs = _vertical_stack(label_segs, left)
    # every label piece joins the nearest value row
    labels: list[list[Segment]] = [[] for _ in rows_lines]
    for seg in label_segs:
        cy = (seg.top + seg.bottom) / 2
        k = min(range(len(centres)), key=lambda k: (abs(centres[k] - cy), -k))
        labels[k].append(seg)
    n_lead = 2 if stack else 1
    n_cols = n_lead + len(columns)
    table_rows: list[list[Cell]] = []
    # header: one-segment lines stand alone; the others are folded into one header row per column
    grid_header: list[list[Segment]] = [[] for _ in range(n_cols)]
    grid_at: int | None = None
    for ln in band.header:
        if len(ln.segments) == 1 and len(compact(ln.text)) > 2:
            seg = ln.segments[0]
            place = replace(where, row=len(table_rows) + 1)
            first = Cell(seg.text, replace(place, col=1, bbox=glyph_box(seg.glyphs)))
            table_rows.append([first] + [Cell(seg.text, replace(place, col=c + 1), merged=True) for c in range(1, n_cols)])
            continue
        if grid_at is None:
            grid_at = len(table_rows)
            table_rows.append([])
        for seg in split_segments(ln.glyphs, gap_em=0.5):  # header words sit closer than values
            col = n_lead - 1 if seg.cx < left else n_lead + _nearest_column(columns, seg.cx)
            grid_header[col].append(seg)
    if grid_at is not None:
        place = replace(where, row=grid_at + 1)
        header_cells = []
        for c, segs in enumerate(grid_header):
            glyphs = [g for s in segs for g in s.glyphs]
            text = block_text(glyphs) if glyphs else ""
            header_cells.append(Cell(text, replace(place, col=c + 1, bbox=glyph_box(glyphs) if glyphs else None)))
        table_rows[grid_at] = header_cells
    stack_rows: list[int] = []
    if stack:
        reach = 0.6 * max(g.size for g in stack)
        s_top, s_bottom = min(g.top for g in stack) - reach, max(g.bottom for g in stack) + reach
        stack_rows = [k for k, c in enumerate(centres) if s_top <= c <= s_bottom]
    stack_text = block_text(stack) if stack else ""
    for k, ln in enumerate(rows_lines):
        place = replace(where, row=len(table_rows) + 1)
        cells: list[Cell] = []
        if stack:
            if stack_rows and k == stack_rows[0]:
                cells.append(Cell(stack_text, replace(place, col=1, bbox=glyph_box(stack))))
            elif k in stack_rows:
                cells.append(Cell(stack_text, replace(place, col=1), merged=True))
            else:
                cells.append(Cell("", replace(place, col=1)))
        label_glyphs = [g for s in labels[k] for g in s.glyphs]
        label_box = glyph_box(label_glyphs) if label_glyphs else None
        cells.append(Cell(_label_text(labels[k]), replace(place, col=n_lead, bbox=label_box)))
        for c, glyphs in enumerate(slots_per_row[k]):
            col = n_lead + c + 1
            if glyphs:
                # pieces far apart inside one column keep a space between them: unreadable, not merged
                cells.append(Cell(line_text(sorted(glyphs, key=lambda g: g.x0)), replace(place, col=col, bbox=glyph_box(glyphs))))
            elif (k, c) in doubts:  # unreadable, never blank: the printed value may be this row's
                x0, x1 = columns[c]
                printed, other = doubts[(k, c)]
                doubt = replace(place, col=col, bbox=(x0, ln.top, x1, ln.bottom)).with_detail(
                    f"{printed!r} is printed between this row and the one {other}, neither with a value in this column;"
                    " which of the two it belongs to cannot be told")
                cells.append(Cell(f"{printed}?", doubt))
            else:
                x0, x1 = columns[c]
                cells.append(Cell("", replace(place, col=col, bbox=(x0, ln.top, x1, ln.bottom))))
        table_rows.append(cells)
    boxes = [glyph_box(ln.glyphs) for ln in band.header + rows_lines + band.pieces]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    xs = [bbox[0]] * n_lead + [x0 for x0, _ in columns] + [bbox[2]]
    return Table(rows=table_rows, location=replace(where, bbox=bbox, detail="from text positions (no rulings)")), xs


def _nearest_column(columns: list[tuple[float, float]], x: float) -> int:
    """Index of the column interval holding x, else the closest one."""
    best, distance = 0, float("inf")
    for c, (x0, x1) in enumerate(columns):
        d = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
        if d < distance:
            best, distance = c, d
    return best


def _label_text(pieces: list[Segment]) -> str:
    """A row's label pieces: side by side columns left to right, each read top to bottom."""
    columns: list[list[Segment]] = []
    for seg in sorted(pieces, key=lambda s: s.x0):
        em = max(g.size for g in seg.glyphs)
        if columns and seg.x0 - columns[-1][0].x0 < em:
            columns[-1].append(seg)
        else:
            columns.append([seg])
    return " ".join(block_text([g for s in col for g in s.glyphs]) for col in columns)


def _value_tail(line: Line) -> list[Segment]:
    """The value-like segments at the end of a value row."""
    segs = line.segments
    k = len(segs)
    while k > 0 and segs[k - 1].is_value:
        k -= 1
    return segs[k:]


def _joinable(upper: Line, lower: Line) -> bool:
    """Two value lines printed less than half a line apart whose values never share a column,
    not both with a label: one row."""
    near = lower.top - upper.bottom < 0.5 * min(upper.size, lower.size)
    a, b = _value_tail(upper), _value_tail(lower)
    overlap = any(s.x0 <= t.x1 and t.x0 <= s.x1 for s in a for t in b)
    label_a, label_b = len(upper.segments) > len(a), len(lower.segments) > len(b)
    return near and not overlap and not (label_a and label_b)


def _join_offset_rows(rows: list[Line]) -> tuple[list[Line], list[tuple[int, Line]]]:
    """Two value lines printed half a line apart whose values never share a column are one row.

    Values alone on their line (no label) that could join the row above as well as the row
    below are joined to neither: they come back as ``(k, line)``, printed between rows ``k``
    and ``k + 1`` of the joined rows, for the cells to say so.
    """
    out: list[Line] = []
    doubtful: list[tuple[int, Line]] = []
    for i, line in enumerate(rows):
        if out and _joinable(out[-1], line):
            below = rows[i + 1] if i + 1 < len(rows) else None
            alone = len(line.segments) == len(_value_tail(line))
            if alone and below is not None and len(below.segments) > len(_value_tail(below)) and _joinable(line, below) \
                    and len(out[-1].segments) > len(_value_tail(out[-1])):
                doubtful.append((len(out) - 1, line))  # between two labelled rows, either could own it
                continue
            out[-1] = Line(sorted(out[-1].glyphs + line.glyphs, key=lambda g: g.x0))
            continue
        out.append(line)
    return out, doubtful


def _vertical_stack(segs: list[Segment], values_x0: float) -> tuple[list[Glyph], list[Segment]]:
    """A label printed one character per line down the left side, and the remaining pieces.

    Three or more one- or two-character pieces stacked at the same x make the stack; a stack
    character that sits on the same line as another label (too close to be split off as its own
    piece) is peeled off that label's start.
    """
    pieces = [s for s in segs if _is_stack_piece(s) and s.x1 < values_x0]
    if len(pieces) < 3:
        return [], segs
    pieces.sort(key=lambda s: s.cx)
    best: list[Segment] = []
    group: list[Segment] = []
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
    rest: list[Segment] = []
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
                rest.append(Segment(tail))
            continue
        rest.append(seg)
    glyphs.sort(key=lambda g: g.top)
    return glyphs, rest
