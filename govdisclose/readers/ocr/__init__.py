"""OCR: scanned PDF pages and image files read into the common :class:`~govdisclose.readers.model.Document`.

* :mod:`.engine` — RapidOCR (PP-OCRv4 models shipped in its wheel, ONNX Runtime), with our own
  CTC decoding: per-character confidence and alternative readings;
* :mod:`.image` — bounded decoding, perspective correction of a photographed page, deskew;
* :mod:`.tables` — table structure from ruling lines (OpenCV morphology) and text positions;
* :mod:`.build` — the document: each table cell recognised on its own, prose line by line;
* :mod:`.document` — :class:`OcrDocument`, which keeps each cell's reading for the arithmetic
  confirmation (:mod:`govdisclose.mapping.ocr_confirm`) that :func:`govdisclose.read_report` runs:
  no OCR digit is taken without it.

:func:`read` reads a PNG/JPEG/TIFF file; :func:`read_pdf` renders a PDF's pages (PDFium) and
reads them. Both need the ``ocr`` extra (``pip install 'govdisclose[ocr]'``).

>>> from pathlib import Path
>>> read(Path("tiny.png"), b"\\x89PNG\\r\\n\\x1a\\n broken")
Traceback (most recent call last):
...
govdisclose.CorruptDocumentError: tiny.png: the image cannot be decoded (UnidentifiedImageError: cannot identify image file <_io.BytesIO object at ...>)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govdisclose.exceptions import DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.ocr.document import CellOcr, OcrDocument

__all__ = ["read", "read_pdf", "OcrDocument", "CellOcr", "DPI"]

#: Resolution PDF pages are rendered at for OCR.
DPI = 200


def _check(path: Path, doc: OcrDocument) -> OcrDocument:
    if not any(doc.blocks):
        raise EmptyDocumentError(path, "OCR found no text on the page(s) (a blank page, or not a document)")
    return doc


def read(path: Path, data: bytes) -> OcrDocument:
    """An image file (every frame of a TIFF) read by OCR."""
    from govdisclose.readers.ocr.build import read_images
    from govdisclose.readers.ocr.image import load_image

    return _check(path, read_images(path, load_image(path, data), "image"))


def read_pdf(path: Path, pdf: Any, pages: list[int]) -> OcrDocument:
    """Pages ``pages`` (1-based) of an open :class:`~govdisclose.readers.pdf.pdfium.PdfFile` read by OCR."""
    from govdisclose.readers.ocr.build import MAX_PAGES, read_images

    if len(pages) > MAX_PAGES:
        raise DocumentTooLargeError(path, f"{len(pages)} scanned pages (OCR reads at most {MAX_PAGES})")
    doc = OcrDocument(source=str(path), format="pdf")
    for number in pages:
        read_images(path, [pdf.render(number - 1, DPI / 72)], "pdf", first_page=number, doc=doc)
    return _check(path, doc)
