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

from decimal import Decimal
from typing import Any

import pandas as pd

from govdisclose.checks.narrative import narrative_findings
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


class _Report:
    """One report's cells, looked up by (table, item, applicant), and what was found in it."""

    def __init__(self, frame: pd.DataFrame) -> None:
        first = frame.iloc[0]
        self.agency = first["agency"] if "agency" in frame else None
        self.year = first["year"] if "year" in frame else None
        self.source = first["source"]
        self.template = first["template"] if "template" in frame else None
        self.cells: dict[CellKey, tuple[str, float | None]] = {}
        self.locations: dict[CellKey, str] = {}
        locations = frame["location"] if "location" in frame else [""] * len(frame)
        for table, item, applicant, state, value, location in zip(
            frame["table"], frame["item"], frame["applicant"], frame["state"], frame["value"], locations
        ):
            key = (str(table), str(item), None if pd.isna(applicant) else str(applicant))
            self.cells[key] = (str(state), None if pd.isna(value) else float(value))
            self.locations[key] = "" if pd.isna(location) else str(location)
        self.findings: list[Finding] = []

    def value(self, table: str, item: str, applicant: str | None = None) -> float | None:
        return self.cells.get((table, item, applicant), ("absent", None))[1]

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def equations(self) -> tuple[Equation, ...]:
        """The equations of this report's layout (its template; （六） as one row or three)."""
        return arithmetic.report_equations(self.cells, None if pd.isna(self.template) else str(self.template))

    def row(self, finding: Finding) -> dict[str, Any]:
        return finding.row(agency=self.agency, year=self.year, source=self.source)


def _finding(rep: _Report, eq: Equation, verdict: Verdict) -> Finding:
    named = (eq.table, eq.item, eq.applicant) if eq.item is not None else eq.parts[0]
    severity = verdict.severity
    assert severity is not None
    actual = None if verdict.status == "blank_total" else verdict.totals_sum
    expected = None if verdict.status == "unchecked" else verdict.parts_sum
    return Finding(eq.rule, severity, verdict.message, _where(rep.locations.get(named, "")), eq.table, eq.item, eq.applicant,
                   expected, actual)


def _arithmetic_rules(rep: _Report) -> list[tuple[Equation, Finding]]:
    """Every equation of the report judged; the 'unfilled' ones are kept apart to be summarised."""
    unfilled: list[tuple[Equation, Finding]] = []
    for eq in rep.equations():
        verdict = arithmetic.evaluate(eq, rep.cells)
        if verdict.severity is None:
            continue
        finding = _finding(rep, eq, verdict)
        if verdict.status == "unfilled":
            unfilled.append((eq, finding))
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
    for (table, item, applicant), (_, value) in rep.cells.items():
        if value is None:
            continue
        signed = item.endswith(".change")
        money = item.endswith(".amount")
        where = _where(rep.locations.get((table, item, applicant), ""))
        if value < 0 and not signed:
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
                            _where(rep.locations.get(("requests", "carried_over", a), "")), "requests", "carried_over", a, before, now))


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
                            _where(rep.locations.get(("active_disclosure", f"{group}.in_force", None), "")),
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
    reports = [_Report(group) for _, group in metrics.groupby("source", sort=False, observed=True) if len(group)]
    unfilled = {}
    for rep in reports:
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
