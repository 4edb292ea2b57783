"""Values read by OCR from a line of text, not from a table cell: no reading the arithmetic could confirm.

On a scanned page or in a picture, OCR reads the text around the tables line by line into
paragraphs. A value the mapper takes from such a line (a pre-2019 headline figure, a table whose
structure OCR lost, read as a run of text) has no cell reading with confidence and alternatives,
so :mod:`govdisclose.mapping.ocr_confirm` could not prove it: it is ``unreadable``, never taken on trust.

>>> from decimal import Decimal
>>> from govdisclose.mapping.collect import MappedCell
>>> from govdisclose.mapping.mapper import Mapping
>>> from govdisclose.readers.ocr.document import CellOcr, OcrDocument
>>> from govdisclose.records import Location
>>> doc = OcrDocument(source="scan.pdf", format="pdf", images={2: None})
>>> doc.readings[(2, 1, 3, 4)] = CellOcr("18", 0.99, (), (0, 0, 9, 9))
>>> cells = [MappedCell("requests", "granted", "total", "18", Location(page=2, table=1, row=3, col=4), "number", Decimal(18)),
...          MappedCell("headline", "requests.received", None, "3119", Location(page=2, line=7), "number", Decimal(3119)),
...          MappedCell("headline", "requests.granted", None, "12", Location(page=1, line=3), "number", Decimal(12))]
>>> [c.state for c in unproved_prose(doc, Mapping("2021", False, cells)).cells]
['number', 'unreadable', 'number']
"""

from __future__ import annotations

from dataclasses import replace

from govdisclose.mapping.mapper import Mapping
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.records import Finding

__all__ = ["unproved_prose", "NOTE"]

NOTE = "read by OCR from a line of text, not a table cell: no reading the arithmetic could confirm"


def unproved_prose(doc: OcrDocument, mapping: Mapping) -> Mapping:
    """``mapping`` with every value on a page OCR read (``doc.images``: before they are released)
    that has no cell reading made ``unreadable``, with an ``ocr.unconfirmed`` warning each."""
    pages = set(doc.images)
    cells, findings = [], list(mapping.findings)
    for cell in mapping.cells:
        where = cell.location
        if cell.state in ("number", "na") and where is not None and where.page in pages and doc.reading(where) is None:
            cell = replace(cell, state="unreadable", value=None, note=NOTE)
            findings.append(Finding("ocr.unconfirmed", "warning", f"{cell.table} {cell.item} {cell.applicant or ''}: {NOTE} "
                                    f"(read {cell.raw!r})", where, table=cell.table, item=cell.item, applicant=cell.applicant))
        cells.append(cell)
    return replace(mapping, cells=cells, findings=findings)
