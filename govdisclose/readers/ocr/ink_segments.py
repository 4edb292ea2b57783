"""The parts of a detected line of text its ink is made of (:mod:`govdisclose.readers.ocr.unruled`
cuts each line of a page without rulings into these segments before finding its columns).
"""

from __future__ import annotations

import numpy as np

__all__ = ["Box", "segments", "own", "whole", "between"]

#: A pixel box ``(x0, y0, x1, y1)``.
Box = tuple[int, int, int, int]


def segments(ink: np.ndarray, box: tuple[float, ...], gap: int) -> list[Box]:
    """The parts of one detected text box its ink splits into at gaps of ``gap`` pixels or more.

    >>> ink = np.zeros((20, 100), np.uint8); ink[5:15, 10:30] = 255; ink[5:15, 60:70] = 255
    >>> segments(ink, (0, 0, 100, 20), 12)
    [(10, 5, 30, 15), (60, 5, 70, 15)]
    """
    h, w = ink.shape
    x0, y0, x1, y1 = max(int(box[0]), 0), max(int(box[1]), 0), min(int(box[2]) + 1, w), min(int(box[3]) + 1, h)
    band = ink[y0:y1, x0:x1] > 0
    columns = np.flatnonzero(band.any(axis=0)) if band.size else np.zeros(0, np.int64)
    out: list[Box] = []
    breaks = np.flatnonzero(np.diff(columns) > gap)
    for a, b in zip(np.r_[0, breaks + 1], np.r_[breaks, len(columns) - 1]) if len(columns) else ():
        left, right = int(columns[a]), int(columns[b]) + 1
        rows = np.flatnonzero(band[:, left:right].any(axis=1))
        if right - left < 3 and len(rows) < 3:
            continue  # a speck
        out.append((left + x0, int(rows[0]) + y0, right + x0, int(rows[-1]) + 1 + y0))
    return out


def own(segment: Box, line: list[int], boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether ink in a line's band is the line's: across the page's width (the detection model
    misses a lone small digit), unless it lies in another line's box and in none of this one's."""
    def over(indexes: object) -> bool:
        return any(segment[0] < b[2] and segment[2] > b[0] and segment[1] < b[3] and segment[3] > b[1]
                   for b in (boxes[i] for i in indexes))  # type: ignore[attr-defined]
    return over(line) or not over(i for i in range(len(boxes)) if i not in line)


def whole(ink: np.ndarray, segment: Box, reach: float) -> Box:
    """``segment`` grown up and down (by ``reach`` at most) to the whole of its ink: a band cuts the
    digits of the row above or below it, whose middle then lies outside the band."""
    x0, y0, x1, y1 = segment
    rows: np.ndarray = np.asarray(ink[:, x0:x1].any(axis=1))
    top, bottom, limit = y0, y1, int(reach)
    while top > 0 and y0 - top < limit and rows[top - 1]:
        top -= 1
    while bottom < len(rows) and bottom - y1 < limit and rows[bottom]:
        bottom += 1
    return (x0, top, x1, bottom)


def between(ink: np.ndarray, bands: list[tuple[float, float]], boxes: list[tuple[float, float, float, float]],
            gap: int) -> list[tuple[int, list[Box]]]:
    """Ink in the gaps between consecutive line ``bands`` (top to bottom) that no detected box
    holds and whose middle lies in the gap: a row of values the detection model missed (lone small
    digits) printed between the two lines of its label. Each as ``(k, segments)``: after band k.

    >>> ink = np.zeros((60, 100), np.uint8); ink[2:12, 5:40] = ink[24:34, 60:70] = ink[46:56, 5:40] = 255
    >>> between(ink, [(2, 12), (46, 56)], [(5, 2, 40, 12), (5, 46, 40, 56)], 4)
    [(0, [(60, 24, 70, 34)])]
    """
    out = []
    for k, ((_, bottom), (top, _)) in enumerate(zip(bands, bands[1:])):
        if top - bottom < 1:
            continue
        found = [t for s in segments(ink, (0, bottom, ink.shape[1], top), gap) if own(s, [], boxes) and 0 < s[0] and s[2] < ink.shape[1]
                 and bottom < ((t := whole(ink, s, max(top - bottom, 1) + (bands[k][1] - bands[k][0])))[1] + t[3]) / 2 < top]
        if found:
            out.append((k, found))
    return out
