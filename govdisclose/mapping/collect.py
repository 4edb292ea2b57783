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
from typing import TYPE_CHECKING

from govdisclose.readers.model import Cell
from govdisclose.records import Finding, Location
from govdisclose.template.catalogue import item_info
from govdisclose.template.values import parse_value

if TYPE_CHECKING:
    from govdisclose.mapping.decode import Decoded

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


class Collector:
    """The cells read so far (keyed by :data:`CellKey`) and the findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.cells: dict[CellKey, MappedCell] = {}

    def finding(self, rule: str, message: str, location: Location | None = None, severity: str = "warning") -> None:
        self.findings.append(Finding(rule, severity, message, location))

    def put(self, table: str, item: str, applicant: str | None, cell: Cell | None, *, raw: str | None = None,
            location: Location | None = None, note: str = "", unreadable: str = "", header_unit: str | None = None) -> None:
        key = (table, item, applicant)
        if key in self.cells:
            return  # first printed copy wins
        unit = _unit(table, item)
        text = cell.text if cell is not None and raw is None else (raw or "")
        where = location if location is not None else (cell.location if cell is not None else None)
        if unreadable:
            self.cells[key] = MappedCell(table, item, applicant, text, where, "unreadable", None, unreadable)
            return
        parsed = parse_value(text, unit, header_unit)
        said = parsed.note
        self.cells[key] = MappedCell(
            table, item, applicant, text.strip(), where, parsed.state, parsed.value, f"{note}; {said}" if note and said else note or said
        )

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
