"""One builder for table grids with merged cells: HTML rowspan/colspan, DOCX gridSpan/vMerge, PDF spanning boxes.

A reader places each printed cell at its (row, column) with its row and column span; the
builder gives every row one slot per grid column:

* the span's first slot is the printed :class:`~govdisclose.readers.model.Cell`;
* the other slots it covers are copies with ``merged=True`` whose location says where the span
  starts (``merged with row 6, col 1``): the mapper uses them as label context, never as values;
* slots no printed cell covers (a short row, ``gridBefore``) are empty ``merged=True`` cells
  located ``(no cell)``, so a row that lost a cell is flagged rather than read shifted;
* where spans overlap, the first one placed keeps the slot.

Every slot is paid for from a :class:`CellBudget` *before* it is allocated, so a span bomb
(``rowspan="65534"`` in every cell) stops with a :class:`~govdisclose.exceptions.DocumentTooLargeError`
instead of filling memory.

>>> from pathlib import Path
>>> from govdisclose.records import Location
>>> grid = GridBuilder(Location("t.html", table=1), CellBudget(Path("t.html"), 100, "rowspan/colspan"))
>>> grid.place(0, 0, "本年新收", rowspan=2)
>>> grid.place(0, 1, "18")
>>> grid.place(1, grid.next_free(1), "0")
>>> grid.place(2, 1, "7")
>>> [[(c.text, c.merged) for c in row] for row in grid.rows()]
[[('本年新收', False), ('18', False)], [('本年新收', True), ('0', False)], [('', True), ('7', False)]]
>>> [str(row[0].location) for row in grid.rows()]
['table 1, row 1, col 1', 'table 1, row 2, col 1 (merged with row 1, col 1)', 'table 1, row 3, col 1 (no cell)']
>>> GridBuilder(Location("t.html", table=1), CellBudget(Path("t.html"), 10, "rowspan/colspan")).place(0, 0, "x", rowspan=5, colspan=5)
Traceback (most recent call last):
...
govdisclose.DocumentTooLargeError: t.html: the tables expand to over 10 cells (rowspan/colspan; at table 1, row 1, col 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers.model import Cell, lazy_cell, lazy_parts, location_text_of
from govdisclose.records import Location, location_text, page_text, plain_text

__all__ = ["CellBudget", "GridBuilder", "location_fields", "slot_location"]

_FIELDS = tuple(f.name for f in dataclass_fields(Location))
_POSITION = {name: k for k, name in enumerate(_FIELDS)}
_ROW, _COL = _POSITION["row"], _POSITION["col"]
_PAGE, _PARAGRAPH, _TABLE, _LINE, _CELL = (_POSITION[n] for n in ("page", "paragraph", "table", "line", "cell"))
_CHAR, _LINE_END, _BBOX, _VALUE, _DETAIL = (_POSITION[n] for n in ("char", "line_end", "bbox", "value", "detail"))


def _located_values(base: list[Any], row: int, col: int, fields: dict[str, Any]) -> list[Any]:
    """The fields, in order, of the location ``base`` (a Location's fields in order) at ``row``,
    ``col``, with ``fields`` set."""
    values = base.copy()
    values[_ROW] = row
    values[_COL] = col
    for name, value in fields.items():
        values[_POSITION[name]] = value
    return values


def _located(base: list[Any], row: int, col: int, fields: dict[str, Any]) -> Location:
    """The location of a grid slot (``dataclasses.replace`` of ``base``, but faster)."""
    return Location(*_located_values(base, row, col, fields))


def _located_text(base: list[Any], row: int, col: int, fields: dict[str, Any]) -> str:
    """``str(_located(...))`` without making the Location (the frame needs only the text)."""
    if (not fields or (len(fields) == 1 and "line" in fields)) and base[_PAGE] is None and base[_PARAGRAPH] is None \
            and base[_CHAR] is None and base[_LINE_END] is None and base[_BBOX] is None and base[_VALUE] is None \
            and not base[_DETAIL]:  # a grid slot with at most its own line (most cells): written straight away
        return plain_text(base[_TABLE], row, col, fields["line"] if fields else base[_LINE], base[_CELL])
    if base[_PAGE] is not None and base[_PARAGRAPH] is None and base[_LINE] is None and base[_CELL] is None \
            and base[_VALUE] is None and fields.keys() <= _BOX_FIELDS:  # a PDF table's slot: written straight away
        return page_text(base[_PAGE], base[_TABLE], row, col, fields.get("bbox", base[_BBOX]), fields.get("detail", base[_DETAIL]))
    return location_text(tuple(_located_values(base, row, col, fields)))


_BOX_FIELDS = frozenset(("bbox", "detail"))


location_text_of(_located, _located_text)


def _row_col(cell: Cell) -> tuple[int | None, int | None]:
    """A slot's row and column as its location says, without making the location when it is a
    slot location not made yet (:data:`slot_location`: the fields given override the row and col)."""
    pending = lazy_parts(cell)
    if pending is not None and pending[0] is _located:
        _, row, col, fields = pending[1]
        return fields.get("row", row), fields.get("col", col)
    where = cell.location
    return where.row, where.col

#: ``slot_location(location_fields(where), row, col, fields)``: the location of a grid slot, the
#: ``make`` of a :func:`~govdisclose.readers.model.lazy_cell` whose text is written without making it.
slot_location = _located


def location_fields(where: Location) -> list[Any]:
    """``where``'s fields in order: the ``base`` of :data:`slot_location`."""
    return [getattr(where, name) for name in _FIELDS]


class CellBudget:
    """The table slots one document may still produce (shared by all its tables)."""

    def __init__(self, path: Path, limit: int, spans: str) -> None:
        self.path = path
        self.limit = limit
        self.spans = spans  # what made the slots, for the message ("rowspan/colspan")
        self.used = 0

    def room(self, slots: int) -> None:
        """Refuse, before allocating them, ``slots`` more slots than the budget has left."""
        if self.used + slots > self.limit:
            raise DocumentTooLargeError(self.path, f"the tables expand to over {self.limit:,} cells ({self.spans}; {slots:,} in one table)")

    def spend(self, slots: int, grid: GridBuilder, r: int | None = None, c: int = 0) -> None:
        """Pay for ``slots`` more slots of ``grid`` (placed at row ``r``, column ``c``, 0-based);
        :class:`DocumentTooLargeError` past the limit."""
        self.used += slots
        if self.used > self.limit:
            where = grid.where if r is None else grid._locate(r, c)
            raise DocumentTooLargeError(self.path, f"the tables expand to over {self.limit:,} cells ({self.spans}; at {where})")


@dataclass(frozen=True, slots=True)
class _Cover:
    """A slot covered by the span starting at (row, col)."""

    row: int
    col: int
    fields: tuple[tuple[str, Any], ...] = ()  # the slot's own location fields (a PDF unit box)


class GridBuilder:
    """Cells placed with their spans into rows of slots; :meth:`rows` gives the padded grid.

    ``where`` is the table's location; a slot's location is ``where`` with its row and column
    (``row_numbers[r]`` when printed rows are numbered apart from grid rows, e.g. a DOCX row
    deleted in tracked changes), overridden by the fields given to :meth:`place`.
    ``rows`` rows exist from the start (a printed row may hold no cell); ``merged_word`` reads
    ``merged with`` or ``merged from`` in the covered slots' detail.
    """

    def __init__(self, where: Location, budget: CellBudget, *, rows: int = 0, row_numbers: list[int] | None = None,
                 merged_word: str = "merged with") -> None:
        self.where = where
        self.budget = budget
        self.row_numbers = row_numbers
        self.merged_word = merged_word
        self._rows: list[list[Cell | _Cover | None]] = [[] for _ in range(rows)]
        self._paid = 0  # slots paid for from the budget
        self._base = location_fields(where)  # Location's fields in order, for positional calls

    def __len__(self) -> int:
        return len(self._rows)

    def _locate(self, r: int, c: int, **fields: Any) -> Location:
        return _located(self._base, self.row_numbers[r] if self.row_numbers is not None else r + 1, c + 1, fields)

    def _lazy(self, text: str, r: int, c: int, fields: dict[str, Any]) -> Cell:
        """A merged slot's cell, located (r, c) with ``fields``, its location made when asked for."""
        row = self.row_numbers[r] if self.row_numbers is not None else r + 1
        return lazy_cell(text, _located, (self._base, row, c + 1, fields), merged=True)

    def _detail(self, note: str) -> str:
        return f"{self.where.detail}; {note}" if self.where.detail else note

    def reserve(self, r: int, width: int) -> None:
        """Make row ``r`` at least ``width`` slots wide (slots left empty read ``no cell``)."""
        self._slots(r, width)

    def _slots(self, r: int, width: int) -> list[Cell | _Cover | None]:
        while len(self._rows) <= r:
            self._rows.append([])
        slots = self._rows[r]
        if len(slots) < width:
            slots.extend([None] * (width - len(slots)))
        return slots

    def next_free(self, r: int, c: int = 0) -> int:
        """The first column at or after ``c`` that no cell or span holds in row ``r``."""
        slots = self._rows[r] if r < len(self._rows) else []
        while c < len(slots) and slots[c] is not None:
            c += 1
        return c

    def width(self, r: int) -> int:
        """Slots row ``r`` holds so far (placed cells and spans, gaps included)."""
        return len(self._rows[r]) if r < len(self._rows) else 0

    def place(self, r: int, c: int, text: str, *, rowspan: int = 1, colspan: int = 1, run: bool = False, merged: bool = False,
              **fields: Any) -> None:
        """Put a printed cell at (r, c), 0-based, covering ``rowspan`` × ``colspan`` slots.

        ``fields`` set the printed cell's own location fields (``line=``, ``bbox=``); ``merged``
        marks a cell that is itself a copy (a span whose start is hidden under another).
        """
        if rowspan <= 1 and colspan <= 1:  # one slot (most cells): the loop below, unrolled
            self.budget.spend(1, self, r, c)
            self._paid += 1
            while len(self._rows) <= r:
                self._rows.append([])
            slots = self._rows[r]
            if len(slots) <= c:
                slots.extend([None] * (c + 1 - len(slots)))
            if slots[c] is None:
                row = self.row_numbers[r] if self.row_numbers is not None else r + 1
                slots[c] = lazy_cell(text, _located, (self._base, row, c + 1, fields), run, merged)
            return
        rowspan, colspan = max(rowspan, 1), max(colspan, 1)
        self.budget.spend(rowspan * colspan, self, r, c)
        self._paid += rowspan * colspan
        rows = self._rows
        while len(rows) < r + rowspan:
            rows.append([])
        end = c + colspan
        for dr in range(rowspan):
            slots = rows[r + dr]
            if len(slots) < end:
                slots.extend([None] * (end - len(slots)))
            if dr == 0:
                if slots[c] is None:  # overlapping spans: the first keeps the slot
                    row = self.row_numbers[r] if self.row_numbers is not None else r + 1
                    slots[c] = lazy_cell(text, _located, (self._base, row, c + 1, fields), run, merged)  # self._locate(r, c, **fields)
                first = c + 1
            else:
                first = c
            if first < end:
                cover = _Cover(r, c)
                for k in range(first, end):
                    if slots[k] is None:
                        slots[k] = cover

    def place_row(self, r: int, cells: list[tuple[str, int, int, dict[str, Any]]]) -> None:
        """Place a printed row's cells, ``(text, rowspan, colspan, fields)`` each, left to right:
        each at the first slot, from the end of the one before, that no cell or span holds.

        The same as :meth:`next_free` then :meth:`place` per cell (an HTML row), in one call: a
        page has hundreds of cells, most of them one slot each.
        """
        budget, rows = self.budget, self._rows
        while len(rows) <= r:
            rows.append([])
        slots = rows[r]
        row = self.row_numbers[r] if self.row_numbers is not None else r + 1
        base = self._base
        col = 0
        for text, rowspan, colspan, fields in cells:
            n = len(slots)
            while col < n and slots[col] is not None:
                col += 1
            if rowspan > 1 or colspan > 1:
                self.place(r, col, text, rowspan=rowspan, colspan=colspan, **fields)
                col += colspan
                continue
            budget.used += 1  # budget.spend(1, self, r, col), inlined
            if budget.used > budget.limit:
                budget.spend(0, self, r, col)
            self._paid += 1
            if n <= col:
                slots.extend([None] * (col + 1 - n))
            slots[col] = lazy_cell(text, _located, (base, row, col + 1, fields))  # (a free slot)
            col += 1

    def cover(self, r: int, c: int, anchor: tuple[int, int], **fields: Any) -> None:
        """Mark slot (r, c) as covered by the span whose printed cell is at ``anchor`` (a vMerge
        continuation, a PDF box over several grid slots); ``fields`` set the slot's own location fields."""
        self.budget.spend(1, self, r, c)
        self._paid += 1
        slots = self._slots(r, c + 1)
        if slots[c] is None:
            slots[c] = _Cover(anchor[0], anchor[1], tuple(fields.items()))

    def origin(self, r: int, c: int) -> tuple[int, int] | None:
        """Where the cell holding slot (r, c) was printed, None for an empty slot."""
        slot = self._rows[r][c] if r < len(self._rows) and c < len(self._rows[r]) else None
        if slot is None:
            return None
        return (slot.row, slot.col) if isinstance(slot, _Cover) else (r, c)

    def rows(self, width: int = 0) -> list[list[Cell]]:
        """The grid, every row padded to the widest row (or ``width``, when wider)."""
        width = max(width, max((len(slots) for slots in self._rows), default=0))
        self.budget.spend(max(width * len(self._rows) - self._paid, 0), self)  # the padding and gaps
        self._paid = max(self._paid, width * len(self._rows))
        out: list[list[Cell]] = []
        lazy, details = self._lazy, dict[tuple[int, int], str]()  # one detail text per span start
        no_cell = {"detail": self._detail("no cell")}
        for r, slots in enumerate(self._rows):
            row: list[Cell] = []
            for c, slot in enumerate(slots if len(slots) == width else slots + [None] * (width - len(slots))):
                if slot is None:
                    row.append(lazy("", r, c, no_cell))
                elif slot.__class__ is _Cover:
                    assert isinstance(slot, _Cover)
                    anchor = self._rows[slot.row][slot.col]
                    assert isinstance(anchor, Cell)
                    start = (slot.row, slot.col)
                    detail = details.get(start)
                    if detail is None:
                        row_at, col_at = _row_col(anchor)
                        detail = details[start] = self._detail(f"{self.merged_word} row {row_at}, col {col_at}")
                    row.append(lazy(anchor.text, r, c, {"detail": detail, **dict(slot.fields)}))
                else:
                    assert isinstance(slot, Cell)
                    row.append(slot)
            out.append(row)
        return out
