"""What makes an OCR cell's reading certain besides its confidence: its other readings outvoting a
failed rendering, and the shape of its glyph's ink (:mod:`govdisclose.readers.ocr.glyph_shape`).

Used by :mod:`govdisclose.mapping.ocr_confirm`, which still asks the arithmetic of every cell so
settled (a cell bound by no equation only on :func:`by_shape`'s ``strong`` evidence).

>>> outvoted(["0", "0", ")", "0", "0"], [0.95, 0.97, 0.3, 0.96, 0.94])
True
>>> outvoted(["0", "1", "0", "0", "0"], [0.95, 0.97, 0.9, 0.96, 0.94])
False
"""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.readers.ocr.glyph_shape import settle, shapes_of
from govdisclose.records import Location
from govdisclose.template.arithmetic import CellKey, Equation, evaluate
from govdisclose.template.values import is_value_text

__all__ = ["outvoted", "by_shape", "settled_hold", "SURE"]

#: What an equation's status may be for a cell of it to be taken (none says it fails).
_OPEN = ("holds", "unfilled", "empty", "absent", "unchecked")

#: The least median (over all readings of the cell) of the least sure character's probability of a certain cell.
SURE = 0.9


def outvoted(texts: list[str], confidences: list[float]) -> bool:
    """Whether the readings are one value all but at most two (and at least four) of them, sure
    (median :data:`SURE`) where they read it, the others no value at all: a narrow ``0`` read
    ``)`` in one rendering is a rendering that failed, not a reading that disagrees."""
    values = [(t, p) for t, p in zip(texts, confidences) if t and is_value_text(t)]
    if {t for t, _ in values} != {texts[0]} or len(values) < max(4, len(texts) - 2):  # the cell holds the first
        return False
    return float(median(p for _, p in values)) >= SURE


def by_shape(doc: OcrDocument, location: Location | None, seen: list[str], strong: bool) -> str | None:
    """The one-digit value the glyph's shape leaves of the values OCR ``seen`` for the cell at
    ``location`` (its readings and the engine's alternatives; readings that are no value are
    renderings that failed), or ``None``. With ``strong`` (a cell no equation binds), the shape
    must fit at every threshold and the engine's first reading must be that value."""
    got = doc.reading(location)
    if got is None or location is None or location.page not in doc.images:
        return None
    values = [t for t in seen if t and is_value_text(t)]
    value = settle(shapes_of(doc.images[location.page], got.box), values, strong)
    if value is None or (strong and got.text != value):
        return None
    return value


def settled_hold(settled: set[CellKey], of: dict[CellKey, list[Equation]], state: dict[CellKey, tuple[str, Decimal | None]],
                 unsure: set[CellKey]) -> set[CellKey]:
    """The ``settled`` cells every equation of which (``of``) is open under ``state`` and one
    holds with each of its other cells sure (not in ``unsure``) or settled so too; a cell bound by
    no equation was settled on strong evidence and is kept."""
    ok = set(settled)
    while True:
        keep = {k for k in ok if all(evaluate(eq, state).status in _OPEN for eq in of.get(k, [])) and (
            k not in of or any(evaluate(eq, state).status in ("holds", "unfilled")
                               and all(o in ok or o not in unsure for o in eq.cells if o != k) for eq in of[k]))}
        if keep == ok:
            return ok
        ok = keep
