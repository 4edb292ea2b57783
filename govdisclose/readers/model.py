"""The document model every reader produces: paragraphs and tables of cells, in reading order.

Readers (one per format, in :mod:`govdisclose.readers`) turn a file into a :class:`Document`;
the layout step finds the title and sections in it and the mapper
(:mod:`govdisclose.mapping.mapper`) maps its table rows onto catalogue codes. Nothing here knows
about the report template.

A cell keeps the text exactly as printed plus a structured :class:`~govdisclose.records.Location`
a person can follow back to the file (rendered ``line 57, cell 3``, ``page 4, table 1, row 6, col 2``). A cell whose digits ran together
with its neighbours' (a structure-lost text rendering) is marked ``run=True``: its text holds
several values and the mapper decodes it with the template's arithmetic. Readers expand
merged cells (HTML rowspan/colspan, DOCX gridSpan/vMerge, PDF spanning boxes) with one builder,
:class:`govdisclose.readers.grid.GridBuilder`, so every row has one slot per grid column; slots covered by a span repeat its text with ``merged=True`` (the mapper
uses them as label context and never as values).

>>> cell = Cell("18", Location(line=57, cell=3))
>>> table = Table(rows=[[Cell("一、本年新收政府信息公开申请数量", Location(line=57, cell=1)), cell]], location=Location(line=57))
>>> doc = Document(source="x.txt", blocks=[Paragraph("外交部政府信息公开工作2023年度报告", Location(line=1)), table])
>>> [type(b).__name__ for b in doc.blocks]
['Paragraph', 'Table']
>>> doc.text().splitlines()[0]
'外交部政府信息公开工作2023年度报告'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from govdisclose.records import Location, location_text

__all__ = ["Cell", "Paragraph", "Table", "Block", "Document", "Location", "lazy_cell", "lazy_parts", "cell_location_text", "location_text_of"]


@dataclass(frozen=True, slots=True, init=False, eq=False, repr=False)
class Cell:
    """One table cell: its text as printed and where it was read.

    Readers may make a cell with :func:`lazy_cell`, whose location is built on first use
    (most cells' locations are never asked for); it is a ``Cell`` in every other respect:
    equal to, hashed and printed like the same cell made directly.
    """

    text: str
    location: Location
    run: bool = False  # several values whose separators were lost
    merged: bool = False  # a slot covered by a row/column span: a copy of the span's first cell

    def __init__(self, text: str, location: Location, run: bool = False, merged: bool = False) -> None:
        # the slots set through their descriptors: cheaper than the frozen dataclass's object.__setattr__
        _text(self, text)
        _location(self, location)
        _run(self, run)
        _merged(self, merged)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        # the fields compared in order as the dataclass does, the location last (a lazy cell's is made only if needed)
        return self.text == other.text and self.run == other.run and self.merged == other.merged and self.location == other.location

    def __hash__(self) -> int:
        return hash((self.text, self.location, self.run, self.merged))

    def __repr__(self) -> str:
        return f"Cell(text={self.text!r}, location={self.location!r}, run={self.run!r}, merged={self.merged!r})"


_text, _location, _run, _merged = (vars(Cell)[f.name].__set__ for f in fields(Cell))
_stored_location = vars(Cell)["location"].__get__


class _LazyCell(Cell):
    """A :class:`Cell` whose location is ``make(*args)``, made when first asked for."""

    __slots__ = ("_make", "_args")
    _make: Callable[..., Location]
    _args: tuple[Any, ...]

    @property  # type: ignore[override]
    def location(self) -> Location:
        where: Location | None = _stored_location(self)
        if where is None:
            where = self._make(*self._args)
            _location(self, where)
        return where

    def __reduce__(self) -> tuple[Any, ...]:  # pickled and copied as a plain Cell
        return (Cell, (self.text, self.location, self.run, self.merged))


_set_make, _set_args = vars(_LazyCell)["_make"].__set__, vars(_LazyCell)["_args"].__set__
_new = object.__new__


def lazy_cell(text: str, make: Callable[..., Location], args: tuple[Any, ...], run: bool = False, merged: bool = False) -> Cell:
    """A cell whose location is ``make(*args)``, built only if it is asked for.

    ``make`` must be a pure function of ``args`` (the location is the same whenever it is made).

    >>> cell = lazy_cell("18", Location, ("x.txt", None, None, None, None, None, 57, 3))
    >>> cell == Cell("18", Location("x.txt", line=57, cell=3)), str(cell.location)
    (True, 'line 57, cell 3')
    """
    cell = _new(_LazyCell)
    _location(cell, None)  # not made yet
    _text(cell, text)
    _run(cell, run)
    _merged(cell, merged)
    _set_make(cell, make)
    _set_args(cell, args)
    return cell


def lazy_parts(cell: Cell) -> tuple[Callable[..., Location], tuple[Any, ...]] | None:
    """``(make, args)`` of a :func:`lazy_cell` whose location is not made yet, else None.

    >>> lazy_parts(lazy_cell("18", Location, ("x.txt",)))[1], lazy_parts(Cell("18", Location()))
    (('x.txt',), None)
    """
    if cell.__class__ is _LazyCell and _stored_location(cell) is None:
        return cell._make, cell._args
    return None


#: How a reader's ``make`` function (of :func:`lazy_cell`) writes its location without making it:
#: ``text_of(*args) == str(make(*args))``; filled by :func:`location_text_of`.
_TEXT_OF: dict[Callable[..., Location], Callable[..., str]] = {Location: lambda *values: location_text(values)}


def location_text_of(make: Callable[..., Location], text_of: Callable[..., str]) -> None:
    """Register ``text_of``, which gives ``str(make(*args))`` for the same ``args`` without making
    the Location, so :func:`cell_location_text` can write a lazy cell's location cheaply."""
    _TEXT_OF[make] = text_of


def cell_location_text(cell: Cell) -> str:
    """``str(cell.location)``; for a :func:`lazy_cell` made with ``Location`` itself whose location
    is not made yet, rendered from its fields without making it (:func:`~govdisclose.records.location_text`).

    >>> cell_location_text(lazy_cell("18", Location, ("x.txt", None, None, None, None, None, 57, 3)))
    'line 57, cell 3'
    """
    if cell.__class__ is _LazyCell and _stored_location(cell) is None:
        text_of = _TEXT_OF.get(cell._make)
        if text_of is not None:
            return text_of(*cell._args)
    return str(cell.location)


@dataclass(slots=True)
class Paragraph:
    """A run of prose (or a heading) with where it was read."""

    text: str
    location: Location


@dataclass(slots=True)
class Table:
    """A grid of cells, one list per printed row (merged cells repeated or left empty)."""

    rows: list[list[Cell]]
    location: Location

    def text(self) -> str:
        return "\n".join("\t".join(c.text for c in row) for row in self.rows)


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    """A read file: its blocks in reading order, and the reader's notes about it."""

    source: str
    blocks: list[Block] = field(default_factory=list)
    format: str = "text"
    notes: list[str] = field(default_factory=list)
    #: The decoded text exactly as read (text formats only): for mapping steps that need the
    #: characters' positions in their lines (structure-lost tables, :mod:`govdisclose.mapping.flattened`).
    text_source: str = ""

    def text(self) -> str:
        """All text in reading order, tables as tab-separated lines."""
        return "\n".join(b.text if isinstance(b, Paragraph) else b.text() for b in self.blocks)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
