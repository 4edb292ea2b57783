"""The two provenance records every stage shares: where something was read, and what was noticed.

A :class:`Location` is structured (file, page, line, table, row, column, box …) and is rendered to
the human-readable ``location`` string of the tidy frame only at the end, by ``str()``; no code
parses a location string back. A :class:`Finding` is one thing a reader, the mapper or the
validator noticed, with its rule code, severity and location; all three stages produce the same
type, and :func:`findings_frame` turns a list of them into the findings frame.

>>> loc = Location(file="mfa_2023.txt", line=39, cell=2)
>>> str(loc)
'line 39, cell 2'
>>> str(Location(page=4, table=2, row=6, col=3, bbox=(56.7, 120.0, 90.2, 134.5)))
'page 4, table 2, row 6, col 3, box (57,120,90,134)'
>>> str(loc.part(2, 7))
'line 39, cell 2, value 2 of 7'
>>> Finding("row.placed", "info", "row without a label placed as row 3", loc).location.line
39
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["Location", "Finding", "SEVERITIES", "FINDING_COLUMNS", "findings_frame", "location_text", "page_text", "plain_text"]

#: Severities, most serious first.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

#: Columns of every findings frame (reader, mapper and validator findings alike).
FINDING_COLUMNS: tuple[str, ...] = (
    "agency", "year", "rule", "severity", "table", "item", "applicant", "expected", "actual", "message", "source", "location",
)


@dataclass(frozen=True, slots=True, init=False)
class Location:
    """Where a cell, paragraph or finding was read. Every field is optional; 1-based numbers.

    ``table`` counts tables in the document (in a PDF: on the page); ``cell`` is the k-th cell of
    a text line (tab- or space-separated); ``char``/``char_end`` are character positions within
    ``line`` (``line_end`` where a span crosses lines); ``bbox`` is ``(x0, top, x1, bottom)`` in
    points from the page's top-left corner; ``value``/``of`` say that the cell is the k-th of n
    values split from one printed digit run; ``detail`` is free text for a person (``merged with
    row 3, col 1``), never parsed.
    """

    file: str = ""
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None
    cell: int | None = None
    char: int | None = None
    line_end: int | None = None
    char_end: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    value: int | None = None
    of: int | None = None
    detail: str = ""

    # A frozen dataclass's generated __init__ sets each of the 15 fields through
    # object.__setattr__; readers make one Location per table cell, so this one sets the slots
    # through their descriptors (3x cheaper). Same signature, same fields, same behaviour.
    def __init__(self, file: str = "", page: int | None = None, paragraph: int | None = None, table: int | None = None,
                 row: int | None = None, col: int | None = None, line: int | None = None, cell: int | None = None,
                 char: int | None = None, line_end: int | None = None, char_end: int | None = None,
                 bbox: tuple[float, float, float, float] | None = None, value: int | None = None, of: int | None = None,
                 detail: str = "") -> None:
        _file(self, file)
        _page(self, page)
        _paragraph(self, paragraph)
        _table(self, table)
        _row(self, row)
        _col(self, col)
        _line(self, line)
        _cell(self, cell)
        _char(self, char)
        _line_end(self, line_end)
        _char_end(self, char_end)
        _bbox(self, bbox)
        _value(self, value)
        _of(self, of)
        _detail(self, detail)

    def __str__(self) -> str:
        if (self.page is None and self.paragraph is None and self.char is None and self.line_end is None and self.bbox is None
                and self.value is None and not self.detail):  # a text cell or line, a table's cell: the common cases, quickly
            return plain_text(self.table, self.row, self.col, self.line, self.cell)
        parts: list[str] = [f"page {self.page}"] if self.page is not None else []
        parts += _grid_parts(self.table, self.row, self.col)
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        parts.extend(self._lines())
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.bbox is not None:
            parts.append("box (" + ",".join(f"{v:.0f}" for v in self.bbox) + ")")
        if self.value is not None:
            parts.append(f"value {self.value} of {self.of}" if self.of is not None else f"value {self.value}")
        text = ", ".join(parts)
        if self.detail:
            text = f"{text} ({self.detail})" if text else self.detail
        return text

    def _lines(self) -> list[str]:
        if self.line is None:
            return []
        if self.line_end is not None and self.line_end != self.line:
            start = f"line {self.line}" + (f", char {self.char}" if self.char is not None else "")
            end = f"line {self.line_end}" + (f", char {self.char_end}" if self.char_end is not None else "")
            return [f"{start} – {end}"]
        if self.char is not None and self.char_end is not None and self.char_end != self.char:
            return [f"line {self.line}", f"chars {self.char}–{self.char_end}"]
        if self.char is not None:
            return [f"line {self.line}", f"char {self.char}"]
        return [f"line {self.line}"]

    def part(self, k: int, n: int) -> Location:
        """The location of the k-th of n values split from this cell's digit run."""
        return replace(self, value=k, of=n)

    def with_detail(self, detail: str) -> Location:
        """The same place with a note for a person appended (``merged with row 3, col 1``)."""
        return replace(self, detail=f"{self.detail}; {detail}" if self.detail else detail)

    def to_dict(self) -> dict[str, Any]:
        """The set fields, for JSON or Parquet (``None`` and empty fields left out)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != "":
                out[f.name] = list(value) if f.name == "bbox" else value
        return out


#: The defaults of Location's fields, in order (to pad a positional prefix of them).
_DEFAULTS: tuple[Any, ...] = ("", None, None, None, None, None, None, None, None, None, None, None, None, None, "")


def location_text(values: tuple[Any, ...]) -> str:
    """``str(Location(*values))`` for a prefix of Location's fields in order, rendered straight from
    them in the common shapes (a text line's cell, a table's cell) without making the Location.

    >>> location_text(("x.txt", None, None, None, None, None, 57, 3)) == str(Location("x.txt", line=57, cell=3))
    True
    >>> location_text(("p.html", None, None, 2, 4, 1, 88))
    'table 2, row 4, col 1, line 88'
    """
    v = values + _DEFAULTS[len(values):] if len(values) < 15 else values
    if v[1] is None and v[2] is None and v[8] is None and v[9] is None and v[11] is None and v[12] is None and not v[14]:
        return plain_text(v[3], v[4], v[5], v[6], v[7])  # no page, paragraph, char, line end, box, value or detail
    if v[1] is not None and v[2] is None and v[6] is None and v[7] is None and v[12] is None:
        return page_text(v[1], v[3], v[4], v[5], v[11], v[14])  # a PDF cell: page, table, row, col, box, detail
    return str(Location(*v))


def page_text(page: int, table: int | None, row: int | None, col: int | None, bbox: Any, detail: str) -> str:
    """A location's text when page is set and paragraph, line, cell and value are not (a PDF table
    slot), as :meth:`Location.__str__` writes it (char and line end count only with a line)."""
    if table is not None and row is not None and col is not None and bbox is not None and len(bbox) == 4:  # a ruled cell
        x0, top, x1, bottom = bbox
        text = f"page {page}, table {table}, row {row}, col {col}, box ({x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f})"
        return f"{text} ({detail})" if detail else text
    parts = [f"page {page}", *_grid_parts(table, row, col)]
    if bbox is not None:
        if len(bbox) == 4:
            x0, top, x1, bottom = bbox
            parts.append(f"box ({x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f})")
        else:
            parts.append("box (" + ",".join(f"{v:.0f}" for v in bbox) + ")")
    text = ", ".join(parts)
    return f"{text} ({detail})" if detail else text


def plain_text(table: int | None, row: int | None, col: int | None, line: int | None, cell: int | None) -> str:
    """A location's text when only table, row, col, line and cell may be set (the parts :meth:`Location.__str__` writes)."""
    if table is None and row is None and col is None:
        if line is not None:
            return f"line {line}, cell {cell}" if cell is not None else f"line {line}"
        return "" if cell is None else f"cell {cell}"
    if line is not None and cell is None and table is not None and row is not None and col is not None:
        return f"table {table}, row {row}, col {col}, line {line}"  # an HTML grid slot
    parts = _grid_parts(table, row, col)
    if line is not None:
        parts.append(f"line {line}")
    if cell is not None:
        parts.append(f"cell {cell}")
    return ", ".join(parts)


def _grid_parts(table: int | None, row: int | None, col: int | None) -> list[str]:
    """``table T``, ``row R``, ``col C``: those of them that are set, as every location text writes them."""
    parts = []
    if table is not None:
        parts.append(f"table {table}")
    if row is not None:
        parts.append(f"row {row}")
    if col is not None:
        parts.append(f"col {col}")
    return parts


# The slot setters of Location.__init__ (the slots exist once the dataclass is made).
(_file, _page, _paragraph, _table, _row, _col, _line, _cell, _char, _line_end, _char_end, _bbox, _value, _of,
 _detail) = (vars(Location)[f.name].__set__ for f in fields(Location))


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing noticed about a report: rule code, severity, message, where, and the cell concerned.

    ``expected``/``actual`` are the two sides of a failed equation (validator findings).
    """

    rule: str
    severity: str
    message: str
    location: Location | None = None
    table: str | None = None
    item: str | None = None
    applicant: str | None = None
    expected: float | None = None
    actual: float | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")

    def row(self, *, agency: str | None = None, year: int | None = None, source: str = "") -> dict[str, Any]:
        """One row of a findings frame (:data:`FINDING_COLUMNS`)."""
        return {
            "agency": agency, "year": year, "rule": self.rule, "severity": self.severity, "table": self.table,
            "item": self.item, "applicant": self.applicant, "expected": self.expected, "actual": self.actual,
            "message": self.message, "source": source, "location": "" if self.location is None else str(self.location),
        }


def findings_frame(rows: Iterable[dict[str, Any]]) -> Any:
    """A findings frame (pandas) with the :data:`FINDING_COLUMNS`, from :meth:`Finding.row` dicts.

    >>> findings_frame([Finding("domain", "error", "negative count").row(agency="外交部", year=2023)]).shape
    (1, 12)
    """
    import pandas as pd

    rows = list(rows)
    if not rows:  # most reports: a copy of one empty frame is far cheaper than building one
        global _EMPTY_FINDINGS
        if _EMPTY_FINDINGS is None:
            _EMPTY_FINDINGS = pd.DataFrame([], columns=list(FINDING_COLUMNS))
        return _EMPTY_FINDINGS.copy()
    if all(row.keys() == _FINDING_KEYS for row in rows):  # Finding.row dicts: rows as lists, the same frame, cheaper
        return pd.DataFrame([[row[c] for c in FINDING_COLUMNS] for row in rows], columns=list(FINDING_COLUMNS))
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


_FINDING_KEYS = frozenset(FINDING_COLUMNS)
_EMPTY_FINDINGS: Any = None
