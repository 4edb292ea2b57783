"""Cutting a run of characters into printed values: the piece grammar, the cut lattice and the
searches for cuts whose numbers add up.

A :class:`Lattice` holds every valid piece of a run (a count, a decimal, a placeholder) and how
many ways there are to cut the run into ``n`` of them; :func:`row_total_readings` and
:func:`block_readings` walk it for the cuts whose last value (of the row, of every block) is the
sum of the others. Deciding among cuts is :mod:`govdisclose.mapping.decode`'s job.

>>> lattice = Lattice("640020470", 7, False, COUNT_KINDS)
>>> lattice.count(), [texts for texts, _ in row_total_readings(lattice)[0]]
(12, [('64', '0', '0', '2', '0', '4', '70')])
>>> lattice = Lattice("21317000001324019", 15, False, COUNT_KINDS)  # table 4: three blocks of five
>>> lattice.count(), block_readings(lattice, 5)
(47, ([('2', '1', '3', '1', '7', '0', '0', '0', '0', '0', '13', '2', '4', '0', '19')], False))
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from decimal import Decimal

from govdisclose.template.normalize import fold_width, to_simplified

__all__ = [
    "Lattice", "piece", "row_total_readings", "block_readings", "ALL_KINDS", "COUNT_KINDS", "MAX_PIECE",
    "PLACEHOLDER", "DOMAIN_CAP", "numeric_cut",
]

#: The longest single printed value (``75394432.52元`` has 13 characters).
MAX_PIECE = 24
#: Readings kept per row, at most (the searches stop there).
DOMAIN_CAP = 5_000
#: Search steps for one table-4 run and for one table-3 row total.
_NODE_BUDGET = 50_000
_ROW_BUDGET = 5_000

_UNITS = "万元|元|件|项|个|条|次|宗"
_COUNT_UNITS = frozenset({"件", "项", "个", "条", "次", "宗"})
_NUMBER = re.compile(
    rf"(?P<sign>[+-]?)(?P<int>0|[1-9]\d{{0,2}}(?:,\d{{3}})+|[1-9]\d*)(?P<frac>\.\d+)?(?P<unit>{_UNITS})?"
)
#: A printed placeholder for "none": one mark, maybe repeated (``/``, ``-``, ``—``, ``——`` …),
#: ``/-`` or ``无``. A value that counts 0 in sums; mixed marks (``—-``) are two placeholders.
PLACEHOLDER = re.compile(r"/+|\\+|-+|—+|―+|─+|/-|无")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # skipped: not a proven boundary


def piece(text: str, signed: bool) -> tuple[str, int | Decimal | None] | None:
    """Kind and value of one printed piece (folded text): ('int'|'dec'|'na', value) or None."""
    if PLACEHOLDER.fullmatch(text):
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


class Lattice:
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
        # A run longer than n maximal pieces (or shorter than n) cannot be cut: no work at all.
        self.impossible = not n <= self.length <= MAX_PIECE * n
        L = 0 if self.impossible else self.length
        self.ends: list[list[tuple[int, str, int | Decimal | None]]] = [[] for _ in range(L + 1)]
        self.at: dict[tuple[int, int], tuple[str, int | Decimal | None]] = {}
        self.longest_placeholder = 0  # characters in the longest placeholder piece (0: none)
        for s in range(L):
            for e in range(s + 1, min(chunk_end[s], s + MAX_PIECE) + 1):
                got = piece(self.fold[s:e], signed)
                if got is not None and got[0] in kinds:
                    self.ends[s].append((e, got[0], got[1]))
                    self.at[(s, e)] = got
                    if got[0] == "na":
                        self.longest_placeholder = max(self.longest_placeholder, e - s)
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


#: Piece kinds: any value; counts only (tables 3 and 4).
ALL_KINDS = frozenset({"int", "dec", "na"})
COUNT_KINDS = frozenset({"int", "na"})


def block_readings(lattice: Lattice, size: int) -> tuple[list[tuple[str, ...]], bool]:
    """Cuts where the last value of every block is a count equal to the sum of the others.

    A placeholder counts 0 among the others; a block's last value must be a number.

    >>> block_readings(Lattice("2—2无33", 6, False, COUNT_KINDS), 3)
    ([('2', '—', '2', '无', '3', '3')], False)
    """
    out: list[tuple[str, ...]] = []
    texts: list[str] = []
    nodes = 0
    truncated = False

    def walk(s: int, k: int, partial: int) -> None:
        nonlocal nodes, truncated
        if truncated:
            return
        nodes += 1
        if nodes > _NODE_BUDGET or len(out) >= DOMAIN_CAP:
            truncated = True
            return
        remaining = lattice.n - k
        if remaining == 0:
            out.append(tuple(texts))
            return
        last_of_block = (k % size) == size - 1
        for e, kind, value in lattice.ends[s]:
            if not lattice.suf[remaining - 1][e] or kind not in ("int", "na"):
                continue
            if last_of_block and (kind != "int" or value != partial):
                continue
            texts.append(lattice.text(s, e))
            walk(e, k + 1, 0 if last_of_block else partial + (int(value) if kind == "int" else 0))  # type: ignore[arg-type]
            texts.pop()

    walk(0, 0, 0)
    return out, truncated


def row_total_readings(lattice: Lattice) -> tuple[list[tuple[tuple[str, ...], tuple[int | None, ...]]], bool]:
    """Cuts into ``n - 1`` parts and a total equal to their sum (pruned search, bounded).

    The total is chosen first: a count ending the run (never a placeholder). The parts (six in a
    table-3 row; a placeholder counts 0 and its value is ``None``) must then fill the rest
    exactly, each no longer than the total or the longest placeholder, their running sum never
    above the total and still able to reach it with the digits left. The flag is True when the
    search stopped at its bound.

    >>> row_total_readings(Lattice("41/2——18", 7, False, COUNT_KINDS))
    ([(('4', '1', '/', '2', '——', '1', '8'), (4, 1, None, 2, None, 1, 8))], False)
    """
    out: list[tuple[tuple[str, ...], tuple[int | None, ...]]] = []
    L = lattice.length
    parts = lattice.n - 1
    cuts: list[tuple[int, int]] = []
    values: list[int | None] = []
    nodes = 0

    def walk(s: int, k: int, partial: int, stop: int, total: int, widest: int) -> bool:
        """False once the budget is spent."""
        nonlocal nodes
        nodes += 1
        if nodes > _ROW_BUDGET or len(out) >= DOMAIN_CAP:
            return False
        left = parts - k - 1  # parts still to place after this one
        for e, kind, value in lattice.ends[s]:
            if kind not in ("int", "na") or e > stop:
                continue
            reached = partial + (value if kind == "int" else 0)  # type: ignore[operator]
            room = stop - e
            if reached > total or not left <= room <= left * widest:
                continue
            if left == 0:
                if reached == total:
                    texts = tuple(lattice.text(a, b) for a, b in cuts) + (lattice.text(s, e), lattice.text(stop, L))
                    out.append((texts, tuple(values) + (value, total)))  # type: ignore[arg-type, operator]
                continue
            if left == 1:  # the last part is forced: the rest of the span up to the total
                last = lattice.at.get((e, stop))
                if last is not None and last[0] in ("int", "na") and reached + (last[1] or 0) == total:  # type: ignore[operator]
                    texts = tuple(lattice.text(a, b) for a, b in cuts)
                    texts += (lattice.text(s, e), lattice.text(e, stop), lattice.text(stop, L))
                    out.append((texts, tuple(values) + (value, last[1], total)))  # type: ignore[arg-type, operator]
                continue
            if reached + left * (10 ** min(room - left + 1, widest) - 1) < total:
                continue  # the digits left cannot make up the total
            cuts.append((s, e))
            values.append(value)  # type: ignore[arg-type]
            ok = walk(e, k + 1, reached, stop, total, widest)  # type: ignore[arg-type]
            cuts.pop()
            values.pop()
            if not ok:
                return False
        return True

    for start in range(parts, L):
        for e, kind, total in lattice.ends[start]:
            if e != L or kind != "int":
                continue
            widest = max(len(f"{total:,}") + 1, lattice.longest_placeholder)
            if not walk(0, 0, 0, start, total, widest):  # type: ignore[arg-type]
                return out, True
    return out, False


def numeric_cut(lattice: Lattice, slots: Collection[int]) -> bool:
    """True when some cut puts a count (not a placeholder) in every one of ``slots`` (0-based).

    A total printed as a placeholder cannot be checked: the row or block total is then no rule.

    >>> numeric_cut(Lattice("41/2——18", 7, False, COUNT_KINDS), {6}), numeric_cut(Lattice("1/2—", 4, False, COUNT_KINDS), {3})
    (True, False)
    """
    if not lattice.count():
        return False
    reach = {0}
    for k in range(lattice.n):
        after = lattice.suf[lattice.n - k - 1]
        reach = {e for s in reach for e, kind, _ in lattice.ends[s] if after[e] and (kind == "int" or k not in slots)}
    return bool(reach)
