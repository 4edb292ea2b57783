"""Table 3 read by its printed header (spec §4a): the applicant columns in the order the page prints them.

:func:`header_plan` reads the header above table 3's first row into a
:class:`~govdisclose.mapping.columns.ColumnPlan` where it says something position would get wrong
(another order, extra or unknown columns); :func:`header_agrees` refuses a plan whose reading breaks
row totals that the printed order keeps (a header cell lost or shifted); :func:`put_by_header`
places one row's values by the plan.
"""

from __future__ import annotations

from functools import partial

from govdisclose.mapping import ocr_headers
from govdisclose.mapping.collect import Collector
from govdisclose.mapping.columns import LEFT_OUT, ColumnPlan, requests_plan
from govdisclose.mapping.rows import Row, cells_under, choose, totals_agree
from govdisclose.readers.model import Cell
from govdisclose.template.arithmetic import CellKey, Equation, applicant_columns

__all__ = ["header_plan", "header_agrees", "put_by_header"]

APPLICANTS = applicant_columns()
N_APPLICANTS = len(APPLICANTS)
_REQUESTS = "requests"


def header_plan(out: Collector, rows: list[Row], start: int) -> ColumnPlan | None:
    """The printed header of table 3, where it says something position would get wrong.

    ``None`` where no header is printed or it names the template's seven columns in template order
    (then the values are placed from the right, as the template prints them)."""
    first = rows[start]
    header: list[list[Cell]] = []
    for j in range(start - 1, max(-1, start - 6), -1):
        row = rows[j]
        if row.table != first.table or row.has_number:
            break
        header.insert(0, row.cells)
    plan = requests_plan(header)
    if plan is None or plan.problem or not _as_template(plan.codes):  # an OCR-misread header cell?
        plan = ocr_headers.requests_header(out, header, rows, start, plan)
    if plan is None or (_as_template(plan.codes) and not plan.problem):
        return None  # no header, or one that prints the template's order where it can be read
    if plan.problem:
        out.finding("column.header", f"{plan.problem}: the columns of table requests cannot be told apart", plan.location)
        return plan
    order = ", ".join(c or "?" for c in plan.codes)
    out.finding("column.header", f"table requests' columns are read by their printed header ({order})", plan.location, severity="info")
    unknown = [k for k, c in enumerate(plan.codes) if c is None]
    if unknown:
        out.finding("column.unknown", f"{len(unknown)} column(s) of table requests have a header that names no template column; "
                    "their cells are not read", plan.location)
    extras = sorted({c for c in plan.codes if c in LEFT_OUT})
    if extras:
        out.finding("column.extra", f"columns not in the template ({', '.join(extras)}) were left out, as their header says",
                    plan.location, severity="info")
    return plan


def _as_template(codes: tuple[str | None, ...]) -> bool:
    """The codes are the template's seven in order, with illegible headers (``None``) standing
    exactly where the missing ones belong (a PDF header broken one character per line)."""
    missing = [a for a in APPLICANTS if a not in codes]
    if len(codes) != len(APPLICANTS) or codes.count(None) != len(missing):
        return False
    fill = iter(missing)
    return tuple(c if c is not None else next(fill) for c in codes) == APPLICANTS


def _by_header(plan: ColumnPlan, row: Row, item: str, row_total: Equation) -> dict[str, Cell] | str:
    """One row's cells by the header plan (applicant code → cell), or why they cannot be told."""
    cells = cells_under(row, plan.columns, plan.width) if plan.aligned else None
    if cells is None:
        keys: list[CellKey | None] = [(_REQUESTS, item, c) if c in APPLICANTS else None for c in plan.codes]
        check = partial(_agrees_by_plan, keys=keys, eq=row_total)
        slots, why = choose(row.slots, len(plan.codes), check)
        if len(slots) != len(plan.codes):
            return f"row has {why or f'{len(slots)} values'}, the header names {len(plan.codes)} columns; cannot tell which is which"
        cells = slots
    return {code: cell for code, cell in zip(plan.codes, cells) if code in APPLICANTS}


def _row_total_holds(cells: dict[str, Cell], item: str, row_total: Equation) -> bool:
    if len(cells) != len(APPLICANTS):
        return False
    keys = [(_REQUESTS, item, a) for a in APPLICANTS]
    return totals_agree([cells[a] for a in APPLICANTS], keys, [row_total])


def header_agrees(plan: ColumnPlan, placed: dict[int, Row], items: tuple[str, ...], row_totals: dict[str | None, Equation]) -> bool:
    """False where the header's reading breaks row totals that the template's order keeps (and
    never the other way round): a header cell was lost or shifted, and the header cannot be trusted."""
    for_template = against = 0
    for k, row in placed.items():
        if row.run is not None:
            continue
        item, eq = items[k], row_totals[items[k]]
        by_plan = _by_header(plan, row, item, eq)
        slots, _ = choose(row.slots, N_APPLICANTS)
        by_position = dict(zip(APPLICANTS, slots)) if len(slots) == N_APPLICANTS else {}
        plan_ok = isinstance(by_plan, dict) and _row_total_holds(by_plan, item, eq)
        position_ok = _row_total_holds(by_position, item, eq)
        for_template += position_ok and not plan_ok
        against += plan_ok and not position_ok
    return for_template == 0


def put_by_header(out: Collector, plan: ColumnPlan, row: Row, item: str, row_total: Equation) -> tuple[str, ...] | None:
    """Put one row's cells by the header plan; return its seven texts in template order (or None)."""
    found = _by_header(plan, row, item, row_total) if not plan.problem else f"{plan.problem}: which value is which cannot be told"
    if isinstance(found, str):
        for a in APPLICANTS:
            out.put("requests", item, a, None, raw=" | ".join(c.text for c in row.slots), location=row.location, unreadable=found)
        return None
    for a in APPLICANTS:
        if a in found:
            out.put("requests", item, a, found[a])
    if len(found) != len(APPLICANTS):
        return None
    return tuple(found[a].text for a in APPLICANTS)


def _agrees_by_plan(window: list[Cell], keys: list[CellKey | None], eq: Equation) -> bool:
    named = [(k, c) for k, c in zip(keys, window) if k is not None]
    return totals_agree([c for _, c in named], [k for k, _ in named], [eq]) if len(named) == len(eq.cells) else False
