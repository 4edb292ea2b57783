"""Cells whose location is made on first use, and the cheap constructors, behave exactly like the plain ones."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import random

import pandas as pd
import pytest

from govdisclose.mapping.collect import Collector, MappedCell
from govdisclose.readers import read_document
from govdisclose.readers.model import Cell, lazy_cell
from govdisclose.records import FINDING_COLUMNS, Finding, Location, findings_frame, location_text
from govdisclose.report import read_report

from conftest import corpus_file

_FIELDS = [f.name for f in dataclasses.fields(Location)]


def test_location_takes_every_field_by_name_and_by_position() -> None:
    values = {name: f"v{k}" for k, name in enumerate(_FIELDS)}
    by_name, by_position = Location(**values), Location(*values.values())
    assert {name: getattr(by_name, name) for name in _FIELDS} == values
    assert by_name == by_position and hash(by_name) == hash(by_position)
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_name.row = 3  # type: ignore[misc]


def test_location_text_of_a_text_cell_matches_the_general_rendering() -> None:
    # the quick path for "line N, cell K" gives what the parts give when joined
    assert str(Location("a.txt", line=39, cell=2)) == "line 39, cell 2"
    assert str(Location("a.txt", line=39)) == "line 39"
    assert str(Location("a.txt", line=39, cell=2, char_end=7)) == "line 39, cell 2"  # char_end alone is not shown
    assert str(Location("a.txt", line=39, cell=2, detail="x")) == "line 39, cell 2 (x)"
    assert str(Location("a.txt", line=3, cell=2, value=1, of=4)) == "line 3, cell 2, value 1 of 4"


def test_a_lazy_cell_is_the_cell_made_directly() -> None:
    eager = Cell("18", Location("r.txt", line=57, cell=3), merged=True)
    lazy = lazy_cell("18", Location, ("r.txt", None, None, None, None, None, 57, 3), merged=True)
    assert lazy == eager and eager == lazy and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert lazy != Cell("18", Location("r.txt", line=57, cell=4), merged=True)
    assert isinstance(lazy, Cell) and lazy.location is lazy.location  # made once
    for other in (pickle.loads(pickle.dumps(lazy)), copy.copy(lazy), copy.deepcopy(lazy)):
        assert type(other) is Cell and other == eager
    changed = dataclasses.replace(lazy, text="19")
    assert (changed.text, changed.location, changed.merged) == ("19", eager.location, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lazy.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["mfa_2023.txt", "pingtan_2024.html"])
def test_read_cells_carry_the_locations_their_positions_say(name: str) -> None:
    path = corpus_file(name)
    doc = read_document(path)
    cells = [(t, r, k, c) for t in doc.tables for r, row in enumerate(t.rows) for k, c in enumerate(row)]
    assert len(cells) > 100
    for table, r, k, cell in cells:
        where = cell.location
        if name.endswith(".txt"):  # a text cell: its line and its place in the line
            assert (where.line, where.cell) == (table.location.line + r, k + 1)
        else:  # an HTML grid slot: the table's number and the slot's row and column
            assert (where.table, where.row, where.col) == (table.location.table, r + 1, k + 1)
        assert where.file == str(path)


def test_findings_frame_is_the_frame_of_its_rows() -> None:
    rng = random.Random(7)
    choices = {"agency": ["外交部", None], "year": [2023, None], "table": [None, "requests"], "item": [None, "granted"],
               "applicant": [None, "total"], "expected": [None, 1.5, 3], "actual": [None, 2.0], "location": ["", "line 3"]}
    for n in (0, 1, 2, 5):
        for _ in range(20):
            rows = [Finding("r", rng.choice(["error", "info"]), "m").row(source="s") for _ in range(n)]
            for row in rows:
                row.update({k: rng.choice(v) for k, v in choices.items()})
            expected = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))  # pandas' own reading of the records
            pd.testing.assert_frame_equal(findings_frame(rows), expected, check_exact=True)
    empty = findings_frame([])
    empty.loc[0] = ["x"] * len(FINDING_COLUMNS)  # a copy: the next empty frame is still empty
    assert len(findings_frame([])) == 0


def test_location_text_renders_what_str_of_the_location_gives() -> None:
    # every mix of the fields (set or not) against the Location's own rendering
    rng = random.Random(11)
    samples = {"file": ["", "r.html"], "page": [None, 2], "paragraph": [None, 5], "table": [None, 1, 3], "row": [None, 4],
               "col": [None, 2], "line": [None, 57], "cell": [None, 3], "char": [None, 6], "line_end": [None, 57, 58],
               "char_end": [None, 9], "bbox": [None, (1.0, 2.0, 3.0, 4.0), (251.5, 0.5, -0.4, 1e20), (2.5, 3.5, 99.49, 100.51)],
               "value": [None, 1], "of": [None, 3], "detail": ["", "merged from row 1, col 1"]}
    for k in range(6000):
        # every other sample a PDF table slot (page and box set, no paragraph, line, cell or value)
        pdf = k % 2 and {"page": 4, "paragraph": None, "line": None, "cell": None, "value": None}
        values = tuple(pdf[name] if pdf and name in pdf else rng.choice(samples[name]) if rng.random() < 0.3 else samples[name][0]
                       for name in _FIELDS)
        for n in (len(values), 6, 7, 8):
            prefix = values[:n]
            assert location_text(prefix) == str(Location(*prefix)), prefix


def test_a_mapped_cell_located_lazily_is_the_mapped_cell_made_directly() -> None:
    where = Location("r.txt", line=57, cell=3)
    out = Collector()
    out.put("requests", "granted", "total", lazy_cell("12", Location, ("r.txt", None, None, None, None, None, 57, 3)))
    lazy = out.cells[("requests", "granted", "total")]
    eager = MappedCell("requests", "granted", "total", "12", where, lazy.state, lazy.value, lazy.note)
    assert lazy.location_text() == "line 57, cell 3" == eager.location_text()
    assert lazy == eager and eager == lazy and repr(lazy) == repr(eager) and isinstance(lazy, MappedCell)
    assert lazy.location == where and lazy.location is lazy.location
    for other in (pickle.loads(pickle.dumps(lazy)), copy.copy(lazy), copy.deepcopy(lazy)):
        assert type(other) is MappedCell and other == eager
    changed = dataclasses.replace(lazy, state="unreadable", value=None)
    assert (changed.raw, changed.location, changed.state) == ("12", where, "unreadable")
    lazy.location = None  # mutable as a MappedCell is
    assert lazy.location is None and lazy.location_text() == ""
    assert lazy != eager


@pytest.mark.parametrize("name", ["mfa_2023.txt", "pingtan_2024.html"])
def test_metrics_locations_are_the_mapped_cells_locations(name: str) -> None:
    report = read_report(corpus_file(name))
    frame = report.metrics
    assert len(frame) > 100
    assert list(frame["location"]) == ["" if c.location is None else str(c.location) for c in report._cells]


def test_location_str_quick_paths_give_the_parts_joined() -> None:
    # the parts as the spec's location text lists them, joined independently of Location.__str__'s code
    rng = random.Random(5)
    order = ["table", "row", "col", "line", "cell"]
    for _ in range(500):
        set_ = {name: rng.randint(1, 99) for name in order if rng.random() < 0.6}
        expected = ", ".join(f"{name} {set_[name]}" for name in order if name in set_)
        assert str(Location("p.html", **set_)) == expected, set_


@pytest.mark.parametrize("name", ["pingtan_2024.html", "shuyang_fgj_2023.html", "huaian_2024.pdf", "template_2021_blank.docx"])
def test_a_grid_cell_writes_its_location_without_making_it(name: str) -> None:
    from govdisclose.readers.model import cell_location_text

    doc = read_document(corpus_file(name))
    cells = [cell for table in doc.tables for row in table.rows for cell in row]
    assert len(cells) > 100
    # the text is written from the fields first; then the location is made and printed
    written = [cell_location_text(cell) for cell in cells]
    assert written == [str(cell.location) for cell in cells]
    assert any(", row " in text for text in written)
