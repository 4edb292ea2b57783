"""Page images: decoding within bounds, and straightening (deskew, perspective correction).

* :func:`load_image` reads a PNG/JPEG/TIFF through Pillow, checking the pixel count from the
  header **before** decoding (a 20,000 × 20,000 image is refused at once, in bounded memory),
  and returns every frame of a multi-page TIFF as an RGB array.
* :func:`unwarp` finds a photographed page (the largest four-cornered outline covering much of
  the picture, not the picture's own border) and maps it onto a rectangle.
* :func:`deskew` measures the angle of the long horizontal strokes (table rulings, text lines)
  and rotates it away; a page with no long stroke (a table printed without rulings, prose) is
  measured by its lines of text instead (:func:`_profile_angle`).

>>> import numpy as np
>>> page = np.full((600, 800, 3), 255, np.uint8)
>>> for y in range(100, 500, 80): page[y:y + 2, 60:740] = 0     # five rulings
>>> c = cv2()
>>> turned = c.warpAffine(page, c.getRotationMatrix2D((400, 300), 1.0, 1.0), (800, 600), borderValue=(255, 255, 255))
>>> round(skew_angle(page), 1), abs(skew_angle(turned) - 1.0) < 0.2
(0.0, True)
>>> text = np.full((600, 800, 3), 255, np.uint8)
>>> for y in range(100, 500, 40):                                 # rows of short words, no ruling
...     for x in range(60, 700, 90): text[y:y + 14, x:x + 50] = 0
>>> tilted = c.warpAffine(text, c.getRotationMatrix2D((400, 300), 1.5, 1.0), (800, 600), borderValue=(255, 255, 255))
>>> abs(skew_angle(text)) < 0.2, round(skew_angle(tilted), 1), _profile_angle(ink(tilted))
(True, 1.5, 1.5)
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from govdisclose._optional import import_optional
from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError

__all__ = ["MAX_PIXELS", "MAX_FRAMES", "load_image", "skew_angle", "deskew", "unwarp", "cv2"]

#: Largest image decoded (pixels): an A4 page at 600 dpi is 35 million.
MAX_PIXELS = 60_000_000
#: Frames of a multi-page TIFF read at most.
MAX_FRAMES = 40


def cv2() -> Any:
    """OpenCV (``cv2``), from the ``ocr`` extra."""
    return import_optional("cv2", extra="ocr", purpose="reading scanned pages (OCR)")


def load_image(path: Path, data: bytes) -> list[np.ndarray]:
    """The frames of an image file as RGB arrays; refuses over :data:`MAX_PIXELS` before decoding."""
    image_module = import_optional("PIL.Image", extra="ocr", purpose="reading image files")
    frames: list[np.ndarray] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            im = image_module.open(io.BytesIO(data))
            count = getattr(im, "n_frames", 1)
            for index in range(min(count, MAX_FRAMES)):
                im.seek(index)
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise DocumentTooLargeError(path, f"the image is {w:,} × {h:,} pixels (over {MAX_PIXELS:,})")
                if min(w, h) < 32:
                    raise CorruptDocumentError(path, f"the image is only {w} × {h} pixels: too small to hold a report")
                frames.append(np.asarray(im.convert("RGB")))
    except (DocumentTooLargeError, CorruptDocumentError):
        raise
    except (image_module.DecompressionBombWarning, image_module.DecompressionBombError) as exc:
        raise DocumentTooLargeError(path, f"the image is too large to decode ({exc})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptDocumentError(path, f"the image cannot be decoded ({type(exc).__name__}: {str(exc)[:160]})") from None
    return frames


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2().cvtColor(image, cv2().COLOR_RGB2GRAY)


def ink(image: np.ndarray) -> np.ndarray:
    """A 0/255 mask of dark strokes (adaptive threshold: uneven lighting and grey paper are fine).
    Red and blue ink (seals, signatures) is left out: only dark, unsaturated pixels are ink."""
    c = cv2()
    gray = _gray(image)
    mask = c.adaptiveThreshold(gray, 255, c.ADAPTIVE_THRESH_MEAN_C, c.THRESH_BINARY_INV, 35, 15)
    if image.ndim == 3:
        hsv = c.cvtColor(image, c.COLOR_RGB2HSV)
        colour = (hsv[:, :, 1] > 90) & (hsv[:, :, 2] > 60)
        mask[colour] = 0
    return mask


def skew_angle(image: np.ndarray) -> float:
    """Degrees the page's horizontal strokes are turned (counter-clockwise positive), 0 if unsure.

    A Hough transform over near-horizontal directions only (±10°, in 0.05° steps) on a copy about
    1,000 pixels wide: the strongest lines (rulings, text baselines) vote, their median wins.
    """
    c = cv2()
    h, w = image.shape[:2]
    scale = min(1.0, 1000 / w)
    small = c.resize(image, (max(int(w * scale), 1), max(int(h * scale), 1)), interpolation=c.INTER_AREA) if scale < 1 else image
    mask = ink(small)
    mask[1:] &= ~mask[:-1]  # the top edge of each stroke only: a thick line votes for one angle, not a fan
    width = mask.shape[1]
    lines = c.HoughLines(mask, 1, np.pi / 3600, threshold=max(width // 4, 30),
                         min_theta=np.pi / 2 - np.radians(10), max_theta=np.pi / 2 + np.radians(10))
    if lines is None or len(lines) == 0:  # OpenCV 4 gives None, OpenCV 5 an empty array
        return _profile_angle(ink(small))
    thetas = lines.reshape(-1, 2)[:20, 1]  # strongest first
    return float(np.degrees(np.pi / 2 - np.median(thetas)))


#: The largest turn (degrees) measured from lines of text, and the least sharpening of the rows
#: (the variance of the ink per pixel row, against the page as it is) taken as a real turn.
PROFILE_RANGE = 4.0
PROFILE_GAIN = 1.05


def _profile_angle(mask: np.ndarray) -> float:
    """Degrees a page without long strokes is turned, from its lines of text: the turn that makes
    the ink per pixel row change most sharply from row to row (lines level: their top and bottom
    edges are steps; turned, ramps), tried in 0.25° steps within ±:data:`PROFILE_RANGE`, then
    0.05° around the best; 0 unless it sharpens the rows by :data:`PROFILE_GAIN` at least (a blank
    page, a picture, a level page).

    The sum of squared steps, not the profile's variance: a page turned a little (0.6°, an office
    scan) sharpens the variance of its rows by 4 % only, against 43 % for the steps, so the
    variance left it turned and its value rows were refused (淮安 2024 page 5 without rulings)."""
    c = cv2()
    h, w = mask.shape
    if not mask.any():
        return 0.0

    def sharpness(angle: float) -> float:
        matrix = c.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
        turned = c.warpAffine(mask, matrix, (w, h), flags=c.INTER_NEAREST, borderValue=0)
        return float(np.sum(np.diff(turned.sum(axis=1, dtype=np.float64)) ** 2))

    level = sharpness(0.0)
    coarse = {float(a): sharpness(float(a)) for a in np.arange(-PROFILE_RANGE, PROFILE_RANGE + 1e-9, 0.25)}
    best = max(coarse, key=lambda a: (coarse[a], -abs(a)))
    fine = {float(a): sharpness(float(a)) for a in np.arange(best - 0.2, best + 0.2 + 1e-9, 0.05)}
    best = max(fine, key=lambda a: (fine[a], -abs(a)))
    if fine[best] < PROFILE_GAIN * level or abs(best) >= PROFILE_RANGE:
        return 0.0
    return round(best, 2)


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    """``image`` rotated level, and the angle removed (degrees)."""
    angle = skew_angle(image)
    if abs(angle) < 0.05:
        return image, 0.0
    c = cv2()
    h, w = image.shape[:2]
    matrix = c.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return c.warpAffine(image, matrix, (w, h), flags=c.INTER_CUBIC, borderValue=(255, 255, 255)), angle


def unwarp(image: np.ndarray) -> tuple[np.ndarray, bool]:
    """A photographed page mapped onto a rectangle, and whether one was found.

    The page is the largest bright four-cornered region covering 20–98 % of the picture; a scan
    (the page fills the picture) is returned unchanged.
    """
    c = cv2()
    gray = _gray(image)
    h, w = gray.shape
    small = max(h, w) / 1000
    scaled = c.resize(gray, (int(w / small), int(h / small))) if small > 1 else gray
    scale = max(small, 1.0)
    blurred = c.GaussianBlur(scaled, (5, 5), 0)
    _, bright = c.threshold(blurred, 0, 255, c.THRESH_BINARY + c.THRESH_OTSU)
    bright = c.morphologyEx(bright, c.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = c.findContours(bright, c.RETR_EXTERNAL, c.CHAIN_APPROX_SIMPLE)
    area = scaled.shape[0] * scaled.shape[1]
    for contour in sorted(contours, key=c.contourArea, reverse=True)[:3]:
        share = c.contourArea(contour) / area
        if not 0.2 <= share <= 0.98:
            continue
        quad = c.approxPolyDP(contour, 0.02 * c.arcLength(contour, True), True)
        if len(quad) != 4:
            continue
        corners = _order(quad[:, 0, :].astype(np.float32) * scale)
        top, right, bottom, left = (np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4))
        width, height = int(max(top, bottom)), int(max(left, right))
        target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
        matrix = c.getPerspectiveTransform(corners, target)
        return c.warpPerspective(image, matrix, (width, height), flags=c.INTER_CUBIC, borderValue=(255, 255, 255)), True
    return image, False


def _order(points: np.ndarray) -> np.ndarray:
    """Corners in order top-left, top-right, bottom-right, bottom-left."""
    s = points.sum(axis=1)
    d = np.diff(points, axis=1)[:, 0]
    return np.array([points[s.argmin()], points[d.argmin()], points[s.argmax()], points[d.argmax()]], np.float32)
