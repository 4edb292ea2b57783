"""PDF reports with a text layer: ruled tables, tables without rulings, and the prose around them.

A page without a text layer (a scanned page, 盖章版, inside an otherwise text PDF) is read by OCR
(:mod:`govdisclose.readers.ocr`) in its place; the document is then an
:class:`~govdisclose.readers.ocr.document.OcrDocument` whose OCR cells are confirmed by the
template's arithmetic.

One pass per page over what pdfplumber extracts once (the page's characters and its ruling
lines):

* **ruled tables** come from pdfplumber's table finder, fed only the *visible* rulings (Word
  PDFs paint every paragraph on an invisible white box, which would otherwise turn prose into
  one-column "tables"). Every grid slot becomes a :class:`~govdisclose.readers.model.Cell`; slots covered
  by a spanning box repeat the box's text with ``merged=True``. Text inside a cell is joined
  line by line, CJK pieces without a space (``结``/``果`` → ``结果``).
* **tables without rulings** are rebuilt from text positions (:mod:`.unruled`): lines ending
  in value-like segments make rows, value columns are clustered by x, label pieces on other
  lines join the nearest row, and a label printed one character per line down the side (``三``/``、``/``本``…)
  becomes one merged label instead of fake rows.
* **prose** outside tables becomes :class:`~govdisclose.readers.model.Paragraph` blocks in reading
  order (a centred multi-line title is one paragraph; headings like ``一、总体情况`` stand alone).
* page numbers (``-5-``, ``- 5 -``, ``第5页``) printed in the top or bottom margin are dropped
  before anything else, so they never end up glued to a cell.
* a table row cut by a page break (label on one page, numbers on the next, or a label's last
  words on the next page) is joined into one row; rows with numbers on both sides never are.
* a ruled table whose boxes hold a label and numbers apart (column rulings not drawn) is read
  from text positions instead, with a note.

Never a guess: digits far apart inside one box, or printed over each other, keep a space
between them (the value parser then flags the cell), and a blank slot is an empty cell.

Cell locations read ``page 4, table 2, row 6, col 3, box (x0,top,x1,bottom)`` in points from the
page's top left corner; paragraph locations ``page 2, line 7`` (counting the text lines outside
tables). At most :data:`MAX_PAGES` pages are read (a note says so when a file has more).

>>> from pathlib import Path
>>> doc = read(Path("../shared/corpus/huaian_2024.pdf"), Path("../shared/corpus/huaian_2024.pdf").read_bytes())  # doctest: +SKIP
>>> row = next(r for t in doc.tables for r in t.rows if "本年新收" in r[0].text)  # doctest: +SKIP
>>> [c.text for c in row][-7:], row[3].location  # doctest: +SKIP
(['3001', '53', '0', '0', '61', '4', '3119'], 'page 4, table 2, row 4, col 4, box (251,457,285,481)')
>>> read(Path("cut.pdf"), b"%PDF-1.7 cut off here")
Traceback (most recent call last):
...
govdisclose.CorruptDocumentError: cut.pdf: is truncated: the PDF's end-of-file marker is missing (an incomplete download?)
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.grid import CellBudget
from govdisclose.readers.model import Document
from govdisclose.readers.ocr.scanned import mixed_document, read_scanned_page, render_image_pages
from govdisclose.readers.pdf.layout import join_split_rows, margins, paragraphs
from govdisclose.readers.pdf.pages import PageStats, PageText, read_page
from govdisclose.readers.pdf.pdfium import PdfFile, TooManyCharacters

__all__ = ["read", "MAX_PAGES", "MAX_SECONDS", "MAX_CHARS_PER_PAGE", "MAX_GRID_CELLS"]

#: Pages read at most; a report has 5-20. Longer files are read up to here, with a note.
MAX_PAGES = 200


#: Wall-clock budget for one file; a file that takes longer is refused.
MAX_SECONDS = 120.0


#: Characters on one page at most (a report page has about 1,500).
MAX_CHARS_PER_PAGE = 60_000

#: Most ruled-table slots one file may produce (a report has a few hundred).
MAX_GRID_CELLS = 200_000


def _read_pages(path: Path, pdf: PdfFile, rulings: bool, started: float, notes: list[str]) -> tuple[list[PageText], list[PageStats]]:
    """Every page (up to :data:`MAX_PAGES`): its text lines and tables."""
    budget = CellBudget(path, MAX_GRID_CELLS, "ruled boxes")
    pages: list[PageText] = []
    stats: list[PageStats] = []
    count = len(pdf)
    if count <= 0:
        raise EmptyDocumentError(path, "the PDF has no pages")
    if count > MAX_PAGES:
        notes.append(f"only the first {MAX_PAGES} of {count} pages were read")
    for number in range(1, min(count, MAX_PAGES) + 1):
        if time.monotonic() - started > MAX_SECONDS:
            raise DocumentTooLargeError(path, f"reading took over {MAX_SECONDS:.0f} s (stopped at page {number} of {count})")
        try:
            content = pdf.page(number - 1, MAX_CHARS_PER_PAGE)
            page_text, page_stats = read_page(content, rulings, str(path), budget)
        except DocumentTooLargeError:
            raise
        except TooManyCharacters as exc:
            raise DocumentTooLargeError(path, f"page {number} has {exc.args[0]:,} characters (over {MAX_CHARS_PER_PAGE:,})") from None
        except (RecursionError, MemoryError) as exc:
            raise DocumentTooLargeError(path, f"page {number} is too complex to read ({type(exc).__name__})") from None
        except Exception as exc:  # PDFium refusing a damaged page (or a layout we cannot follow)
            raise CorruptDocumentError(path, f"page {number} cannot be read; the file looks damaged ({type(exc).__name__}: {str(exc)[:200]})") from None
        pages.append(page_text)
        stats.append(page_stats)
    return pages, stats


def read(path: Path, data: bytes, *, rulings: bool = True) -> Document:
    """Read a PDF report into a :class:`~govdisclose.readers.model.Document`.

    ``rulings=False`` ignores ruling lines and reads every table from text positions (for
    tests of that path). Raises :class:`~govdisclose.exceptions.CorruptDocumentError` for
    encrypted, damaged or image-only files, :class:`~govdisclose.exceptions.EmptyDocumentError`
    for a PDF without pages or text, :class:`~govdisclose.exceptions.DocumentTooLargeError` past
    the page, character or time limits.
    """
    started = time.monotonic()
    doc = Document(source=str(path), format="pdf")
    if not data.lstrip()[:1024].count(b"%PDF-"):
        raise CorruptDocumentError(path, "is not a PDF (no %PDF- header)")
    if data.rfind(b"%%EOF") < 0:
        raise CorruptDocumentError(path, "is truncated: the PDF's end-of-file marker is missing (an incomplete download?)")
    with PdfFile(path, data) as pdf:
        page_count = len(pdf)
        pages, stats = _read_pages(path, pdf, rulings, started, doc.notes)
        image_pages = [p.number for p, st in zip(pages, stats) if st.images and not st.glyphs]
        total = sum(st.glyphs for st in stats)
        if total == 0 and not image_pages:
            raise EmptyDocumentError(path, "the PDF holds no text")
        if total == 0 or sum(st.unmapped for st in stats) > 0.2 * total:  # a scan, or a text layer that cannot be decoded
            from govdisclose.readers.ocr.scanned import read_scanned

            return read_scanned(path, pdf, [p.number for p in pages], total == 0)
        scans = render_image_pages(path, pdf, image_pages, doc.notes) if image_pages else {}
    if scans:  # some pages are scans inside a text PDF: OCR'd in page order, confirmed like a scan
        mixed = mixed_document(path, scans)
        mixed.notes.extend(doc.notes)
        doc = mixed
    if len(pages) < page_count and not any(p.tables for p in pages):
        raise DocumentTooLargeError(path, f"only the first {len(pages)} of {page_count} pages were read, and they hold no table")
    join_split_rows(pages, doc.notes)
    left, right = margins(pages)
    for page in pages:
        if page.number in scans:
            read_scanned_page(path, doc, page.number, scans.pop(page.number))  # type: ignore[arg-type]
            continue
        blocks: list[tuple[float, int, Any]] = [(t.top, 0, t.table) for t in page.tables if t.table.rows]
        blocks += [(top, 1, para) for top, para in paragraphs(page, left, right)]
        blocks.sort(key=lambda b: (b[0], b[1]))
        doc.blocks.extend(block for _, _, block in blocks)
        doc.notes.extend(page.notes)
        if any(t.unruled for t in page.tables):
            doc.notes.append(f"page {page.number}: a table without rulings was read from text positions")
    return doc

