"""Checking a report's arithmetic (spec §4): findings, never repairs.

Hard rules (``error`` when a fully printed check fails):

* ``requests.balance``: per applicant column, new_received + carried_over = total_processed +
  carried_forward;
* ``requests.row_total``: per row, 总计 = the sum of the six applicant columns;
* ``requests.outcome_total``: per column, total_processed = the sum of the leaf outcome rows;
* ``review_litigation.block_total``: per block, 总计 = 维持 + 纠正 + 其他 + 尚未审结;
* ``domain``: counts are non-negative whole numbers, fees non-negative (2019 增/减 may be < 0).

Blank (and ``/``) cells: a blank component counts as 0 only where that makes the check agree, and
then the finding is a ``warning`` saying "unfilled", not an error; a blank total is never taken as
0. Unreadable cells make a check a ``warning`` ("cannot check"). Soft rules across reports:
``cross_year.carry_over`` and ``cross_year.in_force`` (warnings).

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

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from govdisclose.template.catalogue import APPLICANTS, catalogue

__all__ = ["validate", "FINDING_COLUMNS", "RULES"]

FINDING_COLUMNS: tuple[str, ...] = (
    "agency", "year", "rule", "severity", "table", "item", "applicant", "expected", "actual", "message", "source", "location",
)
RULES: dict[str, str] = {
    "requests.balance": "new_received + carried_over = total_processed + carried_forward, per applicant column",
    "requests.row_total": "总计 = sum of the six applicant columns, per row",
    "requests.outcome_total": "total_processed = sum of the leaf outcome rows, per applicant column",
    "review_litigation.block_total": "总计 = 维持 + 纠正 + 其他 + 尚未审结, per block",
    "domain": "counts are non-negative whole numbers; fees non-negative",
    "cross_year.carry_over": "carried_over(Y) = carried_forward(Y-1), same agency",
    "cross_year.in_force": "in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y), same agency (2021 template)",
    "narrative": "figures restated in the prose (received, concluded, carried forward) match table requests",
}
_SIX = APPLICANTS[:-1]
_BLOCKS = ("review", "litigation_direct", "litigation_after_review")


@dataclass(frozen=True, slots=True)
class _Cell:
    item: str
    applicant: str | None
    state: str
    value: float | None
    location: str


def _fmt(x: float | None) -> str:
    if x is None:
        return "blank"
    d = Decimal(repr(x)).normalize()
    return format(d, "f")


class _Report:
    """One report's cells, looked up by (table, item, applicant)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        first = frame.iloc[0]
        self.agency = first["agency"]
        self.year = first["year"]
        self.source = first["source"]
        self.template = first["template"]
        self.cells: dict[tuple[str, str, str | None], _Cell] = {}
        for table, item, applicant, state, value, location in zip(
            frame["table"], frame["item"], frame["applicant"], frame["state"], frame["value"], frame["location"]
        ):
            applicant = None if pd.isna(applicant) else applicant
            value = None if pd.isna(value) else float(value)
            self.cells[(table, item, applicant)] = _Cell(item, applicant, state, value, "" if pd.isna(location) else location)
        self.findings: list[dict] = []

    def get(self, table: str, item: str, applicant: str | None = None) -> _Cell | None:
        return self.cells.get((table, item, applicant))

    def add(self, rule: str, severity: str, table: str, item: str | None, applicant: str | None,
            expected: float | None, actual: float | None, message: str, location: str = "") -> None:
        self.findings.append({
            "agency": self.agency, "year": self.year, "rule": rule, "severity": severity, "table": table,
            "item": item, "applicant": applicant, "expected": expected, "actual": actual,
            "message": message, "source": self.source, "location": location,
        })


def _check_equation(rep: _Report, rule: str, table: str, left: Sequence[_Cell | None], right: Sequence[_Cell | None],
                    *, item: str | None, applicant: str | None, what: str, total_side: str = "left") -> None:
    """Check sum(left) == sum(right) with the blank-cell handling of spec §4.

    ``total_side`` names the side holding the printed total(s), which is never filled in as 0.
    """
    cells = [c for c in (*left, *right) if c is not None]
    if len(cells) < len(left) + len(right):
        return  # a cell of the template is absent (different layout): nothing to check
    location = cells[0].location
    unreadable = [c for c in cells if c.state == "unreadable"]
    if unreadable:
        rep.add(rule, "warning", table, item, applicant, None, None,
                f"cannot check {what}: {len(unreadable)} unreadable cell(s)", location)
        return
    empty = [c for c in cells if c.value is None]  # blank or '/'
    if len(empty) == len(cells):
        return  # nothing printed at all: nothing to check
    totals = left if total_side == "left" else right
    lsum = sum(c.value or 0 for c in left)
    rsum = sum(c.value or 0 for c in right)
    t_sum, p_sum = (lsum, rsum) if total_side == "left" else (rsum, lsum)
    blank_totals = [c for c in totals if c.value is None]
    if not empty:
        if abs(lsum - rsum) > 1e-9:
            rep.add(rule, "error", table, item, applicant, p_sum, t_sum,
                    f"{what}: printed {_fmt(t_sum)}, the parts sum to {_fmt(p_sum)}", location)
        return
    printed_empty = [c for c in empty if c.state == "blank"]
    if not printed_empty and not blank_totals and abs(lsum - rsum) > 1e-9:
        # only '/' or '—' among the parts: nothing was lost, so counted as 0 they must agree
        rep.add(rule, "error", table, item, applicant, p_sum, t_sum,
                f"{what}: printed {_fmt(t_sum)}, the parts sum to {_fmt(p_sum)} (placeholders counted as 0)", location)
        return
    if abs(lsum - rsum) <= 1e-9:
        if blank_totals:
            rep.add(rule, "warning", table, item, applicant, p_sum, None,
                    f"unfilled: {what} would agree if the blank total meant 0, but a blank total is not taken as 0", location)
        else:
            rep.add(rule, "warning", table, item, applicant, p_sum, t_sum,
                    f"unfilled: {what} agrees only if the {len(empty)} blank cell(s) mean 0", location)
    elif len(blank_totals) == len(totals):
        rep.add(rule, "warning", table, item, applicant, p_sum, None,
                f"{what}: the total is printed blank; the parts sum to {_fmt(p_sum)} (a blank total is not taken as 0)", location)
    else:
        rep.add(rule, "warning", table, item, applicant, p_sum, t_sum,
                f"{what}: {len(empty)} cell(s) printed blank and the rest do not agree "
                f"(printed {_fmt(t_sum)} vs {_fmt(p_sum)}); the blank cell(s) may have been lost", location)


def _collapse_unfilled(findings: list[dict]) -> list[dict]:
    """One 'unfilled' warning per report and rule (a report that leaves whole columns blank would
    otherwise give one per row)."""
    out: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    for f in findings:
        if f["severity"] == "warning" and f["message"].startswith("unfilled: ") and "blank total" not in f["message"]:
            groups.setdefault((f["source"], f["rule"]), []).append(f)
        else:
            out.append(f)
    for (_, rule), items in groups.items():
        if len(items) == 1:
            out.append(items[0])
            continue
        first = dict(items[0])
        names = ", ".join(dict.fromkeys(str(f["item"] if f["item"] is not None else f["applicant"]) for f in items))
        first.update(item=None, applicant=None, expected=None, actual=None,
                     message=f"unfilled: {len(items)} {rule} checks agree only if blank cells mean 0 ({names})")
        out.append(first)
    return out


def _requests_rules(rep: _Report) -> None:
    cat = catalogue()
    request_items = [i for (t, i, a) in rep.cells if t == "requests" and a == "total"]
    leaves = set(cat.loc[(cat["table"] == "requests") & cat["leaf"], "item"])
    leaf_items = [i for i in request_items if i in leaves]
    for item in request_items:
        total = rep.get("requests", item, "total")
        parts = [rep.get("requests", item, a) for a in _SIX]
        _check_equation(rep, "requests.row_total", "requests", [total], parts, item=item, applicant="total",
                        what=f"{item} 总计")
    for a in APPLICANTS:
        def g(i: str, a: str = a) -> _Cell | None:
            return rep.get("requests", i, a)

        _check_equation(rep, "requests.balance", "requests", [g("new_received"), g("carried_over")],
                        [g("total_processed"), g("carried_forward")], item=None, applicant=a,
                        what=f"{a}: new_received + carried_over vs total_processed + carried_forward", total_side="right")
        if leaf_items:
            _check_equation(rep, "requests.outcome_total", "requests", [g("total_processed")], [g(i) for i in leaf_items],
                            item="total_processed", applicant=a, what=f"{a}: total_processed vs the {len(leaf_items)} outcome rows")


def _review_rules(rep: _Report) -> None:
    for block in _BLOCKS:
        def g(part: str, block: str = block) -> _Cell | None:
            return rep.get("review_litigation", f"{block}.{part}")

        _check_equation(rep, "review_litigation.block_total", "review_litigation", [g("total")],
                        [g("upheld"), g("corrected"), g("other"), g("pending")], item=f"{block}.total", applicant=None,
                        what=f"{block} 总计")


def _domain_rules(rep: _Report) -> None:
    for (table, item, applicant), cell in rep.cells.items():
        if cell.value is None:
            continue
        signed = item.endswith(".change")
        money = item.endswith(".amount")
        if cell.value < 0 and not signed:
            rep.add("domain", "error", table, item, applicant, None, cell.value, f"{item} is negative ({_fmt(cell.value)})", cell.location)
        elif not money and cell.value != int(cell.value):
            rep.add("domain", "error", table, item, applicant, None, cell.value, f"{item} is not a whole number ({_fmt(cell.value)})", cell.location)


def _cross_year(reports: list[_Report]) -> list[dict]:
    out: list[dict] = []
    by_agency: dict[str, dict[int, _Report]] = {}
    for rep in reports:
        if rep.year is None or pd.isna(rep.year) or not rep.agency:
            continue
        by_agency.setdefault(rep.agency, {})[int(rep.year)] = rep
    for years in by_agency.values():
        for year, rep in sorted(years.items()):
            prev = years.get(year - 1)
            if prev is None:
                continue
            for a in APPLICANTS:
                now, before = rep.get("requests", "carried_over", a), prev.get("requests", "carried_forward", a)
                if now and before and now.value is not None and before.value is not None and now.value != before.value:
                    rep.add("cross_year.carry_over", "warning", "requests", "carried_over", a, before.value, now.value,
                            f"carried over {_fmt(now.value)} in {year}, but {year - 1} carried forward {_fmt(before.value)}", now.location)
            for group in ("regulations", "normative_documents"):
                cur = rep.get("active_disclosure", f"{group}.in_force")
                old = prev.get("active_disclosure", f"{group}.in_force")
                issued = rep.get("active_disclosure", f"{group}.issued")
                repealed = rep.get("active_disclosure", f"{group}.repealed")
                if not all(c is not None and c.value is not None for c in (cur, old, issued, repealed)):
                    continue
                expected = old.value + issued.value - repealed.value
                if expected != cur.value:
                    rep.add("cross_year.in_force", "warning", "active_disclosure", f"{group}.in_force", None, expected, cur.value,
                            f"{group} in force: {_fmt(old.value)} ({year - 1}) + {_fmt(issued.value)} issued - "
                            f"{_fmt(repealed.value)} repealed = {_fmt(expected)}, printed {_fmt(cur.value)}", cur.location)
    return out


def validate(metrics, *, cross_year: bool = True) -> pd.DataFrame:
    """Check every report in a tidy metrics frame; return one row per finding.

    ``metrics`` is a tidy metrics frame, or a :class:`~govdisclose.report.Report` (or a list of
    them), in which case the soft ``narrative`` rule (figures restated in the prose) is checked too.
    Columns: ``agency, year, rule, severity, table, item, applicant, expected, actual, message,
    source, location``. A clean report gives no ``error`` rows.
    """
    narrative: list[pd.DataFrame] = []
    if not isinstance(metrics, pd.DataFrame):
        from govdisclose.checks.narrative import check_narrative

        reports_in = [metrics] if hasattr(metrics, "metrics") else list(metrics)
        narrative = [check_narrative(r) for r in reports_in]
        metrics = pd.concat([r.metrics for r in reports_in], ignore_index=True) if reports_in else pd.DataFrame()
    missing = {"table", "item", "applicant", "state", "value", "source"} - set(metrics.columns)
    if missing:
        from govdisclose.exceptions import GovDiscloseError

        raise GovDiscloseError(f"validate() needs a tidy metrics frame; missing columns: {', '.join(sorted(missing))}")
    reports = [_Report(group) for _, group in metrics.groupby("source", sort=False, observed=True) if len(group)]
    for rep in reports:
        _requests_rules(rep)
        _review_rules(rep)
        _domain_rules(rep)
    if cross_year:
        _cross_year(reports)
    rows = _collapse_unfilled([f for rep in reports for f in rep.findings])
    for extra in narrative:
        rows.extend(extra.to_dict("records"))
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["expected"] = pd.array(pd.to_numeric(frame["expected"], errors="coerce"), dtype="Float64")
    frame["actual"] = pd.array(pd.to_numeric(frame["actual"], errors="coerce"), dtype="Float64")
    frame["severity"] = pd.Categorical(frame["severity"], categories=["error", "warning"])
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame
