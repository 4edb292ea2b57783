"""An OCR-read document rebuilt from the readings captured off a real scan (``tests/fixtures/ocr``):
each cell's text, page/table/row/col, pixel box and OCR confidence, as the OCR reader made them."""

from __future__ import annotations

import json
from pathlib import Path

from govdisclose.readers.model import Cell, Document, Table
from govdisclose.readers.ocr.document import CellOcr, OcrDocument
from govdisclose.records import Location

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ocr"


def captured_tables(name: str) -> list[dict]:
    """The captured tables: per table ``page``, ``table``, ``box`` and rows of
    ``[text, merged, page, table, row, col, box, confidence, detail]``."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["tables"]


def rebuilt(tables: list[dict], ocr: bool = True) -> Document:
    """An :class:`OcrDocument` of ``tables`` (or, ``ocr=False``, a plain :class:`Document` of the same cells)."""
    doc: Document = OcrDocument(source="scan.pdf", format="pdf") if ocr else Document(source="scan.pdf", format="pdf")
    for t in tables:
        rows = []
        for row in t["rows"]:
            cells = []
            for text, merged, page, table, r, c, box, confidence, detail in row:
                where = Location(file="scan.pdf", page=page, table=table, row=r, col=c, bbox=tuple(float(v) for v in box),
                                 detail=detail)
                cells.append(Cell(text, where, merged=bool(merged)))
                if ocr and confidence is not None:
                    doc.readings[(page, table, r, c)] = CellOcr(text, confidence, (), tuple(box))  # type: ignore[attr-defined]
            rows.append(cells)
        doc.blocks.append(Table(rows=rows, location=Location(file="scan.pdf", page=t["page"], table=t["table"],
                                                             bbox=tuple(float(v) for v in t["box"]))))
    return doc
