"""Cell crops as the recognition model reads them best, and other renderings of them for re-reading.

>>> import numpy as np
>>> clean_crop(np.zeros((16, 40, 3), np.uint8)).shape      # scaled to 32 pixels of ink, 0.6 × 32 of margin
(70, 118, 3)
>>> cell_crop(np.zeros((16, 40, 3), np.uint8)).shape       # contrast stretched, 40 pixels of ink, 0.5 × 40 of margin
(80, 140, 3)
"""

from __future__ import annotations

import numpy as np

from govdisclose.readers.ocr.image import cv2

__all__ = ["clean_crop", "cell_crop", "stretch", "variants", "INK_HEIGHT", "CELL_HEIGHT"]

#: Height (pixels) a text line's ink is scaled to before recognition (the model reads 48-pixel lines).
INK_HEIGHT = 32
#: Height a table cell's ink is scaled to: small digits of a fax or a blurred scan are read surest
#: at 40 pixels once their contrast is stretched (measured on scans of the corpus PDFs).
CELL_HEIGHT = 40


def stretch(crop: np.ndarray) -> np.ndarray:
    """Grey levels stretched so that the darkest ink is black and the paper white: the faint grey
    strokes of a fax or a blurred scan are read with much surer confidence."""
    c = cv2()
    gray = c.cvtColor(crop, c.COLOR_RGB2GRAY).astype(np.float32)
    low, high = np.percentile(gray, 1), np.percentile(gray, 90)
    if high - low < 16:  # no ink to stretch (a blank crop): left as it is
        return crop
    out = np.clip((gray - low) / (high - low) * 255, 0, 255).astype(np.uint8)
    return c.cvtColor(out, c.COLOR_GRAY2RGB)


def clean_crop(crop: np.ndarray, height: int = INK_HEIGHT, margin: float = 0.6, contrast: bool = False) -> np.ndarray:
    """Coloured ink (a red seal, a blue signature) whitened, the line scaled to ``height`` pixels of
    ink and padded with ``margin`` × ``height`` of white (the model reads a line best with a wide
    margin); with ``contrast``, its grey levels stretched (:func:`stretch`)."""
    c = cv2()
    if crop.size == 0:
        return np.full((48, 48, 3), 255, np.uint8)
    hsv = c.cvtColor(crop, c.COLOR_RGB2HSV)
    out = crop.copy()
    out[(hsv[:, :, 1] > 90) & (hsv[:, :, 2] > 60)] = 255
    if contrast:
        out = stretch(out)
    scale = height / max(crop.shape[0], 1)
    if abs(scale - 1) > 0.1:
        out = c.resize(out, (max(int(out.shape[1] * scale), 1), height), interpolation=c.INTER_CUBIC if scale > 1 else c.INTER_AREA)
    pad = int(height * margin)
    return c.copyMakeBorder(out, pad, pad, pad, pad, c.BORDER_CONSTANT, value=(255, 255, 255))


def cell_crop(crop: np.ndarray) -> np.ndarray:
    """A table cell's line of ink as it is first read: contrast stretched, :data:`CELL_HEIGHT` pixels high."""
    return clean_crop(crop, CELL_HEIGHT, 0.5, contrast=True)


def variants(image: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """Other renderings of a single-line cell crop than :func:`cell_crop`: other scales, margins
    without the contrast stretch, binarised (Otsu), with a few pixels of the page around."""
    c = cv2()
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    plain = clean_crop(crop)
    big = clean_crop(crop, 48, 0.4, contrast=True)
    small = clean_crop(crop, 34, 0.6, contrast=True)
    gray = c.cvtColor(clean_crop(crop, CELL_HEIGHT, 0.5), c.COLOR_RGB2GRAY)
    _, otsu = c.threshold(c.GaussianBlur(gray, (3, 3), 0), 0, 255, c.THRESH_BINARY + c.THRESH_OTSU)
    # the box widened by a few pixels of the page: a tight '11' reads '目' or 'Ⅱ', with room '11'
    h, w = image.shape[:2]
    wide = image[max(y0 - 3, 0):min(y1 + 3, h), max(x0 - 3, 0):min(x1 + 3, w)]
    roomy = clean_crop(wide, CELL_HEIGHT + 6, 0.4, contrast=True)
    return [plain, big, small, c.cvtColor(otsu, c.COLOR_GRAY2RGB), roomy]


