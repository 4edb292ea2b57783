"""Which printed column is which: the header rows of tables 3 and 4 read into column codes (spec §4a).

A header may be printed in any order (总计 first, the 法人 sub-columns reversed, 复议后起诉 before
未经复议直接起诉, 尚未审结 before 其他结果) and may carry extra columns (a 法人 小计/合计, 备注,
序号). The header is the authority: this module reads it into a :class:`ColumnPlan`, one code per
value column from left to right, and the mappers place values by the plan instead of by position.

Two shapes of header reach us. *Aligned* grids (HTML, DOCX, ruled PDF, tab text that keeps empty
cells) have one slot per grid column in every header row: each column is read top to bottom, a
merged header's text standing over every column it spans, and the deepest level that names a
column wins. *Shifted* rows (converters that print only the cells that start in a row) lose the
column positions: the levels are then interleaved — the merged 法人或其他组织 (or 行政诉讼) is
replaced by the sub-columns printed on the row below it, in order.

>>> from govdisclose.records import Location
>>> def row(*texts): return [Cell(t, Location(line=1, cell=k)) for k, t in enumerate(texts, 1)]
>>> plan = requests_plan([row("", "总计", "自然人", "法人或其他组织", "", "", "", ""),
...                       row("", "", "", "法律服务机构", "商业企业", "科研机构", "社会公益组织", "其他")])
>>> plan.codes
('total', 'natural_person', 'legal_service_org', 'commercial_enterprise', 'research_institution', 'social_welfare_org', 'other_org')
>>> plan.aligned, plan.columns[0]
(True, 1)
>>> requests_plan([row("自然人", "法人或其他组织", "总计"), row("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]).codes[-2:]
('other_org', 'total')
>>> review_plan([row("行政复议", "行政诉讼"), row("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "复议后起诉", "未经复议直接起诉"),
...              row(*["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)]).codes[5]
'litigation_after_review.upheld'
"""

from __future__ import annotations

from dataclasses import dataclass

from govdisclose.readers.model import Cell
from govdisclose.records import Location
from govdisclose.template.catalogue import APPLICANTS
from govdisclose.template.headers import REVIEW_BLOCKS, REVIEW_PARTS, applicant_word, review_block, review_part

__all__ = ["ColumnPlan", "requests_plan", "review_plan", "review_order_contradicted", "LEFT_OUT"]

#: Codes of printed columns that are not template cells and are left out (their header says so).
LEFT_OUT: frozenset[str] = frozenset({"subtotal", "remark", "index"})
_LEGAL = frozenset(APPLICANTS[1:6])
_SPANNING = frozenset({"group", "header"})


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """The value columns a header names, left to right.

    ``codes`` holds a catalogue code per value column (an applicant code for table requests,
    ``block.part`` for table review_litigation), a :data:`LEFT_OUT` code for a known extra column,
    or ``None`` for a column whose header names nothing known (its cells are reported, never
    shifted into a neighbour). ``aligned`` plans also give each column's grid index
    (``columns``), to be read from rows of the same width; shifted plans are matched against a
    row's value cells from the right. ``problem`` says why a header cannot be trusted (a column
    named twice): the mapper then reads nothing by it.
    """

    codes: tuple[str | None, ...]
    aligned: bool
    columns: tuple[int, ...]
    width: int
    location: Location | None
    problem: str = ""

    @property
    def kept(self) -> tuple[str, ...]:
        """The template codes the header names, in printed order."""
        return tuple(c for c in self.codes if c is not None and c not in LEFT_OUT)

    def in_template_order(self, order: tuple[str, ...]) -> bool:
        return self.kept == order and all(c is not None for c in self.codes)


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.strip() for c in row]


def _fill_spans(rows: list[list[str]], spanning) -> list[list[str]]:
    """A merged header printed once in an aligned row stands over the empty slots to its right
    that have a sub-header printed below them (where nothing is printed below, the span ended)."""
    out = []
    for depth, texts in enumerate(rows):
        filled, last = [], ""
        for j, text in enumerate(texts):
            if text:
                last = text if spanning(text) else ""
                filled.append(text)
            elif last and any(lower[j] for lower in rows[depth + 1:]):
                filled.append(last)
            else:
                last = ""
                filled.append("")
        out.append(filled)
    return out


def _aligned(rows: list[list[Cell]]) -> bool:
    return len({len(r) for r in rows}) == 1 and len(rows[0]) > 1


def _check_unique(codes: list[str | None], kind: str) -> str:
    named = [c for c in codes if c is not None and c not in LEFT_OUT]
    twice = sorted({c for c in named if named.count(c) > 1})
    return f"the {kind} header names {', '.join(twice)} more than once" if twice else ""


# -- table requests ----------------------------------------------------------------------------

def requests_plan(header_rows: list[list[Cell]]) -> ColumnPlan | None:
    """The applicant columns a table-3 header names, or ``None`` when the rows are no such header."""
    rows = [r for r in header_rows if any(applicant_word(t) for t in _texts(r))]
    if not rows:
        return None
    location = rows[0][0].location if rows[0] else None
    if len(rows) == 1 and _flattened_levels(rows[0]):
        plan = _requests_flattened(rows[0], location)
    elif _aligned(rows):
        plan = _requests_aligned(rows, location)
    else:
        plan = _requests_shifted(rows, location)
    if plan is None or not any(c in ("natural_person", "total") for c in plan.codes):
        return None
    return plan


def _flattened_levels(row: list[Cell]) -> bool:
    """One row holding a two-level header run together: the merged 法人或其他组织 and, after it,
    its own sub-columns (a structure-lost rendering prints 自然人 法人或其他组织 总计 商业企业 …)."""
    codes = [applicant_word(t) for t in _texts(row)]
    if "group" not in codes:
        return False
    at = codes.index("group")
    return any(c in _LEGAL for c in codes[at + 1:]) and not any(c in _LEGAL for c in codes[:at])


def _requests_flattened(row: list[Cell], location: Location | None) -> ColumnPlan | None:
    codes = _after_index([c for c in (applicant_word(t) for t in _texts(row) if t) if c not in (None, "header")])
    at = codes.index("group")
    legal = [c for c in codes[at + 1:] if c in _LEGAL or c == "subtotal"]
    rest = [c for c in codes if c not in legal and c != "group"]
    sequence: list[str | None] = [*rest[:at], *legal, *rest[at:]]
    return ColumnPlan(tuple(sequence), False, (), 0, location, _check_unique(sequence, "applicant"))


def _after_index(codes: list[str]) -> list[str]:
    """Codes after a leading 序号 column: it numbers the rows before their labels, it is no value column."""
    k = 0
    while k < len(codes) and codes[k] == "index":
        k += 1
    return codes[k:]


def _deepest(levels: list[str]) -> str | None:
    code = None
    for text in levels:
        found = applicant_word(text) if text else None
        if found is None or found == "header":
            continue
        if found == "group" and code is not None and code != "group":
            continue
        code = found
    return code


def _requests_aligned(rows: list[list[Cell]], location: Location | None) -> ColumnPlan | None:
    grid = _fill_spans([_texts(r) for r in rows], lambda t: applicant_word(t) in _SPANNING)
    width = len(grid[0])
    per_column = [_deepest([g[j] for g in grid]) for j in range(width)]
    # the value columns start at the first column naming one (a 序号 column and the label columns stand before it)
    first = next((j for j, c in enumerate(per_column) if c is not None and c not in _SPANNING and c != "index"), None)
    if first is None:
        return None
    legal_named = any(c in _LEGAL for c in per_column)
    codes: list[str | None] = []
    columns: list[int] = []
    for j in range(first, width):
        code = per_column[j]
        if code == "group":  # 法人或其他组织 with nothing under it: its subtotal where the parts stand beside it
            code = "subtotal" if legal_named else None
        elif code == "header":
            code = None
        codes.append(code)
        columns.append(j)
    while codes and codes[-1] is None and not any(_texts(r)[columns[len(codes) - 1]] for r in rows):
        codes.pop()  # trailing columns with no header at all: padding, not an unknown column
        columns.pop()
    return ColumnPlan(tuple(codes), True, tuple(columns), width, location, _check_unique(codes, "applicant"))


def _requests_shifted(rows: list[list[Cell]], location: Location | None) -> ColumnPlan | None:
    """Rows that kept only the cells starting in them: the left-to-right order across levels is
    lost. A row naming the top level whole (自然人, 法人或其他组织 or its five, 总计) gives the order,
    its 法人 replaced by the sub-columns printed below (or above) it; levels spread over several rows
    are read only where every row keeps the template's order (then it is the template's)."""
    coded = [[c for c in (applicant_word(t) for t in _texts(r) if t) if c not in (None, "header")] for r in rows]
    top_at = next((k for k, codes in enumerate(coded) if {"natural_person", "total"} <= set(codes)
                   and ("group" in codes or _LEGAL <= set(codes))), None)
    if top_at is None:
        order = {c: k for k, c in enumerate(APPLICANTS)}
        order["group"] = order[APPLICANTS[1]]
        spread = [[order[c] for c in codes if c in order] for codes in coded]
        if all(s == sorted(s) for s in spread) and set().union(*map(set, coded)) & {"natural_person", "total"}:
            return ColumnPlan(tuple(APPLICANTS), False, (), 0, location)
        return ColumnPlan((), False, (), 0, location, "the header's columns stand on several lines in an order that cannot be read")
    sequence: list[str | None] = list(_after_index(coded[top_at]))
    if "group" in sequence:
        below = next((codes for codes in coded[top_at + 1:] if any(c in _LEGAL for c in codes)), None)
        above = next((codes for codes in reversed(coded[:top_at]) if any(c in _LEGAL for c in codes)), None)
        parts = below or above
        if parts is None:
            return None
        k = sequence.index("group")
        sequence[k:k + 1] = [c for c in parts if c not in _SPANNING]
    if any(c == "group" for c in sequence):
        return None
    return ColumnPlan(tuple(sequence), False, (), 0, location, _check_unique(sequence, "applicant"))


# -- table review_litigation -------------------------------------------------------------------

def _block_of(levels: list[str]) -> str | None:
    block = None
    for text in levels:
        found = review_block(text) if text else None
        if found is None:
            continue
        if found == "litigation" and block in ("litigation_direct", "litigation_after_review"):
            continue
        block = found
    return block


def _part_of(levels: list[str]) -> str | None:
    for text in reversed(levels):
        found = review_part(text) if text else None
        if found is not None:
            return found
    return None


def review_plan(header_rows: list[list[Cell]]) -> ColumnPlan | None:
    """The ``block.part`` codes a table-4 header names per value column, or ``None``."""
    rows = [r for r in header_rows if any(review_block(t) or review_part(t) for t in _texts(r))]
    if not rows:
        return None
    location = rows[0][0].location if rows[0] else None
    plan = _review_aligned(rows, location) if _aligned(rows) else None
    if plan is None or not plan.kept:
        plan = _review_glued(rows, location)
    if plan is None or not plan.kept:
        plan = _review_shifted(rows, location)
    if plan is None or not plan.kept:
        return None
    return plan


def _code(block: str | None, part: str | None) -> str | None:
    if block in REVIEW_BLOCKS and part in REVIEW_PARTS:
        return f"{block}.{part}"
    return None


def _review_aligned(rows: list[list[Cell]], location: Location | None) -> ColumnPlan | None:
    grid = _fill_spans([_texts(r) for r in rows], lambda t: review_block(t) is not None and review_part(t) is None)
    width = len(grid[0])
    codes: list[str | None] = []
    columns: list[int] = []
    for j in range(width):
        levels = [g[j] for g in grid]
        if not any(levels):
            continue
        block, part = _block_of(levels), _part_of(levels)
        if block is None and part is None:
            continue  # a label column
        codes.append(_code(block, part))
        columns.append(j)
    if not codes or any(c is None for c in codes):
        return None
    return ColumnPlan(tuple(codes), True, tuple(columns), width, location, _check_unique(codes, "table 4"))


def _review_glued(rows: list[list[Cell]], location: Location | None) -> ColumnPlan | None:
    """One row of 15 outcome cells, each block's name run into one cell of its five (a PDF without
    rulings prints the merged block names above their columns, and the reader joins each to the
    cell under it: ``结果维持 | 行政复议结果纠正 | 其他结果 …``). Read only where every cell names an
    outcome and each run of five names exactly one block and all five outcomes."""
    for row in rows:
        texts = [t for t in _texts(row) if t]
        if len(texts) != len(REVIEW_BLOCKS) * len(REVIEW_PARTS):
            continue
        parts = [review_part(t) for t in texts]
        blocks = [review_block(t) for t in texts]
        if any(p is None for p in parts):
            continue
        codes: list[str | None] = []
        named: list[str] = []
        for k in range(0, len(texts), len(REVIEW_PARTS)):
            group = [b for b in blocks[k:k + len(REVIEW_PARTS)] if b is not None]
            if len(group) != 1 or group[0] not in REVIEW_BLOCKS or set(parts[k:k + 5]) != set(REVIEW_PARTS):
                break
            named.append(group[0])
            codes.extend(_code(group[0], p) for p in parts[k:k + 5])
        else:
            if len(set(named)) == len(REVIEW_BLOCKS):
                return ColumnPlan(tuple(codes), False, (), 0, location, _check_unique(codes, "table 4"))
    return None


def review_order_contradicted(header_rows: list[list[Cell]]) -> str:
    """Why a table-4 header that could not be read into a plan still says its columns are not in
    template order ("" where it does not): its block names stand in another order, or a row of
    outcome words (five, ten or fifteen of them) does not start the template's cycle of five.
    Position is then no fallback (spec §4a): the cells are unreadable."""
    seen: list[str] = []
    for row in header_rows:
        for text in _texts(row):
            block = review_block(text) if text else None
            if block in REVIEW_BLOCKS and block not in seen:
                seen.append(block)
    if seen != [b for b in REVIEW_BLOCKS if b in seen]:
        return "its header names the blocks in another order (" + ", ".join(seen) + ")"
    for row in header_rows:
        parts = [p for p in (review_part(t) for t in _texts(row) if t) if p is not None]
        if parts and len(parts) % len(REVIEW_PARTS) == 0 and parts != list(REVIEW_PARTS) * (len(parts) // len(REVIEW_PARTS)):
            return "its header names the outcomes in another order (" + ", ".join(parts[:5]) + " …)"
    return ""


def _review_shifted(rows: list[list[Cell]], location: Location | None) -> ColumnPlan | None:
    """Levels interleaved: top-level blocks take the part run printed on the row below them, the
    sub-blocks of 行政诉讼 the runs on the row below theirs; a cell naming block and part itself
    (``行政复议维持``) stands for one column."""
    texts = [[t for t in _texts(r) if t] for r in rows]
    whole = [[_code(review_block(t), review_part(t)) for t in row] for row in texts]
    if any(all(c is not None for c in row) and len(row) >= 5 for row in whole):
        flat = max(whole, key=len)
        codes: list[str | None] = list(flat)
        return ColumnPlan(tuple(codes), False, (), 0, location, _check_unique(codes, "table 4"))
    levels: list[list[str]] = []  # per row: block codes in order, or 'part' markers
    for row in texts:
        levels.append([review_block(t) or ("part:" + (review_part(t) or "?")) for t in row])
    blocks: list[tuple[int, str]] = []  # (row level, block) in printed order, 行政诉讼 replaced by its sub-blocks
    for depth, row in enumerate(levels):
        for code in row:
            if code == "litigation":
                subs = next(([(d, c) for c in lv if c in ("litigation_direct", "litigation_after_review")]
                             for d, lv in enumerate(levels) if d > depth and any(
                                 c in ("litigation_direct", "litigation_after_review") for c in lv)), [])
                blocks.extend(subs)
            elif code in REVIEW_BLOCKS and (depth, code) not in blocks and not any(b == code for _, b in blocks):
                blocks.append((depth, code))
    if len(blocks) != 3:
        return None
    runs: dict[int, list[str]] = {}
    for depth, row in enumerate(levels):
        runs[depth] = [c[5:] for c in row if c.startswith("part:")]
    out: list[str | None] = []
    taken: dict[int, int] = {}
    for depth, block in blocks:
        parts_row = depth + 1
        run = runs.get(parts_row, [])
        start = taken.get(parts_row, 0)
        parts = run[start:start + 5]
        taken[parts_row] = start + 5
        if len(parts) != 5:
            return None
        out.extend(_code(block, p) for p in parts)
    return ColumnPlan(tuple(out), False, (), 0, location, _check_unique(out, "table 4"))
