"""Header cells of tables 3 and 4 that OCR misread by one character, matched to the template's label
only where nothing else can be meant (spec §4a; OCR-read documents only).

OCR misreads header words a text layer never does (科研机构 as 科研机沟, 结果纠正 as 结果红正): the
exact header rules (:mod:`govdisclose.template.headers`) then name no column there, and the whole
table is flagged because its columns cannot be told apart. Here a header cell that names nothing,
read by OCR, is taken for a label of its header when

a. the label is the only one of that header's labels within one edit of the printed text
   (:func:`tolerant_label`: a substitution the OCR engine is known to make between look-alike
   characters, :data:`CONFUSIONS`, counts half an edit, a run of digits one character; a label of
   five characters or more may differ by one edit and one look-alike);
b. the header then names the template's columns, each once (the caller checks the plan); and
c. the arithmetic confirms the columns so read (:func:`confirms`): the row totals (table 3) or block
   totals (table 4) hold on enough rows (at least 3 rows, 2 blocks, and more than half of those
   checked), and every swap of a tolerated column with another that the arithmetic can see (one is
   a total the other is part of, or they are parts of different totals) and that would change a
   value holds on fewer. A swap the arithmetic cannot see (two parts of the same sum: 科研机构 and
   商业企业) is decided by the header, whose other cells were read exactly: with them named, the
   tolerated cell can only be the label left.

Otherwise the header is left as read (and flagged as before). Each tolerated cell is recorded as an
``ocr.header_tolerated`` finding: the printed text, the label taken, where.

>>> tolerant_label("科研机沟", requests_labels()), tolerant_label("法律服务机沟", requests_labels())
('科研机构', '法律服务机构')
>>> tolerant_label("结昊维诗", review_labels()), tolerant_label("天经复议直:接起诉", review_labels())
('结果维持', '未经复议直接起诉')
>>> tolerant_label("总一", review_labels()), tolerant_label("商业企117", requests_labels()), tolerant_label("法律务机沟", requests_labels())
('总计', '商业企业', '法律服务机构')
>>> tolerant_label("科研", requests_labels()), tolerant_label("备注", requests_labels()), tolerant_label("结果纠持", review_labels())
(None, None, None)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from govdisclose.mapping.collect import Collector
from govdisclose.mapping.columns import ColumnPlan
from govdisclose.mapping.rows import Row, cells_under, choose
from govdisclose.readers.model import Cell
from govdisclose.records import Location
from govdisclose.template.headers import applicant_word, review_block, review_part
from govdisclose.template.normalize import norm
from govdisclose.template.printed import header_labels
from govdisclose.template.values import parse_value

__all__ = ["OcrReadings", "requests_labels", "review_labels", "CONFUSIONS", "Tolerated", "tolerant_label",
           "tolerated_header", "confirms", "record", "is_ocr", "requests_header", "review_header", "review_unmatched"]


class OcrReadings(Protocol):
    """What this module needs of an OCR document: whether a cell was read by OCR."""

    def reading(self, location: Location | None) -> object | None: ...


def requests_labels() -> tuple[str, ...]:
    """The words table 3's printed header can say (the merged 申请人情况 / 法人或其他组织 included)."""
    return header_labels("requests")


def review_labels() -> tuple[str, ...]:
    """The words table 4's printed header can say: the blocks and the five outcomes."""
    return header_labels("review_litigation")


#: Look-alike characters the OCR engine (PP-OCR) put for a header's character on scans of the corpus
#: reports (printed, read): they share the component that survives a blurred scan.
CONFUSIONS: frozenset[frozenset[str]] = frozenset(frozenset(p) for p in (
    "构沟", "果昊", "持诗", "持特", "纠红", "纠丝", "未天", "未六", "未水", "审自", "审目",
))
_NOISE = re.compile(r"[:：.,，、·;；'\"`_|丨~\-—]")
_CONFUSION = 0.5  # a look-alike substitution's cost: two of them, or one plain edit, are tolerated
_TOLERANCE = 1.0
_LONG_TOLERANCE = 1.5  # a label of five characters or more: one edit and one look-alike (法律务机沟 for 法律服务机构)
_DIGITS = re.compile(r"\d+")  # a character read as digits (商业企117 for 商业企业): one substitution


@dataclass(frozen=True, slots=True)
class Tolerated:
    """One header cell read as a label it does not spell exactly."""

    printed: str
    label: str
    location: Location
    eliminated: bool = False  # the one cell naming nothing, taken for the one label its segment lacks


def _cost(a: str, b: str) -> float:
    """Edit distance from ``a`` to ``b``, a look-alike substitution (:data:`CONFUSIONS`) counting half."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        current = [float(i)]
        for j, cb in enumerate(b, 1):
            swap = 0.0 if ca == cb else (_CONFUSION if frozenset((ca, cb)) in CONFUSIONS else 1.0)
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + swap))
        previous = current
    return previous[-1]


def tolerant_label(text: str, labels: Sequence[str]) -> str | None:
    """The one label of ``labels`` within one edit of ``text`` (see the module docstring), else ``None``.

    A run of digits counts as one character (OCR reads a blurred 业 as 117); a label of five
    characters or more may differ by one edit and one look-alike. A single character may stand for a
    two-character label (总 for 总计) only where it is the one label that near; what it is taken for
    must still make the template's header and be confirmed by the arithmetic (module docstring)."""
    t = _DIGITS.sub("#", _NOISE.sub("", norm(text)))
    if not t or t == "#":
        return None
    near = [label for label in labels if _cost(t, label) <= (_TOLERANCE if len(label) < 5 else _LONG_TOLERANCE)]
    return near[0] if len(near) == 1 else None


def is_ocr(out: Collector) -> OcrReadings | None:
    """The OCR document being mapped, or ``None`` (text, HTML, PDF text layer, DOCX: exact header rules only)."""
    return out.ocr


def tolerated_header(ocr: OcrReadings, header: list[list[Cell]], labels: Sequence[str],
                     exact: Callable[[str], bool], level: Callable[[str], str | None] | None = None
                     ) -> tuple[list[list[Cell]], list[Tolerated]]:
    """``header`` with every OCR-read cell that ``exact`` does not recognise, and that is within one
    edit of exactly one of ``labels``, printed as that label (a merged copy of it too); and what was
    tolerated, once per cell. With ``level`` (a label's level: blocks, parts …), a cell still naming
    nothing is then taken by elimination (:func:`_eliminated`)."""
    found: dict[str, str] = {}
    tolerated: list[Tolerated] = []
    for row in header:
        for cell in row:
            text = cell.text.strip()
            if cell.merged or not text or exact(text) or ocr.reading(cell.location) is None:
                continue
            label = tolerant_label(text, labels)
            if label is not None:
                found[text] = label
                tolerated.append(Tolerated(text, label, cell.location))
    if level is not None:
        for t in _eliminated(ocr, header, labels, exact, level, found):
            found[t.printed] = t.label
            tolerated.append(t)
    if not found:
        return header, []
    rows = [[Cell(found[c.text.strip()], c.location, c.run, c.merged) if c.text.strip() in found else c for c in row] for row in header]
    return rows, tolerated


def _named(text: str, labels: Sequence[str], exact: Callable[[str], bool], found: dict[str, str]) -> str | None:
    """The label a header text names: exactly (its normal form is the label's) or as tolerated."""
    if text in found:
        return found[text]
    if not exact(text):
        return None
    word = _words(text)  # what the exact rules read it as (其他结昊 reads as 其他: the label whose word that is)
    return next((label for label in labels if norm(label) == norm(text)), None) or next(
        (label for label in labels if _words(label) == word), None)


def _words(text: str) -> tuple[str | None, ...]:
    return applicant_word(text), review_block(text), review_part(text)


def _eliminated(ocr: OcrReadings, header: list[list[Cell]], labels: Sequence[str], exact: Callable[[str], bool],
                level: Callable[[str], str | None], found: dict[str, str]) -> list[Tolerated]:
    """Header cells taken by elimination: in a segment of a header row (the cells under one cell of the
    row above), where every other cell names a label of one level, exactly one cell read by OCR names
    nothing and exactly one label of that level is left unnamed, that cell is taken for that label if
    it shares a character with it and is within two characters of its length; rules b and c still decide."""
    out: list[Tolerated] = []
    for r, row in enumerate(header):
        segments: list[tuple[str, list[Cell]]] = []
        for j, cell in enumerate(row):
            above = header[r - 1][j].text.strip() if r and j < len(header[r - 1]) else ""
            above = found.get(above, above)
            if not segments or segments[-1][0] != above:
                segments.append((above, []))
            if not cell.merged and cell.text.strip():
                segments[-1][1].append(cell)
        for _, cells in segments:
            named = [_named(c.text.strip(), labels, exact, found) for c in cells]
            blank = [c for c, n in zip(cells, named) if n is None]
            levels = {level(n) for n in named if n is not None}
            if len(blank) != 1 or len(levels) != 1 or None in levels or ocr.reading(blank[0].location) is None:
                continue
            left = [label for label in labels if level(label) in levels and label not in named]
            text = _DIGITS.sub("#", _NOISE.sub("", norm(blank[0].text)))
            if len(left) == 1 and set(text) & set(left[0]) and abs(len(text) - len(left[0])) <= 2:
                out.append(Tolerated(blank[0].text.strip(), left[0], blank[0].location, eliminated=True))
    return out


def requests_level(label: str) -> str | None:
    """A table-3 label's level: the applicants' kinds, or the legal persons' kinds under 法人或其他组织."""
    from govdisclose.template.catalogue import APPLICANTS

    return None if applicant_word(label) in (None, "header") else ("legal" if applicant_word(label) in APPLICANTS[1:-1] else "applicants")


def review_level(label: str) -> str | None:
    """A table-4 label's level: the outcomes, the two blocks, or the two kinds of litigation."""
    block = review_block(label)
    return "outcomes" if review_part(label) is not None else None if block is None else (
        "litigation" if block.startswith("litigation_") else "blocks")


def requests_exact(text: str) -> bool:
    """A table-3 header text the exact rules read."""
    return applicant_word(text) is not None


def review_exact(text: str) -> bool:
    """A table-4 header text the exact rules read."""
    return review_block(text) is not None or review_part(text) is not None


#: One equation of a row: (total code, part codes).
Sum = tuple[str, tuple[str, ...]]


def _number(cell: Cell) -> Decimal | None:
    parsed = parse_value(cell.text)
    return parsed.value if parsed.state == "number" else (Decimal(0) if parsed.state in ("blank", "na") else None)


def _row_values(plan: ColumnPlan, row: Row) -> list[Decimal | None] | None:
    """The row's values under the plan's columns, left to right (``None`` where the row does not fit)."""
    cells = cells_under(row, plan.columns, plan.width) if plan.aligned else None
    if cells is None:
        cells, _ = choose(row.slots, len(plan.codes))
        if len(cells) != len(plan.codes):
            return None
    return [_number(c) for c in cells]


def _held(codes: Sequence[str | None], values: list[list[Decimal | None]], sums: Sequence[Sum]) -> tuple[int, int]:
    """(held, checked): the equations that hold, of those whose every cell is a number, over all rows."""
    held = checked = 0
    for row in values:
        by_code = {c: v for c, v in zip(codes, row) if c is not None}
        for total, parts in sums:
            got = [by_code.get(k) for k in (total, *parts)]
            if any(v is None for v in got):
                continue
            checked += 1
            held += got[0] == sum((v for v in got[1:] if v is not None), Decimal(0))
    return held, checked


def _same_role(a: str, b: str, sums: Sequence[Sum]) -> bool:
    """Swapping ``a`` and ``b`` changes no equation (both parts of the same sums, never a total)."""
    return all((a in parts) == (b in parts) and a != total and b != total for total, parts in sums)


def confirms(plan: ColumnPlan, rows: list[Row], tolerated_codes: set[str], sums: Sequence[Sum], least: int) -> tuple[bool, str]:
    """Whether the arithmetic of ``rows`` confirms ``plan``'s columns (rule c of the module
    docstring), and what it found (for the finding)."""
    values = [v for v in (_row_values(plan, r) for r in rows) if v is not None]
    codes = list(plan.codes)
    held, checked = _held(codes, values, sums)
    if held < least or 2 * held <= checked:
        return False, f"the {'row' if len(values) > 1 else 'block'} totals hold on {held} of {checked} with it, too few to confirm it"
    for t, code in enumerate(codes):
        if code not in tolerated_codes:
            continue
        for j, other in enumerate(codes):
            if j == t or other is None or _same_role(code, other, sums):
                continue
            if all(row[t] == row[j] for row in values):
                continue  # the swap changes no value
            swapped = list(codes)
            swapped[t], swapped[j] = other, code
            if _held(swapped, values, sums)[0] >= held:
                return False, f"the totals hold as well with the columns of {code} and {other} swapped"
    return True, f"the totals hold on {held} of {checked} with it, and no swap the arithmetic can see holds as well"


def record(out: Collector, table: str, tolerated: list[Tolerated], how: str) -> None:
    """One finding per tolerated header cell: printed text, label taken, where, and why it stands."""
    for t in tolerated:
        why = ("by elimination: the one cell of its header segment naming nothing, and the one label that segment lacks"
               if t.eliminated else "the only label within one character")
        out.finding("ocr.header_tolerated", f"table {table}: header cell {t.printed!r} read by OCR is taken as {t.label!r} "
                    f"({why}; the header then names the template's columns once each, and {how})",
                    t.location, severity="info")


def _refused(out: Collector, table: str, tolerated: list[Tolerated], why: str) -> None:
    misread = ", ".join(f"{t.printed!r} ({t.label}?)" for t in tolerated)
    out.finding("column.header", f"table {table}: header cells {misread} may be OCR misreads of the template's labels, "
                f"but {why}: not taken", tolerated[0].location, severity="info")


def _unmatched(ocr: OcrReadings, header: list[list[Cell]], exact: Callable[[str], bool], labels: Sequence[str],
               first: int = 0) -> list[str]:
    """The header cells (from grid column ``first`` on) read by OCR that name nothing, each with the
    label it is nearest to where there is one: ``'科研机沟' (row 2, col 6; 科研机构?)``."""
    out = []
    for row in header:
        for j, cell in enumerate(row):
            text = cell.text.strip()
            if j < first or cell.merged or not text or len(text) > 10 or exact(text) or ocr.reading(cell.location) is None:
                continue
            label = tolerant_label(text, labels)
            where = f"row {cell.location.row}, col {cell.location.col}" + (f"; {label}?" if label else "")
            out.append(f"{text!r} ({where})")
    return out


def _unmatched_note(table: str, unmatched: list[str], why: str) -> str:
    cells = ", ".join(unmatched[:6]) + (" …" if len(unmatched) > 6 else "")
    return f"the header of table {table} could not be matched: its cells {cells}, as OCR read them, name no column" + (
        f" (not taken for the nearest labels: {why})" if why else "")


def _value_rows(rows: list[Row], start: int, most: int) -> list[Row]:
    out = []
    for row in rows[start:start + most]:
        if row.table != rows[start].table:
            break
        if row.has_number:
            out.append(row)
    return out


def requests_header(out: Collector, header: list[list[Cell]], rows: list[Row], start: int, plan: ColumnPlan | None) -> ColumnPlan | None:
    """Table 3's plan with OCR-misread header cells tolerated where rules a–c hold; else ``plan``, its
    ``problem`` naming the OCR-read header cells that name no column, if there are any."""
    from govdisclose.mapping.columns import requests_plan
    from govdisclose.template.catalogue import APPLICANTS

    ocr = is_ocr(out)
    if ocr is None:
        return plan
    head, tolerated = tolerated_header(ocr, header, requests_labels(), requests_exact, requests_level)
    why = ""
    if tolerated:
        new = requests_plan(head)
        if new is None or new.problem or None in new.codes or len(new.kept) != len(APPLICANTS) or set(new.kept) != set(APPLICANTS):
            why = "the header would not name the template's columns once each"
        else:
            legal = set(APPLICANTS[1:-1])
            codes = {c for t in tolerated for c in ({applicant_word(t.label)} if applicant_word(t.label) != "group" else legal)}
            sums: list[Sum] = [(APPLICANTS[-1], tuple(APPLICANTS[:-1]))]
            ok, why = confirms(new, _value_rows(rows, start, 24), {c for c in codes if c is not None}, sums, least=3)
            if ok:
                record(out, "requests", tolerated, why)
                return new
    first = plan.columns[0] if plan is not None and plan.aligned and plan.columns else 0
    unmatched = _unmatched(ocr, header, requests_exact, requests_labels(), first)
    if plan is None or not unmatched:
        if tolerated:
            _refused(out, "requests", tolerated, why)
        return plan
    note = _unmatched_note("requests", unmatched, why)
    return replace(plan, problem=f"{note}; {plan.problem}" if plan.problem else note)


def review_header(out: Collector, header: list[list[Cell]], rows: list[Row], at: int) -> list[list[Cell]]:
    """Table 4's header rows with OCR-misread cells tolerated where rules a–c hold, else as read."""
    from govdisclose.mapping.columns import review_order_contradicted, review_plan
    from govdisclose.template.arithmetic import review_items
    from govdisclose.template.headers import REVIEW_BLOCKS, REVIEW_PARTS

    ocr = is_ocr(out)
    if ocr is None:
        return header
    plan = review_plan(header)
    items = review_items()
    if plan is not None and not plan.problem and set(plan.codes) == set(items) and not review_order_contradicted(header):
        return header  # read exactly
    head, tolerated = tolerated_header(ocr, header, review_labels(), review_exact, review_level)
    if not tolerated:
        return header
    new = review_plan(head)
    if (new is None or new.problem or None in new.codes or len(new.codes) != len(items) or set(new.codes) != set(items)
            or review_order_contradicted(head)):
        _refused(out, "review_litigation", tolerated, "the header would not name the template's columns once each")
        return header
    words = {w for t in tolerated for w in (review_block(t.label), review_part(t.label)) if w is not None}
    codes = {c for c in items if any(w in c.split(".") or c.startswith(w) for w in words)}
    sums: list[Sum] = [(f"{b}.total", tuple(f"{b}.{p}" for p in REVIEW_PARTS if p != "total")) for b in REVIEW_BLOCKS]
    ok, how = confirms(new, _value_rows(rows, at + 1, 6)[:1], codes, sums, least=2)
    if not ok:
        _refused(out, "review_litigation", tolerated, how)
        return header
    record(out, "review_litigation", tolerated, how)
    return head


def review_unmatched(out: Collector, header: list[list[Cell]], why: str) -> str:
    """``why`` table 4's header cannot be read, led by the OCR-read header cells that name nothing (the cause)."""
    ocr = is_ocr(out)
    unmatched = _unmatched(ocr, header, review_exact, review_labels()) if ocr is not None else []
    return f"{_unmatched_note('review_litigation', unmatched, '')}, so {why}" if unmatched and why else why
