"""Indicators computed from the tidy metrics, each with a written definition.

The definitions live in ``govdisclose/data/indicators.csv`` (one row per indicator: its formula
over catalogue cells, the smallest denominator worth a rate, the templates it exists in, and a
definition in words); :func:`indicator_definitions` returns them.

Formulas are sums of cells written ``item@applicant`` (``item`` alone in tables without applicant
columns); ``denied.*`` means every row of that group. Missing inputs are never read as 0:

* ``blanks="strict"`` (the default): any blank, ``/`` or unreadable cell of a formula makes the
  indicator ``<NA>``, and ``reason`` names the cells;
* ``blanks="confirmed"``: the validator's blank handling (spec §4): a blank or ``/`` *part* counts
  as 0 only where the printed total of its row or block confirms it (the printed parts already
  add up to that total); a blank total is never 0, an unreadable cell never anything. ``reason``
  lists the cells taken as 0.

Rates whose denominator is below the indicator's ``min_denominator`` keep their value and get
``small_denominator = True``; a zero denominator gives ``<NA>`` with the reason.

>>> import govdisclose
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> r = indicators(m, ["disclosure_rate", "requests_received"]).set_index("indicator")
>>> row = r.loc["disclosure_rate"]
>>> float(row["numerator"]), float(row["denominator"]), bool(row["small_denominator"])
(5.0, 17.0, True)
>>> round(float(r.loc["disclosure_rate", "value"]), 4), float(r.loc["requests_received", "value"])
(0.2941, 18.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from govdisclose.exceptions import CatalogueError, GovDiscloseError
from govdisclose.template import arithmetic
from govdisclose.template.arithmetic import CellKey
from govdisclose.template.catalogue import APPLICANTS, catalogue

__all__ = ["indicators", "indicator_definitions", "indicator_table", "formula_values", "INDICATOR_COLUMNS", "BLANK_POLICIES"]

INDICATOR_COLUMNS: list[str] = [
    "agency", "year", "template", "indicator", "group", "kind", "value", "numerator", "denominator",
    "small_denominator", "reason", "source",
]
BLANK_POLICIES: tuple[str, ...] = ("strict", "confirmed")
_TERM = re.compile(r"\s*([+-])?\s*([A-Za-z_][\w.]*\*?)(?:@([a-z_]+))?\s*")


@dataclass(frozen=True)
class _Term:
    sign: int
    item: str  # a catalogue item, or a group prefix ending in '.' when ``wildcard``
    applicant: str | None
    wildcard: bool


def _parse(expr: str, indicator: str) -> tuple[_Term, ...]:
    terms: list[_Term] = []
    pos = 0
    expr = expr.strip()
    items = set(catalogue()["item"])
    while pos < len(expr):
        match = _TERM.match(expr, pos)
        if not match or match.end() == pos or (terms and not match.group(1)):
            raise CatalogueError(f"indicator {indicator!r}: cannot parse formula {expr!r} at {expr[pos:]!r}")
        sign, item, applicant = match.groups()
        wildcard = item.endswith("*")
        if wildcard:
            item = item[:-1]
            if not any(i.startswith(item) for i in items):
                raise CatalogueError(f"indicator {indicator!r}: no catalogue item starts with {item!r}")
        elif item not in items:
            raise CatalogueError(f"indicator {indicator!r}: unknown catalogue item {item!r}")
        if applicant is not None and applicant not in APPLICANTS:
            raise CatalogueError(f"indicator {indicator!r}: unknown applicant {applicant!r}")
        terms.append(_Term(-1 if sign == "-" else 1, item, applicant, wildcard))
        pos = match.end()
    return tuple(terms)


@lru_cache(maxsize=1)
def _definitions() -> pd.DataFrame:
    with resources.files("govdisclose").joinpath("data/indicators.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    frame["min_denominator"] = pd.to_numeric(frame["min_denominator"].replace("", None)).astype("Int64")
    for row in frame.itertuples():
        _parse(str(row.numerator), str(row.indicator))
        if row.denominator:
            _parse(str(row.denominator), str(row.indicator))
    return frame


def indicator_definitions() -> pd.DataFrame:
    """The indicators and their written definitions (a fresh copy of ``data/indicators.csv``).

    Columns: ``indicator, group, kind`` (``count`` or ``ratio``), ``numerator, denominator``
    (formulas over catalogue cells), ``min_denominator`` (rates below it are flagged),
    ``templates``, ``across_templates`` (``yes``, ``caution`` or ``no``: whether the figure means
    the same under the 2019 and 2021 templates), ``label_zh, label_en, definition``.

    >>> d = indicator_definitions().set_index("indicator")
    >>> d.loc["disclosure_rate", "numerator"], d.loc["disclosure_rate", "denominator"]
    ('granted@total + partially_granted@total', 'total_processed@total')
    """
    return _definitions().copy()


def _label(item: str, applicant: str | None) -> str:
    return f"{item}@{applicant}" if applicant else item


class _Cells:
    """One report's cells by (item, applicant), with the confirmation rules for blank parts."""

    def __init__(self, group: pd.DataFrame) -> None:
        self.cells: dict[tuple[str, str | None], tuple[str, float | None]] = {}
        keyed: dict[CellKey, tuple[str, float | None]] = {}
        for table, item, applicant, state, value in zip(group["table"], group["item"], group["applicant"], group["state"], group["value"]):
            applicant = None if pd.isna(applicant) else str(applicant)
            cell = (str(state), None if pd.isna(value) else float(value))
            self.cells[(str(item), applicant)] = cell
            keyed[(str(table), str(item), applicant)] = cell
        template = group["template"].iloc[0] if "template" in group and len(group) else None
        eqs = arithmetic.report_equations(keyed, None if pd.isna(template) else str(template))
        # spec §4 via the template's arithmetic: a blank or '/' part is 0 only where an equation's
        # printed total already equals its printed parts and none disputes it (never a total)
        self.zeros = {(i, a) for (_, i, a) in arithmetic.confirmed_zeros(eqs, keyed)}

    def expand(self, term: _Term) -> list[tuple[str, str | None]]:
        if not term.wildcard:
            return [(term.item, term.applicant)] if (term.item, term.applicant) in self.cells else []
        return [(i, a) for (i, a) in self.cells if i.startswith(term.item) and a == term.applicant]

    def confirmed_zero(self, item: str, applicant: str | None) -> bool:
        """A blank or ``/`` part that the template's equations confirm as 0 (one's printed total
        already equals its printed parts, none disputes it: :func:`~govdisclose.template.arithmetic.confirmed_zeros`)."""
        return (item, applicant) in self.zeros

    def evaluate(self, terms: tuple[_Term, ...], blanks: str) -> tuple[float | None, list[str], list[str]]:
        """(sum, problems, cells taken as 0)."""
        total = 0.0
        problems: list[str] = []
        zeros: list[str] = []
        for term in terms:
            keys = self.expand(term)
            if not keys:
                problems.append(f"{_label(term.item + ('*' if term.wildcard else ''), term.applicant)} is not in this report's template")
                continue
            for key in keys:
                state, value = self.cells[key]
                if state == "number" and value is not None:
                    total += term.sign * value
                elif state == "unreadable":
                    problems.append(f"{_label(*key)} is unreadable")
                elif blanks == "confirmed" and self.confirmed_zero(*key):
                    zeros.append(_label(*key))
                else:
                    what = "blank" if state == "blank" else f"printed as a placeholder ({state})"
                    problems.append(f"{_label(*key)} is {what}")
        return (None if problems else total), problems, zeros


def _summarise(cells: list[str], limit: int = 4) -> str:
    shown = ", ".join(cells[:limit])
    return shown + (f" and {len(cells) - limit} more" if len(cells) > limit else "")


def indicators(
    metrics: pd.DataFrame,
    which: Iterable[str] | str | None = None,
    *,
    blanks: str = "strict",
    min_denominator: int | None = None,
) -> pd.DataFrame:
    """Every indicator (or those named in ``which``) for every report in a tidy metrics frame.

    Returns one row per (report, indicator) with columns ``agency, year, template, indicator,
    group, kind, value, numerator, denominator, small_denominator, reason, source``. ``value`` is
    ``<NA>`` whenever an input cell is missing (see the module docstring for ``blanks``), and
    ``reason`` says why; ``min_denominator`` overrides the per-indicator threshold for flagging.
    Several reports for one (agency, year) give a :class:`~govdisclose.exceptions.DuplicateReportWarning`
    (each copy has its rows, told apart by ``source``).

    >>> import govdisclose
    >>> r = indicators(govdisclose.load_sample(), "backlog_ratio").set_index("agency")
    >>> r.loc["上海市科委", "reason"]
    'carried_forward@total is blank'
    >>> r.loc[["外交部"], ["numerator", "denominator"]].iloc[0].tolist()
    [1.0, 18.0]
    """
    if blanks not in BLANK_POLICIES:
        raise GovDiscloseError(f"blanks must be one of {', '.join(BLANK_POLICIES)}, not {blanks!r}")
    missing = {"agency", "year", "template", "item", "applicant", "state", "value", "source"} - set(metrics.columns)
    if missing:
        raise GovDiscloseError(f"indicators() needs a tidy metrics frame; missing columns: {', '.join(sorted(missing))}")
    from govdisclose.corpus.duplicates import warn_duplicates

    warn_duplicates(metrics, "indicators")  # a row per copy is right, comparing the copies is not
    defs = _definitions()
    if which is not None:
        wanted = [which] if isinstance(which, str) else list(which)
        unknown = [w for w in wanted if w not in set(defs["indicator"])]
        if unknown:
            raise CatalogueError(f"unknown indicator(s) {', '.join(map(repr, unknown))}; known: {', '.join(defs['indicator'])}")
        defs = defs.set_index("indicator").loc[wanted].reset_index()
    parsed = [
        (row, _parse(row["numerator"], row["indicator"]), _parse(row["denominator"], row["indicator"]) if row["denominator"] else None)
        for row in defs.to_dict("records")
    ]
    records = []
    for (agency, year, source), group in metrics.groupby(["agency", "year", "source"], observed=True, sort=True):
        cells = _Cells(group)
        template = group["template"].iloc[0]
        template = None if pd.isna(template) else str(template)
        for row, num_terms, den_terms in parsed:
            rec = {"agency": agency, "year": year, "template": template, "indicator": row["indicator"], "group": row["group"],
                   "kind": row["kind"], "value": None, "numerator": None, "denominator": None, "small_denominator": False,
                   "reason": None, "source": source}
            records.append(rec)
            if template not in row["templates"].split(";"):
                rec["reason"] = f"not defined for the {template} template"
                continue
            num, problems, zeros = cells.evaluate(num_terms, blanks)
            den = None
            if den_terms is not None:
                den, den_problems, den_zeros = cells.evaluate(den_terms, blanks)
                problems += den_problems
                zeros += den_zeros
            rec["numerator"], rec["denominator"] = num, den
            notes = []
            if problems:
                notes.append(_summarise(problems))
            elif den_terms is None:
                rec["value"] = num
            elif den == 0:
                notes.append("denominator is 0")
            elif num is not None and den is not None:
                rec["value"] = num / den
                threshold = min_denominator if min_denominator is not None else row["min_denominator"]
                if not pd.isna(threshold) and den < threshold:
                    rec["small_denominator"] = True
                    notes.append(f"small denominator: {den:g} < {int(threshold)}")
            if zeros:
                notes.append(f"blank taken as 0 (confirmed by the printed total): {_summarise(zeros)}")
            rec["reason"] = "; ".join(notes) or None
    frame = pd.DataFrame.from_records(records, columns=INDICATOR_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    frame["small_denominator"] = frame["small_denominator"].astype("boolean")
    for column in ("agency", "template", "indicator", "group", "kind", "reason", "source"):
        frame[column] = frame[column].astype("string")
    return frame


def formula_values(metrics: pd.DataFrame, formulas: dict[str, str], *, blanks: str = "strict") -> pd.DataFrame:
    """Evaluate named cell formulas (the syntax of ``indicators.csv``) for every report.

    Returns ``agency, year, template, source, name, value, reason`` (``value`` is ``<NA>`` with a
    reason when an input is missing, under the same ``blanks`` policy as :func:`indicators`).

    >>> import govdisclose
    >>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
    >>> formula_values(m, {"denied": "denied.*@total"})["value"].tolist()
    [3.0]
    """
    if blanks not in BLANK_POLICIES:
        raise GovDiscloseError(f"blanks must be one of {', '.join(BLANK_POLICIES)}, not {blanks!r}")
    parsed = {name: _parse(expr, name) for name, expr in formulas.items()}
    records = []
    for (agency, year, source), group in metrics.groupby(["agency", "year", "source"], observed=True, sort=True):
        cells = _Cells(group)
        template = group["template"].iloc[0]
        for name, terms in parsed.items():
            value, problems, zeros = cells.evaluate(terms, blanks)
            notes = ([_summarise(problems)] if problems else []) + (
                [f"blank taken as 0 (confirmed by the printed total): {_summarise(zeros)}"] if zeros else [])
            records.append({"agency": agency, "year": year, "template": None if pd.isna(template) else str(template),
                            "source": source, "name": name, "value": value, "reason": "; ".join(notes) or None})
    frame = pd.DataFrame.from_records(records, columns=["agency", "year", "template", "source", "name", "value", "reason"])
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"]).astype("Float64")
    for column in ("agency", "template", "source", "name", "reason"):
        frame[column] = frame[column].astype("string")
    return frame


def indicator_table(values: pd.DataFrame, columns: str = "year") -> pd.DataFrame:
    """The output of :func:`indicators` as a readable table: one row per indicator (Chinese label
    and code), one column per ``year`` (or per ``agency``); rates stay fractions, missing stays
    ``<NA>``.

    >>> import govdisclose
    >>> t = indicator_table(indicators(govdisclose.load_sample().query("agency == '外交部'")))
    >>> t.loc[("本年新收申请数", "requests_received"), 2023]
    np.float64(18.0)
    """
    if columns not in ("year", "agency"):
        raise GovDiscloseError("indicator_table: columns must be 'year' or 'agency'")
    defs = _definitions().set_index("indicator")
    frame = values.copy()
    frame.attrs = {}
    frame["label_zh"] = frame["indicator"].map(defs["label_zh"])
    order = [i for i in defs.index if i in set(frame["indicator"])]
    table = frame.pivot_table(index=["label_zh", "indicator"], columns=columns, values="value", aggfunc="first", observed=True, dropna=False)
    table = table.reindex(pd.MultiIndex.from_arrays([defs.loc[order, "label_zh"], order], names=["label_zh", "indicator"]))
    table.columns.name = columns
    return table
