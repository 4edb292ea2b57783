"""A second line of evidence for a one-digit cell: the topology of its ink.

The recognition model reads a thin sans-serif ``0`` of a small cell at confidence 0.5-0.9 with
``1`` as its second choice; no rescaling makes it sure. The ink itself tells them apart: a ``0``
encloses one tall hole in its middle, a ``1`` is a thin stroke enclosing none. :func:`shape_of`
measures a crop's ink (binarised at several thresholds, upscaled) — its holes and their
positions, its width to height — and :func:`settle` keeps, of the digits the engine offered,
those the shape fits. It never offers a digit of its own: it only removes candidates the ink
rules out, and says nothing (``None``) when the ink is not one clean glyph (broken strokes,
specks, a hole that comes and goes with the threshold).

What each digit must look like (:func:`fits`; ``4`` is never told apart: its triangle is open
or closed by font):

* ``0``: one hole, centred, at least half the glyph's height; width at least 40 % of height;
* ``1 2 3 5 7``: no hole, and ink over at most :data:`FULL` of the glyph's box (never told apart);
* ``6``: one short hole below the middle; ``9``: one above it; ``8``: two holes, one above the other.

>>> import numpy as np
>>> page = np.full((30, 24, 3), 255, np.uint8)
>>> page[6:24, 6:18] = 0; page[10:20, 9:15] = 255            # a block '0': one hole in the middle
>>> shapes = shapes_of(page, (0, 0, 24, 30))
>>> shapes[0].holes, settle(shapes, ["0", "1"])
(1, '0')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govdisclose.readers.ocr.image import cv2

__all__ = ["Shape", "shapes_of", "fits", "settle", "SETTLED"]

#: Times the crop is enlarged before it is binarised (a 13-pixel '0' has a hole 3 pixels wide).
SCALE = 4
#: Of the ink's bounding box, the least area of a hole (smaller ones are pinholes of noise).
MIN_HOLE = 0.03
#: Of the largest ink component, the least area of one that counts (smaller ones are specks).
SPECK = 0.08
#: The band of a glyph's height (fractions, top = 0) whose rows :func:`_sides` counts strokes across.
MIDDLE = (0.3, 0.7)
#: Thresholds tried, as fractions of the way from the darkest ink to the paper.
LEVELS = (0.2, 0.35, 0.5, 0.65, 0.8)
#: The digits a shape may settle a cell on: the thin '0' read as '1' and back, measured on scans of
#: four reports (the loops of a small '6', '8', '9' close or open with the blur: they only rule out).
SETTLED = "01"
#: Thresholds at which the glyph must fit the one candidate left (and none another).
AGREE = 3
#: Of its bounding box, the most a glyph without a hole may cover (a '0' whose hole the ink has
#: filled is a blob, never a '1').
FULL = 0.6


@dataclass(frozen=True, slots=True)
class Shape:
    """A glyph's topology: its holes' vertical centres and heights (fractions of the glyph's
    height, top = 0) and its width to height."""

    holes: int
    centres: tuple[float, ...]
    heights: tuple[float, ...]
    aspect: float
    fill: float
    sides: float


def _one(binary: np.ndarray) -> Shape | None:
    """The shape of the one glyph of ``binary`` (ink 1, padded with paper), or ``None``."""
    c = cv2()
    count, labels, stats, _ = c.connectedComponentsWithStats(binary, connectivity=8)
    if count < 2:
        return None
    areas = stats[1:, c.CC_STAT_AREA]
    big = [i + 1 for i, a in enumerate(areas) if a >= SPECK * areas.max()]
    if len(big) != 1:
        return None  # a broken stroke or two glyphs: no evidence
    glyph = (labels == big[0]).astype(np.uint8)
    x, y, w, h = (int(v) for v in stats[big[0], :4])
    if h < 8 * SCALE // 2:
        return None
    count, labels, stats, centroids = c.connectedComponentsWithStats(1 - glyph, connectivity=4)
    centres, heights = [], []
    for i in range(1, count):
        hx, hy, hw, hh, area = (int(v) for v in stats[i])
        if hx == 0 or hy == 0 or hx + hw == glyph.shape[1] or hy + hh == glyph.shape[0]:
            continue  # the paper round the glyph
        if area >= MIN_HOLE * w * h:
            centres.append(round((float(centroids[i][1]) - y) / h, 2))
            heights.append(round(hh / h, 2))
    order = np.argsort(centres)
    return Shape(len(centres), tuple(centres[i] for i in order), tuple(heights[i] for i in order), round(w / h, 2),
                 round(float(glyph.sum()) / (w * h), 2), _sides(glyph[y:y + h, x:x + w]))


def _sides(glyph: np.ndarray) -> float:
    """Of the rows of the middle :data:`MIDDLE` of ``glyph``'s height, the share crossing two or
    more separate strokes: both sides of a ``0`` (even one whose ring broke at the top), never a ``1``."""
    h = glyph.shape[0]
    rows = glyph[int(h * MIDDLE[0]):int(np.ceil(h * MIDDLE[1]))]
    if not len(rows):
        return 0.0
    starts = (np.diff(np.pad(rows, ((0, 0), (1, 0))).astype(np.int8), axis=1) == 1).sum(axis=1)
    return round(float((starts >= 2).mean()), 2)


def shapes_of(image: np.ndarray, box: tuple[int, int, int, int]) -> list[Shape | None]:
    """The shape of the glyph in ``box`` of ``image`` (RGB) binarised at each threshold of
    :data:`LEVELS` (``None`` at one where the ink is no single glyph); ``[]`` for a box without ink."""
    c = cv2()
    x0, y0, x1, y1 = box
    crop = image[max(y0, 0):y1, max(x0, 0):x1]
    if crop.size == 0:
        return []
    gray = c.cvtColor(crop, c.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    big = c.resize(gray, None, fx=SCALE, fy=SCALE, interpolation=c.INTER_CUBIC).astype(np.float32)
    low, high = float(np.percentile(big, 1)), float(np.percentile(big, 95))
    if high - low < 40:
        return []
    return [_one(np.pad((big < low + level * (high - low)).astype(np.uint8), SCALE)) for level in LEVELS]


def fits(shape: Shape, digit: str) -> bool:
    """Whether ``shape`` can be the glyph of ``digit`` (``4`` and non-digits always can)."""
    holes, centres, heights = shape.holes, shape.centres, shape.heights
    if digit == "0":
        return holes == 1 and 0.35 <= centres[0] <= 0.65 and heights[0] >= 0.5 and shape.aspect >= 0.4 and shape.sides >= 0.8
    if digit == "1":
        return holes == 0 and shape.fill <= FULL and shape.sides <= 0.1
    if digit in "2357":
        return holes == 0 and shape.fill <= FULL and shape.sides <= 0.5
    if digit == "6":
        return holes == 1 and centres[0] > 0.55 and heights[0] < 0.6
    if digit == "9":
        return holes == 1 and centres[0] < 0.45 and heights[0] < 0.6
    if digit == "8":
        return holes == 2 and centres[0] < 0.5 < centres[1]
    return True


def settle(shapes: list[Shape | None], candidates: list[str], strong: bool = False) -> str | None:
    """The one of ``candidates`` (one-digit readings the engine gave) that the glyph's shapes fit,
    where it is a ``0`` or a ``1`` (:data:`SETTLED`): at no threshold does another candidate fit,
    and at least :data:`AGREE` of them (``strong``: every one) the glyph is clean and fits it.
    ``None`` where the candidates are not all one digit, or one is a ``4`` (never told apart)."""
    digits = list(dict.fromkeys(candidates))
    if not shapes or len(digits) < 2 or not all(len(d) == 1 and d.isdigit() and d != "4" for d in digits):
        return None
    fitting = [{d for d in digits if fits(s, d)} if s is not None else set() for s in shapes]
    every = set().union(*fitting)
    if len(every) != 1 or not every <= set(SETTLED):
        return None
    need = len(shapes) if strong else AGREE
    return every.pop() if sum(bool(f) for f in fitting) >= need else None
