"""Table ``requests`` (table 3): its span among the rows, its layout, and its cells.

Rows are recognised by their label words; rows whose label was lost (PDF→Markdown conversions
detach them) are placed by their position between recognised rows, only where the count fits
exactly, and such a placement stands only if the table's column arithmetic confirms it.

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> from govdisclose.mapping.collect import Collector
>>> from govdisclose.mapping.rows import rows_of
>>> doc = read_document(sample_path("mfa_2023.txt"))
>>> rows, out = rows_of(doc), Collector()
>>> start, end = requests_span(out, rows)
>>> layout, guessed = requests_layout(doc, rows, start, end)
>>> layout, guessed
('2021', False)
>>> map_requests(out, rows, start, end, "2021", False, guessed)
>>> out.cells[("requests", "new_received", "total")].raw
'18'
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from govdisclose.mapping.collect import Collector, MappedCell
from govdisclose.mapping.requests_header import header_agrees, header_plan, put_by_header
from govdisclose.mapping.rows import Row, choose, totals_agree
from govdisclose.readers.model import Cell, Document
from govdisclose.template import vocabulary as labels
from govdisclose.template.arithmetic import (
    CellKey,
    Equation,
    applicant_columns,
    equations,
    holds_where_printed,
    legal_person_columns,
)
from govdisclose.template.catalogue import requests_rows
from govdisclose.template.values import parse_value

__all__ = ["requests_span", "requests_layout", "map_requests", "N_APPLICANTS"]

#: Table 3's value columns in printed order (six applicant columns, 总计 last).
APPLICANTS = applicant_columns()
N_APPLICANTS = len(APPLICANTS)
_REQUESTS = "requests"
_COLUMN_RULES = ("requests.balance", "requests.outcome_total")


def _other_handling_rows() -> tuple[frozenset[str], frozenset[str]]:
    """The rows only the 2021 layout has (（六）'s three rows) and those only the 2019 layout has (its one row)."""
    rows21, rows19 = set(requests_rows("2021")), set(requests_rows("2019"))
    return frozenset(rows21 - rows19), frozenset(rows19 - rows21)


def requests_span(out: Collector, rows: list[Row]) -> tuple[int | None, int]:
    """``(start, end)`` row indices of table 3 (``start`` None where it has no first row)."""
    start = None
    for i, row in enumerate(rows):
        if labels.requests_item(row.own_label or row.label) == "new_received" and row.slots:
            start = i
            break
    if start is None:  # the 本年新收 label broke away: start at the numbers before 上年结转
        for i, row in enumerate(rows):
            if labels.requests_item(row.own_label or row.label) == "carried_over" and row.slots:
                before = next((j for j in range(i - 1, -1, -1) if rows[j].has_number), None)
                if before is not None and not labels.requests_item(rows[before].own_label or ""):
                    start = before
                    out.finding("row.placed", f"the {labels.SHORT_LABELS['new_received']} row has no label; the row of numbers before "
                                f"{labels.SHORT_LABELS['carried_over']} is taken", rows[before].location, severity="info")
                else:
                    start = i
                break
    if start is None:
        return None, len(rows)
    end = len(rows)
    for j in range(start + 1, len(rows)):
        row = rows[j]
        item = labels.requests_item(row.own_label) if row.own_label else None
        if item == "carried_forward" and row.slots:
            end = j + 1
            below = rows[j + 1] if j + 1 < len(rows) else None
            if (not row.has_number and below is not None and below.table == row.table and below.has_number
                    and not below.own_label):
                end = j + 2  # its values wrapped onto the next row (see _join_wrapped)
            break
        if item == "new_received" and row.has_number:
            end = j
            out.finding("table.duplicate", "a second copy of table requests was ignored", row.location)
            break
        if labels.is_review_header(row.label) and not row.has_number:
            end = j
            break
    return start, end


def requests_layout(doc: Document, rows: list[Row], start: int | None, end: int) -> tuple[str | None, bool]:
    """The layout of table 3's （六）其他处理 (``"2021"``: three rows, ``"2019"``: one) and whether it
    was guessed from the row count."""
    if start is None:
        return None, False
    items = {labels.requests_item(r.own_label) for r in rows[start:end] if r.own_label}
    only21, only19 = _other_handling_rows()
    if items & only21:
        return "2021", False
    if items & only19:
        return "2019", False
    # The （六） labels were lost from the rows: their wording may still be in the text around them.
    if labels.mentions_other_handling_rows(" ".join(p.text for p in doc.paragraphs)):
        return "2021", False
    count = sum(1 for r in rows[start:end] if r.has_number or (r.own_label and labels.requests_item(r.own_label)))
    return ("2019" if count == len(requests_rows("2019")) else "2021"), True


def map_requests(out: Collector, rows: list[Row], start: int, end: int, template: str, single: bool, guessed: bool) -> None:
    """Put table 3's cells from ``rows[start:end]`` (``single``: one （六）其他处理 row)."""
    items = requests_rows(template, single)
    eqs = equations(template, single, tables=(_REQUESTS,))
    row_totals = {eq.item: eq for eq in eqs if eq.rule == "requests.row_total"}
    position = {item: k for k, item in enumerate(items)}
    entries: list[tuple[Row, int | None]] = []  # (row, template position or None when unlabeled)
    last = -1
    for row in rows[start:end]:
        if not row.slots or not (row.has_number or row.own_label):
            continue
        if row.joined or (row.own_label and len(labels.requests_items(row.own_label)) > 1):
            out.finding("row.joined", f"two rows ran into one ({row.own_label or row.label!r}); not read", row.location)
            entries.append((row, None))  # holds a place nobody can fill: its gap stays unplaced
            continue
        item = labels.requests_item(row.own_label) if row.own_label else None
        if item is None and row.own_label:
            if labels.requests_group(row.own_label):
                out.finding("row.unknown", f"subtotal row {row.own_label!r} is not in the template; not read", row.location)
                continue
            if not row.has_number:
                continue
            out.finding("row.unknown", f"row label {row.own_label!r} not recognised; placed by position", row.location)
        if item is not None and item not in position:
            out.finding("row.unknown", f"row {row.own_label!r} ({item}) is not in the {template} layout", row.location)
            continue
        pos = position[item] if item is not None else None
        if pos is not None and pos <= last:
            out.finding("row.order", f"row {row.own_label!r} out of template order; not read", row.location)
            continue
        if pos is not None:
            last = pos
        elif not row.has_number:
            continue
        entries.append((row, pos))
    entries = _join_wrapped(out, entries)
    placed = _place(out, entries, len(items))
    by_position = {k for k, row in placed.items() if not (row.own_label and labels.requests_item(row.own_label) == items[k])}
    plan = header_plan(out, rows, start)
    if plan is not None and not plan.problem and not header_agrees(plan, placed, items, row_totals):
        why = "the printed header and the row totals disagree (a header cell lost or shifted?)"
        out.finding("column.header", f"{why}: the columns of table requests cannot be told apart", plan.location)
        plan = replace(plan, problem=why)
    # Assemble the 7 slots of every row (or its run) for the decoder.
    inputs: list[object] = [None] * len(items)
    runs: dict[int, Cell] = {}
    for k, row in placed.items():
        if row.run is not None:
            if plan is not None:  # a digit run is split in template order: a header saying otherwise forbids it
                for a in APPLICANTS:
                    out.put("requests", items[k], a, None, raw=row.run.text, location=row.run.location,
                            unreadable="digits ran together under a header whose columns are not in template order; not split")
                continue
            inputs[k] = row.run.text
            runs[k] = row.run
            continue
        if plan is not None:
            inputs[k] = put_by_header(out, plan, row, items[k], row_totals[items[k]])
            continue
        keys: list[CellKey] = [(_REQUESTS, items[k], a) for a in APPLICANTS]
        row_total = row_totals[items[k]]
        slots, why = choose(row.slots, N_APPLICANTS, partial(totals_agree, keys=keys, eqs=[row_total]))
        if len(slots) != N_APPLICANTS:
            eight, _ = choose(row.slots, N_APPLICANTS + 1)
            if len(eight) == N_APPLICANTS + 1:
                slots = _drop_subtotal(out, eight, row, keys, row_total)
        if len(slots) != N_APPLICANTS:
            texts = " | ".join(c.text for c in slots)
            for a in APPLICANTS:
                out.put("requests", items[k], a, None, raw=texts, location=row.location,
                        unreadable=f"row has {why or f'{len(slots)} values'}, expected {N_APPLICANTS}; cannot tell which is which")
            continue
        for a, cell in zip(APPLICANTS, slots):
            out.put("requests", items[k], a, cell)
        inputs[k] = tuple(c.text for c in slots)
    if runs:
        _decode_requests(out, items, inputs, runs)
    if by_position:
        _verify_placement(out, items, eqs, by_position, guessed)


def _verify_placement(out: Collector, items: tuple[str, ...], eqs: tuple[Equation, ...], by_position: set[int],
                      guessed: bool) -> None:
    """Rows placed by position (or a layout guessed by counting rows) stand only if the table's
    column arithmetic (balance and outcome total) holds in every fully printed column; otherwise
    they are not read."""
    failed, checked = [], 0
    for a in APPLICANTS:
        column = [eq for eq in eqs if eq.applicant == a and eq.rule in _COLUMN_RULES]
        confirmation = holds_where_printed(column, out.cells)
        if len(confirmation.checked) < len(column):
            continue  # blanks or flagged cells: this column cannot confirm or refute
        checked += 1
        if confirmation.failed:
            failed.append(a)
    if checked and not failed:
        return
    rows = sorted(by_position)
    because = f"the column arithmetic fails ({', '.join(failed)})" if failed else "no column is printed in full to confirm it"
    layout = f" (the layout of {labels.SHORT_LABELS['other_handling']} was guessed from the row count)" if guessed else ""
    why = f"rows placed by position{layout}, and {because}: the placement cannot be trusted"
    out.finding("row.placement_rejected", why)
    for k in rows:
        for a in APPLICANTS:
            old = out.cells.get(("requests", items[k], a))
            if old is not None and old.state != "unreadable":
                out.cells[("requests", items[k], a)] = MappedCell("requests", items[k], a, old.raw, old.location, "unreadable", None, why)


def _drop_subtotal(out: Collector, slots: list[Cell], row: Row, keys: list[CellKey], row_total: Equation) -> list[Cell]:
    """Eight values: a 法人或其他组织 subtotal column the template does not have. Drop it only
    where the arithmetic shows which column it is (it equals the sum of the five it covers, and
    the row total holds without it)."""
    parsed = [parse_value(c.text) for c in slots]
    if any(p.value is None for p in parsed):
        return slots
    n = len(legal_person_columns())
    first = APPLICANTS.index(legal_person_columns()[0])
    readings = []
    for k in (first, first + n):  # the subtotal printed before its five columns, or after them (before 总计)
        covered = range(k + 1, k + 1 + n) if k == first else range(k - n, k)
        rest = [c for j, c in enumerate(slots) if j != k]
        if parsed[k].value == sum(parsed[j].value for j in covered) and totals_agree(rest, keys, [row_total]):  # type: ignore[misc]
            readings.append(rest)
    if readings and all([c.text for c in r] == [c.text for c in readings[0]] for r in readings):
        out.finding("column.extra", f"a {labels.LEGAL_PERSON_HEADER} subtotal column (not in the template) was left out", row.location,
                    severity="info")
        return readings[0]
    return slots


def _join_wrapped(out: Collector, entries: list[tuple[Row, int | None]]) -> list[tuple[Row, int | None]]:
    """A label printed on a row of its own with the values on the next, unlabelled row (a converter
    wrapped it): the values belong to that label where no template row can stand between them,
    i.e. the next labelled row is the template's next row."""
    out_entries: list[tuple[Row, int | None]] = []
    k = 0
    while k < len(entries):
        row, pos = entries[k]
        nxt = entries[k + 1] if k + 1 < len(entries) else None
        after = next((p for _, p in entries[k + 2:] if p is not None), None)
        if (pos is not None and not row.has_number and nxt is not None and nxt[1] is None and nxt[0].has_number
                and not nxt[0].own_label and (after is None or after == pos + 1)):
            values = nxt[0]
            joined = replace(values, own_label=row.own_label, label=row.label)
            out.finding("row.wrapped", f"the values of {row.own_label!r} are printed on the row below its label; read together",
                        values.location, severity="info")
            out_entries.append((joined, pos))
            k += 2
            continue
        out_entries.append((row, pos))
        k += 1
    return out_entries


def _place(out: Collector, entries: list[tuple[Row, int | None]], n: int) -> dict[int, Row]:
    """Template position of every row: labelled rows by label, the others by the gaps."""
    placed: dict[int, Row] = {}
    anchors: list[tuple[int, int | None]] = [(-1, None)]
    anchors += [(pos, i) for i, (_, pos) in enumerate(entries) if pos is not None] + [(n, len(entries))]
    for (lo, i_lo), (hi, i_hi) in zip(anchors, anchors[1:]):
        assert i_hi is not None  # only the first anchor stands for no entry
        start = 0 if i_lo is None else i_lo + 1
        between = [entries[j][0] for j in range(start, i_hi)]
        gap = hi - lo - 1
        if i_hi < len(entries):
            placed[hi] = entries[i_hi][0]
        if not between:
            continue
        if len(between) == gap and not any(r.joined or len(labels.requests_items(r.own_label)) > 1 for r in between):
            for offset, row in enumerate(between):
                placed[lo + 1 + offset] = row
                out.finding("row.placed", f"row without a label placed as row {lo + 2 + offset} of table requests", row.location, severity="info")
        else:
            where = between[0].location
            out.finding("row.unplaced", f"{len(between)} unlabelled rows for {gap} places between rows {lo + 1} and {hi + 1}; not read", where)
    return placed


def _decode_requests(out: Collector, items: tuple[str, ...], inputs: list[object], runs: dict[int, Cell]) -> None:
    from govdisclose.mapping.decode import decode_requests

    decoded = decode_requests(inputs, list(items))  # type: ignore[arg-type]
    weak = [runs[k].location for k in runs if "column rules" in decoded[k].note]
    if weak:
        out.finding("decode.row_totals_only",
                    f"no reading of table requests satisfies the column rules; {len(weak)} run(s) were split by their row "
                    "totals alone: check them against the source (the validator lists the failing columns)", weak[0])
    for k, cell in runs.items():
        out.put_decoded([("requests", items[k], a) for a in APPLICANTS], cell, decoded[k])
