"""Which checks of which reports may say something, decided for a chunk of reports at once.

Most equations of most reports hold and most cells are whole numbers ≥ 0; judging each of them
in Python costs more than reading the report. Here the template's equations (as data, from
:mod:`govdisclose.template.arithmetic`) become column numbers into a chunk's ``report × key``
arrays (:class:`~govdisclose.checks.cells.Chunk`), and :mod:`numpy` sets aside what certainly has
nothing to say: an equation with a cell absent (``absent``), with no printed number and no
unreadable cell (``empty``), or whose cells are all printed whole numbers whose sides are equal
(``holds``; whole numbers below 2**48 add up exactly in floating point). Everything else — the
few that fail, any blank, ``/``, fraction or unreadable cell — is handed, with its cells, to the
one blank policy :func:`~govdisclose.template.arithmetic.evaluate`, which alone decides. Likewise
only cells with a negative, fractional or infinite value go to the domain rule.

>>> import govdisclose
>>> from govdisclose.checks.cells import Cells
>>> m = govdisclose.read_report(govdisclose.sample_path("shuyang_fgj_2023.html")).metrics
>>> cells = Cells(m)
>>> chunk = next(cells.chunks())
>>> opened = open_equations(cells, chunk, [None])[0]      # its five 法人 columns are left blank
>>> len(opened), opened[0].equation.rule
(25, 'requests.row_total')
>>> odd_cells(cells, chunk)
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govdisclose.checks.cells import ABSENT, NUMBER, PAD, UNREADABLE, Cells, Chunk
from govdisclose.template import arithmetic
from govdisclose.template.arithmetic import CellKey, Equation

__all__ = ["Open", "Odd", "open_equations", "odd_cells", "SINGLE"]

#: Its presence tells the layout of （六）其他处理 printed as one row (:func:`arithmetic.report_equations`).
SINGLE: CellKey = ("requests", "other_handling", "total")
_EXACT = 2.0**48  # up to 22 whole numbers below this add up exactly in float64


@dataclass(frozen=True, slots=True)
class Open:
    """An equation of one report that may say something: its cells as the blank policy takes
    them, and the location of the cell a finding about it names."""

    equation: Equation
    cells: dict[CellKey, tuple[str, float | None]]
    location: str


@dataclass(frozen=True, slots=True)
class Odd:
    """A cell of one report whose value may break the domain rule (its last row's value and location)."""

    key: CellKey
    value: float
    location: str


@dataclass(frozen=True)
class _Plan:
    """A layout's equations over one frame's keys: each equation's cells as key columns (padded),
    +1 for a total and -1 for a part, and the column of the cell a finding names."""

    equations: tuple[Equation, ...]
    columns: np.ndarray
    sign: np.ndarray
    named: np.ndarray


def _plan(cells: Cells, eqs: tuple[Equation, ...]) -> _Plan:
    width = max(len(eq.cells) for eq in eqs)
    columns = np.full((len(eqs), width), cells.pad, dtype=np.int64)
    sign = np.zeros((len(eqs), width))
    for e, eq in enumerate(eqs):
        columns[e, :len(eq.cells)] = [cells.index.get(k, cells.absent) for k in eq.cells]
        sign[e, :len(eq.totals)], sign[e, len(eq.totals):len(eq.cells)] = 1.0, -1.0
    named = np.array([cells.index.get((eq.table, eq.item, eq.applicant) if eq.item is not None else eq.parts[0], cells.absent)
                      for eq in eqs], dtype=np.int64)
    return _Plan(eqs, columns, sign, named)


def _may_say(plan: _Plan, cls: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``report × equation``: True unless the equation is certainly absent, empty or holding."""
    c, v = cls[:, plan.columns], value[:, plan.columns]
    number = c == NUMBER
    absent = (c == ABSENT).any(axis=2)
    empty = ~(number | (c == UNREADABLE)).any(axis=2)
    whole = np.where(number, (v == np.floor(v)) & (np.abs(v) < _EXACT), True).all(axis=2)
    holds = (number | (c == PAD)).all(axis=2) & whole & ((np.where(number, v, 0.0) * plan.sign).sum(axis=2) == 0)
    return ~(absent | empty | holds)


def open_equations(cells: Cells, chunk: Chunk, templates: Sequence[str | None]) -> dict[int, list[Open]]:
    """For each report of the chunk (by its number in the chunk; ``templates`` are theirs), the
    equations of its layout that may say something, in the layout's order."""
    single = cells.index.get(SINGLE)
    layouts: dict[int, tuple[tuple[Equation, ...], list[int]]] = {}
    for local, template in enumerate(templates):
        layout = [SINGLE] if single is not None and chunk.last[local, single] >= 0 else []
        eqs = arithmetic.report_equations(layout, template)
        layouts.setdefault(id(eqs), (eqs, []))[1].append(local)
    out: dict[int, list[Open]] = {}
    for eqs, members in layouts.values():
        plan = _plan(cells, eqs)
        rows = np.array(members)
        for r, e in np.argwhere(_may_say(plan, chunk.cls[rows], chunk.value[rows])):
            local, eq = int(rows[r]), eqs[e]
            last = chunk.last[local]
            given = {k: cells.cell_at(int(last[j])) for k, j in zip(eq.cells, plan.columns[e]) if last[j] >= 0}
            out.setdefault(local, []).append(Open(eq, given, cells.location_at(int(last[plan.named[e]]))))
    return out


def odd_cells(cells: Cells, chunk: Chunk) -> list[tuple[int, Odd]]:
    """The chunk's cells (by report number in the chunk) with a value below 0 (but for a signed
    ``.change``), or not whole or not finite (but for an ``.amount``), each report's in the order
    its keys first appear."""
    n = len(cells.keys)
    signed = np.array([k[1].endswith(".change") for k in cells.keys], dtype=bool)
    money = np.array([k[1].endswith(".amount") for k in cells.keys], dtype=bool)
    v = chunk.value[:, :n]
    with np.errstate(invalid="ignore"):
        odd = ~np.isnan(v) & (((v < 0) & ~signed) | (~money & (~np.isfinite(v) | (v != np.floor(v)))))
    local, j = np.nonzero(odd)
    out: list[tuple[int, Odd]] = []
    for k in np.lexsort((chunk.first[local, j], local)):
        row = int(chunk.last[local[k], j[k]])
        out.append((int(local[k]), Odd(cells.keys[j[k]], float(v[local[k], j[k]]), cells.location_at(row))))
    return out
