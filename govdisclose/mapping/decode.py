"""Splitting digit runs whose separators were lost, with the report's own arithmetic.

A structure-lost rendering prints a row of table 3 as ``640020470``: seven numbers with nothing
between them. :func:`splits` lists every way to cut such a run; the ``decode_*`` functions keep
the readings the template's rules allow (spec §4) and report, per slot, the number only where
every remaining reading agrees. Nothing is picked among several readings: an undecided slot is
``None`` and its readings are in ``candidates``.

>>> d = decode_review("10203120001200000")
>>> d.values[:5], d.unique
(('1', '0', '2', '0', '3'), True)
>>> decode_fields("693665", 3).values
(None, None, None)
>>> splits("230 000023", 7)[:2]
[('2', '30', '0', '0', '0', '0', '23'), ('23', '0', '0', '0', '0', '0', '23')]

Pieces are returned exactly as printed (full-width digits stay full-width). Rules used:

* a number has no leading zero (``0`` itself excepted), a white space is a hard boundary,
  a decimal part (``.52``) and a unit (``元``, ``万元``, ``件`` …) stay with their number, a
  ``+``/``-`` sign only where ``signed``; placeholders (``/``, ``-``, ``—``, ``无``) are values too;
* table 3 (:func:`decode_requests`): every row's 总计 is the sum of its six applicant columns; per
  column 新收 + 上年结转 = (七)总计 + 结转下年度, and (七)总计 = the sum of the outcome rows;
* table 4 (:func:`decode_review`): each block's 总计 = 维持 + 纠正 + 其他 + 尚未审结;
* in the row and block sums a placeholder counts 0, and the total must be a number (a total
  printed as a placeholder leaves that rule unchecked). The column rules skip a column holding
  a placeholder.

The cutting itself (the piece grammar, the lattice of cuts, the searches for cuts that add up) is
in :mod:`govdisclose.mapping.cuts`; the column rules of table 3 are solved in :mod:`govdisclose.mapping.joint`.

Reports have arithmetic errors of their own: when no reading satisfies every rule, table 3 falls
back to the row totals alone and table 4 to no rule at all, and the note says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from govdisclose.exceptions import GovDiscloseError
from govdisclose.mapping.cuts import ALL_KINDS, COUNT_KINDS, Lattice, block_readings, numeric_cut, piece, row_total_readings
from govdisclose.mapping.cuts import MAX_PIECE as MAX_PIECE  # the longest single printed value, importable here as before
from govdisclose.mapping.joint import COLUMNS, Row, SearchTooLarge, roles, solve
from govdisclose.template.arithmetic import review_blocks, review_items
from govdisclose.template.normalize import fold_width, to_simplified

__all__ = ["Decoded", "splits", "count_splits", "decode_requests", "decode_review", "decode_fields", "CANDIDATE_CAP"]

#: At most this many readings are kept in :attr:`Decoded.candidates`.
CANDIDATE_CAP = 20
#: Readings kept for a row no rule of its own narrows (its row total fails).
_FREE_CAP = 500
#: Table 4: its values in printed order, blocks of equal size each ending in its total.
_REVIEW_N = len(review_items())
_BLOCK = len(review_blocks()[0].parts) + 1
_BLOCK_TOTALS = tuple(review_items().index(b.total) for b in review_blocks())


@dataclass(frozen=True)
class Decoded:
    """The outcome of splitting one run.

    ``values`` holds one entry per slot: the number text as printed when every reading that
    satisfies the rules agrees on it, else ``None``. ``candidates`` lists those readings (at most
    :data:`CANDIDATE_CAP`; the note says when there were more) and ``note`` says how it was decided.

    >>> Decoded(("1", None), (("1", "23"), ("1", "2")), "ambiguous").unique
    False
    """

    values: tuple[str | None, ...]
    candidates: tuple[tuple[str, ...], ...]
    note: str

    @property
    def unique(self) -> bool:
        """True when every slot is determined."""
        return bool(self.values) and all(v is not None for v in self.values)


# -- public splitting --------------------------------------------------------------------------


def splits(run: str, n: int, *, signed: bool = False, limit: int = 100_000) -> list[tuple[str, ...]]:
    """Every way to cut ``run`` into ``n`` printed values, at most ``limit`` of them.

    Compare with :func:`count_splits` to know whether the list was capped.

    >>> splits("000", 3)
    [('0', '0', '0')]
    >>> splits("5.2元3", 2), splits("+1-2", 2, signed=True), splits("12", 2, signed=True)
    ([('5.2元', '3')], [('+1', '-2')], [('1', '2')])
    >>> splits("0 12", 2), splits("012", 2)
    ([('0', '12')], [('0', '12')])
    """
    if n < 1 or limit < 1:
        return []
    lattice = Lattice(run, n, signed, ALL_KINDS)
    return [texts for texts, _ in lattice.readings(limit)]


def count_splits(run: str, n: int, *, signed: bool = False) -> int:
    """How many ways :func:`splits` has (without listing them).

    >>> count_splits("693665", 3), count_splits("0" * 10_000, 7)
    (10, 0)
    """
    if n < 1:
        return 0
    return Lattice(run, n, signed, ALL_KINDS).count()


# -- helpers shared by the decoders --------------------------------------------------------------

def _agree(readings: Sequence[tuple[str, ...]], n: int) -> tuple[str | None, ...]:
    if not readings:
        return (None,) * n
    return tuple(readings[0][j] if all(r[j] == readings[0][j] for r in readings) else None for j in range(n))


def _capped(readings: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(readings[:CANDIDATE_CAP])


def _cap_note(count: int) -> str:
    return f"; {CANDIDATE_CAP} of {count} readings listed" if count > CANDIDATE_CAP else ""


def _show(run: str) -> str:
    return " ".join(run.split())


def _no_rules(lattice: Lattice, run: str, why: str) -> Decoded:
    """Decide with no arithmetic: a slot is known only where every possible cut agrees."""
    total = lattice.count()
    n = lattice.n
    if total == 0:
        return Decoded((None,) * n, (), f"{why}no reading: {_show(run)!r} cannot be cut into {n} values")
    cands = tuple(t for t, _ in lattice.readings(CANDIDATE_CAP))
    values = lattice.slot_values()
    if total == 1:
        return Decoded(values, cands, f"{why}split {_show(run)!r} into {n} value{'s' * (n > 1)} (1 reading)")
    known = sum(v is not None for v in values)
    return Decoded(values, cands, f"{why}ambiguous: {total} readings and no rule to choose"
                   + (f" ({known} of {n} values agree in all)" if known else "") + _cap_note(total))


# -- table 2: no arithmetic ----------------------------------------------------------------------

def decode_fields(run: str, n: int, *, signed: bool = False) -> Decoded:
    """Split a table-2 run into ``n`` values; no rule applies, so only a single reading decides.

    >>> decode_fields("000", 3).values, decode_fields("24252.311082", 1).values
    (('0', '0', '0'), ('24252.311082',))
    >>> d = decode_fields("350", 2, signed=True)
    >>> d.values, d.candidates
    ((None, None), (('3', '50'), ('35', '0')))
    """
    if n < 1:
        raise GovDiscloseError(f"decode_fields: n must be at least 1, not {n}")
    return _no_rules(Lattice(run, n, signed, ALL_KINDS), run, "")


# -- table 4: three blocks of five ---------------------------------------------------------------

def decode_review(run: str) -> Decoded:
    """Split table 4's run into its 15 values using the three block totals.

    >>> decode_review("21317000001324019").values
    ('2', '1', '3', '1', '7', '0', '0', '0', '0', '0', '13', '2', '4', '0', '19')
    >>> d = decode_review("101000000050000")  # printed as is: 总计 0 beside 维持 1, 其他 1
    >>> d.values[:5], d.note
    (('1', '0', '1', '0', '0'), "no reading satisfies the block totals (the report's own figures may not add up): split '101000000050000' into 15 values (1 reading)")
    """
    lattice = Lattice(run, _REVIEW_N, False, COUNT_KINDS)
    if not lattice.count():
        problem = f"{_show(run)!r} cannot be cut into {_REVIEW_N} counts" if run.strip() else "empty run"
        return Decoded((None,) * _REVIEW_N, (), problem)
    if not numeric_cut(lattice, _BLOCK_TOTALS):
        return _no_rules(lattice, run, "placeholders in place of the block totals, block totals not checked: ")
    readings, truncated = block_readings(lattice, _BLOCK)
    if truncated:
        return _no_rules(lattice, run, "too many readings satisfy the block totals to list: ")
    if not readings:
        return _no_rules(lattice, run, "no reading satisfies the block totals (the report's own figures may not add up): ")
    values = _agree(readings, _REVIEW_N)
    k = len(readings)
    if k == 1:
        note = f"split {_show(run)!r} by block totals (1 reading)"
    else:
        note = f"ambiguous: {k} readings satisfy the block totals" + _cap_note(k)
    return Decoded(values, _capped(readings), note)


# -- table 3: rows, columns and the balance -------------------------------------------------------

def _given_row(cells: Sequence[str]) -> Row | Decoded:
    if len(cells) != COLUMNS:
        return Decoded((None,) * COLUMNS, (), f"expected {COLUMNS} cells, got {len(cells)}")
    texts = tuple("".join(str(c).split()) for c in cells)
    values: list[int | None] = []
    for text in texts:
        got = piece(to_simplified(fold_width(text)), True) if text else None
        value = got[1] if got is not None and got[0] == "int" else None
        values.append(value if isinstance(value, int) else None)  # an 'int' piece is an int
    return Row([texts], [tuple(values)], "given")


def _run_row(run: str) -> Row | Decoded:
    """A run's admissible readings, or its final result when it cannot take part in the rules."""
    lattice = Lattice(run, COLUMNS, False, COUNT_KINDS)
    if not lattice.count():
        problem = f"{_show(run)!r} cannot be cut into {COLUMNS} counts" if run.strip() else "empty run"
        return Decoded((None,) * COLUMNS, (), problem)
    checked = numeric_cut(lattice, (COLUMNS - 1,))  # a total printed as a number: the row total applies
    if checked:
        found, truncated = row_total_readings(lattice)
        if truncated:
            return _no_rules(lattice, run, "too many readings to search with the rules: ")
        if found:
            return Row([t for t, _ in found], [v for _, v in found], "row total")
    if lattice.count() > _FREE_CAP:
        return _no_rules(lattice, run, "too many readings to search with the rules: ")
    texts: list[tuple[str, ...]] = []
    values: list[tuple[int | None, ...]] = []
    for t, v in lattice.readings(_FREE_CAP):
        texts.append(t)
        values.append(cast("tuple[int | None, ...]", v))  # count kinds only: ints and placeholders
    return Row(texts, values, "all cuts" if checked else "no rule")


_MISSING = Decoded((None,) * COLUMNS, (), "row missing")


def decode_requests(rows: Sequence[str | Sequence[str] | None], items: Sequence[str]) -> list[Decoded]:
    """Split every run of table 3 (``rows[i]`` belongs to catalogue row ``items[i]``) jointly.

    A row is a run (``str``), its seven cells already split, or ``None`` when it is missing.
    Each result has seven slots (six applicant columns and 总计).

    >>> items = ["new_received", "carried_over", "granted", "total_processed", "carried_forward"]
    >>> [d.values for d in decode_requests(["640020470", "0000000", None, None, None], items)][0]
    ('64', '0', '0', '2', '0', '4', '70')
    """
    if len(rows) != len(items):
        raise GovDiscloseError(f"decode_requests: {len(rows)} rows for {len(items)} items")
    where, leaves = roles(items)
    doms: dict[int, Row] = {}
    settled: dict[int, Decoded] = {}  # rows that take no part in the rules (missing, unreadable)
    for i, row in enumerate(rows):
        got = _MISSING if row is None else _run_row(row) if isinstance(row, str) else _given_row(row)
        if isinstance(got, Decoded):
            settled[i] = got
        else:
            doms[i] = got
    fallback = ""
    try:
        count, support, rules = solve(doms, where, leaves)
    except SearchTooLarge:
        count, support, rules = -1, {r: set(range(len(d.texts))) for r, d in doms.items()}, {}
        fallback = "the joint search grew too large, decided by row totals only: "
    if count == 0:
        support = {r: set(range(len(d.texts))) for r, d in doms.items()}
        fallback = "no reading of the table satisfies the column rules (the report's own figures may not add up), decided by row totals only: "
        rules = {}
    out: list[Decoded] = []
    for i, row in enumerate(rows):
        if i in settled:
            out.append(settled[i])
            continue
        dom = doms[i]
        chosen = [dom.texts[k] for k in sorted(support[i])]
        out.append(_row_result(row, dom, chosen, rules.get(i, "") if count > 0 else "", fallback))
    return out


def _row_result(row: object, dom: Row, chosen: list[tuple[str, ...]], rules: str, fallback: str) -> Decoded:
    values = _agree(chosen, COLUMNS)
    if dom.how == "given":
        return Decoded(dom.texts[0], (dom.texts[0],), fallback + "given as separate cells")
    by = " and ".join(x for x in ("row total" if dom.how == "row total" else "", rules) if x)
    prefix = fallback
    if dom.how == "all cuts":
        prefix += "no cut satisfies the row total (the report's own figures may not add up); "
    elif dom.how == "no rule":
        prefix += "a placeholder in place of the total, row total not checked; "
    run = _show(str(row))
    k = len(chosen)
    if k == 0:
        return Decoded((None,) * COLUMNS, (), prefix + "no reading satisfies the rules")
    if k == 1:
        how = f"by {by}" if by else "(the only cut)"
        return Decoded(values, _capped(chosen), prefix + f"split {run!r} {how} (1 reading)")
    known = sum(v is not None for v in values)
    agree = f"; {known} of {COLUMNS} values are the same in all" if known else ""
    if not by:
        return Decoded(values, _capped(chosen), prefix + f"ambiguous: {k} possible cuts and no rule to choose"
                       + agree + _cap_note(k))
    return Decoded(values, _capped(chosen), prefix + f"ambiguous: {k} readings satisfy the {by}" + agree + _cap_note(k))
