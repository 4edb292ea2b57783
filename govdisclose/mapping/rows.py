"""A document's table rows as the mapper sees them: label cells and value slots, and the choice of
which slots are the printed values when padding surrounds them.

>>> from govdisclose.readers.model import Cell
>>> row = [Cell(t, "") for t in ["", "(一) 予以公开", "5", "0", "5", ""]]
>>> [c.text for c in split_row(row)[1]]
['5', '0', '5', '']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from govdisclose.readers.model import Cell, Document, Paragraph, Table
from govdisclose.records import Location
from govdisclose.template.arithmetic import CellKey, Equation, agrees
from govdisclose.template.values import is_value_text, parse_value

__all__ = ["Row", "split_row", "rows_of", "choose", "fit", "is_pad", "number", "totals_agree", "cells_under"]

#: :func:`~govdisclose.template.values.is_value_text`, remembered (a report asks it of the same few texts ~1,000 times).
_is_value = lru_cache(maxsize=4096)(is_value_text)

#: A test of one window of value slots (e.g. that its printed totals add up).
WindowCheck = Callable[[list[Cell]], bool]


@dataclass(slots=True)
class Row:
    """One table row: its cells, its label text (own and with merged context) and its value slots."""

    cells: list[Cell]
    own_label: str  # label text of this row's own (non-merged) cells
    label: str  # with merged context
    slots: list[Cell]  # value slots, left to right
    anchor: Cell  # the cell whose location is the row's (its first value slot, else its first cell)
    joined: bool = False  # label, numbers, label again: two printed rows run into one (damaged markup)
    table: int = 0  # which table of the document (0-based), so a header is sought in its own table
    caption: str = ""  # the paragraph printed just before the row's table (a sub-table's heading)

    @property
    def location(self) -> Location:
        """Where the row is: its anchor cell's location (made only when asked for: most rows'
        locations never are, and a reader's cell makes its location lazily)."""
        return self.anchor.location

    @property
    def run(self) -> Cell | None:
        runs = [c for c in self.slots if c.run]
        return runs[0] if len(runs) == 1 and len(self.slots) == 1 else None

    @property
    def has_number(self) -> bool:
        return any(c.run or (c.text.strip() and _is_value(c.text)) for c in self.slots)


def split_row(cells: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """Split a row into label cells and value slots (the value-like cells at its right end).

    >>> from govdisclose.readers.model import Cell
    >>> row = [Cell(t, "") for t in ["", "(一) 予以公开", "5", "0", "5", ""]]
    >>> [c.text for c in split_row(row)[1]]
    ['5', '0', '5', '']
    """
    end = len(cells)
    k = end
    while k > 0:
        cell = cells[k - 1]
        if cell.merged or cell.run or _is_value(cell.text):
            k -= 1
            continue
        break
    slots = [c for c in cells[k:] if not c.merged]
    return cells[:k], slots


def is_pad(cell: Cell) -> bool:
    """An empty slot that is not a digit run: padding (trailing tabs, spare columns)."""
    return not cell.text.strip() and not cell.run


def _windows(slots: list[Cell], n: int) -> list[list[Cell]]:
    """Every run of n slots that leaves out only empty padding (trailing tabs, spare columns).

    >>> from govdisclose.readers.model import Cell
    >>> [[c.text for c in w] for w in _windows([Cell(t, "") for t in ["", "5", "0", ""]], 2)]
    [['5', '0']]
    >>> len(_windows([Cell(t, "") for t in ["", "5", ""]], 2))  # the blank may be printed on either side
    2
    """
    if len(slots) <= n:
        return [slots]
    return [slots[i:i + n] for i in range(len(slots) - n + 1) if all(is_pad(c) for c in slots[:i] + slots[i + n:])]


def number(cell: Cell) -> Decimal | None:
    """A slot's value in a sum: its number, 0 for a blank or placeholder, None if unreadable."""
    parsed = parse_value(cell.text)
    return parsed.value if parsed.state == "number" else (Decimal(0) if parsed.state in ("blank", "na") else None)


def totals_agree(window: list[Cell], keys: Sequence[CellKey], eqs: Iterable[Equation]) -> bool:
    """The window read as the template cells ``keys`` (in order) satisfies every equation of ``eqs``:
    each total printed as a number equal to its parts, blank or ``/`` parts as 0
    (:func:`govdisclose.template.arithmetic.agrees`).

    >>> from govdisclose.readers.model import Cell
    >>> from govdisclose.template.arithmetic import equations
    >>> (eq,) = [e for e in equations("2021") if e.rule == "requests.row_total" and e.item == "granted"]
    >>> keys = [*eq.parts, *eq.totals]
    >>> totals_agree([Cell(t, "") for t in ["3", "", "1", "0", "0", "0", "4"]], keys, [eq])
    True
    >>> totals_agree([Cell(t, "") for t in ["3", "", "1", "0", "0", "0", "/"]], keys, [eq])  # a total must be printed
    False
    """
    cells = {k: parse_value(c.text) for k, c in zip(keys, window)}
    return all(agrees(eq, cells) for eq in eqs)


def choose(slots: list[Cell], n: int, adds_up: WindowCheck | None = None) -> tuple[list[Cell], str]:
    """The n value slots of a row, or the slots unchanged with the reason they are not n.

    Padding may sit on either side of the printed values; where more than one window is
    possible and they read differently, the template's totals (``adds_up``) decide, and if they
    cannot, nothing is chosen.
    """
    windows = _windows(slots, n)
    if len(windows) == 1:
        return windows[0], ""
    if not windows:
        return slots, f"{len([c for c in slots if not is_pad(c)])} values where {n} were expected"
    texts = {tuple(c.text.strip() for c in w) for w in windows}
    if len(texts) == 1:
        return windows[0], ""
    if adds_up is not None:
        fitting = [w for w in windows if adds_up(w)]
        if len({tuple(c.text.strip() for c in w) for w in fitting}) == 1:
            return fitting[0], ""
    return slots, f"{len(slots)} slots for {n} values and the blank ones could be on either side"


def cells_under(row: Row, columns: Sequence[int], width: int) -> list[Cell] | None:
    """The row's cells in the header's grid ``columns``, where the row has the header's ``width``
    and every printed value sits under one of them (none merged, nothing printed elsewhere);
    else ``None`` (then the values are taken from the right).

    >>> from govdisclose.readers.model import Cell
    >>> row = rows_of_cells([["规章", "", "3", "4"]])[0]
    >>> [c.text for c in cells_under(row, [2, 3], 4)], cells_under(row, [1, 2], 4)
    (['3', '4'], None)
    """
    if len(row.cells) != width:
        return None
    cells = [row.cells[j] for j in columns]
    wanted = set(columns)
    outside = [c for j, c in enumerate(row.cells) if j not in wanted and c in row.slots and not is_pad(c)]
    return None if outside or any(c.merged for c in cells) else cells


def rows_of_cells(rows: list[list[str]]) -> list[Row]:
    """Rows built from plain texts (one table; cell locations give row and column only): for examples."""
    table = Table(rows=[[Cell(text, Location(row=r + 1, col=c + 1)) for c, text in enumerate(texts)] for r, texts in enumerate(rows)],
                  location=Location(table=1))
    return rows_of(Document(source="", blocks=[table]))


def fit(slots: list[Cell], n: int) -> list[Cell]:
    """:func:`choose` without the reason."""
    return choose(slots, n)[0]


def rows_of(doc: Document) -> list[Row]:
    """Every table row of a document in reading order."""
    out: list[Row] = []
    caption = ""
    number = -1
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            caption = block.text
            continue
        number += 1
        title = _title_row(block.rows)
        for r, cells in enumerate(block.rows):
            if r == 1 and title:
                caption = title  # the table's own first row, one text across it, heads the rows below
            label_cells, slots = split_row(cells)
            own: list[str] = []
            full: list[str] = []
            for cell in label_cells:
                text = cell.text.strip()
                if not text:
                    continue
                if not full or full[-1] != text:
                    full.append(text)
                if not cell.merged and (not own or own[-1] != text):
                    own.append(text)
            anchor = (slots or cells or [Cell("", block.location)])[0]
            out.append(Row(cells, " ".join(own), " ".join(full), slots, anchor, _joined(label_cells), number, caption))
        caption = ""
    return out


def _title_row(rows: list[list[Cell]]) -> str:
    """The text of a table's first row where it is one text across the table (a merged title row,
    or a heading a PDF reader took into the table), with no number in it; else ""."""
    if len(rows) < 2 or not rows[0]:
        return ""
    texts = {c.text.strip() for c in rows[0]} - {""}
    if len(texts) != 1 or len(rows[0]) < 2 or not all(c.merged for c in rows[0][1:] if c.text.strip()):
        return ""
    (text,) = texts
    return "" if is_value_text(text) else text


def _joined(label_cells: list[Cell]) -> bool:
    """True where numbers stand between two labels: rows that ran into one another.

    A leading number column (``1 | 属于国家秘密 | …``) is not that: a label must come first.
    """
    kinds: list[str] = []
    for cell in label_cells:
        text = cell.text.strip()
        if cell.merged or not text:
            continue
        kind = "value" if _is_value(text) else "label"
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return "label" in kinds and kinds[kinds.index("label"):][:3] == ["label", "value", "label"]
