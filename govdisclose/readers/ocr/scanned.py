"""A PDF without a usable text layer (a scan of the stamped paper copy, 盖章版) handed to OCR.

>>> from govdisclose.readers.ocr.scanned import read_scanned
>>> read_scanned.__doc__.split(" (")[0]
'The pages of an open PDF read by OCR'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govdisclose.readers.ocr.document import OcrDocument

__all__ = ["read_scanned"]


def read_scanned(path: Path, pdf: Any, pages: list[int], images_only: bool) -> OcrDocument:
    """The pages of an open PDF read by OCR (``images_only``: it has no text layer at all, else its
    text layer cannot be decoded). Without the ``ocr`` extra, a ``MissingDependencyError`` says so."""
    from govdisclose._optional import import_optional
    from govdisclose.readers.ocr import read_pdf

    why = "has no text layer (scanned page images only)" if images_only else "has a text layer that cannot be decoded"
    import_optional("rapidocr_onnxruntime", extra="ocr", purpose=f"reading {path.name}, which {why}, by OCR")
    doc = read_pdf(path, pdf, pages)
    doc.notes.insert(0, f"the PDF {why}: read by OCR")
    return doc


def render_image_pages(path: Path, pdf: Any, numbers: list[int], notes: list[str]) -> dict[int, Any]:
    """The image-only pages ``numbers`` (1-based) of a PDF that otherwise has a text layer, rendered
    for OCR (page number → RGB image). Without the ``ocr`` extra (or past the OCR page limit) the
    pages left out are named in ``notes`` and the text pages are still read."""
    from govdisclose._optional import import_optional
    from govdisclose.exceptions import MissingDependencyError

    def left_out(pages: list[int], why: str) -> None:
        notes.append(f"pages {', '.join(map(str, pages))} have no text layer (images only) and were not read: {why}")

    try:
        import_optional("rapidocr_onnxruntime", extra="ocr")
    except MissingDependencyError:
        left_out(numbers, "OCR needs pip install 'govdisclose[ocr]'")
        return {}
    from govdisclose.readers.ocr import DPI
    from govdisclose.readers.ocr.build import MAX_PAGES

    if len(numbers) > MAX_PAGES:
        left_out(numbers[MAX_PAGES:], f"OCR reads at most {MAX_PAGES} pages")
    return {n: pdf.render(n - 1, DPI / 72) for n in numbers[:MAX_PAGES]}


def mixed_document(path: Path, scans: dict[int, Any]) -> OcrDocument:
    """The :class:`OcrDocument` a PDF with text pages and the image-only pages ``scans`` is read into
    (its text-layer cells carry no OCR reading, so the arithmetic confirmation leaves them as read)."""
    from govdisclose.readers.ocr.engine import ENGINE_NAME

    doc = OcrDocument(source=str(path), format="pdf", engine_name=ENGINE_NAME)
    doc.notes.append(f"pages {', '.join(map(str, scans))} have no text layer (images only): read by OCR")
    return doc


def read_scanned_page(path: Path, doc: OcrDocument, number: int, image: Any) -> None:
    """Page ``number`` of a mixed PDF read by OCR, its blocks appended to ``doc`` in page order."""
    from govdisclose.readers.ocr.build import read_images

    read_images(path, [image], "pdf", first_page=number, doc=doc)
