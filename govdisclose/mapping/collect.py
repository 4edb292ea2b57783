"""Where the mapper puts what it reads: one :class:`MappedCell` per template cell (the first printed
copy wins) and the findings about the grid.

>>> out = Collector()
>>> out.put("requests", "granted", "total", None, raw="12", note="placed by position")
>>> cell = out.cells[("requests", "granted", "total")]
>>> cell.state, str(cell.value), cell.note
('number', '12', 'placed by position')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from govdisclose.readers.model import Cell, cell_location_text
from govdisclose.records import Finding, Location
from govdisclose.template.catalogue import item_info
from govdisclose.template.values import parse_value

if TYPE_CHECKING:
    from govdisclose.mapping.decode import Decoded
    from govdisclose.mapping.ocr_headers import OcrReadings

__all__ = ["MappedCell", "Collector", "CellKey"]

#: ``(table, item, applicant)``.
CellKey = tuple[str, str, str | None]


@dataclass(slots=True)
class MappedCell:
    """One template cell as read: code, printed text, where, and what it means."""

    table: str
    item: str
    applicant: str | None
    raw: str
    location: Location | None
    state: str
    value: Decimal | None
    note: str = ""

    def location_text(self) -> str:
        """``str(self.location)``, or ``""`` when it has none (the metrics frame's ``location``)."""
        return "" if self.location is None else str(self.location)


_stored_where = vars(MappedCell)["location"].__get__
_set_where = vars(MappedCell)["location"].__set__


class _LazyMappedCell(MappedCell):
    """A :class:`MappedCell` whose location is its reader cell's, taken when first asked for (a
    reader's lazy cell then makes it only if it is needed; the metrics frame needs only its text)."""

    __slots__ = ("_cell",)
    _cell: Cell | None

    @property  # type: ignore[override]
    def location(self) -> Location | None:
        where: Location | None = _stored_where(self)
        if where is None:
            cell = self._cell
            if cell is not None:
                where = cell.location
                _set_where(self, where)
                self._cell = None
        return where

    @location.setter
    def location(self, where: Location | None) -> None:
        _set_where(self, where)
        self._cell = None

    def location_text(self) -> str:
        cell = self._cell
        if cell is not None and _stored_where(self) is None:
            return cell_location_text(cell)
        return MappedCell.location_text(self)

    def _plain(self) -> MappedCell:
        return MappedCell(self.table, self.item, self.applicant, self.raw, self.location, self.state, self.value, self.note)

    def __eq__(self, other: object) -> bool:  # equal to the same MappedCell made directly
        if not isinstance(other, MappedCell):
            return NotImplemented
        return self._plain() == (other._plain() if isinstance(other, _LazyMappedCell) else other)

    __hash__ = None  # type: ignore[assignment]  # as MappedCell's (mutable, compared by value)

    def __repr__(self) -> str:
        return repr(self._plain())

    def __reduce__(self) -> tuple[Any, ...]:  # pickled and copied as a plain MappedCell
        plain = self._plain()
        return (MappedCell, (plain.table, plain.item, plain.applicant, plain.raw, plain.location, plain.state, plain.value, plain.note))


_new = object.__new__


class Collector:
    """The cells read so far (keyed by :data:`CellKey`) and the findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.cells: dict[CellKey, MappedCell] = {}
        self.ocr: OcrReadings | None = None  # the OCR document mapped, if it is one (mapping.ocr_headers)

    def finding(self, rule: str, message: str, location: Location | None = None, severity: str = "warning") -> None:
        self.findings.append(Finding(rule, severity, message, location))

    def put(self, table: str, item: str, applicant: str | None, cell: Cell | None, *, raw: str | None = None,
            location: Location | None = None, note: str = "", unreadable: str = "", header_unit: str | None = None) -> None:
        key = (table, item, applicant)
        if key in self.cells:
            return  # first printed copy wins
        unit = _unit(table, item)
        text = cell.text if cell is not None and raw is None else (raw or "")
        source = cell if location is None else None  # located where the reader's cell was, taken when asked for
        if unreadable:
            self.cells[key] = self._cell(table, item, applicant, text, location, source, "unreadable", None, unreadable)
            return
        parsed = parse_value(text, unit, header_unit)
        said = parsed.note
        said = f"{note}; {said}" if note and said else note or said
        self.cells[key] = self._cell(table, item, applicant, text.strip(), location, source, parsed.state, parsed.value, said)

    @staticmethod
    def _cell(table: str, item: str, applicant: str | None, raw: str, location: Location | None, source: Cell | None,
              state: str, value: Decimal | None, note: str) -> MappedCell:
        if source is None:
            return MappedCell(table, item, applicant, raw, location, state, value, note)
        # the slots set directly (one cell per template cell of every report, so kept cheap): plain
        # attribute stores, several times cheaper than calling the slots' __set__ one by one
        mapped = _new(_LazyMappedCell)
        mapped.table = table
        mapped.item = item
        mapped.applicant = applicant
        mapped.raw = raw
        _set_where(mapped, None)  # (``location`` is the lazy property: its stored slot is set)
        mapped.state = state
        mapped.value = value
        mapped.note = note
        mapped._cell = source
        return mapped

    def put_decoded(self, keys: list[CellKey | None], cell: Cell, result: Decoded) -> None:
        """The cells of one digit run: each slot every remaining reading agrees on is read; the
        others are flagged with their candidates (a ``None`` key: a slot with no catalogue cell)."""
        run = cell.text.strip()
        for j, key in enumerate(keys):
            if key is None:
                continue
            table, item, applicant = key
            where = cell.location.part(j + 1, len(keys))
            value = result.values[j] if j < len(result.values) else None
            if value is None:
                options = list(dict.fromkeys(c[j] for c in result.candidates if j < len(c)))
                reason = f"digits {run!r} ran together; {result.note}"
                if options:
                    reason += f"; candidates for this cell: {', '.join(options[:8])}"
                self.put(table, item, applicant, None, raw=run, location=where, unreadable=reason)
            else:
                note = f"split from run {run!r}: {result.note}" if len(keys) > 1 else ""
                self.put(table, item, applicant, None, raw=value, location=where, note=note)


@cache
def _unit(table: str, item: str) -> str:
    return item_info(table, item)["unit"]
