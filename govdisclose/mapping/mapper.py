"""From a document's cell grid to catalogue cells: which printed cell is which metric.

The mapper walks every table row in reading order, splits it into label cells and value slots
(values are aligned from the right; ``merged`` span copies are label context only), and

* table ``active_disclosure``: matches row labels (规章, 行政许可 …) and the column headers above
  them (本年制发件数 … / 上一年项目数量 …), which also tells the 2019 and 2021 templates apart;
* table ``requests``: recognises rows by their label words, then places rows whose label was lost
  (PDF→Markdown conversions detach them) by their position between recognised rows, only where
  the count fits exactly;
* table ``review_litigation``: the 15 values after its header.

Cells whose digits ran together (``run=True``) are split by :mod:`govdisclose.mapping.decode` with the
template's arithmetic. Every template cell comes out exactly once, as printed or flagged
``unreadable`` with the reason; nothing is guessed.

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.loader import sample_path
>>> mapping = map_document(read_document(sample_path("mfa_2023.txt")))
>>> mapping.template, len(mapping.cells)
('2021', 200)
>>> cell = next(c for c in mapping.cells if c.item == "fees.amount")
>>> cell.raw, str(cell.value), str(cell.location)
('5270.6597万元', '5270.6597', 'line 39, cell 2')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from govdisclose.readers.model import Cell, Document
from govdisclose.records import Finding, Location
from govdisclose.template import vocabulary as labels
from govdisclose.template.catalogue import APPLICANTS, item_info, requests_rows, template_cells
from govdisclose.template.values import is_value_text, parse_value

__all__ = ["MappedCell", "Mapping", "map_document", "split_row"]

N_APPLICANTS = len(APPLICANTS)
N_REVIEW = 15


@dataclass(slots=True)
class MappedCell:
    """One template cell as read: code, printed text, where, and what it means."""

    table: str
    item: str
    applicant: str | None
    raw: str
    location: Location | None
    state: str
    value: Decimal | None
    note: str = ""


@dataclass(slots=True)
class Mapping:
    """What the mapper found: the template, every template cell, and findings about the grid."""

    template: str | None
    single_other_handling: bool
    cells: list[MappedCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    cells: list[Cell]
    own_label: str  # label text of this row's own (non-merged) cells
    label: str  # with merged context
    slots: list[Cell]  # value slots, left to right
    location: Location
    joined: bool = False  # label, numbers, label again: two printed rows run into one (damaged markup)

    @property
    def run(self) -> Cell | None:
        runs = [c for c in self.slots if c.run]
        return runs[0] if len(runs) == 1 and len(self.slots) == 1 else None

    @property
    def has_number(self) -> bool:
        return any(c.run or (c.text.strip() and is_value_text(c.text)) for c in self.slots)


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
        if cell.merged or cell.run or is_value_text(cell.text):
            k -= 1
            continue
        break
    slots = [c for c in cells[k:] if not c.merged]
    return cells[:k], slots


def _is_pad(cell: Cell) -> bool:
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
    return [slots[i:i + n] for i in range(len(slots) - n + 1) if all(_is_pad(c) for c in slots[:i] + slots[i + n:])]


def _number(cell: Cell) -> Decimal | None:
    parsed = parse_value(cell.text)
    return parsed.value if parsed.state == "number" else (Decimal(0) if parsed.state in ("blank", "na") else None)


def _adds_up(window: list[Cell], blocks: list[tuple[list[int], int]]) -> bool:
    """Each ``(parts, total)`` block: a printed total equal to its parts (blank parts as 0)."""
    for parts, total in blocks:
        printed = parse_value(window[total].text)
        values = [_number(window[j]) for j in parts]
        if printed.state != "number" or any(v is None for v in values) or sum(values) != printed.value:
            return False
    return True


_ROW_TOTAL = [(list(range(6)), 6)]
_BLOCK_TOTALS = [(list(range(b, b + 4)), b + 4) for b in (0, 5, 10)]


def _choose(slots: list[Cell], n: int, blocks: list[tuple[list[int], int]] | None = None) -> tuple[list[Cell], str]:
    """The n value slots of a row, or the slots unchanged with the reason they are not n.

    Padding may sit on either side of the printed values; where more than one window is
    possible and they read differently, the template's totals (``blocks``) decide, and if they
    cannot, nothing is chosen.
    """
    windows = _windows(slots, n)
    if len(windows) == 1:
        return windows[0], ""
    if not windows:
        return slots, f"{len([c for c in slots if not _is_pad(c)])} values where {n} were expected"
    texts = {tuple(c.text.strip() for c in w) for w in windows}
    if len(texts) == 1:
        return windows[0], ""
    if blocks:
        fitting = [w for w in windows if _adds_up(w, blocks)]
        if len({tuple(c.text.strip() for c in w) for w in fitting}) == 1:
            return fitting[0], ""
    return slots, f"{len(slots)} slots for {n} values and the blank ones could be on either side"


def _fit(slots: list[Cell], n: int) -> list[Cell]:
    """:func:`_choose` without the reason."""
    return _choose(slots, n)[0]


def _rows(doc: Document) -> list[_Row]:
    out: list[_Row] = []
    for table in doc.tables:
        for cells in table.rows:
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
            location = (slots or cells or [Cell("", table.location)])[0].location
            out.append(_Row(cells, " ".join(own), " ".join(full), slots, location, _joined(label_cells)))
    return out


def _joined(label_cells: list[Cell]) -> bool:
    """True where numbers stand between two labels: rows that ran into one another.

    A leading number column (``1 | 属于国家秘密 | …``) is not that: a label must come first.
    """
    kinds = []
    for cell in label_cells:
        text = cell.text.strip()
        if cell.merged or not text:
            continue
        kind = "value" if is_value_text(text) else "label"
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return "label" in kinds and kinds[kinds.index("label"):][:3] == ["label", "value", "label"]


def map_document(doc: Document) -> Mapping:
    """Map a document's tables onto the catalogue (see the module docstring).

    A text whose reader found no table rows of table requests may be a structure-lost rendering
    (cells run together): its tables are then looked for in the text itself
    (:func:`govdisclose.mapping.flattened.unflatten`). ``doc`` is not changed.
    """
    doc, found = _with_structure_lost_tables(doc)
    mapper = _Mapper(doc, _rows(doc))
    if found:
        mapper.finding("document.note", "table cells had run together; values were split with the template's arithmetic",
                       doc.tables[-1].location, severity="info")
    return mapper.run()


def _with_structure_lost_tables(doc: Document) -> tuple[Document, bool]:
    if not doc.text_source or any(labels.mentions_new_requests(c.text) for t in doc.tables for r in t.rows for c in r):
        return doc, False
    from govdisclose.mapping.flattened import unflatten

    tables = unflatten(doc.text_source, source=doc.source)
    if not tables:
        return doc, False
    return replace(doc, blocks=[*doc.blocks, *tables]), True


class _Mapper:
    def __init__(self, doc: Document, rows: list[_Row]) -> None:
        self.doc = doc
        self.rows = rows
        self.findings: list[Finding] = []
        self.cells: dict[tuple[str, str, str | None], MappedCell] = {}
        self.layout_guessed = False

    # -- helpers ---------------------------------------------------------------------------
    def finding(self, rule: str, message: str, location: Location | None = None, severity: str = "warning") -> None:
        self.findings.append(Finding(rule, severity, message, location))

    def put(self, table: str, item: str, applicant: str | None, cell: Cell | None, *, raw: str | None = None,
            location: Location | None = None, note: str = "", unreadable: str = "") -> None:
        key = (table, item, applicant)
        if key in self.cells:
            return  # first printed copy wins
        unit = _unit(table, item)
        text = cell.text if cell is not None and raw is None else (raw or "")
        where = location if location is not None else (cell.location if cell is not None else None)
        if unreadable:
            self.cells[key] = MappedCell(table, item, applicant, text, where, "unreadable", None, unreadable)
            return
        parsed = parse_value(text, unit)
        self.cells[key] = MappedCell(
            table, item, applicant, text.strip(), where, parsed.state, parsed.value, "; ".join(x for x in (note, parsed.note) if x)
        )

    # -- the three tables -----------------------------------------------------------------
    def run(self) -> Mapping:
        req_start, req_end = self._requests_span()
        review_at = self._review_header(req_end)
        t2_rows = self.rows[: req_start if req_start is not None else (review_at if review_at is not None else len(self.rows))]
        t2_template = self._template_from_active(t2_rows)
        layout = self._requests_layout(req_start, req_end)
        if t2_template is None and layout is None:
            return Mapping(None, False, [], self.findings)
        template = t2_template or ("2021" if layout in (None, "2021") else "2019")
        single = layout == "2019"  # table 3 has one （六）其他处理 row
        if t2_template == "2019" and layout == "2021":
            self.finding("template.mixed", f"2019 table 2 with the 2021 {labels.SHORT_LABELS['other_handling']} rows")
        if single and template == "2021":
            self.finding("template.mixed", f"2021 table 2 with a single {labels.SHORT_LABELS['other_handling']} row (2019 layout of table 3)",
                         severity="info")
        self._map_active(t2_rows, template)
        if req_start is not None:
            self._map_requests(req_start, req_end, template, single)
        if review_at is not None:
            self._map_review(review_at)
        cells = self._complete(template, single)
        return Mapping(template, single and template == "2021", cells, self.findings)

    def _complete(self, template: str, single: bool) -> list[MappedCell]:
        out = []
        for table, item, applicant in template_cells(template, single):
            cell = self.cells.get((table, item, applicant))
            if cell is None:
                cell = MappedCell(table, item, applicant, "", None, "unreadable", None, "not found in the document")
            out.append(cell)
        known = set(template_cells(template, single))
        for key, cell in self.cells.items():
            if key not in known:
                out.append(cell)
                self.finding("catalogue.template", f"{key[1]} is not a {template}-template cell", cell.location)
        return out

    # table requests -----------------------------------------------------------------------
    def _requests_span(self) -> tuple[int | None, int]:
        start = None
        for i, row in enumerate(self.rows):
            if labels.requests_item(row.own_label or row.label) == "new_received" and row.slots:
                start = i
                break
        if start is None:  # the 本年新收 label broke away: start at the numbers before 上年结转
            for i, row in enumerate(self.rows):
                if labels.requests_item(row.own_label or row.label) == "carried_over" and row.slots:
                    before = next((j for j in range(i - 1, -1, -1) if self.rows[j].has_number), None)
                    if before is not None and not labels.requests_item(self.rows[before].own_label or ""):
                        start = before
                        self.finding("row.placed", f"the {labels.SHORT_LABELS['new_received']} row has no label; the row of numbers before "
                                     f"{labels.SHORT_LABELS['carried_over']} is taken",
                                     self.rows[before].location, severity="info")
                    else:
                        start = i
                    break
        if start is None:
            return None, len(self.rows)
        end = len(self.rows)
        for j in range(start + 1, len(self.rows)):
            row = self.rows[j]
            item = labels.requests_item(row.own_label) if row.own_label else None
            if item == "carried_forward" and row.slots:
                end = j + 1
                break
            if item == "new_received" and row.has_number:
                end = j
                self.finding("table.duplicate", "a second copy of table requests was ignored", row.location)
                break
            if labels.is_review_header(row.label) and not row.has_number:
                end = j
                break
        return start, end

    def _requests_layout(self, start: int | None, end: int) -> str | None:
        if start is None:
            return None
        items = {labels.requests_item(r.own_label) for r in self.rows[start:end] if r.own_label}
        if items & {"other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other"}:
            return "2021"
        if "other_handling" in items:
            return "2019"
        # The （六） labels were lost from the rows: their wording may still be in the text around them.
        if labels.mentions_other_handling_rows(" ".join(p.text for p in self.doc.paragraphs)):
            return "2021"
        count = sum(1 for r in self.rows[start:end] if r.has_number or (r.own_label and labels.requests_item(r.own_label)))
        self.layout_guessed = True
        return "2019" if count == len(requests_rows("2019")) else "2021"

    def _map_requests(self, start: int, end: int, template: str, single: bool) -> None:
        items = requests_rows(template, single)
        position = {item: k for k, item in enumerate(items)}
        entries: list[tuple[_Row, int | None]] = []  # (row, template position or None when unlabeled)
        last = -1
        for row in self.rows[start:end]:
            if not row.slots or not (row.has_number or row.own_label):
                continue
            if row.joined or (row.own_label and len(labels.requests_items(row.own_label)) > 1):
                self.finding("row.joined", f"two rows ran into one ({row.own_label or row.label!r}); not read", row.location)
                entries.append((row, None))  # holds a place nobody can fill: its gap stays unplaced
                continue
            item = labels.requests_item(row.own_label) if row.own_label else None
            if item is None and row.own_label:
                if labels.requests_group(row.own_label):
                    self.finding("row.unknown", f"subtotal row {row.own_label!r} is not in the template; not read", row.location)
                    continue
                if not row.has_number:
                    continue
                self.finding("row.unknown", f"row label {row.own_label!r} not recognised; placed by position", row.location)
            if item is not None and item not in position:
                self.finding("row.unknown", f"row {row.own_label!r} ({item}) is not in the {template} layout", row.location)
                continue
            pos = position[item] if item is not None else None
            if pos is not None and pos <= last:
                self.finding("row.order", f"row {row.own_label!r} out of template order; not read", row.location)
                continue
            if pos is not None:
                last = pos
            elif not row.has_number:
                continue
            entries.append((row, pos))
        placed = self._place(entries, len(items))
        by_position = {k for k, row in placed.items() if not (row.own_label and labels.requests_item(row.own_label) == items[k])}
        # Assemble the 7 slots of every row (or its run) for the decoder.
        inputs: list[object] = [None] * len(items)
        runs: dict[int, Cell] = {}
        for k, row in placed.items():
            if row.run is not None:
                inputs[k] = row.run.text
                runs[k] = row.run
                continue
            slots, why = _choose(row.slots, N_APPLICANTS, _ROW_TOTAL)
            if len(slots) != N_APPLICANTS:
                eight, _ = _choose(row.slots, N_APPLICANTS + 1)
                if len(eight) == N_APPLICANTS + 1:
                    slots = self._drop_subtotal(eight, row)
            if len(slots) != N_APPLICANTS:
                texts = " | ".join(c.text for c in slots)
                for a in APPLICANTS:
                    self.put("requests", items[k], a, None, raw=texts, location=row.location,
                             unreadable=f"row has {why or f'{len(slots)} values'}, expected {N_APPLICANTS}; cannot tell which is which")
                continue
            for a, cell in zip(APPLICANTS, slots):
                self.put("requests", items[k], a, cell)
            inputs[k] = tuple(c.text for c in slots)
        if runs:
            self._decode_requests(items, inputs, runs)
        if by_position:
            self._verify_placement(items, by_position)

    def _verify_placement(self, items: tuple[str, ...], by_position: set[int]) -> None:
        """Rows placed by position (or a layout guessed by counting rows) stand only if the table's
        column arithmetic holds in every fully printed column; otherwise they are not read."""
        leaves = [i for i in items if i not in ("new_received", "carried_over", "total_processed", "carried_forward")]
        failed, checked = [], 0
        for a in APPLICANTS:
            cell = {i: self.cells.get(("requests", i, a)) for i in items}
            if any(c is None or c.state != "number" for c in cell.values()):
                continue  # blanks or flagged cells: this column cannot confirm or refute
            checked += 1
            v = {i: c.value for i, c in cell.items()}
            if v["new_received"] + v["carried_over"] != v["total_processed"] + v["carried_forward"] or \
                    v["total_processed"] != sum(v[i] for i in leaves):
                failed.append(a)
        if checked and not failed:
            return
        rows = sorted(by_position)
        because = f"the column arithmetic fails ({', '.join(failed)})" if failed else "no column is printed in full to confirm it"
        guessed = f" (the layout of {labels.SHORT_LABELS['other_handling']} was guessed from the row count)" if self.layout_guessed else ""
        why = f"rows placed by position{guessed}, and {because}: the placement cannot be trusted"
        self.finding("row.placement_rejected", why)
        for k in rows:
            for a in APPLICANTS:
                old = self.cells.get(("requests", items[k], a))
                if old is not None and old.state != "unreadable":
                    self.cells[("requests", items[k], a)] = MappedCell("requests", items[k], a, old.raw, old.location, "unreadable", None, why)

    def _drop_subtotal(self, slots: list[Cell], row: _Row) -> list[Cell]:
        """Eight values: a 法人或其他组织 subtotal column the template does not have. Drop it only
        where the arithmetic shows which column it is (it equals the sum of the five it covers)."""
        values = [parse_value(c.text).value for c in slots]
        if any(v is None for v in values):
            return slots
        readings = []
        for k, parts in ((1, range(2, 7)), (6, range(1, 6))):  # after 自然人, or before 总计
            rest = [v for j, v in enumerate(values) if j != k]
            if values[k] == sum(values[j] for j in parts) and rest[6] == sum(rest[:6]):
                readings.append([c for j, c in enumerate(slots) if j != k])
        if readings and all([c.text for c in r] == [c.text for c in readings[0]] for r in readings):
            self.finding("column.extra", f"a {labels.LEGAL_PERSON_HEADER} subtotal column (not in the template) was left out", row.location,
                         severity="info")
            return readings[0]
        return slots

    def _place(self, entries: list[tuple[_Row, int | None]], n: int) -> dict[int, _Row]:
        """Template position of every row: labelled rows by label, the others by the gaps."""
        placed: dict[int, _Row] = {}
        anchors = [(-1, None)] + [(pos, i) for i, (_, pos) in enumerate(entries) if pos is not None] + [(n, len(entries))]
        for (lo, i_lo), (hi, i_hi) in zip(anchors, anchors[1:]):
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
                    self.finding("row.placed", f"row without a label placed as row {lo + 2 + offset} of table requests", row.location, severity="info")
            else:
                where = between[0].location
                self.finding("row.unplaced", f"{len(between)} unlabelled rows for {gap} places between rows {lo + 1} and {hi + 1}; not read", where)
        return placed

    def _decode_requests(self, items: tuple[str, ...], inputs: list[object], runs: dict[int, Cell]) -> None:
        from govdisclose.mapping.decode import decode_requests

        decoded = decode_requests(inputs, list(items))
        weak = [runs[k].location for k in runs if "column rules" in decoded[k].note]
        if weak:
            self.finding("decode.row_totals_only",
                         f"no reading of table requests satisfies the column rules; {len(weak)} run(s) were split by their row "
                         "totals alone: check them against the source (the validator lists the failing columns)", weak[0])
        for k, cell in runs.items():
            self._put_decoded([("requests", items[k], a) for a in APPLICANTS], cell, decoded[k])

    def _put_decoded(self, keys: list[tuple[str, str, str | None] | None], cell: Cell, result) -> None:
        """The cells of one digit run: each slot every remaining reading agrees on is read; the
        others are flagged with their candidates (a ``None`` key: a slot with no catalogue cell)."""
        run = cell.text.strip()
        for j, key in enumerate(keys):
            if key is None:
                continue
            table, item, applicant = key
            where = cell.location.part(j + 1, len(keys))
            value = result.values[j] if j < len(result.values) else None
            if value is None:
                options = list(dict.fromkeys(c[j] for c in result.candidates if j < len(c)))
                reason = f"digits {run!r} ran together; {result.note}"
                if options:
                    reason += f"; candidates for this cell: {', '.join(options[:8])}"
                self.put(table, item, applicant, None, raw=run, location=where, unreadable=reason)
            else:
                note = f"split from run {run!r}: {result.note}" if len(keys) > 1 else ""
                self.put(table, item, applicant, None, raw=value, location=where, note=note)

    # table review_litigation --------------------------------------------------------------
    def _review_header(self, after: int) -> int | None:
        for i in range(min(after, len(self.rows)), len(self.rows)):
            row = self.rows[i]
            if labels.is_review_header(" ".join(c.text for c in row.cells)) and not row.has_number:
                return i
        for i, row in enumerate(self.rows):  # table 4 printed before table 3 (rare)
            if labels.is_review_header(" ".join(c.text for c in row.cells)) and not row.has_number:
                return i
        for i in range(min(after, len(self.rows)), len(self.rows)):  # three labelled rows of five
            row = self.rows[i]
            if labels.mentions_review(row.own_label) and row.has_number and len(row.slots) >= 5 and labels.is_review_word(row.own_label):
                return i - 1
        # The header was lost (converted to loose text): table 4 is the one row of 15 values after table 3.
        for i in range(min(after, len(self.rows)), len(self.rows)):
            row = self.rows[i]
            if row.has_number and not row.own_label and len(_fit(row.slots, N_REVIEW)) == N_REVIEW:
                self.finding("table.header", "table review_litigation found by its 15 values; its header is not in a table", row.location, severity="info")
                return i - 1
        return None

    def _map_review(self, header: int) -> None:
        codes = [c for c in _review_items()]
        slots: list[Cell] = []
        for row in self.rows[header + 1:]:
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
                self._decode_review(codes, row.run)
                return
            slots.extend(c for c in row.slots)
            if len([c for c in slots if c.text.strip()]) >= N_REVIEW:
                break
        slots, _ = _choose(slots, N_REVIEW, _BLOCK_TOTALS)
        if len(slots) != N_REVIEW:
            for code in codes:
                self.put("review_litigation", code, None, None, raw=" | ".join(c.text for c in slots), location=slots[0].location if slots else None,
                         unreadable=f"table review_litigation has {len(slots)} values, expected {N_REVIEW}")
            return
        for code, cell in zip(codes, slots):
            self.put("review_litigation", code, None, cell)

    def _decode_review(self, codes: list[str], cell: Cell) -> None:
        from govdisclose.mapping.decode import decode_review

        self._put_decoded([("review_litigation", code, None) for code in codes], cell, decode_review(cell.text))

    # table active_disclosure --------------------------------------------------------------
    def _template_from_active(self, rows: list[_Row]) -> str | None:
        votes = {"2021": 0, "2019": 0}
        for row in rows:
            fields = labels.active_fields([c.text for c in row.cells if not c.merged]) or ()
            for template, words in labels.TEMPLATE_FIELDS.items():
                votes[template] += sum(f in words for f in fields)
        if not any(votes.values()):
            votes = labels.template_votes(self.doc.text())
        if votes["2021"] == votes["2019"]:
            return None
        return "2021" if votes["2021"] > votes["2019"] else "2019"

    def _active_slots(self, row: _Row, row_code: str, header: tuple[str, ...] | None, header_row: _Row | None,
                      template: str) -> tuple[tuple[str, ...] | None, list[Cell]]:
        """The fields of a table-2 row and the cell of each: by the header's own columns where the
        header row has the same grid, else the values from the right, else the template's default."""
        if header and header_row is not None and len(header_row.cells) == len(row.cells) and all(_active_code(row_code, f) for f in header):
            columns = [j for j, c in enumerate(header_row.cells) if not c.merged and labels.active_fields([c.text])]
            cells = [row.cells[j] for j in columns]
            outside = [c for j, c in enumerate(row.cells) if j not in columns and c in row.slots and not _is_pad(c)]
            if (len(columns) == len(header) and not outside and not any(c.merged for c in cells)
                    and all(is_value_text(c.text) or c.run for c in cells)):
                return header, cells  # every printed value sits under a header cell
        if header and all(_active_code(row_code, f) for f in header):
            slots, _ = _choose(row.slots, len(header))
            if len(slots) == len(header):
                return header, slots
        for n in (3, 2, 1):
            fields = labels.ACTIVE_DEFAULT_FIELDS.get((template, row_code, n))
            if fields:
                slots, _ = _choose(row.slots, n)
                if len(slots) == n:
                    return fields, slots
        return None, row.slots

    def _map_active(self, rows: list[_Row], template: str) -> None:
        header: tuple[str, ...] | None = None
        header_row: _Row | None = None
        for row in rows:
            row_code = labels.active_row(row.own_label) if row.own_label else None
            if row_code is None:
                fields = labels.active_fields([c.text for c in row.cells if not c.merged])
                if fields and not row.has_number:
                    header, header_row = fields, row
                continue
            if not row.slots:
                continue
            if row.run is not None:
                fields = header if header and all(_active_code(row_code, f) for f in header) else None
                if fields is None:
                    fields = next((v for (t, r, k), v in labels.ACTIVE_DEFAULT_FIELDS.items() if t == template and r == row_code), None)
                if fields is None:
                    continue
                self._decode_active(row_code, fields, row.run)
                continue
            fields, slots = self._active_slots(row, row_code, header, header_row, template)
            if fields is None or len(slots) != len(fields):
                self.finding("row.unknown", f"table active_disclosure row {row.own_label!r} with {len(row.slots)} values not understood", row.location)
                continue
            for f, cell in zip(fields, slots):
                code = _active_code(row_code, f)
                if code is None:
                    self.finding("row.unknown", f"{row.own_label} {f} is not a catalogue cell", cell.location)
                    continue
                self.put("active_disclosure", code, None, cell)

    def _decode_active(self, row_code: str, fields: tuple[str, ...], cell: Cell) -> None:
        from govdisclose.mapping.decode import decode_fields

        codes = [_active_code(row_code, f) for f in fields]
        keys = [("active_disclosure", code, None) if code else None for code in codes]
        self._put_decoded(keys, cell, decode_fields(cell.text, len(fields), signed="change" in fields))


@cache
def _unit(table: str, item: str) -> str:
    return item_info(table, item)["unit"]


def _active_code(row_code: str, field_code: str) -> str | None:
    code = f"{row_code}.{field_code}"
    try:
        item_info("active_disclosure", code)
    except KeyError:
        return None
    return code


def _review_items() -> list[str]:
    return [f"{block}.{part}" for block in ("review", "litigation_direct", "litigation_after_review")
            for part in ("upheld", "corrected", "other", "pending", "total")]

