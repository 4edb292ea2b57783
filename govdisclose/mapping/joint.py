"""The table-3 joint solver: which readings of each row the column rules leave standing.

Each row of table 3 comes with its admissible readings (a :class:`Row`, from the row total or as
given). Per column, 本年新收 + 上年结转 = (七)总计 + 结转下年度 and (七)总计 = the sum of the
outcome rows; :func:`solve` finds the readings that take part in at least one solution of the
whole table, without listing the solutions (a forward/backward pass over column sums).

>>> items = ["new_received", "carried_over", "total_processed", "carried_forward"]
>>> where, leaves = roles(items)
>>> rows = {0: Row([("1",) * 7, ("2",) * 7], [(1,) * 7, (2,) * 7], "row total"),
...         1: Row([("0",) * 7], [(0,) * 7], "given"), 2: Row([("1",) * 7], [(1,) * 7], "given"),
...         3: Row([("0",) * 7], [(0,) * 7], "given")}
>>> count, support, rules = solve(rows, where, leaves)
>>> count, support[0], rules[0]
(1, {0}, 'column balance')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govdisclose.template.arithmetic import applicant_columns, balance_sides, outcome_rows

__all__ = ["Row", "roles", "solve", "SearchTooLarge", "COLUMNS"]

#: Table 3's value columns: six applicant columns and 总计 (printed last).
COLUMNS = len(applicant_columns())
#: Search steps for the whole table.
_STATE_BUDGET = 100_000

# The two layouts of the outcome rows (the catalogue's leaves): the 2021 template's three （六） rows
# first, then the single （六） row of 2019 (also seen in 2023 reports on the 2021 template).
_LAYOUTS = (("2021", False), ("2019", False))


@dataclass
class Row:
    """One table-3 row's admissible readings (texts and integer values, None for placeholders)."""

    texts: list[tuple[str, ...]]
    values: list[tuple[int | None, ...]]
    how: str  # 'given', 'row total', 'all cuts' (row total fails), 'no rule' (the total is a placeholder)


def roles(items: Sequence[str]) -> tuple[dict[str, int], list[int] | None]:
    """Each catalogue item's row index, and the outcome rows summing to (七)总计 in printed order
    (None when some are missing)."""
    where: dict[str, int] = {}
    for i, item in enumerate(items):
        where.setdefault(item, i)
    for template, single in _LAYOUTS:
        leaves = outcome_rows(template, single)
        if all(c in where for c in leaves):
            return where, [where[c] for c in leaves]
    return where, None


class SearchTooLarge(Exception):
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
                raise SearchTooLarge
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


def solve(doms: dict[int, Row], where: dict[str, int], leaves: list[int] | None) -> tuple[int, dict[int, set[int]], dict[int, str]]:
    """Joint solution of the column rules: (count, supported readings per row, rules per row).

    The count is -1 when no column rule can be checked (rows missing, placeholders)."""
    (new, carried), (outcome, forward) = balance_sides()
    nr, co, tp, cf = (where.get(k) for k in (new, carried, outcome, forward))

    def numeric(rows: list[int]) -> list[int]:
        return [c for c in range(COLUMNS) if all(v[c] is not None for r in rows for v in doms[r].values)]

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
                        raise SearchTooLarge
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
