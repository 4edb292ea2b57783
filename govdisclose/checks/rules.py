"""Checking a report's arithmetic (spec §4): findings, never repairs.

Hard rules: the template's equations, as data in :mod:`govdisclose.template.arithmetic`
(``requests.balance``, ``requests.row_total``, ``requests.outcome_total``,
``review_litigation.block_total``), each judged by its one blank policy
(:func:`~govdisclose.template.arithmetic.evaluate`): an ``error`` where no count ≥ 0 in the blank
cells can make the printed figures agree, a ``warning`` where blanks agree only as 0
("unfilled"), where a blank total or a shortfall the blanks could fill leaves it open, or where
a cell is unreadable ("cannot check"). ``domain``: counts are non-negative whole numbers, fees
non-negative (2019 增/减 may be < 0). Soft rules across reports: ``cross_year.carry_over`` and
``cross_year.in_force`` (warnings); given reports, the ``narrative`` rule (figures in the prose).

A frame of many reports is checked at once: :mod:`govdisclose.checks.screen` picks out, over the
whole chunk's arrays (:mod:`govdisclose.checks.cells`), the equations and cells that may say
something, and only those are judged here, one by one, by the same rules (so a batch gives the
findings each report gives alone).

>>> import govdisclose
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> validate(m).query("severity == 'error'").shape[0]
0
>>> broken = m.copy()
>>> broken.loc[(broken["item"] == "granted") & (broken["applicant"] == "natural_person"), "value"] = 6
>>> sorted(validate(broken).query("severity == 'error'")["rule"].unique())
['requests.outcome_total', 'requests.row_total']
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from govdisclose.checks.cells import Cells
from govdisclose.checks.narrative import narrative_findings
from govdisclose.checks.screen import Odd, Open, odd_cells, open_equations
from govdisclose.exceptions import GovDiscloseError
from govdisclose.records import FINDING_COLUMNS, Finding, Location, findings_frame
from govdisclose.template import arithmetic
from govdisclose.template.arithmetic import CellKey, Equation, Verdict
from govdisclose.template.catalogue import APPLICANTS

__all__ = ["validate", "FINDING_COLUMNS", "RULES"]

RULES: dict[str, str] = {
    **arithmetic.RULES,
    "domain": "counts are non-negative whole numbers; fees non-negative",
    "cross_year.carry_over": "carried_over(Y) = carried_forward(Y-1), same agency",
    "cross_year.in_force": "in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y), same agency (2021 template)",
    "narrative": "figures restated in the prose (requests, outcomes, reviews and lawsuits, documents, fees) match their table cells",
}


def _fmt(x: float | None) -> str:
    if x is None:
        return "blank"
    return format(Decimal(repr(x)).normalize(), "f")


def _where(text: str) -> Location | None:
    """The tidy frame keeps a cell's location as the string a person reads; carry it as such."""
    return Location(detail=text) if text else None


_CROSS_YEAR_KEYS: tuple[CellKey, ...] = (
    *(("requests", item, a) for item in ("carried_over", "carried_forward") for a in APPLICANTS),
    *(("active_disclosure", f"{group}.{what}", None) for group in ("regulations", "normative_documents")
      for what in ("in_force", "issued", "repealed")),
)
_FIRST = ("agency", "year", "source", "template")


class _Report:
    """One report (a ``source``), told by its first row, and what was found in it.

    ``open`` are its equations that may say something, ``odd`` its cells that may break the domain
    rule (:mod:`govdisclose.checks.screen`, set for a chunk of reports at once by :func:`validate`);
    ``_Report(frame)`` of a frame of one report works them out itself.
    """

    __slots__ = ("agency", "year", "source", "template", "findings", "open", "odd", "_cells", "_rows")

    def __init__(self, frame: pd.DataFrame | Cells, first: tuple[Any, ...] | None = None) -> None:
        self._cells = frame if isinstance(frame, Cells) else Cells(frame)
        self.agency, self.year, self.source, template = first or tuple(self._cells.column(c)[0] for c in _FIRST)
        self.template = None if pd.isna(template) else str(template)
        self.findings: list[Finding] = []
        self.open: list[Open] | None = None
        self.odd: list[Odd] = []
        self._rows: dict[CellKey, int] = {}  # the cells the cross-year rules look up: their rows
        if not isinstance(frame, Cells):
            if self._cells.n_reports != 1:
                raise GovDiscloseError(f"a frame of one report (one source) was expected, not {self._cells.n_reports}")
            list(_screen(self._cells, [self], cross_year=True))

    def value(self, table: str, item: str, applicant: str | None = None) -> float | None:
        return self._cells.cell_at(self._rows.get((table, item, applicant), -1))[1]

    def location(self, key: CellKey) -> str:
        return self._cells.location_at(self._rows.get(key, -1))

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def row(self, finding: Finding) -> dict[str, Any]:
        return finding.row(agency=self.agency, year=self.year, source=self.source)


def _screen(cells: Cells, reports: list[_Report], *, cross_year: bool) -> Iterator[list[_Report]]:
    """Screen the reports chunk by chunk (their ``open`` and ``odd``, the rows of the cross-year
    cells), yielding each chunk's reports once screened."""
    for chunk in cells.chunks():
        part = reports[chunk.start:chunk.start + chunk.cls.shape[0]]
        opened = open_equations(cells, chunk, [rep.template for rep in part])
        for local, rep in enumerate(part):
            rep.open = opened.get(local, [])
        for local, odd in odd_cells(cells, chunk):
            part[local].odd.append(odd)
        if cross_year:
            for key in _CROSS_YEAR_KEYS:
                j = cells.index.get(key)
                if j is not None:
                    for k in np.flatnonzero(chunk.last[:, j] >= 0):
                        part[k]._rows[key] = int(chunk.last[k, j])
        yield part


def _finding(eq: Equation, verdict: Verdict, location: str) -> Finding:
    severity = verdict.severity
    assert severity is not None
    actual = None if verdict.status == "blank_total" else verdict.totals_sum
    expected = None if verdict.status == "unchecked" else verdict.parts_sum
    return Finding(eq.rule, severity, verdict.message, _where(location), eq.table, eq.item, eq.applicant, expected, actual)


def _arithmetic_rules(rep: _Report) -> list[tuple[Equation, Finding]]:
    """Every equation of the report judged (those the screen left open, by the blank policy); the
    'unfilled' ones are kept apart to be summarised."""
    unfilled: list[tuple[Equation, Finding]] = []
    for opened in rep.open or ():
        verdict = arithmetic.evaluate(opened.equation, opened.cells)
        if verdict.severity is None:
            continue
        finding = _finding(opened.equation, verdict, opened.location)
        if verdict.status == "unfilled":
            unfilled.append((opened.equation, finding))
        else:
            rep.add(finding)
    return unfilled


def _summarise_unfilled(rep: _Report, unfilled: list[tuple[Equation, Finding]]) -> None:
    """One 'unfilled' warning per report and rule (a report that leaves whole columns blank would
    otherwise give one per row)."""
    by_rule: dict[str, list[tuple[Equation, Finding]]] = {}
    for eq, finding in unfilled:
        by_rule.setdefault(eq.rule, []).append((eq, finding))
    for rule, items in by_rule.items():
        if len(items) == 1:
            rep.add(items[0][1])
            continue
        first = items[0][1]
        names = ", ".join(dict.fromkeys(str(eq.item if eq.item is not None else eq.applicant) for eq, _ in items))
        rep.add(Finding(rule, "warning", f"unfilled: {len(items)} {rule} checks agree only if blank cells mean 0 ({names})",
                        first.location, first.table))


def _domain_rules(rep: _Report) -> None:
    for odd in rep.odd:  # (the cells the screen found odd; the others cannot break the rule)
        (table, item, applicant), value, where = odd.key, odd.value, _where(odd.location)
        signed = item.endswith(".change")
        money = item.endswith(".amount")
        if not math.isfinite(value):  # (a frame built by hand; no reader produces it)
            rep.add(Finding("domain", "error", f"{item} is not a finite number ({value})", where, table, item, applicant, None, None))
        elif value < 0 and not signed:
            rep.add(Finding("domain", "error", f"{item} is negative ({_fmt(value)})", where, table, item, applicant, None, value))
        elif not money and value != int(value):
            rep.add(Finding("domain", "error", f"{item} is not a whole number ({_fmt(value)})", where, table, item, applicant, None, value))


def _cross_year(reports: list[_Report]) -> None:
    by_agency: dict[str, dict[int, _Report]] = {}
    for rep in reports:
        if rep.year is None or pd.isna(rep.year) or not rep.agency or pd.isna(rep.agency):
            continue
        by_agency.setdefault(str(rep.agency), {})[int(rep.year)] = rep
    for years in by_agency.values():
        for year, rep in sorted(years.items()):
            prev = years.get(year - 1)
            if prev is not None:
                _carry_over(rep, prev, year)
                _in_force(rep, prev, year)


def _carry_over(rep: _Report, prev: _Report, year: int) -> None:
    for a in APPLICANTS:
        now, before = rep.value("requests", "carried_over", a), prev.value("requests", "carried_forward", a)
        if now is not None and before is not None and now != before:
            rep.add(Finding("cross_year.carry_over", "warning",
                            f"carried over {_fmt(now)} in {year}, but {year - 1} carried forward {_fmt(before)}",
                            _where(rep.location(("requests", "carried_over", a))), "requests", "carried_over", a, before, now))


def _in_force(rep: _Report, prev: _Report, year: int) -> None:
    for group in ("regulations", "normative_documents"):
        cur = rep.value("active_disclosure", f"{group}.in_force")
        old = prev.value("active_disclosure", f"{group}.in_force")
        issued = rep.value("active_disclosure", f"{group}.issued")
        repealed = rep.value("active_disclosure", f"{group}.repealed")
        if cur is None or old is None or issued is None or repealed is None:
            continue
        expected = old + issued - repealed
        if expected != cur:
            rep.add(Finding("cross_year.in_force", "warning",
                            f"{group} in force: {_fmt(old)} ({year - 1}) + {_fmt(issued)} issued - {_fmt(repealed)} repealed = "
                            f"{_fmt(expected)}, printed {_fmt(cur)}",
                            _where(rep.location(("active_disclosure", f"{group}.in_force", None))),
                            "active_disclosure", f"{group}.in_force", None, expected, cur))


def validate(metrics, *, cross_year: bool = True) -> pd.DataFrame:
    """Check every report in a tidy metrics frame; return one row per finding.

    ``metrics`` is a tidy metrics frame, or a :class:`~govdisclose.report.Report` (or a list of
    them), in which case the soft ``narrative`` rule (figures restated in the prose) is checked too.
    Columns: ``agency, year, rule, severity, table, item, applicant, expected, actual, message,
    source, location``. A clean report gives no ``error`` rows.

    >>> import govdisclose
    >>> m = govdisclose.read_report(govdisclose.sample_path("shuyang_fgj_2023.html")).metrics
    >>> f = validate(m)                 # the five 法人 columns are left blank: unfilled, not wrong
    >>> f[["rule", "severity"]].values.tolist()
    [['requests.row_total', 'warning']]
    >>> f["message"].item()[:72]
    'unfilled: 25 requests.row_total checks agree only if blank cells mean 0 '
    """
    narrative: list[dict[str, Any]] = []
    if not isinstance(metrics, pd.DataFrame):
        reports_in = [metrics] if hasattr(metrics, "metrics") else list(metrics)
        narrative = [f.row(agency=r.agency, year=r.year, source=r.source) for r in reports_in for f in narrative_findings(r)]
        metrics = pd.concat([r.metrics for r in reports_in], ignore_index=True) if reports_in else pd.DataFrame()
    missing = {"table", "item", "applicant", "state", "value", "source"} - set(metrics.columns)
    if missing:
        raise GovDiscloseError(f"validate() needs a tidy metrics frame; missing columns: {', '.join(sorted(missing))}")
    cells = Cells(metrics)
    reports = [_Report(cells, first) for first in zip(*(cells.column(c) for c in _FIRST))]
    unfilled = {}
    for part in _screen(cells, reports, cross_year=cross_year):
        for rep in part:
            unfilled[id(rep)] = _arithmetic_rules(rep)
            _domain_rules(rep)
    if cross_year:
        _cross_year(reports)
    rows = [rep.row(f) for rep in reports for f in rep.findings]
    for rep in reports:  # the summaries come last, as one row per report and rule
        before = len(rep.findings)
        _summarise_unfilled(rep, unfilled[id(rep)])
        rows.extend(rep.row(f) for f in rep.findings[before:])
    rows.extend(narrative)
    frame = findings_frame(rows)
    frame["expected"] = pd.array(pd.to_numeric(frame["expected"], errors="coerce"), dtype="Float64")
    frame["actual"] = pd.array(pd.to_numeric(frame["actual"], errors="coerce"), dtype="Float64")
    frame["severity"] = pd.Categorical(frame["severity"], categories=["error", "warning"])
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame
