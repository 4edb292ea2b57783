"""The OCR reader's :class:`~govdisclose.readers.model.Document`: cells with their OCR readings.

:class:`OcrDocument` is a ``Document`` (mapping, header rules and validation use it unchanged)
that also keeps, for each table cell read by OCR, a :class:`CellOcr`: the reading's confidence,
the engine's alternatives and the cell's pixel box. :meth:`OcrDocument.rereadings` reads a cell
again at other scales and binarisations (the page images are kept until :meth:`release`), for
the arithmetic confirmation (:mod:`govdisclose.mapping.ocr_confirm`).

>>> from govdisclose.records import Location
>>> doc = OcrDocument(source="scan.png", format="image")
>>> doc.readings[(1, 1, 4, 3)] = CellOcr("18", 0.99, ("16",), (10, 20, 60, 50))
>>> doc.reading(Location(page=1, table=1, row=4, col=3)).alternatives
('16',)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govdisclose.readers.model import Document
from govdisclose.readers.ocr.engine import Reading
from govdisclose.records import Location

__all__ = ["CellOcr", "OcrDocument", "CellKey"]

#: ``(page, table, row, col)`` of a cell, as in its :class:`~govdisclose.records.Location`.
CellKey = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class CellOcr:
    """How one cell was read: text, least sure character's probability, other readings, pixel box."""

    text: str
    confidence: float
    alternatives: tuple[str, ...]
    box: tuple[int, int, int, int]


@dataclass(slots=True)
class OcrDocument(Document):
    """A document read by OCR: every table cell's reading, and the page images for re-reading."""

    readings: dict[CellKey, CellOcr] = field(default_factory=dict)
    images: dict[int, Any] = field(default_factory=dict)  # page number → straightened page image
    engine_name: str = ""

    def reading(self, location: Location | None) -> CellOcr | None:
        """The OCR reading of the cell at ``location`` (``None``: not a cell read by OCR)."""
        if location is None or None in (location.page, location.table, location.row, location.col):
            return None
        return self.readings.get((location.page, location.table, location.row, location.col))  # type: ignore[arg-type]

    def rereadings(self, locations: list[Location | None]) -> list[list[Reading]]:
        """Each cell read again from other renderings of its crop (upscaled, binarised …), in one batch."""
        from govdisclose.readers.ocr.crops import variants
        from govdisclose.readers.ocr.engine import engine

        crops: list[np.ndarray] = []
        spans: list[tuple[int, int]] = []
        for location in locations:
            got = self.reading(location)
            page = location.page if location is not None else None
            mine = variants(self.images[page], got.box) if got is not None and page in self.images else []
            spans.append((len(crops), len(crops) + len(mine)))
            crops.extend(mine)
        readings = engine().recognise(crops) if crops else []
        return [readings[a:b] for a, b in spans]

    def release(self) -> None:
        """Drop the page images (once the cells are confirmed)."""
        self.images = {}
