"""DOCX tables: rows and cells with ``gridSpan``, ``vMerge``, ``hMerge``, ``gridBefore``/``gridAfter`` laid on
one grid (:class:`~govdisclose.readers.grid.GridBuilder`); tables holding tables read as layout frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import DocumentTooLargeError
from govdisclose.readers.docx.numbering import int_val
from govdisclose.readers.docx.tags import Tags
from govdisclose.readers.grid import CellBudget, GridBuilder
from govdisclose.readers.model import Document, Location, Table

__all__ = ["TableReader", "Limits"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Widest table grid, most table slots and most blocks in one document."""

    columns: int
    cells: int
    blocks: int


class TableReader:
    """The table half of the body reader (:class:`~govdisclose.readers.docx.body.BodyReader`)."""

    path: Path
    source: str
    tag: Tags
    doc: Document
    limits: Limits
    budget: CellBudget
    tables: int

    def _note(self, note: str) -> None:
        raise NotImplementedError

    def _cell_text(self, tc: etree._Element, where: str) -> str:
        raise NotImplementedError

    def _blocks(self, container: etree._Element, prefix: Location) -> None:
        raise NotImplementedError

    # -- tables ---------------------------------------------------------------------------
    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        return self._children(tbl, self.tag.tr)

    def _tcs(self, tr: etree._Element) -> Iterator[etree._Element]:
        return self._children(tr, self.tag.tc)

    def _children(self, parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """``parent``'s children with ``tag``, looking through wrappers (sdt, customXml …)."""
        for el in parent:
            if el.tag == tag:
                yield el
            elif el.tag in self.tag.block_wrappers:
                yield from self._children(el, tag)

    def _span(self, value: int, where: str) -> int:
        if value > self.limits.columns:
            raise DocumentTooLargeError(self.path, f"{where} spans {value} columns (limit {self.limits.columns})")
        return max(value, 0)

    def _table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        t = self.tag
        if any(True for _ in tbl.iterdescendants(t.tbl)):
            self._frame(tbl, number)
            return
        row_numbers: list[int] = []
        grid = GridBuilder(Location(self.source, table=number), self.budget, row_numbers=row_numbers)
        for r_printed, tr in enumerate(self._rows(tbl), start=1):
            props = tr.find(t.trPr)
            if props is not None and props.find(t.w + "del") is not None:
                self._note(f"table {number}: a row deleted in tracked changes was left out")
                continue
            tcs = list(self._tcs(tr))
            if not tcs:
                continue
            row_numbers.append(r_printed)
            self._row(grid, len(row_numbers) - 1, tcs, props, f"table {number}, row {r_printed}")
        if row_numbers:
            grid_el = tbl.find(t.tblGrid)
            declared = len(grid_el.findall(t.gridCol)) if grid_el is not None else 0
            rows = grid.rows(width=min(declared, self.limits.columns))
            self.doc.blocks.append(Table(rows=rows, location=Location(self.source, table=number)))

    def _row(self, grid: GridBuilder, r: int, tcs: list[etree._Element], props: etree._Element | None, where: str) -> None:
        """Lay one row's cells on the grid: spans expanded, vertical continuations covered by the row above."""
        t = self.tag
        val = t.w + "val"
        limit = self.limits.columns
        col = self._span(int_val(props.find(t.gridBefore) if props is not None else None, val, 0), where)
        grid.reserve(r, col)
        for tc in tcs:
            tc_props = tc.find(t.tcPr)
            span = max(1, self._span(int_val(tc_props.find(t.gridSpan) if tc_props is not None else None, val, 1), where))
            vmerge = tc_props.find(t.vMerge) if tc_props is not None else None
            hmerge = tc_props.find(t.hMerge) if tc_props is not None else None
            start = col
            if start + span > limit:
                raise DocumentTooLargeError(self.path, f"{where} is wider than {limit} columns")
            columns = range(start, start + span)
            above = [grid.origin(r - 1, c) if r > 0 else None for c in columns]
            if vmerge is not None and vmerge.get(val, "continue") != "restart" and any(o is not None for o in above):
                own = self._cell_text(tc, where)
                if own and all(o is not None for o in above):
                    self._note(f"{where}: text {own[:20]!r} in a vertically merged cell is hidden by Word and was left out")
                for c, origin in zip(columns, above):
                    if origin is not None:
                        grid.cover(r, c, origin)
                    else:  # a continuation with nothing above it: read as its own cell
                        grid.place(r, c, own)
            elif hmerge is not None and hmerge.get(val, "continue") != "restart" and start > 0 and grid.origin(r, start - 1):
                origin = grid.origin(r, start - 1)
                assert origin is not None
                for c in columns:
                    grid.cover(r, c, origin)
            else:
                grid.place(r, start, self._cell_text(tc, where), colspan=span)
            col += span
        after = int_val(props.find(t.gridAfter) if props is not None else None, val, 0)
        col += self._span(after, where)
        if col > limit:
            raise DocumentTooLargeError(self.path, f"{where} is wider than {limit} columns")
        grid.reserve(r, col)

    def _frame(self, tbl: etree._Element, number: int) -> None:
        """A table that holds tables: a layout frame, read cell by cell as block content."""
        t = self.tag
        self._note(f"table {number} holds other tables: read as a layout frame (its cells' contents in reading order)")
        for r, tr in enumerate(self._rows(tbl), start=1):
            props = tr.find(t.trPr)
            col = int_val(props.find(t.gridBefore) if props is not None else None, t.w + "val", 0)
            for tc in self._tcs(tr):
                tc_props = tc.find(t.tcPr)
                vmerge = tc_props.find(t.vMerge) if tc_props is not None else None
                if vmerge is None or vmerge.get(t.w + "val", "continue") == "restart":
                    self._blocks(tc, Location(self.source, table=number, row=r, col=col + 1))
                col += max(1, min(int_val(tc_props.find(t.gridSpan) if tc_props is not None else None, t.w + "val", 1), self.limits.columns))

