"""Page images → :class:`~govdisclose.readers.ocr.document.OcrDocument`: tables cell by cell, prose line by line.

For each page: straighten it (:func:`~govdisclose.readers.ocr.image.unwarp`, then
:func:`~govdisclose.readers.ocr.image.deskew`), find its ruled tables, and read **each cell
separately**: the cell's ink (rulings and coloured ink — seals — removed) is cut into text lines
by its row profile, and each line is recognised on its own. A cell without ink is an empty cell
(never a 0); a vertical label (one character per line) is joined. Text outside the tables is
found by the detection model (tables blanked out) and read line by line into paragraphs.

Each cell's location is ``page, table, row, col, box`` (the box in pixels of the straightened
page); its reading (confidence, the engine's alternatives) is kept in ``doc.readings``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers.grid import CellBudget, GridBuilder
from govdisclose.readers.model import Cell, Paragraph, Table
from govdisclose.readers.ocr.crops import cell_crop
from govdisclose.readers.ocr.crops import clean_crop as _clean
from govdisclose.readers.ocr.document import CellOcr, OcrDocument
from govdisclose.readers.ocr.engine import ENGINE_NAME, Reading, engine
from govdisclose.readers.ocr.image import cv2, deskew, ink, unwarp
from govdisclose.readers.ocr.tables import RuledTable, ruled_tables, ruling_masks, text_rows
from govdisclose.readers.ocr.unruled import as_table, unruled_tables
from govdisclose.records import Location
from govdisclose.template.values import is_value_text

__all__ = ["read_images", "MAX_SECONDS", "MAX_PAGES"]

#: Wall-clock budget for one file's OCR.
MAX_SECONDS = 600.0
#: Pages read by OCR at most.
MAX_PAGES = 40
#: Pixels of the page's width the tables are read at (an A4 page at ~200 dpi).
WORK_WIDTH = 1650


def _normalise(image: np.ndarray) -> tuple[np.ndarray, list[str]]:
    notes = []
    image, warped = unwarp(image)
    if warped:
        notes.append("a photographed page was mapped onto a rectangle (perspective corrected)")
    h, w = image.shape[:2]
    if abs(w - WORK_WIDTH) > 0.1 * WORK_WIDTH:
        scale = WORK_WIDTH / w
        image = cv2().resize(image, (WORK_WIDTH, max(int(h * scale), 1)), interpolation=cv2().INTER_AREA if scale < 1 else cv2().INTER_CUBIC)
    image, angle = deskew(image)
    if angle:
        notes.append(f"turned {angle:+.2f}° level")
    return np.ascontiguousarray(image), notes


def _bands(mask: np.ndarray, unit: int) -> list[tuple[int, int, int, int]]:
    """Boxes of the text lines in a cell's ink mask (rows split where no ink runs across)."""
    rows = np.flatnonzero(mask.sum(axis=1) > 0)
    if not len(rows):
        return []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for r in rows[1:]:
        if r - bands[-1][1] > max(unit // 3, 2):
            bands.append([int(r), int(r)])
        else:
            bands[-1][1] = int(r)
    out = []
    for top, bottom in bands:
        if bottom - top + 1 < max(unit // 2, 3):
            continue  # a speck or a stray ruling stub
        cols = np.flatnonzero(mask[top:bottom + 1].sum(axis=0) > 0)
        out.append((int(cols[0]), top, int(cols[-1]) + 1, bottom + 1))
    return out


def _as_value(reading: Reading) -> Reading:
    """A reading that is not a value but whose digits-only decoding is (``[1`` → ``11``), or whose
    digits are followed by a point (``0.``: a speck of a fax after a ``0``): the digits, with
    confidence 0, so that only the arithmetic can confirm them (the free reading is kept among the
    alternatives)."""
    if is_value_text(reading.text):
        return reading
    if reading.text.endswith(".") and reading.text[:-1].isdigit():
        return Reading(reading.text[:-1], 0.0, (reading.text, *reading.alternatives))
    if not reading.alternatives:
        return reading
    numeric = reading.alternatives[-1]
    if numeric.isdigit() and len(reading.text) <= len(numeric) + 1:
        return Reading(numeric, 0.0, (reading.text, *reading.alternatives[:-1]))
    return reading


def _roomier(readings: list[Reading], bands: list[tuple[np.ndarray, tuple[int, int, int, int]]]) -> list[Reading]:
    """A short line read as nothing or as one or two characters that are no value (a tight ``11``
    reads ``目`` or ``Ⅱ``) read again with a few pixels of the page around it; the new reading is
    taken where it is a value that is printed (the first one is kept among its alternatives): a
    re-reading of nothing never blanks a line of ink (a fax's ``0`` read ``0.``, then ``''``)."""
    odd = [i for i, (r, (_, b)) in enumerate(zip(readings, bands))
           if (not r.text or (len(r.text) <= 2 and not is_value_text(r.text))) and b[2] - b[0] <= 3 * (b[3] - b[1])]
    if not odd:
        return readings
    crops = []
    for i in odd:
        image, (x0, y0, x1, y1) = bands[i]
        h, w = image.shape[:2]
        crops.append(cell_crop(image[max(y0 - 3, 0):min(y1 + 3, h), max(x0 - 3, 0):min(x1 + 3, w)]))
    out = list(readings)
    for i, again in zip(odd, engine().recognise(crops)):
        if again.text.strip() and is_value_text(again.text):
            out[i] = Reading(again.text, again.confidence, tuple(dict.fromkeys((*again.alternatives, readings[i].text) if readings[i].text else again.alternatives)))
    return out


def _table(doc: OcrDocument, image: np.ndarray, strokes: np.ndarray, table: RuledTable, page: int, number: int,
           unit: int, budget: CellBudget, original: np.ndarray, raw_ink: np.ndarray) -> Table:
    where = Location(file=doc.source, page=page, table=number, bbox=tuple(float(v) for v in table.box))  # type: ignore[arg-type]
    grid = GridBuilder(where, budget, rows=len(table.rows) - 1)
    jobs: list[tuple[int, list[tuple[int, int, int, int]], np.ndarray]] = []
    margin = max(unit // 3, 2)
    for k, cell in enumerate(table.cells):
        x0, y0, x1, y1 = cell.box
        # a digit printed against a column ruling (a narrow column, left-aligned) keeps its first
        # stroke: the rulings are already out of ``strokes``, so only a pixel is kept off the sides,
        # and the line is read with 3 pixels of the cell either side (a tight '0' reads ')' or 'D')
        x0, y0, x1, y1 = x0 + 1, y0 + margin, x1 - 1, y1 - margin
        mask = strokes[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else np.zeros((0, 0), np.uint8)
        bands = [(max(bx0 + x0 - 3, cell.box[0]), by0 + y0, min(bx1 + x0 + 3, cell.box[2]), by1 + y0)
                 for bx0, by0, bx1, by1 in _bands(mask, unit)] if mask.size else []
        source = image
        x0, x1 = x0 - 1 + margin, x1 + 1 - margin
        if not bands and x1 - x0 > 2 * margin and y1 - y0 > 2 * margin:
            # nothing left once the rulings are taken out: make sure no stroke (a '1') went with them
            inner = raw_ink[y0 + margin:y1 - margin, x0 + margin:x1 - margin]
            if int(np.count_nonzero(inner)) > unit * unit // 2:
                bands = [(bx0 + x0 + margin, by0 + y0 + margin, bx1 + x0 + margin, by1 + y0 + margin)
                         for bx0, by0, bx1, by1 in _bands(inner, unit)]
                source = original
        jobs.append((k, bands, source))
    # a short line (a number) contrast-stretched and large; a long one (a label) as prose is read
    crops = [cell_crop(src[b[1]:b[3], b[0]:b[2]]) if b[2] - b[0] <= 4 * (b[3] - b[1]) else _clean(src[b[1]:b[3], b[0]:b[2]])
             for _, bands, src in jobs for b in bands]
    readings = iter(_roomier(engine().recognise(crops), [(src, b) for _, bands, src in jobs for b in bands]))
    for k, bands, _ in jobs:
        cell = table.cells[k]
        got: list[Reading] = [_as_value(next(readings)) for _ in bands]
        text = "".join(r.text for r in got)
        box = tuple(float(v) for v in cell.box)
        grid.place(cell.row, cell.col, text, rowspan=cell.rowspan, colspan=cell.colspan, bbox=box)
        if len(got) == 1:
            one = got[0]
            doc.readings[(page, number, cell.row + 1, cell.col + 1)] = CellOcr(text, one.confidence, one.alternatives, bands[0])
        elif got:
            doc.readings[(page, number, cell.row + 1, cell.col + 1)] = CellOcr(text, min(r.confidence for r in got), (), bands[0])
    return Table(rows=grid.rows(len(table.cols) - 1), location=where)


def _detect(image: np.ndarray, tables: list[RuledTable]) -> list[tuple[float, float, float, float]]:
    """The text lines the detection model finds outside the ruled tables (read at 1000 pixels wide)."""
    c = cv2()
    scale = 1000 / image.shape[1]
    blanked = image.copy()
    for t in tables:
        x0, y0, x1, y1 = t.box
        blanked[y0:y1, x0:x1] = 255
    small = c.resize(blanked, None, fx=scale, fy=scale, interpolation=c.INTER_AREA)
    return [tuple(v / scale for v in b) for b in engine().detect(small)]  # type: ignore[misc]


def _reader(image: np.ndarray) -> Callable[[list[tuple[int, int, int, int]]], list[Reading]]:
    """Reads line boxes of ``image`` as table cells are read (a short line contrast-stretched and large)."""
    def read(boxes: list[tuple[int, int, int, int]]) -> list[Reading]:
        h, w = image.shape[:2]
        boxes = [(max(b[0], 0), max(b[1], 0), min(b[2], w), min(b[3], h)) for b in boxes]
        crops = [cell_crop(image[b[1]:b[3], b[0]:b[2]]) if b[2] - b[0] <= 4 * (b[3] - b[1]) else _clean(image[b[1]:b[3], b[0]:b[2]])
                 for b in boxes]
        return [_as_value(r) for r in _roomier(engine().recognise(crops), [(image, b) for b in boxes])]
    return read


def _prose(doc: OcrDocument, image: np.ndarray, boxes: list[tuple[float, float, float, float]], page: int) -> list[tuple[float, Paragraph]]:
    if not boxes:
        return []
    crops = [_clean(image[int(b[1]):int(b[3]) + 1, int(b[0]):int(b[2]) + 1]) for b in boxes]
    readings = engine().recognise(crops)
    lines: list[tuple[str, tuple[float, float, float, float]]] = []
    for line in text_rows(boxes):  # type: ignore[arg-type]
        text = "".join(readings[i].text for i in line).strip()
        if text:
            box = (min(boxes[i][0] for i in line), min(boxes[i][1] for i in line),
                   max(boxes[i][2] for i in line), max(boxes[i][3] for i in line))
            lines.append((text, box))
    width = image.shape[1]
    merged: list[tuple[str, tuple[float, float, float, float]]] = []
    for text, box in lines:  # a centred title over two lines is one paragraph
        if merged:
            last_text, last = merged[-1]
            centred = all(abs((b[0] + b[2]) / 2 - width / 2) < 0.06 * width and b[2] - b[0] < 0.6 * width for b in (last, box))
            close = box[1] - last[3] < 1.5 * (last[3] - last[1])
            if centred and close and len(last_text) <= 40 and len(text) <= 40:
                merged[-1] = (last_text + text, (min(last[0], box[0]), last[1], max(last[2], box[2]), box[3]))
                continue
        merged.append((text, box))
    return [(box[1], Paragraph(text, Location(file=doc.source, page=page, line=n, bbox=box)))
            for n, (text, box) in enumerate(merged, start=1)]


#: A page number printed in the margin (``-4-``, ``— 4 —``, ``第4页``): not part of the report.
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]*\s*\d{1,3}\s*[-—–－]*|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?)\s*$")


def _join_split_row(last: list[Cell], head: list[Cell]) -> list[Cell] | None:
    """A row cut by the page break: ``head`` (the next page's first row) prints label text only,
    in columns where ``last`` prints labels, and no value. The joined row, or ``None``."""
    if len(last) != len(head) or not any(c.text for c in head):
        return None
    for a, b in zip(last, head):
        if b.text and (not a.text or is_value_text(a.text) or is_value_text(b.text)):
            return None
    return [replace(a, text=a.text + b.text) if b.text and b.text != a.text else a for a, b in zip(last, head)]


def _aligned(last: list[Cell], head: list[Cell]) -> list[Cell] | None:
    """``head`` (a one-row fragment ruled with other columns) laid on ``last``'s columns by position:
    each of its cells under the cell of ``last`` its middle falls in; ``None`` where one falls in none."""
    out = [replace(a, text="") for a in last]
    for b in head:
        if not b.text or b.merged or b.location.bbox is None:
            continue
        middle = (b.location.bbox[0] + b.location.bbox[2]) / 2
        under = [i for i, a in enumerate(last) if not a.merged and a.location.bbox is not None
                 and a.location.bbox[0] <= middle <= a.location.bbox[2]]
        if len(under) != 1:
            return None
        out[under[0]] = replace(out[under[0]], text=b.text)
    return out


def _append(doc: OcrDocument, blocks: list[Table | Paragraph]) -> None:
    """A page's blocks after the document's; a table that opens the page continues one that closed
    the previous page when they have the same number of columns (a table cut by a page break),
    and a row cut in two by the break is joined (also where the next page rules its end as a
    one-row table of its own, with the columns laid by position)."""
    if blocks and doc.blocks and isinstance(blocks[0], Table) and isinstance(doc.blocks[-1], Table):
        previous, first = doc.blocks[-1], blocks[0]
        if previous.rows and len(first.rows) == 1 and len(previous.rows[-1]) != len(first.rows[0]):
            head = _aligned(previous.rows[-1], first.rows[0])
            joined = _join_split_row(previous.rows[-1], head) if head is not None else None
            if joined is not None:
                previous.rows[-1] = joined
                doc.notes.append(f"page {first.location.page}: a row cut by the page break was joined to the one before it")
                blocks = blocks[1:]
        elif previous.rows and first.rows and len(previous.rows[-1]) == len(first.rows[0]):
            joined = _join_split_row(previous.rows[-1], first.rows[0])
            if joined is not None:
                previous.rows[-1] = joined
                doc.notes.append(f"page {first.location.page}: a row cut by the page break was joined to the one before it")
            previous.rows.extend(first.rows[1 if joined is not None else 0:])
            doc.notes.append(f"page {first.location.page}: the table continues the one on page {previous.location.page}")
            blocks = blocks[1:]
    doc.blocks.extend(blocks)


def read_images(path: Path, images: list[np.ndarray], fmt: str, *, first_page: int = 1,
                doc: OcrDocument | None = None) -> OcrDocument:
    """OCR ``images`` (RGB pages, numbered from ``first_page``) into an :class:`OcrDocument`."""
    started = time.monotonic()
    doc = doc if doc is not None else OcrDocument(source=str(path), format=fmt, engine_name=ENGINE_NAME)
    budget = CellBudget(path, 50_000, "OCR table cells")
    number = len(doc.tables)
    for offset, raw in enumerate(images[:MAX_PAGES]):
        page = first_page + offset
        if time.monotonic() - started > MAX_SECONDS:
            raise DocumentTooLargeError(path, f"OCR took over {MAX_SECONDS:.0f} s (stopped at page {page})")
        image, notes = _normalise(raw)
        doc.notes.extend(f"page {page}: {n}" for n in notes)
        unit = max(min(image.shape[:2]) // 100, 4)
        horizontal, vertical = ruling_masks(image)
        rules = cv2().dilate(horizontal | vertical, np.ones((7, 7), np.uint8))
        raw_ink = cv2().morphologyEx(ink(image), cv2().MORPH_OPEN, np.ones((2, 2), np.uint8))
        strokes = raw_ink & ~rules
        unruled = image.copy()
        # cell crops never show a ruling (a '1' beside one reads '['): whitened as far as the cells'
        # boxes reach (the rulings dilated as ruled_tables does), no further into a digit beside one
        unruled[cv2().dilate(horizontal | vertical, np.ones((3, 3), np.uint8)) > 0] = 255
        tables = ruled_tables(image)
        blocks: list[tuple[float, object]] = []
        for t in tables:
            number += 1
            blocks.append((float(t.box[1]), _table(doc, unruled, strokes, t, page, number, unit, budget, image, raw_ink)))
        boxes = _detect(image, tables)
        # a table printed without rulings: from the text positions, cell by cell like a ruled one
        free = strokes.copy()
        for t in tables:
            free[t.box[1]:t.box[3], t.box[0]:t.box[2]] = 0
        found, taken = unruled_tables(free, boxes, _reader(unruled))
        for plain in found:
            number += 1
            blocks.append((float(plain.box[1]), as_table(doc, plain, page, number, budget)))
        boxes = [b for i, b in enumerate(boxes) if i not in taken]
        blocks += [(top, para) for top, para in _prose(doc, image, boxes, page) if not _PAGE_NUMBER.match(para.text)]
        blocks.sort(key=lambda b: b[0])
        _append(doc, [b for _, b in blocks])  # type: ignore[misc]
        doc.images[page] = unruled
    if len(images) > MAX_PAGES:
        doc.notes.append(f"only the first {MAX_PAGES} of {len(images)} pages were read by OCR")
    if not any(n.startswith("read by OCR") for n in doc.notes):
        doc.notes.append(f"read by OCR ({ENGINE_NAME}); every value is confirmed by the template's arithmetic")
    return doc
