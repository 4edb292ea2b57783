"""Images of tables and text inside an HTML page or a DOCX, read by OCR and put where the image stands.

A web page or a Word file often shows tables 2–4 as pictures (a screenshot of the spreadsheet, a
scan of the stamped copy), sometimes a section's text too. :func:`read_embedded` OCRs each picture
(:mod:`.build`: tables cell by cell, the text around them line by line) and returns the blocks
found in each — its tables and its paragraphs, in their order in the picture — and an
:class:`~.document.OcrDocument` that holds the cells' readings, so that :func:`govdisclose.read_report` confirms every OCR value by the
template's arithmetic exactly as for a scan. The k-th picture read is "page" k of the OCR
(``page 2, table 3, row 4, col 2, box (…)`` in pixels, ``detail`` naming the picture).

Pictures smaller than :data:`MIN_SIDE` pixels (icons, logos) are not read; a picture that cannot
be decoded, or with no table, is a note naming it (its text, if any, is kept as paragraphs).

>>> from pathlib import Path
>>> tables, ocr = read_embedded(Path("page.html"), [("logo.png", b"not an image")], notes := [])
>>> tables, ocr is None, notes
([[]], True, ['image logo.png cannot be read by OCR: logo.png: the image cannot be decoded (UnidentifiedImageError: cannot identify image file <_io.BytesIO object at ...>)'])
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govdisclose.exceptions import GovDiscloseError, MissingDependencyError
from govdisclose.readers.model import Block, Document, Paragraph, Table
from govdisclose.readers.ocr.document import OcrDocument

__all__ = ["read_embedded", "as_ocr_document", "place_pictures", "MIN_SIDE", "MAX_IMAGES"]

#: Pictures whose shorter side has fewer pixels are not tables (icons, logos, QR codes are read as nothing).
MIN_SIDE = 200
#: Pictures read by OCR at most in one document.
MAX_IMAGES = 40


def _name(block: Block, name: str) -> None:
    """Every cell's (or the paragraph's) location names the picture (in place: a table continued
    in the next picture was extended there)."""
    detail = f"image {name}"
    if isinstance(block, Paragraph):
        block.location = replace(block.location, detail=block.location.detail or detail)
        return
    table = block
    table.rows = [[replace(c, location=replace(c.location, detail=c.location.detail or detail)) for c in row] for row in table.rows]
    table.location = replace(table.location, detail=detail)


def read_embedded(path: Path, images: list[tuple[str, bytes]], notes: list[str]) -> tuple[list[list[Block]], OcrDocument | None]:
    """For each picture ``(name, bytes)``, the blocks OCR finds in it (tables and paragraphs), and
    the OCR document holding the cells' readings and the pictures (``None``: OCR read nothing).
    What cannot be read is a note naming the picture."""
    found: list[list[Block]] = [[] for _ in images]
    if not images:
        return found, None
    from govdisclose._optional import import_optional

    try:
        import_optional("rapidocr_onnxruntime", extra="ocr")
        from govdisclose.readers.ocr.build import read_images
        from govdisclose.readers.ocr.engine import ENGINE_NAME
        from govdisclose.readers.ocr.image import load_image
    except MissingDependencyError:
        notes.append(f"images {', '.join(n for n, _ in images)} were not read: OCR needs pip install 'govdisclose[ocr]'")
        return found, None
    ocr: OcrDocument | None = None
    page = 0
    for k, (name, data) in enumerate(images):
        if page >= MAX_IMAGES:
            notes.append(f"image {name} was not read: OCR reads at most {MAX_IMAGES} images")
            continue
        try:
            frames = load_image(Path(name), data)
        except GovDiscloseError as exc:
            notes.append(f"image {name} cannot be read by OCR: {exc}")
            continue
        if min(frames[0].shape[:2]) < MIN_SIDE:
            continue  # an icon or a logo
        page += 1
        if ocr is None:
            ocr = OcrDocument(source=str(path), format="image", engine_name=ENGINE_NAME)
        before = len(ocr.blocks)
        read_images(path, frames[:1], "image", first_page=page, doc=ocr)
        found[k] = list(ocr.blocks[before:])
        if any(isinstance(b, Table) for b in found[k]):
            continue
        if any(n.startswith(f"page {page}: the table continues") for n in ocr.notes):
            notes.append(f"image {name}: its table continues the one in the image before it")
        else:
            notes.append(f"image {name}: OCR found no table in it" + (f" (its text is read as {len(found[k])} paragraphs)" if found[k] else ""))
    for (name, _), blocks in zip(images, found):
        for block in blocks:
            _name(block, name)
    if not any(found):
        return found, None
    # kept whenever OCR placed a block, cells or only paragraphs: read_report must know which
    # blocks OCR read (a value taken from a picture's text has no reading to prove it by)
    return found, ocr


def as_ocr_document(doc: Document, ocr: OcrDocument | None) -> Document:
    """``doc`` (its blocks already holding the OCR tables) carrying ``ocr``'s readings, or ``doc`` unchanged."""
    if ocr is None:
        return doc
    notes = [*doc.notes, *(n for n in ocr.notes if n.startswith("read by OCR"))]
    return OcrDocument(source=doc.source, blocks=doc.blocks, format=doc.format, notes=notes, text_source=doc.text_source,
                       readings=ocr.readings, images=ocr.images, engine_name=ocr.engine_name)


def place_pictures(path: Path, doc: Document, pictures: list[tuple[int, tuple[str, bytes]]]) -> Document:
    """``doc`` with the tables and paragraphs OCR finds in each picture ``(position in doc.blocks,
    (name, bytes))`` inserted at its position: an :class:`OcrDocument` when any cell was read, else ``doc``."""
    if not pictures:
        return doc
    found, ocr = read_embedded(path, [p for _, p in pictures], doc.notes)
    blocks: list = []
    at = 0
    for (position, _), inside in zip(pictures, found):
        blocks.extend(doc.blocks[at:position])
        blocks.extend(inside)
        at = max(at, position)
    blocks.extend(doc.blocks[at:])
    doc.blocks = blocks
    return as_ocr_document(doc, ocr)
