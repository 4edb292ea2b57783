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

from dataclasses import dataclass, field

from govdisclose.records import Location

__all__ = ["Cell", "Paragraph", "Table", "Block", "Document", "Location"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text as printed and where it was read."""

    text: str
    location: Location
    run: bool = False  # several values whose separators were lost
    merged: bool = False  # a slot covered by a row/column span: a copy of the span's first cell


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
