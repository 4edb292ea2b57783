"""From a document's cell grid to catalogue cells: which printed cell is which metric.

The mapper walks every table row in reading order, splits it into label cells and value slots
(values are aligned from the right; ``merged`` span copies are label context only), and

* table ``active_disclosure`` (:mod:`govdisclose.mapping.active`): matches row labels (规章, 行政许可 …)
  and the column headers above them (本年制发件数 … / 上一年项目数量 …), which also tells the 2019
  and 2021 templates apart;
* table ``requests`` (:mod:`govdisclose.mapping.requests`): recognises rows by their label words,
  then places rows whose label was lost (PDF→Markdown conversions detach them) by their position
  between recognised rows, only where the count fits exactly;
* table ``review_litigation`` (:mod:`govdisclose.mapping.review`): the 15 values after its header.

Rows and value slots are :mod:`govdisclose.mapping.rows`; cells and findings are collected by
:mod:`govdisclose.mapping.collect`.

Cells whose digits ran together (``run=True``) are split by :mod:`govdisclose.mapping.decode` with the
template's arithmetic. Every template cell comes out exactly once, as printed or flagged
``unreadable`` with the reason; nothing is guessed.

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> mapping = map_document(read_document(sample_path("mfa_2023.txt")))
>>> mapping.template, len(mapping.cells)
('2021', 200)
>>> cell = next(c for c in mapping.cells if c.item == "fees.amount")
>>> cell.raw, str(cell.value), str(cell.location)
('5270.6597万元', '5270.6597', 'line 39, cell 2')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from govdisclose.exceptions import MultipleReportsError
from govdisclose.mapping.active import map_active, template_from_active
from govdisclose.mapping.collect import Collector, MappedCell
from govdisclose.mapping.requests import map_requests, requests_layout, requests_span
from govdisclose.mapping.review import map_review, review_header
from govdisclose.mapping.rows import Row, rows_of, split_row
from govdisclose.mapping.sections import report_titles
from govdisclose.readers.model import Document
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.records import Finding
from govdisclose.template import vocabulary as labels
from govdisclose.template.catalogue import template_cells

__all__ = ["MappedCell", "Mapping", "map_document", "split_row"]


@dataclass(slots=True)
class Mapping:
    """What the mapper found: the template, every template cell, and findings about the grid."""

    template: str | None
    single_other_handling: bool
    cells: list[MappedCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def map_document(doc: Document) -> Mapping:
    """Map a document's tables onto the catalogue (see the module docstring).

    A text whose reader found no table rows of table requests may be a structure-lost rendering
    (cells run together): its tables are then looked for in the text itself
    (:func:`govdisclose.mapping.flattened.unflatten`). ``doc`` is not changed.
    """
    as_read = doc
    doc, found = _with_structure_lost_tables(doc)
    out = Collector()
    out.ocr = as_read if isinstance(as_read, OcrDocument) else None  # OCR-misread header cells: mapping.ocr_headers
    if found:
        out.finding("document.note", "table cells had run together; values were split with the template's arithmetic",
                    doc.tables[-1].location, severity="info")
    mapping = _map(doc, rows_of(doc), out)
    if mapping.template is None:  # no template table: a report before the template? (issue 15)
        from govdisclose.mapping.headline import map_headline

        headline = map_headline(as_read)
        return mapping if headline is None else Mapping(headline.template, False, headline.cells, headline.findings)
    return mapping


def _with_structure_lost_tables(doc: Document) -> tuple[Document, bool]:
    if not doc.text_source or any(labels.mentions_new_requests(c.text) for t in doc.tables for r in t.rows for c in r):
        return doc, False
    from govdisclose.mapping.flattened import unflatten

    tables = unflatten(doc.text_source, source=doc.source)
    if not tables:
        return doc, False
    return replace(doc, blocks=[*doc.blocks, *tables]), True


def _map(doc: Document, rows: list[Row], out: Collector) -> Mapping:
    req_start, req_end = requests_span(out, rows)
    second = _second_report(doc, rows, req_start, req_end)
    review_at = review_header(out, rows[:second], req_end)
    t2_rows = rows[: req_start if req_start is not None else (review_at if review_at is not None else len(rows))]
    t2_template = template_from_active(doc, t2_rows)
    layout, guessed = requests_layout(doc, rows, req_start, req_end)
    if t2_template is None and layout is None:
        return Mapping(None, False, [], out.findings)
    template = t2_template or ("2021" if layout in (None, "2021") else "2019")
    single = layout == "2019"  # table 3 has one （六）其他处理 row
    other_handling = labels.SHORT_LABELS["other_handling"]
    if t2_template == "2019" and layout == "2021":
        out.finding("template.mixed", f"2019 table 2 with the 2021 {other_handling} rows")
    if single and template == "2021":
        out.finding("template.mixed", f"2021 table 2 with a single {other_handling} row (2019 layout of table 3)", severity="info")
    map_active(out, t2_rows, template)
    if req_start is not None:
        map_requests(out, rows, req_start, req_end, template, single, guessed)
    if review_at is not None:
        map_review(out, rows, review_at, template)
    cells = _complete(out, template, single)
    return Mapping(template, single and template == "2021", cells, out.findings)


def _second_report(doc: Document, rows: list[Row], start: int | None, end: int) -> int | None:
    """Where a second copy of table requests starts (a second report in the file), else None.

    Tables after it are never read for the first report. Where the file names two different
    reports in its titles, it is refused: each report must be read on its own.
    """
    if start is None:
        return None
    second = next((j for j in range(end, len(rows)) if rows[j].has_number
                   and labels.requests_item(rows[j].own_label or rows[j].label) == "new_received"), None)
    if second is None:
        return None
    titles = report_titles(doc)
    if len(titles) > 1:
        named = "; ".join(f"{agency or '?'} {year or '?'}" for agency, year in titles)
        raise MultipleReportsError(doc.source, f"holds {len(titles)} reports ({named}); read each report from its own file")
    return second


def _complete(out: Collector, template: str, single: bool) -> list[MappedCell]:
    """Every template cell in printed order (``unreadable`` where not found), then any others."""
    result = []
    get = out.cells.get
    found = 0
    for key in template_cells(template, single):
        cell = get(key)
        if cell is None:
            cell = MappedCell(*key, "", None, "unreadable", None, "not found in the document")
        else:
            found += 1
        result.append(cell)
    if found == len(out.cells):  # every cell read is a template cell (template_cells has no repeats)
        return result
    known = _template_keys(template, single)
    for key, cell in out.cells.items():
        if key not in known:
            result.append(cell)
            out.finding("catalogue.template", f"{key[1]} is not a {template}-template cell", cell.location)
    return result


@cache
def _template_keys(template: str, single: bool) -> frozenset[tuple[str, str, str | None]]:
    return frozenset(template_cells(template, single))
