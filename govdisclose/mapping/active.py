"""Table ``active_disclosure`` (table 2): which template its column headers show, and its cells.

Row labels (规章, 行政许可 …) and the column headers above them (本年制发件数 … / 上一年项目数量 …) are
matched by :mod:`govdisclose.template.vocabulary`; a row's values are taken under the header's own
columns where the header row has the same grid, else from the right, else by the template's
default fields for that many values.

>>> from govdisclose.readers import read_document
>>> from govdisclose.corpus.paths import sample_path
>>> from govdisclose.mapping.rows import rows_of
>>> doc = read_document(sample_path("pingtan_2019.txt"))
>>> template_from_active(doc, rows_of(doc))
'2019'
"""

from __future__ import annotations

from govdisclose.mapping.collect import Collector
from govdisclose.mapping.rows import Row, cells_under, choose
from govdisclose.readers.model import Cell, Document
from govdisclose.template import vocabulary as labels
from govdisclose.template.catalogue import item_info
from govdisclose.template.headers import header_unit
from govdisclose.template.values import is_value_text

__all__ = ["template_from_active", "map_active", "active_code"]


def active_code(row_code: str, field_code: str) -> str | None:
    """The catalogue item of one table-2 row and field (``licensing`` + ``decisions``), or None.

    >>> active_code("licensing", "decisions"), active_code("fees", "issued")
    ('licensing.decisions', None)
    """
    code = f"{row_code}.{field_code}"
    try:
        item_info("active_disclosure", code)
    except KeyError:
        return None
    return code


def template_from_active(doc: Document, rows: list[Row]) -> str | None:
    """``"2021"`` or ``"2019"`` by the table-2 header fields the rows (else the text) name; None on a tie."""
    votes = {"2021": 0, "2019": 0}
    for row in rows:
        fields = labels.active_fields([c.text for c in row.cells if not c.merged]) or ()
        for template, words in labels.TEMPLATE_FIELDS.items():
            votes[template] += sum(f in words for f in fields)
    if not any(votes.values()):
        votes = labels.template_votes(doc.text())
    if votes["2021"] == votes["2019"]:
        return None
    return "2021" if votes["2021"] > votes["2019"] else "2019"


def _active_slots(row: Row, row_code: str, header: tuple[str, ...] | None, header_row: Row | None,
                  template: str) -> tuple[tuple[str, ...] | None, list[Cell]]:
    """The fields of a table-2 row and the cell of each: by the header's own columns where the
    header row has the same grid, else the values from the right, else the template's default."""
    if header and header_row is not None and len(header_row.cells) == len(row.cells) and all(active_code(row_code, f) for f in header):
        columns = [j for j, c in enumerate(header_row.cells) if not c.merged and labels.active_fields([c.text])]
        cells = cells_under(row, columns, len(header_row.cells)) if len(columns) == len(header) else None
        if cells is not None and all(is_value_text(c.text) or c.run for c in cells):
            return header, cells  # every printed value sits under a header cell
    if header and all(active_code(row_code, f) for f in header):
        slots, _ = choose(row.slots, len(header))
        if len(slots) == len(header):
            return header, slots
    for n in (3, 2, 1):
        fields = labels.ACTIVE_DEFAULT_FIELDS.get((template, row_code, n))
        if fields:
            slots, _ = choose(row.slots, n)
            if len(slots) == n:
                return fields, slots
    return None, row.slots


def map_active(out: Collector, rows: list[Row], template: str) -> None:
    """Put every table-2 cell the rows print (a digit run is split by :mod:`govdisclose.mapping.decode`)."""
    header: tuple[str, ...] | None = None
    units: dict[str, str] = {}  # field → the unit its header prints (本年收费金额（单位：元）)
    header_row: Row | None = None
    for row in rows:
        row_code = labels.active_row(row.own_label) if row.own_label else None
        if row_code is None:
            fields = labels.active_fields([c.text for c in row.cells if not c.merged])
            if fields and not row.has_number:
                header, header_row = fields, row
                units = _header_units(row)
            continue
        if not row.slots:
            continue
        if row.run is not None:
            fields = header if header and all(active_code(row_code, f) for f in header) else None
            if fields is None:
                fields = next((v for (t, r, k), v in labels.ACTIVE_DEFAULT_FIELDS.items() if t == template and r == row_code), None)
            if fields is None:
                continue
            _decode_active(out, row_code, fields, row.run)
            continue
        fields, slots = _active_slots(row, row_code, header, header_row, template)
        if fields is None or len(slots) != len(fields):
            out.finding("row.unknown", f"table active_disclosure row {row.own_label!r} with {len(row.slots)} values not understood", row.location)
            continue
        for f, cell in zip(fields, slots):
            code = active_code(row_code, f)
            if code is None:
                out.finding("row.unknown", f"{row.own_label} {f} is not a catalogue cell", cell.location)
                continue
            other = _other_template_field(template, row_code, f)
            if other is not None:
                out.put("active_disclosure", other, None, cell, unreadable=(
                    f"printed under the {_OTHER[template]} header for {f} ({code}), not this template's {other}: "
                    "different quantities, not mapped onto each other (spec §2)"))
                continue
            out.put("active_disclosure", code, None, cell, header_unit=units.get(f) if header and f in header else None)


_OTHER = {"2021": "2019", "2019": "2021"}
#: 规章/规范性文件 fields of one template and the field the other prints in the same column:
#: 本年新制作数量 ↔ 本年制发件数, 对外公开总数量 ↔ 现行有效件数 — related, but not the same count.
_COUNTERPART = {("2021", "new_made"): "issued", ("2021", "total_published"): "in_force",
                ("2019", "issued"): "new_made", ("2019", "in_force"): "total_published"}


def _other_template_field(template: str, row_code: str, field_code: str) -> str | None:
    """This template's cell for a field that only the other template prints (a 2021 report whose
    table 2 prints the 2019 header 本年新制作数量), else None: that cell is flagged, not filled.

    >>> _other_template_field("2021", "regulations", "new_made"), _other_template_field("2021", "regulations", "issued")
    ('regulations.issued', None)
    """
    counterpart = _COUNTERPART.get((template, field_code))
    if counterpart is None or template in str(item_info("active_disclosure", f"{row_code}.{field_code}")["templates"]).split(";"):
        return None
    return active_code(row_code, counterpart)


def _header_units(row: Row) -> dict[str, str]:
    """The unit each field's header cell prints, where it prints one."""
    out: dict[str, str] = {}
    for cell in row.cells:
        if cell.merged:
            continue
        fields = labels.active_fields([cell.text]) or ()
        unit = header_unit(cell.text)
        if len(fields) == 1 and unit:
            out[fields[0]] = unit
    return out


def _decode_active(out: Collector, row_code: str, fields: tuple[str, ...], cell: Cell) -> None:
    from govdisclose.mapping.decode import decode_fields

    codes = [active_code(row_code, f) for f in fields]
    keys: list[tuple[str, str, str | None] | None] = [("active_disclosure", code, None) if code else None for code in codes]
    out.put_decoded(keys, cell, decode_fields(cell.text, len(fields), signed="change" in fields))
