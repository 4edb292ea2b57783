"""Table ``review_litigation`` (table 4): where its header is, and its 15 values after it.

The table has no row labels: its values follow a header of 行政复议 / 行政诉讼 words, in one row or
three rows of five, or as one digit run that :mod:`govdisclose.mapping.decode` splits by the block
totals. Where the header was lost, the table is the one row of 15 values after table requests.
A header that prints the blocks or outcomes in another order, and the other shapes (transposed,
labelled rows, headed sub-tables), are read by their headers (:mod:`govdisclose.mapping.review_shapes`).

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> from govdisclose.mapping.collect import Collector
>>> from govdisclose.mapping.rows import rows_of
>>> rows = rows_of(read_document(sample_path("mfa_2023.txt")))
>>> out = Collector()
>>> map_review(out, rows, review_header(out, rows, 0), "2021")
>>> len(out.cells), out.cells[("review_litigation", "review.total", None)].raw
(15, '1')
"""

from __future__ import annotations

from functools import partial

from govdisclose.mapping import ocr_headers, review_shapes
from govdisclose.mapping.collect import Collector
from govdisclose.mapping.columns import review_order_contradicted, review_plan
from govdisclose.mapping.rows import Row, choose, fit, totals_agree
from govdisclose.readers.model import Cell
from govdisclose.template import vocabulary as labels
from govdisclose.template.arithmetic import equations, review_items
from govdisclose.template.headers import review_part

__all__ = ["review_header", "map_review", "N_REVIEW"]

#: The table's values: three blocks of five.
N_REVIEW = len(review_items())
_REVIEW = "review_litigation"


def review_header(out: Collector, rows: list[Row], after: int) -> int | None:
    """Index of the row before table 4's values (its header), looking from ``after`` on first."""
    for i in range(min(after, len(rows)), len(rows)):
        row = rows[i]
        if labels.is_review_header(" ".join(c.text for c in row.cells)) and not row.has_number:
            return i
    for i, row in enumerate(rows):  # table 4 printed before table 3 (rare)
        if labels.is_review_header(" ".join(c.text for c in row.cells)) and not row.has_number:
            return i
    for i in range(min(after, len(rows)), len(rows)):  # three labelled rows of five
        row = rows[i]
        if labels.mentions_review(row.own_label) and row.has_number and len(row.slots) >= 5 and labels.is_review_word(row.own_label):
            return i - 1
    for i in range(min(after, len(rows)), len(rows)):  # three sub-tables, each under a heading naming its block
        if review_shapes.is_sub_table_header(rows[i]):
            return i
    # The header was lost (converted to loose text): table 4 is the one row of 15 values after table 3.
    for i in range(min(after, len(rows)), len(rows)):
        row = rows[i]
        if row.has_number and not row.own_label and len(fit(row.slots, N_REVIEW)) == N_REVIEW:
            out.finding("table.header", "table review_litigation found by its 15 values; its header is not in a table", row.location, severity="info")
            return i - 1
    return None


def map_review(out: Collector, rows: list[Row], header: int | None, template: str) -> None:
    """Put table 4's 15 cells from the rows after ``header`` (all flagged if they are not 15).

    Where padding leaves more than one window of 15, the block totals choose."""
    if header is None:
        return
    if (header + 1 < len(rows) and rows[header + 1].table == rows[header].table
            and {c.text.strip() for c in rows[header].cells} - {""} == {rows[header + 1].caption}
            and review_shapes.is_sub_table_header(rows[header + 1])):
        header += 1  # the sub-table's heading was read as its first row
    if review_shapes.is_sub_table_header(rows[header]) and review_shapes.sub_tables(out, rows, header):
        return
    if review_shapes.transposed(out, rows, header) or review_shapes.labelled_rows(out, rows, header):
        return
    codes = list(review_items())
    head = ocr_headers.review_header(out, [r.cells for r in review_shapes.header_rows(rows, header)], rows, header)
    plan = review_plan(head)
    if plan is not None and plan.codes == tuple(codes) and not plan.problem:
        plan = None  # printed in template order: read from the right as the template prints it
    slots: list[Cell] = []
    value_rows: list[Row] = []
    for row in rows[header + 1:]:
        if labels.is_review_header(row.label) and not row.has_number and slots:
            break
        if not row.has_number:
            if not slots and not row.own_label and len(row.slots) >= N_REVIEW:
                slots.extend(row.slots)  # the whole table printed blank
                break
            if row.own_label and not labels.is_review_word(row.own_label):
                if slots:
                    break
            continue
        if row.own_label and not labels.is_review_word(row.own_label):
            break  # a labelled row of another table: table 4 has no row labels
        if row.run is not None and not slots:
            _decode_review(out, codes, row.run)
            return
        slots.extend(c for c in row.slots)
        value_rows.append(row)
        if len([c for c in slots if c.text.strip()]) >= N_REVIEW:
            break
    if plan is not None and review_shapes.by_plan(out, plan, value_rows, slots):
        return
    why = ocr_headers.review_unmatched(out, head, review_order_contradicted(head))
    if not why and any(review_part(r.own_label) for r in value_rows if r.own_label):
        why = "its rows are labelled with outcomes (blocks as columns) but its block header cannot be read"
    if why:
        for code in codes:
            out.put(_REVIEW, code, None, None, raw=" | ".join(c.text for c in slots), location=slots[0].location if slots else rows[header].location,
                    unreadable=f"table review_litigation: {why}; its values are not placed by position")
        return
    keys = [(_REVIEW, code, None) for code in codes]
    blocks = equations(template, tables=(_REVIEW,))
    slots, _ = choose(slots, N_REVIEW, partial(totals_agree, keys=keys, eqs=blocks))
    if len(slots) != N_REVIEW:
        for code in codes:
            out.put("review_litigation", code, None, None, raw=" | ".join(c.text for c in slots), location=slots[0].location if slots else None,
                    unreadable=f"table review_litigation has {len(slots)} values, expected {N_REVIEW}")
        return
    for code, cell in zip(codes, slots):
        out.put("review_litigation", code, None, cell)


def _decode_review(out: Collector, codes: list[str], cell: Cell) -> None:
    from govdisclose.mapping.decode import decode_review

    out.put_decoded([("review_litigation", code, None) for code in codes], cell, decode_review(cell.text))
