"""Table 4 in the shapes agencies print it, read by its printed header (spec §4a).

* one row of 15 under a three-level header whose blocks or outcome columns are in another order
  (复议后起诉 before 未经复议直接起诉, 尚未审结 before 其他结果): :func:`by_plan`;
* transposed, blocks as columns and one row per outcome (5 × 3): :func:`transposed`;
* one row per block, each labelled with its block, under a header of outcomes (3 × 5):
  :func:`labelled_rows`;
* three separately headed sub-tables (### 行政复议 / ### 行政诉讼（未经复议直接起诉）/ …), each a header
  of outcomes over one row of five: :func:`sub_tables`.

Every reading is checked against the block totals: a header whose reading breaks totals that the
template's order keeps is not trusted (its cells are ``unreadable``), as for table 3.
"""

from __future__ import annotations

from govdisclose.mapping.collect import Collector
from govdisclose.mapping.columns import ColumnPlan
from govdisclose.mapping.rows import Row, cells_under, choose, totals_agree
from govdisclose.readers.model import Cell
from govdisclose.template.arithmetic import equations, review_items
from govdisclose.template.headers import REVIEW_BLOCKS, REVIEW_PARTS, review_block, review_part
from govdisclose.template.values import is_value_text

__all__ = ["header_rows", "by_plan", "transposed", "labelled_rows", "sub_tables", "is_sub_table_header"]

_REVIEW = "review_litigation"
ITEMS = review_items()


def header_rows(rows: list[Row], header: int) -> list[Row]:
    """The header rows of table 4 starting at ``header``: up to the first row with a number."""
    out = []
    for row in rows[header:header + 4]:
        if row.has_number or row.table != rows[header].table:
            break
        out.append(row)
    return out


def _blocks_hold(cells: dict[str, Cell]) -> bool | None:
    """Do the block totals hold for this reading? ``None`` where no block is fully readable."""
    results = []
    for eq in equations("2021", tables=(_REVIEW,)):
        keys = list(eq.cells)
        if all(k[1] in cells for k in keys):
            results.append(totals_agree([cells[k[1]] for k in keys], keys, [eq]))
    return None if not results else all(results)


def _put_all(out: Collector, cells: dict[str, Cell], against: dict[str, Cell] | None, what: str) -> bool:
    """Put a reading, unless the template's order keeps block totals this reading breaks."""
    if against is not None and _blocks_hold(against) and _blocks_hold(cells) is False:
        why = f"table 4 {what}, but its reading breaks block totals the printed order keeps: the header cannot be trusted"
        for code in ITEMS:
            out.put(_REVIEW, code, None, None, raw="", location=next(iter(cells.values())).location, unreadable=why)
        return True
    for code in ITEMS:
        if code in cells:
            out.put(_REVIEW, code, None, cells[code])
    return True


def by_plan(out: Collector, plan: ColumnPlan, value_rows: list[Row], slots: list[Cell]) -> bool:
    """The 15 values under a header naming every column (in whatever order)."""
    codes = [c for c in plan.codes if c is not None]
    if plan.problem or len(codes) != len(ITEMS) or set(codes) != set(ITEMS):
        return False
    cells = cells_under(value_rows[0], plan.columns, plan.width) if plan.aligned and len(value_rows) == 1 else None
    if cells is None:
        chosen, _ = choose(slots, len(ITEMS))
        if len(chosen) != len(ITEMS):
            return False
        cells = chosen
    reading = dict(zip(plan.codes, cells))
    window, _ = choose(slots, len(ITEMS))
    in_order = dict(zip(ITEMS, window)) if len(window) == len(ITEMS) else None
    out.finding("column.header", f"table review_litigation's columns are read by their printed header ({', '.join(codes)})",
                plan.location, severity="info")
    return _put_all(out, {c: cell for c, cell in reading.items() if c is not None}, in_order, "prints its columns in another order")


def _values(row: Row, n: int) -> list[Cell] | None:
    chosen, _ = choose(row.slots, n)
    return chosen if len(chosen) == n and all(is_value_text(c.text) for c in chosen) else None


def transposed(out: Collector, rows: list[Row], header: int) -> bool:
    """Blocks as columns (a header row of three block names), one row per outcome."""
    head = rows[header]
    blocks = [b for b in (review_block(c.text) for c in head.cells if not c.merged and c.text.strip()) if b in REVIEW_BLOCKS]
    if len(blocks) != 3 or len(set(blocks)) != 3 or any(review_part(c.text) for c in head.cells if c.text.strip()):
        return False
    cells: dict[str, Cell] = {}
    body = rows[header + 1:header + 3 + len(REVIEW_PARTS)]
    while body and not body[0].has_number and not review_part(body[0].own_label or "") and body[0].table == head.table:
        body = body[1:]  # the end of a block name broken onto the next line (行政诉讼（未经复议直接 / 起诉）)
    for row in body[:len(REVIEW_PARTS)]:
        part = review_part(row.own_label) if row.own_label else None
        values = _values(row, 3) if part else None
        if part is None or values is None:
            return False
        for block, cell in zip(blocks, values):
            cells[f"{block}.{part}"] = cell
    if set(cells) != set(ITEMS):
        return False
    out.finding("table.shape", "table review_litigation is printed transposed (blocks as columns); read by its headers", head.location,
                severity="info")
    return _put_all(out, cells, None, "is transposed")


def _parts_of(row: Row) -> list[str] | None:
    parts = [review_part(c.text) for c in row.cells if not c.merged and c.text.strip()]
    named = [p for p in parts if p is not None]
    return named if len(named) == len(REVIEW_PARTS) and set(named) == set(REVIEW_PARTS) else None


def labelled_rows(out: Collector, rows: list[Row], header: int) -> bool:
    """One row per block, labelled with its block, under a header row of the five outcomes."""
    parts = _parts_of(rows[header])
    if parts is None:
        return False
    cells: dict[str, Cell] = {}
    for row in rows[header + 1:header + 4]:
        block = review_block(row.own_label) if row.own_label else None
        values = _values(row, len(parts)) if block in REVIEW_BLOCKS else None
        if block not in REVIEW_BLOCKS or values is None:
            return False
        for part, cell in zip(parts, values):
            cells[f"{block}.{part}"] = cell
    if set(cells) != set(ITEMS):
        return False
    if parts != list(REVIEW_PARTS) or [k.split(".")[0] for k in cells][::5] != list(REVIEW_BLOCKS):
        out.finding("column.header", "table review_litigation's rows and columns are read by their labels and header", rows[header].location,
                    severity="info")
    return _put_all(out, cells, None, "is printed as three labelled rows")


def is_sub_table_header(row: Row) -> bool:
    """The header row of one block's sub-table: its table's heading names the block, the row the five outcomes."""
    return review_block(row.caption) in REVIEW_BLOCKS and _parts_of(row) is not None and not row.has_number


def sub_tables(out: Collector, rows: list[Row], start: int) -> bool:
    """Three sub-tables, each headed by a paragraph naming its block: outcomes over one row of five."""
    cells: dict[str, Cell] = {}
    k = start
    while k < len(rows) and len(cells) < len(ITEMS):
        row = rows[k]
        if not is_sub_table_header(row):
            k += 1
            if cells and k - start > 12:
                break
            continue
        block, parts = review_block(row.caption), _parts_of(row)
        value_row = rows[k + 1] if k + 1 < len(rows) and rows[k + 1].table == row.table else None
        values = _values(value_row, len(REVIEW_PARTS)) if value_row is not None else None
        if values is None or parts is None:
            return False
        for part, cell in zip(parts, values):
            cells[f"{block}.{part}"] = cell
        k += 2
    if set(cells) != set(ITEMS):
        return False
    out.finding("table.shape", "table review_litigation is printed as three headed sub-tables; read by their headings",
                rows[start].location, severity="info")
    return _put_all(out, cells, None, "is printed as sub-tables")
