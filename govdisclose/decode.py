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
  ``+``/``-`` sign only where ``signed``; placeholders (``/``, ``-``, ``—``) are values too;
* table 3 (:func:`decode_requests`): every row's 总计 is the sum of its six applicant columns; per
  column 新收 + 上年结转 = (七)总计 + 结转下年度, and (七)总计 = the sum of the outcome rows;
* table 4 (:func:`decode_review`): each block's 总计 = 维持 + 纠正 + 其他 + 尚未审结.

Reports have arithmetic errors of their own: when no reading satisfies every rule, table 3 falls
back to the row totals alone and table 4 to no rule at all, and the note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .exceptions import GovDiscloseError
from .normalize import fold_width, to_simplified

__all__ = ["Decoded", "splits", "count_splits", "decode_requests", "decode_review", "decode_fields", "CANDIDATE_CAP"]

#: At most this many readings are kept in :attr:`Decoded.candidates`.
CANDIDATE_CAP = 20
#: The longest single printed value (``75394432.52元`` has 13 characters).
MAX_PIECE = 24
#: Search bounds: readings kept per row, search steps per row and for the whole table.
_DOMAIN_CAP = 5_000
_FREE_CAP = 500  # readings kept for a row no rule of its own narrows (its row total fails)
_NODE_BUDGET = 50_000
_ROW_BUDGET = 5_000
_STATE_BUDGET = 100_000
_COLUMNS = 7  # six applicant columns and 总计

_UNITS = "万元|元|件|项|个|条|次|宗"
_COUNT_UNITS = frozenset({"件", "项", "个", "条", "次", "宗"})
_NUMBER = re.compile(
    rf"(?P<sign>[+-]?)(?P<int>0|[1-9]\d{{0,2}}(?:,\d{{3}})+|[1-9]\d*)(?P<frac>\.\d+)?(?P<unit>{_UNITS})?"
)
_PLACEHOLDER = re.compile(r"[/\\\-—―─]+")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # skipped: not a proven boundary

# Outcome rows of table 3 (catalogue group outcome, leaf = yes); the single （六） row is 2019's.
_LEAVES_FIXED = (
    "granted", "partially_granted",
    "denied.state_secret", "denied.prohibited_by_law", "denied.security_stability",
    "denied.third_party_rights", "denied.internal_affairs", "denied.process_information",
    "denied.enforcement_case_file", "denied.administrative_query",
    "unable.not_held", "unable.needs_creation", "unable.unclear_after_correction",
    "not_processed.petition_complaint", "not_processed.duplicate", "not_processed.publication",
    "not_processed.excessive_repeated", "not_processed.reconfirmation",
)
_OTHER_HANDLING = ("other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other")


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


# -- the cut lattice -------------------------------------------------------------------------

def _piece(text: str, signed: bool) -> tuple[str, int | Decimal | None] | None:
    """Kind and value of one printed piece (folded text): ('int'|'dec'|'na', value) or None."""
    if _PLACEHOLDER.fullmatch(text):
        return ("na", None)
    m = _NUMBER.fullmatch(text)
    if m is None or (m["sign"] and not signed):
        return None
    digits = m["int"].replace(",", "")
    if m["frac"] is None and (m["unit"] is None or m["unit"] in _COUNT_UNITS):
        value = int(digits)
        return ("int", -value if m["sign"] == "-" else value)
    number = Decimal(digits + (m["frac"] or ""))
    return ("dec", -number if m["sign"] == "-" else number)


class _Lattice:
    """Every valid piece of a run, and counts of the ways to cut it into k pieces."""

    def __init__(self, run: str, n: int, signed: bool, kinds: frozenset[str]) -> None:
        raw: list[str] = []
        fold: list[str] = []
        chunk_end: list[int] = []
        start = 0
        for ch in run:
            if ch in _INVISIBLE:
                continue
            if ch.isspace():
                chunk_end.extend([len(raw)] * (len(raw) - start))
                start = len(raw)
                continue
            f = to_simplified(fold_width(ch))
            raw.append(ch)
            fold.append(f if len(f) == 1 else "\x00")
        chunk_end.extend([len(raw)] * (len(raw) - start))
        self.raw, self.fold, self.n, self.length = raw, "".join(fold), n, len(raw)
        self.has_placeholder = bool(_PLACEHOLDER.search(self.fold))
        # A run longer than n maximal pieces (or shorter than n) cannot be cut: no work at all.
        self.impossible = not n <= self.length <= MAX_PIECE * n
        L = 0 if self.impossible else self.length
        self.ends: list[list[tuple[int, str, int | Decimal | None]]] = [[] for _ in range(L + 1)]
        self.at: dict[tuple[int, int], tuple[str, int | Decimal | None]] = {}
        for s in range(L):
            for e in range(s + 1, min(chunk_end[s], s + MAX_PIECE) + 1):
                got = _piece(self.fold[s:e], signed)
                if got is not None and got[0] in kinds:
                    self.ends[s].append((e, got[0], got[1]))
                    self.at[(s, e)] = got
        # suf[k][s]: ways to cut [s, L) into k pieces; pre[k][e]: ways to cut [0, e) into k pieces.
        self.suf: list[list[int]] = []
        self.pre: list[list[int]] = []
        if self.impossible:
            return
        self.suf = [[0] * (L + 1) for _ in range(n + 1)]
        self.pre = [[0] * (L + 1) for _ in range(n + 1)]
        self.suf[0][L] = 1
        self.pre[0][0] = 1
        for k in range(1, n + 1):
            prev, cur = self.suf[k - 1], self.suf[k]
            for s in range(L - 1, -1, -1):
                cur[s] = sum(prev[e] for e, _, _ in self.ends[s])
        for k in range(1, n + 1):
            prev, cur = self.pre[k - 1], self.pre[k]
            for s in range(L):
                if prev[s]:
                    for e, _, _ in self.ends[s]:
                        cur[e] += prev[s]

    def text(self, s: int, e: int) -> str:
        return "".join(self.raw[s:e])

    def count(self) -> int:
        return 0 if self.impossible else self.suf[self.n][0]

    def readings(self, limit: int) -> Iterator[tuple[tuple[str, ...], tuple[object, ...]]]:
        """Every cut into n pieces (texts, values), in order, at most ``limit``."""
        if not self.count():
            return
        texts: list[str] = []
        values: list[object] = []
        emitted = 0

        def walk(s: int, k: int) -> Iterator[tuple[tuple[str, ...], tuple[object, ...]]]:
            nonlocal emitted
            if k == 0:
                emitted += 1
                yield tuple(texts), tuple(values)
                return
            for e, _, value in self.ends[s]:
                if self.suf[k - 1][e] and emitted < limit:
                    texts.append(self.text(s, e))
                    values.append(value)
                    yield from walk(e, k - 1)
                    texts.pop()
                    values.pop()

        yield from walk(0, self.n)

    def slot_values(self) -> tuple[str | None, ...]:
        """Per slot, the piece text if every cut puts the same text there (exact, no listing)."""
        out: list[str | None] = []
        for j in range(self.n):
            seen: set[str] = set()
            for s in range(self.length if not self.impossible else 0):
                if not self.pre[j][s]:
                    continue
                for e, _, _ in self.ends[s]:
                    if self.suf[self.n - j - 1][e]:
                        seen.add(self.text(s, e))
                if len(seen) > 1:
                    break
            out.append(seen.pop() if len(seen) == 1 else None)
        return tuple(out)


# -- public splitting --------------------------------------------------------------------------

_ALL_KINDS = frozenset({"int", "dec", "na"})
_COUNT_KINDS = frozenset({"int", "na"})


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
    lattice = _Lattice(run, n, signed, _ALL_KINDS)
    return [texts for texts, _ in lattice.readings(limit)]


def count_splits(run: str, n: int, *, signed: bool = False) -> int:
    """How many ways :func:`splits` has (without listing them).

    >>> count_splits("693665", 3), count_splits("0" * 10_000, 7)
    (10, 0)
    """
    if n < 1:
        return 0
    return _Lattice(run, n, signed, _ALL_KINDS).count()


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


def _no_rules(lattice: _Lattice, run: str, why: str) -> Decoded:
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
    return _no_rules(_Lattice(run, n, signed, _ALL_KINDS), run, "")


# -- table 4: three blocks of five ---------------------------------------------------------------

def _block_readings(lattice: _Lattice, size: int) -> tuple[list[tuple[str, ...]], bool]:
    """Cuts where the last value of every block is the sum of the others (counts only)."""
    out: list[tuple[str, ...]] = []
    texts: list[str] = []
    nodes = 0
    truncated = False

    def walk(s: int, k: int, partial: int) -> None:
        nonlocal nodes, truncated
        if truncated:
            return
        nodes += 1
        if nodes > _NODE_BUDGET or len(out) >= _DOMAIN_CAP:
            truncated = True
            return
        remaining = lattice.n - k
        if remaining == 0:
            out.append(tuple(texts))
            return
        last_of_block = (k % size) == size - 1
        for e, kind, value in lattice.ends[s]:
            if not lattice.suf[remaining - 1][e] or kind != "int":
                continue
            if last_of_block and value != partial:
                continue
            texts.append(lattice.text(s, e))
            walk(e, k + 1, 0 if last_of_block else partial + int(value))  # type: ignore[arg-type]
            texts.pop()

    walk(0, 0, 0)
    return out, truncated


def decode_review(run: str) -> Decoded:
    """Split table 4's run into its 15 values using the three block totals.

    >>> decode_review("21317000001324019").values
    ('2', '1', '3', '1', '7', '0', '0', '0', '0', '0', '13', '2', '4', '0', '19')
    >>> d = decode_review("101000000050000")  # printed as is: 总计 0 beside 维持 1, 其他 1
    >>> d.values[:5], d.note
    (('1', '0', '1', '0', '0'), "no reading satisfies the block totals (the report's own figures may not add up): split '101000000050000' into 15 values (1 reading)")
    """
    lattice = _Lattice(run, 15, False, _COUNT_KINDS)
    if not lattice.count():
        problem = f"{_show(run)!r} cannot be cut into 15 counts" if run.strip() else "empty run"
        return Decoded((None,) * 15, (), problem)
    if lattice.has_placeholder:
        return _no_rules(lattice, run, "placeholders in the run, block totals not checked: ")
    readings, truncated = _block_readings(lattice, 5)
    if truncated:
        return _no_rules(lattice, run, "too many readings satisfy the block totals to list: ")
    if not readings:
        return _no_rules(lattice, run, "no reading satisfies the block totals (the report's own figures may not add up): ")
    values = _agree(readings, 15)
    k = len(readings)
    if k == 1:
        note = f"split {_show(run)!r} by block totals (1 reading)"
    else:
        note = f"ambiguous: {k} readings satisfy the block totals" + _cap_note(k)
    return Decoded(values, _capped(readings), note)


# -- table 3: rows, columns and the balance -------------------------------------------------------

@dataclass
class _Row:
    """One table-3 row's admissible readings (texts and integer values, None for placeholders)."""

    texts: list[tuple[str, ...]]
    values: list[tuple[int | None, ...]]
    how: str  # 'given', 'row total', 'all cuts' (row total fails), 'no rule' (placeholders)


def _given_row(cells: Sequence[str]) -> _Row | Decoded:
    if len(cells) != _COLUMNS:
        return Decoded((None,) * _COLUMNS, (), f"expected {_COLUMNS} cells, got {len(cells)}")
    texts = tuple("".join(str(c).split()) for c in cells)
    values: list[int | None] = []
    for text in texts:
        got = _piece(to_simplified(fold_width(text)), True) if text else None
        values.append(got[1] if got is not None and got[0] == "int" else None)  # type: ignore[misc]
    return _Row([texts], [tuple(values)], "given")


def _row_total_readings(lattice: _Lattice) -> tuple[list[tuple[tuple[str, ...], tuple[int, ...]]], bool]:
    """Cuts into six counts and a total equal to their sum (pruned search, bounded).

    The total is chosen first (a piece ending the run); the six parts must then fill the rest
    exactly, each no longer than the total, their running sum never above it and still able to
    reach it with the digits left.
    """
    out: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
    L = lattice.length
    parts = _COLUMNS - 1
    cuts: list[tuple[int, int]] = []
    values: list[int] = []
    nodes = 0

    def walk(s: int, k: int, partial: int, stop: int, total: int, widest: int) -> bool:
        """False once the budget is spent."""
        nonlocal nodes
        nodes += 1
        if nodes > _ROW_BUDGET or len(out) >= _DOMAIN_CAP:
            return False
        left = parts - k - 1  # parts still to place after this one
        for e, kind, value in lattice.ends[s]:
            if kind != "int" or e > stop:
                continue
            reached = partial + value  # type: ignore[operator]
            room = stop - e
            if reached > total or not left <= room <= left * widest:
                continue
            if left == 0:
                if reached == total:
                    texts = tuple(lattice.text(a, b) for a, b in cuts) + (lattice.text(s, e), lattice.text(stop, L))
                    out.append((texts, tuple(values) + (value, total)))  # type: ignore[arg-type]
                continue
            if left == 1:  # the last part is forced: the rest of the span up to the total
                last = lattice.at.get((e, stop))
                if last is not None and last[0] == "int" and reached + last[1] == total:  # type: ignore[operator]
                    texts = tuple(lattice.text(a, b) for a, b in cuts)
                    texts += (lattice.text(s, e), lattice.text(e, stop), lattice.text(stop, L))
                    out.append((texts, tuple(values) + (value, last[1], total)))  # type: ignore[arg-type]
                continue
            if reached + left * (10 ** min(room - left + 1, widest) - 1) < total:
                continue  # the digits left cannot make up the total
            cuts.append((s, e))
            values.append(value)  # type: ignore[arg-type]
            ok = walk(e, k + 1, reached, stop, total, widest)
            cuts.pop()
            values.pop()
            if not ok:
                return False
        return True

    for start in range(parts, L):
        for e, kind, total in lattice.ends[start]:
            if e == L and kind == "int" and not walk(0, 0, 0, start, total, len(f"{total:,}") + 1):  # type: ignore[arg-type]
                return out, True
    return out, False


def _run_row(run: str) -> _Row | Decoded:
    """A run's admissible readings, or its final result when it cannot take part in the rules."""
    lattice = _Lattice(run, _COLUMNS, False, _COUNT_KINDS)
    if not lattice.count():
        problem = f"{_show(run)!r} cannot be cut into {_COLUMNS} counts" if run.strip() else "empty run"
        return Decoded((None,) * _COLUMNS, (), problem)
    if not lattice.has_placeholder:
        found, truncated = _row_total_readings(lattice)
        if truncated:
            return _no_rules(lattice, run, "too many readings to search with the rules: ")
        if found:
            return _Row([t for t, _ in found], [v for _, v in found], "row total")
    if lattice.count() > _FREE_CAP:
        return _no_rules(lattice, run, "too many readings to search with the rules: ")
    texts, values = [], []
    for t, v in lattice.readings(_FREE_CAP):
        texts.append(t)
        values.append(v)  # type: ignore[arg-type]
    return _Row(texts, values, "no rule" if lattice.has_placeholder else "all cuts")


def _roles(items: Sequence[str]) -> tuple[dict[str, int], list[int] | None]:
    where: dict[str, int] = {}
    for i, item in enumerate(items):
        where.setdefault(item, i)
    leaves = [where[c] for c in _LEAVES_FIXED if c in where]
    if len(leaves) != len(_LEAVES_FIXED):
        return where, None
    if all(c in where for c in _OTHER_HANDLING):
        leaves += [where[c] for c in _OTHER_HANDLING]
    elif "other_handling" in where:
        leaves.append(where["other_handling"])
    else:
        return where, None
    return where, leaves


_MISSING = Decoded((None,) * _COLUMNS, (), "row missing")


class _Budget(Exception):
    """The joint search grew past its bound."""


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b))


def _leaf_support(rows: list[list[tuple[int, ...]]], target: tuple[int, ...], steps: list[int]) -> tuple[int, list[set[int]]]:
    """Readings of the outcome rows that sum to ``target`` column by column (forward/backward)."""
    width = len(target)
    forward: list[dict[tuple[int, ...], int]] = [{(0,) * width: 1}]
    for cands in rows:
        nxt: dict[tuple[int, ...], int] = {}
        for state, ways in forward[-1].items():
            for v in cands:
                s2 = _add(state, v)
                if any(x > y for x, y in zip(s2, target)):
                    continue
                nxt[s2] = nxt.get(s2, 0) + ways
            steps[0] += len(cands)
            if steps[0] > _STATE_BUDGET:
                raise _Budget
        forward.append(nxt)
    if target not in forward[-1]:
        return 0, [set() for _ in rows]
    support: list[set[int]] = [set() for _ in rows]
    back: dict[tuple[int, ...], int] = {target: 1}
    for i in range(len(rows) - 1, -1, -1):
        new: dict[tuple[int, ...], int] = {}
        for state in forward[i]:
            ways = 0
            for k, v in enumerate(rows[i]):
                got = back.get(_add(state, v))
                if got:
                    ways += got
                    support[i].add(k)
            if ways:
                new[state] = ways
        back = new
    return back.get((0,) * width, 0), support


def _solve(doms: dict[int, _Row], where: dict[str, int], leaves: list[int] | None) -> tuple[int, dict[int, set[int]], dict[int, str]]:
    """Joint solution of the column rules: (count, supported readings per row, rules per row).

    The count is -1 when no column rule can be checked (rows missing, placeholders)."""
    nr, co, tp, cf = (where.get(k) for k in ("new_received", "carried_over", "total_processed", "carried_forward"))

    def numeric(rows: list[int]) -> list[int]:
        return [c for c in range(_COLUMNS) if all(v[c] is not None for r in rows for v in doms[r].values)]

    bal_rows = [r for r in (nr, co, tp, cf) if r is not None]
    bal_cols = numeric(bal_rows) if len(bal_rows) == 4 and all(r in doms for r in bal_rows) else []
    out_rows = ([tp] + leaves) if (tp is not None and leaves is not None) else []
    out_cols = numeric(out_rows) if out_rows and all(r in doms for r in out_rows) else []
    support = {r: set(range(len(d.texts))) for r, d in doms.items()}
    rules: dict[int, str] = {}
    for r in bal_rows if bal_cols else []:
        rules[r] = "column balance"
    for r in out_rows if out_cols else []:
        rules[r] = " and ".join(x for x in (rules.get(r), "outcome total") if x)
    if not bal_cols and not out_cols:
        return -1, support, {}
    for r in set(out_rows if out_cols else []) | set(bal_rows if bal_cols else []):
        support[r] = set()

    def proj(v: tuple[int | None, ...], cols: list[int]) -> tuple[int, ...]:
        return tuple(v[c] for c in cols)  # type: ignore[misc]

    steps = [0]
    total = 0
    leaf_rows = [[proj(v, out_cols) for v in doms[r].values] for r in leaves] if out_cols and leaves else []
    co_index: dict[tuple[int, ...], list[int]] = {}
    if bal_cols:
        for k, v in enumerate(doms[co].values):  # type: ignore[index]
            co_index.setdefault(proj(v, bal_cols), []).append(k)
    for t_idx, t in enumerate(doms[tp].values):  # type: ignore[index]
        if out_cols:
            n_leaf, leaf_sup = _leaf_support(leaf_rows, proj(t, out_cols), steps)
        else:
            n_leaf, leaf_sup = 1, []
        if not n_leaf:
            continue
        n_bal = 1
        bal_sup: dict[int, set[int]] = {}
        if bal_cols:
            n_bal = 0
            bal_sup = {nr: set(), co: set(), cf: set()}  # type: ignore[dict-item]
            tt = proj(t, bal_cols)
            for a, vf in enumerate(doms[cf].values):  # type: ignore[index]
                need = _add(tt, proj(vf, bal_cols))
                for b, vn in enumerate(doms[nr].values):  # type: ignore[index]
                    steps[0] += 1
                    if steps[0] > _STATE_BUDGET:
                        raise _Budget
                    key = tuple(x - y for x, y in zip(need, proj(vn, bal_cols)))
                    for k in co_index.get(key, ()):
                        n_bal += 1
                        bal_sup[nr].add(b)  # type: ignore[index]
                        bal_sup[co].add(k)  # type: ignore[index]
                        bal_sup[cf].add(a)  # type: ignore[index]
        if not n_bal:
            continue
        total += n_leaf * n_bal
        support[tp].add(t_idx)  # type: ignore[index]
        for i, s in enumerate(leaf_sup):
            support[leaves[i]] |= s  # type: ignore[index]
        for r, s in bal_sup.items():
            support[r] |= s
    return total, support, rules


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
    where, leaves = _roles(items)
    doms: dict[int, _Row] = {}
    settled: dict[int, Decoded] = {}  # rows that take no part in the rules (missing, unreadable)
    for i, row in enumerate(rows):
        got = _MISSING if row is None else _run_row(row) if isinstance(row, str) else _given_row(row)
        if isinstance(got, Decoded):
            settled[i] = got
        else:
            doms[i] = got
    fallback = ""
    try:
        count, support, rules = _solve(doms, where, leaves)
    except _Budget:
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


def _row_result(row: object, dom: _Row, chosen: list[tuple[str, ...]], rules: str, fallback: str) -> Decoded:
    values = _agree(chosen, _COLUMNS)
    if dom.how == "given":
        return Decoded(dom.texts[0], (dom.texts[0],), fallback + "given as separate cells")
    by = " and ".join(x for x in ("row total" if dom.how == "row total" else "", rules) if x)
    prefix = fallback
    if dom.how == "all cuts":
        prefix += "no cut satisfies the row total (the report's own figures may not add up); "
    elif dom.how == "no rule":
        prefix += "placeholders in the run, row total not checked; "
    run = _show(str(row))
    k = len(chosen)
    if k == 0:
        return Decoded((None,) * _COLUMNS, (), prefix + "no reading satisfies the rules")
    if k == 1:
        how = f"by {by}" if by else "(the only cut)"
        return Decoded(values, _capped(chosen), prefix + f"split {run!r} {how} (1 reading)")
    known = sum(v is not None for v in values)
    agree = f"; {known} of {_COLUMNS} values are the same in all" if known else ""
    if not by:
        return Decoded(values, _capped(chosen), prefix + f"ambiguous: {k} possible cuts and no rule to choose"
                       + agree + _cap_note(k))
    return Decoded(values, _capped(chosen), prefix + f"ambiguous: {k} readings satisfy the {by}" + agree + _cap_note(k))
