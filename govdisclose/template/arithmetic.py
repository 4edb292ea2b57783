"""The template's arithmetic as data (spec §4), and the blank policy that judges one equation.

Every equation is derived from the catalogue (``group``, ``leaf``, ``templates``; the applicant
columns; :func:`~govdisclose.template.catalogue.requests_rows`), never from a hand list:

* ``requests.row_total``: per row of table ``requests``, 总计 = the six applicant columns;
* ``requests.balance``: per applicant column, the rows before the outcome block (本年新收, 上年结转)
  = the outcome total plus the rows after it (结转下年度);
* ``requests.outcome_total``: per applicant column, the outcome total = its leaf rows;
* ``review_litigation.block_total``: per block of table ``review_litigation``, 总计 = its leaves.

>>> from collections import Counter
>>> Counter(eq.rule for eq in equations("2021"))
Counter({'requests.row_total': 25, 'requests.balance': 7, 'requests.outcome_total': 7, 'review_litigation.block_total': 3})
>>> eq = equations("2021", tables=("review_litigation",))[0]
>>> eq.description
'review: total = upheld + corrected + other + pending'

:func:`evaluate` is the one blank policy. A blank is an unknown count ≥ 0; a ``/`` placeholder
counts as 0 (nothing was lost); a blank *total* is never taken as 0:

>>> cells = {("review_litigation", "review.total", None): ("number", 3),
...          ("review_litigation", "review.upheld", None): ("number", 2),
...          ("review_litigation", "review.corrected", None): ("number", 1),
...          ("review_litigation", "review.other", None): ("blank", None),
...          ("review_litigation", "review.pending", None): ("na", None)}
>>> evaluate(eq, cells).status               # agrees if the blank means 0: a warning
'unfilled'
>>> evaluate(eq, {**cells, ("review_litigation", "review.upheld", None): ("number", 5)}).status
'error'
>>> evaluate(eq, {**cells, ("review_litigation", "review.upheld", None): ("number", 1)}).status
'shortfall'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from govdisclose.exceptions import CatalogueError
from govdisclose.template.catalogue import APPLICANT_LABELS, APPLICANTS, TEMPLATES, requests_rows
from govdisclose.template.layout import (
    Block,
    CellKey,
    applicant_columns,
    applicant_parts,
    balance_sides,
    is_total,
    legal_person_columns,
    outcome_rows,
    outcome_total_item,
    review_blocks,
    review_items,
)

__all__ = [
    "CellKey", "Equation", "Verdict", "Block", "Confirmation", "RULES", "STATUSES", "SEVERITY",
    "equations", "report_equations", "evaluate", "confirmed_zeros", "holds_where_printed", "agrees", "is_total",
    "applicant_columns", "applicant_parts", "legal_person_columns", "outcome_total_item", "outcome_rows", "balance_sides",
    "review_blocks", "review_items",
]

#: The arithmetic rules and their wording.
RULES: dict[str, str] = {
    "requests.balance": "new_received + carried_over = total_processed + carried_forward, per applicant column",
    "requests.row_total": "总计 = sum of the six applicant columns, per row",
    "requests.outcome_total": "total_processed = sum of the leaf outcome rows, per applicant column",
    "review_litigation.block_total": "总计 = 维持 + 纠正 + 其他 + 尚未审结, per block",
}

#: What :func:`evaluate` can say about an equation.
STATUSES: tuple[str, ...] = ("holds", "error", "unfilled", "blank_total", "shortfall", "unchecked", "empty", "absent")
#: The finding severity of each status (``None``: nothing to report).
SEVERITY: dict[str, str | None] = {
    "holds": None, "empty": None, "absent": None, "error": "error",
    "unfilled": "warning", "blank_total": "warning", "shortfall": "warning", "unchecked": "warning",
}

_REQUESTS, _REVIEW = "requests", "review_litigation"


# --- the equations ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Equation:
    """``sum(totals) = sum(parts)``; ``totals`` is the side holding the printed total(s).

    ``table``/``item``/``applicant`` are what a finding about the equation names.
    """

    rule: str
    totals: tuple[CellKey, ...]
    parts: tuple[CellKey, ...]
    table: str
    item: str | None
    applicant: str | None
    description: str

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.totals + self.parts


def _join(items: Iterable[str]) -> str:
    return " + ".join(items)


@cache
def _equations(template: str, single_other_handling: bool) -> tuple[Equation, ...]:
    if template not in TEMPLATES:
        raise CatalogueError(f"unknown template {template!r}; templates are {', '.join(TEMPLATES)}")
    rows = requests_rows(template, single_other_handling)
    six = applicant_parts()
    out: list[Equation] = []
    for item in rows:
        out.append(Equation("requests.row_total", ((_REQUESTS, item, "total"),), tuple((_REQUESTS, item, a) for a in six),
                            _REQUESTS, item, "total", f"{item} 总计 = the six applicant columns"))
    before, after = balance_sides(template)
    leaves = outcome_rows(template, single_other_handling)
    total = outcome_total_item()
    for a in APPLICANTS:
        label = APPLICANT_LABELS[a]
        out.append(Equation("requests.balance", tuple((_REQUESTS, i, a) for i in after), tuple((_REQUESTS, i, a) for i in before),
                            _REQUESTS, None, a, f"{_join(before)} = {_join(after)} ({label})"))
        out.append(Equation("requests.outcome_total", ((_REQUESTS, total, a),), tuple((_REQUESTS, i, a) for i in leaves),
                            _REQUESTS, total, a, f"{total} = the {len(leaves)} outcome rows ({label})"))
    for b in review_blocks():
        out.append(Equation("review_litigation.block_total", ((_REVIEW, b.total, None),), tuple((_REVIEW, p, None) for p in b.parts),
                            _REVIEW, b.total, None,
                            f"{b.name}: total = {_join(p.rsplit('.', 1)[-1] for p in b.parts)}"))
    return tuple(out)


def equations(template: str, single_other_handling: bool = False, tables: Sequence[str] | None = None) -> tuple[Equation, ...]:
    """Every equation of a template (row totals, then balance and outcome total per column, then
    the blocks), optionally only those of ``tables``.

    >>> len(equations("2019")), len(equations("2021", single_other_handling=True)), len(equations("2021"))
    (40, 40, 42)
    >>> eq = equations("2021")[25]
    >>> eq.rule, eq.description
    ('requests.balance', 'new_received + carried_over = total_processed + carried_forward (自然人)')
    """
    eqs = _equations(template, single_other_handling)
    return eqs if tables is None else tuple(e for e in eqs if e.table in tables)


def report_equations(cells: Iterable[CellKey], template: str | None = None) -> tuple[Equation, ...]:
    """The equations of one report's layout: its ``template`` where known, else told from its cells
    (a single （六）其他处理 row is the 2019 layout, also seen in 2023 reports on the 2021 template).

    >>> import govdisclose
    >>> m = govdisclose.read_report(govdisclose.sample_path("pingtan_2019.html")).metrics
    >>> keys = [(t, i, None if a != a or a is None else a) for t, i, a in zip(m["table"], m["item"], m["applicant"])]
    >>> len(report_equations(keys, "2019")), len(report_equations(keys))
    (40, 40)
    """
    single = (_REQUESTS, "other_handling", "total") in set(cells)
    if template not in TEMPLATES:
        template = "2019" if single else "2021"
    return equations(template, single_other_handling=single and template != "2019")


# --- the blank policy ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Verdict:
    """What one equation says about a report's cells.

    ``totals_sum``/``parts_sum`` are the printed sums of the two sides (blank and ``/`` as 0;
    ``totals_sum`` is ``None`` when every total is blank); ``zeros`` are the blank or ``/`` parts
    the equation shows to be 0 (the printed total already equals the printed parts).
    """

    status: str
    totals_sum: float | None = None
    parts_sum: float | None = None
    blanks: tuple[CellKey, ...] = ()
    placeholders: tuple[CellKey, ...] = ()
    unreadable: tuple[CellKey, ...] = ()
    zeros: tuple[CellKey, ...] = ()
    message: str = ""

    @property
    def severity(self) -> str | None:
        """``error``, ``warning`` or ``None`` (nothing to report)."""
        return SEVERITY[self.status]


def _state(cell: Any) -> tuple[str, Decimal | None]:
    state, value = cell if isinstance(cell, tuple) else (cell.state, cell.value)
    if state != "number":
        return str(state), None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        return "unreadable", None  # a 'number' without a usable value is never taken as anything
    return "number", number


def _fmt(x: Decimal) -> str:
    return format(x.normalize(), "f") if x != 0 else "0"


def evaluate(eq: Equation, cells: Mapping[CellKey, Any]) -> Verdict:
    """Judge ``eq`` on a report's cells: THE blank policy (spec §4).

    ``cells`` maps :data:`CellKey` to ``(state, value)`` or to anything with ``.state`` and
    ``.value`` (a parsed :class:`~govdisclose.template.values.CellValue`, a mapped cell). States
    are those of the tidy frame: ``number``, ``blank``, ``na`` (``/``), ``unreadable``.

    * every cell a number: ``holds`` or ``error``;
    * any cell unreadable: ``unchecked`` (a warning); every cell blank or ``/``: ``empty``;
      a cell missing from ``cells``: ``absent`` (the report's layout lacks it);
    * a ``/`` counts as 0; a blank is an unknown count ≥ 0. Where no value ≥ 0 of the blanks can
      make the sides agree — the printed parts alone exceed the printed total, or one side with
      blanks already exceeds the other, fully printed side — it is an ``error``;
    * the sides agree with the blanks at 0: ``unfilled`` (a warning), or ``blank_total`` where a
      blank is the equation's total (a blank total is never taken as 0);
    * a shortfall the blanks could fill: ``shortfall`` (a warning).

    >>> eq = equations("2021", tables=("requests",))[0]      # new_received 总计 = six columns
    >>> row = {k: ("number", 0) for k in eq.parts} | {eq.totals[0]: ("number", 5)}
    >>> six = list(eq.parts)
    >>> evaluate(eq, row | {six[0]: ("number", 5)}).status
    'holds'
    >>> evaluate(eq, row | {six[0]: ("number", 4)}).status
    'error'
    >>> evaluate(eq, row | {six[0]: ("number", 5), six[1]: ("blank", None)}).status
    'unfilled'
    >>> v = evaluate(eq, row | {six[0]: ("number", 6), six[1]: ("blank", None)})
    >>> v.status, v.message                # 6 > 5: no blank count ≥ 0 can lower the parts
    ('error', 'new_received 总计 = the six applicant columns: printed 5, the parts sum to 6 even with the 1 blank cell(s) at 0; a blank is a count ≥ 0, so none can make it agree')
    >>> evaluate(eq, row | {six[0]: ("number", 3), six[1]: ("blank", None)}).status
    'shortfall'
    >>> evaluate(eq, row | {six[0]: ("number", 3), six[1]: ("na", None)}).status   # '/' is 0
    'error'
    >>> evaluate(eq, row | {six[0]: ("number", 3), eq.totals[0]: ("blank", None)}).status
    'shortfall'
    >>> evaluate(eq, row | {eq.totals[0]: ("blank", None)}).status   # 0 = blank, but a blank total is not 0
    'blank_total'
    >>> evaluate(eq, row | {six[2]: ("unreadable", None)}).status
    'unchecked'
    >>> evaluate(eq, {k: ("blank", None) for k in eq.cells}).status
    'empty'
    """
    if any(k not in cells for k in eq.cells):
        return Verdict("absent")
    states = {k: _state(cells[k]) for k in eq.cells}
    unreadable = tuple(k for k in eq.cells if states[k][0] == "unreadable")
    blanks = tuple(k for k in eq.cells if states[k][0] == "blank")
    placeholders = tuple(k for k in eq.cells if states[k][0] not in ("number", "blank", "unreadable"))
    what = eq.description
    if unreadable:
        return Verdict("unchecked", blanks=blanks, placeholders=placeholders, unreadable=unreadable,
                       message=f"cannot check {what}: {len(unreadable)} unreadable cell(s)")
    if len(blanks) + len(placeholders) == len(eq.cells):
        return Verdict("empty", blanks=blanks, placeholders=placeholders)
    t = sum((states[k][1] or Decimal(0) for k in eq.totals), Decimal(0))
    p = sum((states[k][1] or Decimal(0) for k in eq.parts), Decimal(0))
    t_blank = [k for k in eq.totals if k in blanks]
    p_blank = [k for k in eq.parts if k in blanks]
    all_totals_blank = len(t_blank) == len(eq.totals)
    t_out = None if all_totals_blank else float(t)

    def open_verdict(status: str, message: str, zeros: tuple[CellKey, ...] = ()) -> Verdict:
        return Verdict(status, t_out, float(p), blanks, placeholders, zeros=zeros, message=message)

    if (t > p and not p_blank) or (t < p and not t_blank):
        if not blanks:
            also = " (placeholders counted as 0)" if placeholders else ""
            return Verdict("error", float(t), float(p), blanks, placeholders,
                           message=f"{what}: printed {_fmt(t)}, the parts sum to {_fmt(p)}{also}")
        return Verdict("error", float(t), float(p), blanks, placeholders,
                       message=f"{what}: printed {_fmt(t)}, the parts sum to {_fmt(p)} even with the {len(blanks)} blank cell(s) "
                               "at 0; a blank is a count ≥ 0, so none can make it agree")
    if t == p:
        if not blanks and not placeholders:
            return Verdict("holds", float(t), float(p))
        if any(is_total(k) for k in t_blank):
            return open_verdict("blank_total", f"unfilled: {what} would agree if the blank total meant 0, but a blank total is not taken as 0")
        one_sided = not (t_blank and p_blank)
        zeros = tuple(k for k in (*blanks, *placeholders) if one_sided and not is_total(k))
        n = len(blanks) + len(placeholders)
        return open_verdict("unfilled", f"unfilled: {what} agrees only if the {n} blank cell(s) mean 0", zeros)
    if all_totals_blank:
        return open_verdict("shortfall", f"{what}: the total is printed blank; the parts sum to {_fmt(p)} (a blank total is not taken as 0)")
    return open_verdict("shortfall", f"{what}: {len(blanks)} cell(s) printed blank and the rest do not agree (printed {_fmt(t)} vs "
                           f"{_fmt(p)}); the blank cell(s) would have to hold {_fmt(abs(t - p))}: they may have been lost")


def confirmed_zeros(eqs: Iterable[Equation], cells: Mapping[CellKey, Any]) -> frozenset[CellKey]:
    """The blank or ``/`` parts that count as 0: some equation shows them to be 0 (its printed
    total already equals its printed parts) and no equation they take part in disputes it (a
    shortfall they might fill, an error). Totals are never among them.

    >>> eqs = equations("2021")
    >>> cells = {k: ("number", 0) for e in eqs for k in e.cells}
    >>> ce = ("requests", "new_received", "commercial_enterprise")
    >>> sorted(confirmed_zeros(eqs, cells | {ce: ("blank", None)}))
    [('requests', 'new_received', 'commercial_enterprise')]
    >>> sorted(confirmed_zeros(eqs, cells | {ce: ("blank", None), ("requests", "new_received", "total"): ("number", 1)}))
    []
    """
    shown: set[CellKey] = set()
    disputed: set[CellKey] = set()
    for eq in eqs:
        verdict = evaluate(eq, cells)
        shown.update(verdict.zeros)
        if verdict.status in ("shortfall", "error"):
            disputed.update(verdict.blanks)
    return frozenset(shown - disputed)


def agrees(eq: Equation, cells: Mapping[CellKey, Any]) -> bool:
    """True where every total of ``eq`` is a printed number and equals the parts with blank or
    ``/`` parts as 0: what a window of cells or a placement must satisfy to be taken.

    >>> block = equations("2021", tables=("review_litigation",))[0]
    >>> zeros = {k: ("number", 0) for k in block.cells}
    >>> agrees(block, zeros), agrees(block, zeros | {block.parts[0]: ("blank", None)})
    (True, True)
    >>> agrees(block, zeros | {block.totals[0]: ("na", None)}), agrees(block, {k: ("blank", None) for k in block.cells})
    (False, False)
    """
    if not all(k in cells and _state(cells[k])[0] == "number" for k in eq.totals):
        return False
    return evaluate(eq, cells).status in ("holds", "unfilled")


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The equations whose cells are all printed numbers (``checked``) and those of them that fail.

    True when at least one equation was checked and none failed.
    """

    checked: tuple[Equation, ...]
    failed: tuple[Equation, ...]

    def __bool__(self) -> bool:
        return bool(self.checked) and not self.failed


def holds_where_printed(eqs: Iterable[Equation], cells: Mapping[CellKey, Any]) -> Confirmation:
    """Check the equations whose every cell is a printed number (the others cannot confirm or refute).

    >>> eqs = equations("2021", tables=("review_litigation",))
    >>> cells = {k: ("number", 0) for e in eqs for k in e.cells}
    >>> c = holds_where_printed(eqs, cells)
    >>> bool(c), len(c.checked)
    (True, 3)
    >>> c = holds_where_printed(eqs, cells | {("review_litigation", "review.other", None): ("number", 2),
    ...                                       ("review_litigation", "litigation_direct.total", None): ("blank", None)})
    >>> bool(c), len(c.checked), [e.item for e in c.failed]
    (False, 2, ['review.total'])
    """
    checked: list[Equation] = []
    failed: list[Equation] = []
    for eq in eqs:
        if all(k in cells and _state(cells[k])[0] == "number" for k in eq.cells):
            checked.append(eq)
            if evaluate(eq, cells).status != "holds":
                failed.append(eq)
    return Confirmation(tuple(checked), tuple(failed))
