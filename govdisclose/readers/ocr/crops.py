"""Cell crops as the recognition model reads them best, and other renderings of them for re-reading.

>>> import numpy as np
>>> clean_crop(np.zeros((16, 40, 3), np.uint8)).shape      # scaled to 32 pixels of ink, 0.6 × 32 of margin
(70, 118, 3)
"""

from __future__ import annotations

import numpy as np

from govdisclose.readers.ocr.image import cv2

__all__ = ["clean_crop", "variants", "INK_HEIGHT"]

#: Height (pixels) a text line's ink is scaled to before recognition (the model reads 48-pixel lines).
INK_HEIGHT = 32


def clean_crop(crop: np.ndarray, height: int = INK_HEIGHT, margin: float = 0.6) -> np.ndarray:
    """Coloured ink (a red seal, a blue signature) whitened, the line scaled to ``height`` pixels of
    ink and padded with ``margin`` × ``height`` of white (the model reads a line best with a wide margin)."""
    c = cv2()
    if crop.size == 0:
        return np.full((48, 48, 3), 255, np.uint8)
    hsv = c.cvtColor(crop, c.COLOR_RGB2HSV)
    out = crop.copy()
    out[(hsv[:, :, 1] > 90) & (hsv[:, :, 2] > 60)] = 255
    scale = height / max(crop.shape[0], 1)
    if abs(scale - 1) > 0.1:
        out = c.resize(out, (max(int(out.shape[1] * scale), 1), height), interpolation=c.INTER_CUBIC if scale > 1 else c.INTER_AREA)
    pad = int(height * margin)
    return c.copyMakeBorder(out, pad, pad, pad, pad, c.BORDER_CONSTANT, value=(255, 255, 255))


def variants(image: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """Other renderings of a single-line cell crop: other scales and margins, binarised (Otsu)."""
    c = cv2()
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    clean = clean_crop(crop, 24, 1.0)
    big = clean_crop(crop, 44, 0.45)
    gray = c.cvtColor(clean, c.COLOR_RGB2GRAY)
    _, otsu = c.threshold(c.GaussianBlur(gray, (3, 3), 0), 0, 255, c.THRESH_BINARY + c.THRESH_OTSU)
    return [clean, big, c.cvtColor(otsu, c.COLOR_GRAY2RGB)]


