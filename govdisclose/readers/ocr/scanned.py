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
