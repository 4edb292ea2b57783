"""HTML tables: their rows and cells as a browser groups them, and their grid with rowspan/colspan expanded.
"""

from __future__ import annotations

import re

from lxml import etree

from govdisclose.readers.grid import CellBudget, GridBuilder
from govdisclose.readers.html.clean import element_text, picture
from govdisclose.readers.html.visible import STRUCK_ATTR, STRUCK_CELL
from govdisclose.readers.model import Cell, Location

__all__ = ["table_rows", "is_grid", "span", "table_grid", "index_tables"]

_MAX_COLSPAN = 1000  # the HTML standard's limits


_MAX_ROWSPAN = 65534


_DIGITS = re.compile(r"\s*(\d{1,7})")


_CELL_TAGS = ("td", "th")


_SECTION_TAGS = ("thead", "tbody", "tfoot")


def span(value: str | None, limit: int, default: int) -> int:
    """A rowspan/colspan attribute as the HTML standard reads it (leading digits, clamped)."""
    match = _DIGITS.match(value) if value else None
    return min(int(match.group(1)), limit) if match else default


def table_rows(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows, each a list of its cells, in order.

    Rows come from ``<tr>`` (directly or in thead/tbody/tfoot); cells the parser left outside
    any ``<tr>`` (a damaged ``<tr>`` tag) form a row of their own, as a browser shows them.
    """
    rows: list[list[etree._Element]] = []
    stray: list[etree._Element] = []
    children = list(table)
    k = 0
    while k < len(children):
        child = children[k]
        k += 1
        tag = child.tag
        if tag in _CELL_TAGS:
            stray.append(child)
            continue
        if tag == "tr" or tag in _SECTION_TAGS:
            if stray:
                rows.append(stray)
                stray = []
            if tag == "tr":
                rows.append(_row_cells(child))
            else:
                children[k:k] = list(child)  # a section's rows take its place
    if stray:
        rows.append(stray)
    return rows


def _row_cells(row: etree._Element) -> list[etree._Element]:
    """A row's cells: its <td>/<th> children, and cells inside stray wrappers (``<form>``)."""
    cells = [c for c in row if c.tag in _CELL_TAGS]
    if len(cells) == len(row):
        return cells
    cells = []
    walker = etree.iterwalk(row, events=("start",))
    for _, el in walker:
        if el.tag in _CELL_TAGS:
            cells.append(el)
            walker.skip_subtree()
        elif el.tag == "tr" and el is not row:
            walker.skip_subtree()
    return cells


def is_grid(table: etree._Element) -> bool:
    """A table with two columns somewhere; a one-column table is a text box and reads as prose."""
    for cells in table_rows(table):
        if len(cells) > 1 or (cells and span(cells[0].get("colspan"), _MAX_COLSPAN, 1) > 1):
            return True
    return False


def index_tables(root: etree._Element) -> tuple[dict[etree._Element, int], set[etree._Element], list[etree._Element]]:
    """Every ``<table>`` numbered in document order, the tables that wrap other tables, and the
    innermost tables (those holding no other table)."""
    numbers: dict[etree._Element, int] = {}
    wrapping: set[etree._Element] = set()
    open_tables: list[etree._Element] = []
    leaves: list[etree._Element] = []
    for event, table in etree.iterwalk(root, events=("start", "end"), tag="table"):
        if event == "start":
            numbers[table] = len(numbers) + 1
            if open_tables:
                wrapping.add(open_tables[-1])
            open_tables.append(table)
        else:
            open_tables.pop()
            if table not in wrapping:
                leaves.append(table)
    return numbers, wrapping, leaves


def table_grid(table: etree._Element, where: Location, budget: CellBudget, line_offset: int = 0) -> list[list[Cell]]:
    """One table's grid rebuilt from rowspan/colspan (:class:`~govdisclose.readers.grid.GridBuilder`).

    A cell's location carries its source line (plus ``line_offset``); a covered slot says where
    its span starts (``merged from row 4, col 1``), a slot no cell covers reads ``(no cell)``.
    """
    rows = table_rows(table)
    n_rows = len(rows)
    grid = GridBuilder(where, budget, rows=n_rows, merged_word="merged from")
    place_row = grid.place_row
    for r, row in enumerate(rows):
        cells: list[tuple[str, int, int, dict[str, int | None]]] = []
        below = n_rows - r  # rows a span from here can cover
        for td in row:
            get = td.get
            cols, rows_down = get("colspan"), get("rowspan")  # mostly absent: no parsing then
            colspan = max(span(cols, _MAX_COLSPAN, 1), 1) if cols is not None else 1
            rowspan = span(rows_down, _MAX_ROWSPAN, 1) if rows_down is not None else 1
            rowspan = below if rowspan == 0 else min(rowspan, below)
            text = element_text(td) or (STRUCK_CELL if get(STRUCK_ATTR) else picture(td))
            source = td.sourceline
            cells.append((text, rowspan, colspan, {"line": source + line_offset if isinstance(source, int) and source > 0 else None}))
        place_row(r, cells)
    return grid.rows()
