"""The lines of text of a page without rulings, as :mod:`govdisclose.readers.ocr.unruled` finds its
tables in them: each detected line of boxes cut into ink segments across the page's width, a box
printed down the page (a vertical label) a line of its own, a row of values the detection model
missed between two label lines a line too; ink two lines claim kept by the nearer one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govdisclose.readers.ocr.engine import Reading
from govdisclose.readers.ocr.ink_segments import Box, between, own, segments, whole
from govdisclose.readers.ocr.tables import text_rows
from govdisclose.template.values import is_value_text

__all__ = ["Line", "page_lines", "gather"]

#: Segments a row of values found between two lines needs (a lone speck there stays out).
MIN_VALUES = 3


@dataclass(slots=True)
class Line:
    """A detected line: its segments' boxes and readings (``None`` until read)."""

    boxes: list[int]  # indexes of the detected boxes it is made of
    segments: list[Box]
    readings: list[Reading | None]
    top: float
    bottom: float

    def values(self) -> list[int]:
        return [i for i, r in enumerate(self.readings) if r is not None and r.text.strip() and is_value_text(r.text)]

    def unread(self) -> list[int]:
        """Segments right of the line's first value whose ink read as nothing (a digit under a seal):
        a value's slot, never a blank."""
        values = self.values()
        start = min((self.segments[i][0] for i in values), default=np.inf)
        return [i for i, r in enumerate(self.readings) if r is not None and not r.text.strip() and self.segments[i][0] > start]

    def holds_values(self, left: float) -> bool:
        """Whether a value stands right of ``left`` (the first value column): a row of the table."""
        return any(self.segments[i][2] > left for i in self.values())


def page_lines(ink: np.ndarray, boxes: list[tuple[float, float, float, float]], height: float, gap: int) -> list[Line]:
    """The lines of the detected text ``boxes`` (median height ``height``) top to bottom, cut into
    segments of ``ink`` at gaps of ``gap`` pixels."""
    lines: list[Line] = []
    # a box over 2.5 lines tall (a label printed down the page) is a line of its own, its ink its box's
    # only: as a band it would join the rows beside it into one (洪泽 2024: 本年度办理结果)
    tall = [i for i, b in enumerate(boxes) if b[3] - b[1] > 2.5 * height]
    level = [i for i in range(len(boxes)) if i not in tall]
    groups = [[level[i] for i in row] for row in text_rows([boxes[i] for i in level])] + [[i] for i in tall]  # type: ignore[misc]
    for indexes in sorted(groups, key=lambda g: sum(boxes[i][1] + boxes[i][3] for i in g) / len(g)):
        top, bottom = min(boxes[i][1] for i in indexes), max(boxes[i][3] for i in indexes)
        x0, x1 = (boxes[indexes[0]][0], boxes[indexes[0]][2]) if indexes[0] in tall else (0, ink.shape[1])
        # ink touching the picture's side is its edge (a photographed page's dark border), never text
        segs = [t for s in segments(ink, (x0, top, x1, bottom), gap) if own(s, indexes, boxes) and 0 < s[0] and s[2] < ink.shape[1]
                and top <= ((t := whole(ink, s, bottom - top))[1] + t[3]) / 2 <= bottom]
        lines.append(Line(indexes, segs, [None] * len(segs), top, bottom))
    for k, segs in reversed(between(ink, [(line.top, line.bottom) for line in lines], boxes, gap)):
        if len(segs) >= MIN_VALUES:  # a row of values (a lone speck between lines stays out)
            lines.insert(k + 1, Line([], segs, [None] * len(segs), min(t[1] for t in segs), max(t[3] for t in segs)))
    _deduplicate(lines)
    _deduplicate(lines)
    return lines


def _deduplicate(lines: list[Line]) -> None:
    """Ink claimed by two lines whose bands overlap kept by the line whose middle is nearest its middle."""
    for k, line in enumerate(lines):
        for other in lines[k + 1:k + 4]:
            for a in list(line.segments):
                for b in list(other.segments):
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                        middle = (a[1] + a[3]) / 2
                        if abs(middle - (line.top + line.bottom) / 2) <= abs(middle - (other.top + other.bottom) / 2):
                            other.segments.remove(b)
                        elif a in line.segments:
                            line.segments.remove(a)


def gather(lines: list[Line]) -> None:
    """A row of values found between two label lines (no detected box) takes the values of those
    lines whose middles are nearer its own (a digit of it the detection model did find)."""
    for k, row in enumerate(lines):
        if row.boxes or not row.values():
            continue
        middle = (row.top + row.bottom) / 2
        for line in lines[max(k - 1, 0):k] + lines[k + 1:k + 2]:
            for i in reversed(line.values()):
                box = line.segments[i]
                if abs((box[1] + box[3]) / 2 - middle) < abs((box[1] + box[3]) / 2 - (line.top + line.bottom) / 2):
                    row.segments.append(line.segments.pop(i))
                    row.readings.append(line.readings.pop(i))
        order = sorted(range(len(row.segments)), key=lambda i: row.segments[i][0])
        row.segments, row.readings = [row.segments[i] for i in order], [row.readings[i] for i in order]
