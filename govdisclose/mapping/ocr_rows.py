"""Rows of the template an OCR'd document did not yield: one warning per table listing them, never a silent
loss; and the cells the mapper refused for where they stand, which OCR confirmation never decides.

>>> from decimal import Decimal
>>> from govdisclose.mapping.collect import MappedCell
>>> cells = [MappedCell("requests", "unable.not_held", "total", "0", None, "number", Decimal(0)),
...          MappedCell("requests", "unable.needs_creation", "total", "", None, "unreadable", None, NOT_FOUND),
...          MappedCell("requests", "unable.unclear", "total", "", None, "unreadable", None, NOT_FOUND)]
>>> [(f.table, f.item, f.message) for f in missing_rows("scan.pdf", cells)]
[('requests', None, "requests: 2 rows were not found in the OCR'd tables (2 cells unreadable) although the rest of the table was read: unable.needs_creation, unable.unclear")]
"""

from __future__ import annotations

from govdisclose.mapping.collect import MappedCell
from govdisclose.records import Finding, Location
from govdisclose.template.values import parse_value

__all__ = ["missing_rows", "refused_by_mapper", "NOT_FOUND"]


#: The mapper's note on a template cell the document does not hold.
NOT_FOUND = "not found in the document"


def missing_rows(source: str, cells: list[MappedCell]) -> list[Finding]:
    """One warning per table whose template rows OCR found no cell of while the rest of the table
    was read (rows lost at a page break or a page left out of the scan, a ruling OCR did not see),
    listing them: their cells are ``unreadable``, never silent. ``item`` is the row where it is one."""
    rows: dict[tuple[str, str], list[MappedCell]] = {}
    for cell in cells:
        rows.setdefault((cell.table, cell.item), []).append(cell)
    read_tables = {t for (t, _), row in rows.items() if any(c.note != NOT_FOUND for c in row)}
    lost: dict[str, list[tuple[str, int]]] = {}
    for (table, item), row in rows.items():
        if table in read_tables and all(c.note == NOT_FOUND for c in row):
            lost.setdefault(table, []).append((item, len(row)))
    out = []
    for table, items in lost.items():
        count = f"{len(items)} rows were" if len(items) > 1 else "1 row was"
        out.append(Finding("ocr.row_missing", "warning", f"{table}: {count} not found in the OCR'd tables "
                           f"({sum(n for _, n in items)} cells unreadable) although the rest of the table was read: "
                           f"{', '.join(item for item, _ in items)}",
                           Location(file=source), table=table, item=items[0][0] if len(items) == 1 else None))
    return out


def refused_by_mapper(cell: MappedCell, cells: list[MappedCell]) -> bool:
    """Whether the mapper made ``cell`` unreadable for where it stands, not for its text: its text
    reads as a value (a column a header cannot name, a value that is not the row's), or it stands at
    a location it shares with other cells (a row refused whole, at the row's first box). OCR never
    reads such a cell again: the reading at that location is another cell's, and a row of zeros
    would "agree" and hold every equation."""
    if cell.state != "unreadable":
        return False
    if parse_value(cell.raw).state != "unreadable":
        return True
    where = cell.location_text()
    return sum(1 for c in cells if c.state == "unreadable" and c.location_text() == where) > 1
