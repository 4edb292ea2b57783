"""OCR confirmation never decides a cell the mapper refused for where it stands (a row of table 3
whose columns a misread header could not tell apart: every cell at the row's first box)."""

from __future__ import annotations

from govdisclose.mapping.collect import MappedCell
from govdisclose.mapping.ocr_rows import refused_by_mapper
from govdisclose.records import Location


def _cell(applicant: str, raw: str, where: Location, state: str = "unreadable") -> MappedCell:
    return MappedCell("requests", "new_received", applicant, raw, where, state, None, "")


def test_a_row_refused_whole_at_its_first_box_is_never_read_again_by_ocr() -> None:
    row = Location(file="scan.pdf", page=2, table=1, row=4, col=3)
    cells = [_cell(a, "0 | 23 | 7", row) for a in ("natural_person", "commercial_enterprise", "total")]
    assert all(refused_by_mapper(c, cells) for c in cells)


def test_a_cell_whose_own_text_did_not_parse_is_read_again() -> None:
    cells = [_cell("natural_person", "l2", Location(file="scan.pdf", page=2, table=1, row=4, col=3)),
             _cell("commercial_enterprise", "3", Location(file="scan.pdf", page=2, table=1, row=4, col=4), state="number")]
    assert not refused_by_mapper(cells[0], cells)  # OCR's misreading: its re-readings and the arithmetic decide it
    assert not refused_by_mapper(cells[1], cells)  # a value read: confirmed as every OCR value is


def test_a_value_the_mapper_would_not_place_is_never_confirmed() -> None:
    """A value text made unreadable by the mapper (a column no header names, a row of 8 values)."""
    cell = _cell("other", "5", Location(file="scan.pdf", page=1, table=1, row=2, col=5))
    assert refused_by_mapper(cell, [cell])
