"""Every reader names the file in its locations; the shared grid builder's budget guards every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers import pdf as pdf_reader
from govdisclose.readers import read_document
from govdisclose.readers.model import Document

from conftest import corpus_file


def _locations(doc: Document) -> list:
    cells = [c.location for t in doc.tables for r in t.rows for c in r]
    return cells + [t.location for t in doc.tables] + [p.location for p in doc.paragraphs]


@pytest.mark.parametrize("name", ["mfa_2023.txt", "pingtan_2024.html", "huaian_2024.pdf", "template_2021_blank.docx"])
def test_every_location_names_the_file(name: str) -> None:
    path = corpus_file(name)
    doc = read_document(path)
    locations = _locations(doc)
    assert len(locations) > 20
    assert {loc.file for loc in locations} == {str(path)}


def test_pdf_cells_keep_their_box_and_merged_slots_say_where_the_span_starts() -> None:
    doc = read_document(corpus_file("huaian_2024.pdf"))
    cells = [c for t in doc.tables for r in t.rows for c in r]
    assert all(c.location.bbox is not None for c in cells)
    merged = [c for c in cells if c.merged]
    assert merged and all("merged with row" in c.location.detail for c in merged)
    origins = {(c.location.page, c.location.table, c.location.row, c.location.col): c.text for c in cells if not c.merged}
    for cell in merged:  # a merged copy repeats the text of the cell its detail points at
        row, col = (int(x) for x in cell.location.detail.removeprefix("merged with row ").split(", col "))
        assert origins[(cell.location.page, cell.location.table, row, col)] == cell.text


def test_pdf_ruled_grids_are_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_GRID_CELLS", 50)
    with pytest.raises(DocumentTooLargeError, match=r"huaian_2024\.pdf: the tables expand to over 50 cells \(ruled boxes"):
        read_document(corpus_file("huaian_2024.pdf"))


@pytest.mark.parametrize("name", ["huaian_2024.pdf", "hongze_2023.pdf", "hongze_2024.pdf"])
def test_pdf_ruled_rows_made_directly_equal_the_grid_builders(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A ruled table is made straight into rows unless it may overrun the cell budget, when the
    GridBuilder places it (and says where it stops): both give the same cells, locations included."""
    from govdisclose.readers.pdf import ruled

    direct = read_document(corpus_file(name))
    monkeypatch.setattr(ruled, "_full_rows", ruled._built_table)
    built = read_document(corpus_file(name))
    cells = [[c for r in t.rows for c in r] for t in direct.tables]
    assert sum(map(len, cells)) > 100 and any(c.merged for t in cells for c in t)
    assert cells == [[c for r in t.rows for c in r] for t in built.tables]
    assert [str(c.location) for t in cells for c in t] == [str(c.location) for t in built.tables for r in t.rows for c in r]
