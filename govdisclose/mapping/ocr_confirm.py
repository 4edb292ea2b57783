"""Proof, not trust: every value read by OCR is confirmed by its reading's stability and the template's arithmetic.

After :func:`~govdisclose.mapping.mapper.map_document` has coded an OCR'd document's cells,
:func:`confirm_ocr` decides each cell:

1. A value cell the engine read with every character sure (:data:`FAST`) and whose equations
   hold is taken. Every other cell — and every cell of an equation that fails — is read again
   from other renderings of its crop (:func:`~govdisclose.readers.ocr.build.variants`: other
   scales and margins, binarised). It is **certain** when all readings agree and their median
   confidence is at least :data:`SURE`, or when at least four and all but two read the first
   reading's value so surely and the others read no value at all; otherwise **uncertain**, with candidates: every value any
   reading gave, and the engine's alternatives (a doubtful digit's second choice, a digits-only
   decoding). Where those are one digit each and the glyph's ink fits only one of them (a thin
   ``0`` read ``1``: :func:`~govdisclose.mapping.ocr_evidence.by_shape`), the cell is **settled**
   on it: taken where every equation of it holds, one with every other cell certain or settled.
2. The template's equations (:func:`govdisclose.template.arithmetic.report_equations` — never a
   hand list) then decide the uncertain cells: an equation whose other cells are all known
   forces its one unknown cell's value, which is taken only if OCR saw it among the cell's
   candidates (repeated until nothing changes); what is left is solved by trying every
   combination of candidates in each connected set of equations, a value taken only where it is
   the **same in every combination satisfying every equation of the set**. Otherwise the cell is
   ``unreadable`` and its finding lists the candidates. Finally every equation of a decided cell
   must hold, and the cell must be proved: one of its equations has every other cell certain (or
   already proved), or it is a value OCR read (not a second choice) bound by two or more holding
   equations that share no other unsure cell — a misread hidden by them would need a cycle of four
   or more misreads by the same amount (table 3's row totals and column balances); else ``unreadable``.
3. Certain cells are never changed: where their printed arithmetic fails, the report is read as printed
   and the validator reports the error (the OCR step never "repairs" a report).
4. A cell bound by no equation (table 2, the fee amount) is accepted only when certain, or
   settled on the glyph's shape at every threshold with the engine's first reading.
>>> SURE
0.9
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from statistics import median

from govdisclose.mapping.mapper import MappedCell, Mapping
from govdisclose.mapping.ocr_evidence import SURE, by_shape, outvoted, settled_hold
from govdisclose.mapping.ocr_rows import missing_rows, refused_by_mapper
from govdisclose.readers.ocr.document import OcrDocument
from govdisclose.records import Finding
from govdisclose.template.arithmetic import CellKey, Equation, evaluate, report_equations
from govdisclose.template.values import parse_value

__all__ = ["confirm_ocr", "SURE", "FAST", "MAX_COMBINATIONS"]

#: A first reading whose least sure character is at least this is taken while its equations hold.
FAST = 0.995
MAX_COMBINATIONS = 200_000  #: steps of the search over candidates in one connected set of equations at most

State = tuple[str, Decimal | None]
_OPEN = ("holds", "unfilled", "empty", "absent", "unchecked")


def _key(cell: MappedCell) -> CellKey:
    return (cell.table, cell.item, cell.applicant)


def _parse(text: str) -> State:
    value = parse_value(text)
    return value.state, value.value


def _states(texts: list[str], first: list[State]) -> list[State]:
    states = list(first)
    for text in texts:
        st = _parse(text)
        if st[0] in ("number", "na") and st not in states:
            states.append(st)
    return states


class _Cells:
    """The report's cells as they are being decided."""

    def __init__(self, doc: OcrDocument, mapping: Mapping, eqs: list[Equation]) -> None:
        self.doc = doc
        self.cells = {_key(c): c for c in mapping.cells}
        self.state: dict[CellKey, State] = {k: (c.state, c.value) for k, c in self.cells.items()}
        self.eqs = eqs
        self.of: dict[CellKey, list[Equation]] = {}
        for eq in eqs:
            for k in eq.cells:
                self.of.setdefault(k, []).append(eq)
        self.read = {k for k, c in self.cells.items() if doc.reading(c.location) is not None and not refused_by_mapper(c, mapping.cells)}
        self.reread: set[CellKey] = set()
        self.candidates: dict[CellKey, list[State]] = {}  # uncertain cells: the values their readings gave
        self.read_as: dict[CellKey, list[State]] = {}  # … before the engine's alternatives were added
        self.full: dict[CellKey, list[State]] = {}  # … and the engine's alternatives
        self.seen: dict[CellKey, list[str]] = {}
        self.decided: dict[CellKey, tuple[State | None, str]] = {}
        self.confirmed: set[CellKey] = set()
        self.settled: set[CellKey] = set()  # uncertain cells whose glyph's shape leaves one of OCR's readings

    def first_pass(self) -> list[CellKey]:
        """Cells to read again before anything is taken."""
        out = []
        for k in self.read:
            got = self.doc.reading(self.cells[k].location)
            if got is None or got.confidence < FAST or k not in self.of or self.cells[k].state == "unreadable":
                out.append(k)
        return out

    def read_again(self, keys: list[CellKey]) -> None:
        keys = [k for k in keys if k in self.read and k not in self.reread]
        again = self.doc.rereadings([self.cells[k].location for k in keys])
        for k, readings in zip(keys, again):
            self.reread.add(k)
            cell = self.cells[k]
            got = self.doc.reading(cell.location)
            assert got is not None
            texts = ["".join(t.split()) for t in [got.text] + [r.text for r in readings]]
            confidences = [got.confidence] + [r.confidence for r in readings]
            certain = cell.state != "unreadable" and (len(set(texts)) == 1 and float(median(confidences)) >= SURE
                                                      or outvoted(texts, confidences))
            seen = list(dict.fromkeys(texts + list(got.alternatives) + [a for r in readings for a in r.alternatives]))
            self.seen[k] = seen
            if certain:
                continue
            # a box with ink is never blank, whatever the engine made of it
            first: list[State] = [] if cell.state in ("unreadable", "blank") else [(cell.state, cell.value)]
            self.candidates[k] = _states(texts, first)
            self.read_as[k] = list(self.candidates[k])
            self.full[k] = _states(seen, self.candidates[k])
            self.state[k] = ("unreadable", None)
            shaped = by_shape(self.doc, cell.location, seen, strong=k not in self.of) if cell.state != "unreadable" else None
            if shaped is not None:  # of the digits OCR saw, the only one the glyph's ink can be
                self.state[k] = _parse(shaped)
                self.candidates[k], self.read_as[k], self.full[k] = [self.state[k]], [self.state[k]], [self.state[k]]
                self.settled.add(k)
                self.decided[k] = (self.state[k], f"OCR unsure between {', '.join(repr(t) for t in seen)}; the glyph's shape "
                                                  f"(its holes and strokes) fits only {shaped!r}" + (", and its equations hold" if k in self.of else ""))
            elif len(self.candidates[k]) == 1 and k in self.of:  # the readings agree: taken if its equations hold
                self.state[k] = self.candidates[k][0]
                self.decided[k] = (self.candidates[k][0], "OCR unsure, but every reading agrees and its equations hold")

    def failing(self) -> list[CellKey]:
        """Cells not yet read again in equations that fail as read."""
        out: set[CellKey] = set()
        for eq in self.eqs:
            if evaluate(eq, self.state).status not in _OPEN:
                out.update(k for k in eq.cells if k in self.read and k not in self.reread)
        return sorted(out, key=str)

    def forced(self, eq: Equation, unknown: CellKey) -> State | None:
        """The value ``eq`` forces on its one unknown cell, if the others are all numbers or ``/``."""
        total = Decimal(0)
        for k in eq.cells:
            if k == unknown:
                continue
            state, value = self.state.get(k, ("absent", None))
            if state == "number" and value is not None:
                total += value if k in eq.totals else -value
            elif state != "na":
                return None
        value = -total if unknown in eq.totals else total
        matches = [c for c in self.candidates[unknown] if (c[1] if c[0] == "number" else Decimal(0)) == value]
        return matches[0] if len(matches) == 1 else None

    def propagate(self) -> None:
        changed = True
        while changed:
            changed = False
            for eq in self.eqs:
                unknown = [k for k in eq.cells if k in self.candidates and k not in self.decided]
                if len(unknown) != 1:
                    continue
                value = self.forced(eq, unknown[0])
                if value is not None:
                    self.state[unknown[0]] = value
                    self.decided[unknown[0]] = (value, f"OCR unsure; the only reading OCR saw that satisfies {eq.rule}")
                    changed = True

    def search(self) -> None:
        left = {k for k in self.candidates if k not in self.decided}
        for k in sorted(left, key=str):
            if k not in self.of:
                self.decided[k] = (None, "OCR is not sure of this cell and no equation of the template can confirm it")
        groups: list[tuple[set[Equation], set[CellKey]]] = []
        for eq in self.eqs:
            mine = {k for k in eq.cells if k in left and k in self.of}
            if not mine:
                continue
            joined = [g for g in groups if g[1] & mine]
            groups = [g for g in groups if not any(g is j for j in joined)]
            groups.append(({eq}.union(*(g[0] for g in joined)), mine.union(*(g[1] for g in joined))))
        for group, cells in sorted(groups, key=lambda g: (len(g[1]), sorted(map(str, g[1]))[0])):
            unknown = self._order(group, cells)
            solutions = self._solve(sorted(group, key=lambda e: e.description), unknown)
            if solutions is None:
                self._locally(group, cells)
                continue
            for i, k in enumerate(unknown):
                rules = ", ".join(sorted({eq.rule for eq in group if k in eq.cells}))
                values = {s[i] for s in solutions}
                if len(values) == 1:
                    value = values.pop()
                    self.decided[k] = (value, f"OCR unsure; the only reading OCR saw that satisfies {rules}")
                    self.state[k] = value
                else:
                    why = "no reading OCR saw satisfies" if not solutions else f"{len(values)} readings satisfy"
                    self.decided[k] = (None, f"OCR unsure, and {why} {rules}")

    def _locally(self, group: set[Equation], cells: set[CellKey]) -> None:
        """A set too large to search whole: each cell decided by its own equations alone (a value the
        same in every combination satisfying some equations is so in all), while cells get decided."""
        progress = True
        while progress:
            progress = False
            for k in sorted(cells - set(self.decided), key=str):
                mine = {eq for eq in group if k in eq.cells}
                near = {o for eq in mine for o in eq.cells if o in cells and o not in self.decided}
                unknown = self._order(mine, near)
                solutions = self._solve(sorted(mine, key=lambda e: e.description), unknown)
                values = {s[unknown.index(k)] for s in solutions} if solutions else set()
                if len(values) == 1:
                    self.state[k] = value = values.pop()
                    self.decided[k] = (value, f"OCR unsure; the only reading OCR saw that satisfies {', '.join(sorted({eq.rule for eq in mine}))}")
                    progress = True
        for k in cells - set(self.decided):
            self.decided[k] = (None, f"too many uncertain cells bound together ({len(cells)}) to confirm by arithmetic")

    def _order(self, group: set[Equation], cells: set[CellKey]) -> list[CellKey]:
        """Unknown cells in an order that completes equations early (fewest unknowns first)."""
        order: list[CellKey] = []
        placed: set[CellKey] = set()
        for eq in sorted(group, key=lambda e: (sum(k in cells for k in e.cells), e.description)):
            for k in eq.cells:
                if k in cells and k not in placed:
                    order.append(k)
                    placed.add(k)
        return order

    def _solve(self, group: list[Equation], unknown: list[CellKey]) -> list[tuple[State, ...]] | None:
        """Every assignment of candidates to ``unknown`` under which every equation of ``group`` is
        open (holds, or agrees with blanks as 0); ``None`` past :data:`MAX_COMBINATIONS` steps."""
        position = {k: i for i, k in enumerate(unknown)}
        due: list[list[Equation]] = [[] for _ in unknown]  # equations complete once cell i is set
        for eq in group:
            last = max((position[k] for k in eq.cells if k in position), default=-1)
            if last >= 0:
                due[last].append(eq)
        trial = dict(self.state)
        chosen: list[State] = []
        solutions: list[tuple[State, ...]] = []
        steps = 0
        touching: list[list[Equation]] = [[eq for eq in group if k in eq.cells] for k in unknown]

        def number(state: State) -> Decimal | None:
            return state[1] if state[0] == "number" else Decimal(0) if state[0] == "na" else None

        def feasible(eq: Equation, i: int) -> bool:
            """Can the cells not yet chosen still make ``eq`` balance (an interval check)?"""
            low = high = Decimal(0)
            for k in eq.cells:
                sign = 1 if k in eq.totals else -1
                j = position.get(k)
                if j is None or j <= i:
                    v = number(trial[k]) if k in trial else None
                    if v is None:
                        return True  # a blank or unreadable cell: judged by the blank policy when complete
                    low, high = low + sign * v, high + sign * v
                else:
                    maybe = [number(c) for c in self.candidates[k]]
                    values = [v for v in maybe if v is not None]
                    if len(values) < len(maybe) or not values:
                        return True
                    lo, hi = min(values), max(values)
                    low, high = (low + lo, high + hi) if sign > 0 else (low - hi, high - lo)
            return low <= 0 <= high

        def step(i: int) -> bool:
            nonlocal steps
            if i == len(unknown):
                solutions.append(tuple(chosen))
                return len(solutions) < 1000
            for option in self.candidates[unknown[i]] or [("unreadable", None)]:
                steps += 1
                if steps > MAX_COMBINATIONS:
                    return False
                trial[unknown[i]] = option
                if all(evaluate(eq, trial).status in _OPEN for eq in due[i]) and all(feasible(eq, i) for eq in touching[i]):
                    chosen.append(option)
                    going = step(i + 1)
                    chosen.pop()
                    if not going:
                        return False
            return True

        return solutions if step(0) else None

    def _independent(self, eq: Equation, k: CellKey) -> bool:
        """Whether ``eq`` holding is evidence for cell ``k``: every other cell of ``eq`` is certain,
        or an unsure cell already confirmed so (two unsure cells can be misread so that the errors
        cancel: 12→22 beside 11→0 …)."""
        return not any(o in self.candidates and o not in self.confirmed for o in eq.cells if o != k)

    def _bound_twice(self, k: CellKey, statuses: list[str]) -> bool:
        """Whether cell ``k``'s value is proved by two or more equations that hold and share no other
        unsure cell, the value being one OCR read (not a second choice).

        Then a misread of ``k`` that the equations hide needs a compensating misread in each of them,
        and each of those a further one in its own other equation: a cycle of four or more cells
        misread by the same amount, none of whose true readings OCR saw — where a grid of row
        totals and column balances binds every cell twice (table 3), that is taken as proof."""
        if self.decided.get(k, (None, ""))[0] not in self.read_as.get(k, []):
            return False
        eqs = [eq for eq, st in zip(self.of.get(k, []), statuses) if st in ("holds", "unfilled")]
        if len(eqs) < 2 or len(eqs) < len(statuses):
            return False
        others = [{o for o in eq.cells if o != k and o in self.candidates} for eq in eqs]
        return all(not (a & b) for i, a in enumerate(others) for b in others[i + 1:])

    def widen(self) -> None:
        """Cells left unreadable get the engine's alternatives as candidates too, for a second round."""
        for k, (value, _) in list(self.decided.items()):
            if value is None and k in self.of and k in self.full:
                self.candidates[k] = self.full[k]
                del self.decided[k]

    def verify(self) -> None:
        """Every equation of a decided unsure cell must hold, and one of them must have every other
        cell certain or already confirmed (confirmations grow one equation at a time); the cells
        left are unreadable."""
        self.confirmed = settled_hold(self.settled, self.of, self.state, set(self.candidates))
        grown = True
        while grown:
            grown = False
            for k, (value, _why) in self.decided.items():
                if value is None or k in self.confirmed:
                    continue
                statuses = [evaluate(eq, self.state).status for eq in self.of.get(k, [])]
                if all(st in _OPEN for st in statuses) and (any(
                        st in ("holds", "unfilled") and self._independent(eq, k) for eq, st in zip(self.of[k], statuses))
                        or self._bound_twice(k, statuses)):
                    self.confirmed.add(k)
                    grown = True
        for k, (value, _why) in list(self.decided.items()):
            if value is None or k in self.confirmed:
                continue
            statuses = [evaluate(eq, self.state).status for eq in self.of.get(k, [])]
            if any(st not in _OPEN for st in statuses):
                why = "fails with the reading the other equations chose"
            else:
                why = ("cannot be checked: no equation of it has every other cell read with certainty "
                       "(misreads of two unsure cells can cancel out)")
            self.decided[k] = (None, f"OCR unsure, and its arithmetic {why}")
            self.state[k] = ("unreadable", None)


def confirm_ocr(doc: OcrDocument, mapping: Mapping) -> Mapping:
    """``mapping`` with every OCR value confirmed or made ``unreadable`` (see the module docstring).

    Leaves a mapping of a document not read by OCR unchanged; releases the page images.
    """
    if not isinstance(doc, OcrDocument) or mapping.template is None:
        return mapping
    eqs = list(report_equations([_key(c) for c in mapping.cells], mapping.template)) if mapping.template != "pre2019" else []
    work = _Cells(doc, mapping, eqs)
    work.read_again(work.first_pass())
    for _ in range(4):
        failing = work.failing()
        if not failing:
            break
        work.read_again(failing)
    for round_ in range(2):  # the readings' values, then the engine's alternatives too
        if round_:
            work.widen()
        work.propagate()
        work.search()
        work.verify()
    for k in work.candidates:  # never an unsure cell left as read
        work.decided.setdefault(k, (None, "OCR unsure, and nothing confirms it"))
    doc.release()
    findings = list(mapping.findings)
    out = []
    for cell in mapping.cells:
        key = _key(cell)
        if key not in work.decided:
            out.append(cell)
            continue
        value, why = work.decided[key]
        texts = ", ".join(repr(t) for t in work.seen.get(key, [cell.raw])[:8])
        note = f"{why} (read {texts})"
        if value is None:
            out.append(replace(cell, state="unreadable", value=None, note=note))
            findings.append(Finding("ocr.unconfirmed", "warning", f"{cell.table} {cell.item} {cell.applicant or ''}: {note}",
                                    cell.location, table=cell.table, item=cell.item, applicant=cell.applicant))
        elif value == (cell.state, cell.value):
            out.append(cell)
        else:
            raw = format(value[1], "f") if value[1] is not None else cell.raw
            out.append(replace(cell, state=value[0], value=value[1], raw=raw, note=note))
    findings += missing_rows(doc.source, out)
    return replace(mapping, cells=out, findings=findings)

