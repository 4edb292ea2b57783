"""Rows of the template an OCR'd document did not yield: a warning each, never a silent loss.

>>> from decimal import Decimal
>>> from govdisclose.mapping.collect import MappedCell
>>> cells = [MappedCell("requests", "unable.not_held", "total", "0", None, "number", Decimal(0)),
...          MappedCell("requests", "unable.needs_creation", "total", "", None, "unreadable", None, NOT_FOUND)]
>>> [f.item for f in missing_rows("scan.pdf", cells)]
['unable.needs_creation']
"""

from __future__ import annotations

from govdisclose.mapping.collect import MappedCell
from govdisclose.records import Finding, Location

__all__ = ["missing_rows", "NOT_FOUND"]


#: The mapper's note on a template cell the document does not hold.
NOT_FOUND = "not found in the document"


def missing_rows(source: str, cells: list[MappedCell]) -> list[Finding]:
    """A warning per template row OCR found no cell of while the rest of its table was read (a row
    lost at a page break, a ruling OCR did not see): its cells are ``unreadable``, never silent."""
    rows: dict[tuple[str, str], list[MappedCell]] = {}
    for cell in cells:
        rows.setdefault((cell.table, cell.item), []).append(cell)
    read_tables = {t for (t, _), row in rows.items() if any(c.note != NOT_FOUND for c in row)}
    return [Finding("ocr.row_missing", "warning", f"{table} {item}: the row was not found in the OCR'd tables "
                    f"({len(row)} cells unreadable) although the rest of the table was read",
                    Location(file=source), table=table, item=item)
            for (table, item), row in rows.items() if table in read_tables and all(c.note == NOT_FOUND for c in row)]
