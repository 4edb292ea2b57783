"""Realistic scans made from PDFs with known truth: rasterised, turned, blurred, noisy, JPEG'd,
a red seal stamped over the signature, or photographed at an angle (deterministic seeds)."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from govdisclose.readers.pdf.pdfium import PdfFile

#: name → (dpi, degrees turned, blur sigma, noise sigma, JPEG quality, seal, photo)
VARIANTS: dict[str, tuple[int, float, float, float, int, bool, bool]] = {
    "office_300dpi": (300, 0.6, 0.6, 4.0, 85, False, False),
    "fax_150dpi": (150, -1.4, 0.0, 8.0, 60, False, False),
    "blurred_200dpi": (200, 2.0, 1.3, 5.0, 75, False, False),
    "sealed_200dpi": (200, -0.8, 0.5, 4.0, 80, True, False),
    "phone_photo": (200, 0.0, 0.8, 6.0, 80, False, True),
}


def render(pdf_path: Path, dpi: int) -> list[np.ndarray]:
    with PdfFile(pdf_path, pdf_path.read_bytes()) as pdf:
        return [pdf.render(i, dpi / 72) for i in range(len(pdf))]


def _seal(page: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = page.shape[:2]
    overlay = page.copy()
    centre = (int(w * 0.7), int(h * 0.8))
    radius = int(w * 0.09)
    red = (215, 30, 40)
    cv2.circle(overlay, centre, radius, red, max(radius // 12, 2))
    star = np.array([[centre[0] + radius * 0.35 * np.cos(a) * (1 if k % 2 == 0 else 0.45),
                      centre[1] + radius * 0.35 * np.sin(a) * (1 if k % 2 == 0 else 0.45)]
                     for k, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1])], np.int32)
    cv2.fillPoly(overlay, [star], red)
    for k in range(14):  # the agency's name round the ring: red strokes
        a = np.pi * (0.85 + 1.3 * k / 13)
        x, y = centre[0] + radius * 0.75 * np.cos(a), centre[1] + radius * 0.75 * np.sin(a)
        cv2.line(overlay, (int(x - 6), int(y)), (int(x + 6), int(y + rng.integers(-6, 6))), red, 3)
    return cv2.addWeighted(overlay, 0.8, page, 0.2, 0)


def _photo(page: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = page.shape[:2]
    canvas_h, canvas_w = int(h * 1.25), int(w * 1.3)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = lambda: rng.uniform(-0.03, 0.03)  # noqa: E731
    dst = np.float32([[canvas_w * (0.08 + jitter()), canvas_h * (0.06 + jitter())],
                      [canvas_w * (0.93 + jitter()), canvas_h * (0.09 + jitter())],
                      [canvas_w * (0.90 + jitter()), canvas_h * (0.95 + jitter())],
                      [canvas_w * (0.05 + jitter()), canvas_h * (0.92 + jitter())]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    photo = cv2.warpPerspective(page, matrix, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR, borderValue=(70, 60, 55))
    yy, xx = np.mgrid[0:canvas_h, 0:canvas_w]
    light = 0.82 + 0.18 * np.cos((xx / canvas_w - 0.3) * 2.2) * np.cos((yy / canvas_h - 0.4) * 1.6)
    return np.clip(photo * light[:, :, None], 0, 255).astype(np.uint8)


def degrade(page: np.ndarray, variant: str, seed: int, last_page: bool = False) -> np.ndarray:
    _, angle, blur, noise, _, seal, photo = VARIANTS[variant]
    rng = np.random.default_rng(seed)
    out = page
    if seal and last_page:
        out = _seal(out, rng)
    if angle:
        h, w = out.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        out = cv2.warpAffine(out, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if photo:
        out = _photo(out, rng)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise:
        out = np.clip(out.astype(np.float32) + rng.normal(0, noise, out.shape), 0, 255).astype(np.uint8)
    return out


def jpeg(page: np.ndarray, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def scanned_pdf(pdf_path: Path, out: Path, variant: str, seed: int = 1, pages: list[int] | None = None) -> Path:
    """An image-only PDF of ``pdf_path`` (pages 1-based; all by default) degraded as ``variant``."""
    dpi, *_, quality, _, _ = VARIANTS[variant]
    images = render(pdf_path, dpi)
    chosen = pages or list(range(1, len(images) + 1))
    frames = [jpeg(degrade(images[p - 1], variant, seed + p, p == chosen[-1]), quality) for p in chosen]
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=dpi)
    return out


def photo_image(pdf_path: Path, out: Path, page: int, seed: int = 1) -> Path:
    """One page of ``pdf_path`` as a phone photo (JPEG)."""
    image = degrade(render(pdf_path, 200)[page - 1], "phone_photo", seed)
    jpeg(image, 80).save(out, "JPEG", quality=80)
    return out


def without_rulings(page: np.ndarray) -> np.ndarray:
    """``page`` with the rulings of its tables erased (only inside the tables: a heading's long
    strokes stay), as a table printed without gridlines."""
    from govdisclose.readers.ocr.tables import ruled_tables, ruling_masks

    horizontal, vertical = ruling_masks(page)
    lines = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8)) > 0
    inside = np.zeros(lines.shape, bool)
    for table in ruled_tables(page):
        x0, y0, x1, y1 = table.box
        inside[max(y0 - 3, 0):y1 + 3, max(x0 - 3, 0):x1 + 3] = True
    out = page.copy()
    out[lines & inside] = 255
    return out
