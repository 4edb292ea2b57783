"""Comparisons: one agency across years, one year across agencies.

The compositions behind them (outcomes, applicants) are :mod:`govdisclose.analysis.composition`;
one agency's printed tables over the years are :mod:`govdisclose.analysis.agency_tables`.

Every function takes the tidy metrics frame and returns a tidy DataFrame; caveats travel with the
data (a ``caveat`` column and the list ``frame.attrs["caveats"]``):

* a year-over-year step that crosses the 2019 → 2021 template change (table 2 changed meaning;
  indicators marked ``caution``/``no`` in ``indicators.csv`` are then not comparable), the
  2018 → 2019 break (before it, an indicator is a headline figure read from the prose or the
  statistics appendix: never comparable as such), or a change
  of the agency's scope (whole area vs department) gives a :class:`ComparabilityWarning`;
* two copies of one agency-year (``load_reports(..., duplicates="keep")``) are refused with a
  :class:`~govdisclose.exceptions.DuplicateReportError`: a report is never compared with itself;
* a cross-agency comparison notes rates on small denominators, and whole-area reports beside
  their own departments (compare them, never add them: this module never sums across agencies).

>>> import govdisclose
>>> m = govdisclose.load_sample()
>>> y = compare_years(m, "平潭综合实验区", indicators=["requests_received"], warn=False)
>>> y["year"].tolist(), y["value"].tolist(), y["change"].tolist()
([2019, 2021, 2023, 2024], [23.0, 70.0, 81.0, 218.0], [<NA>, 47.0, 11.0, 137.0])
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

from govdisclose.analysis.agencies import agency_scope, nested_pairs, resolve_agency
from govdisclose.analysis.frames import agency_names, restrict, typed, years_of
from govdisclose.analysis.identity import identity
from govdisclose.analysis.measures import indicator_definitions
from govdisclose.analysis.measures import indicators as compute_indicators
from govdisclose.corpus.duplicates import require_unique
from govdisclose.exceptions import GovDiscloseError

__all__ = [
    "ComparabilityWarning",
    "compare_years",
    "compare_agencies",
    "YEAR_COLUMNS",
    "AGENCY_COLUMNS",
]


class ComparabilityWarning(UserWarning):
    """A comparison crosses a template change or a change of scope: read it with care."""


YEAR_COLUMNS: list[str] = [
    "agency", "indicator", "label_zh", "kind", "year", "template", "value", "previous_year", "previous_value",
    "change", "relative_change", "small_denominator", "comparable", "caveat", "reason",
]
AGENCY_COLUMNS: list[str] = [
    "agency", "year", "indicator", "label_zh", "kind", "template", "value", "numerator", "denominator", "rank",
    "small_denominator", "scope", "area", "caveat", "reason",
]


def _definition(indicator: str) -> dict:
    defs = indicator_definitions().set_index("indicator")
    if indicator not in defs.index:
        from govdisclose.exceptions import CatalogueError

        raise CatalogueError(f"unknown indicator {indicator!r}; known: {', '.join(defs.index)}")
    return defs.loc[indicator].to_dict()


_PRE2019 = "pre2019"


def _with_headline(frame: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Reports before the 2019 template have no template tables: an indicator whose code is also a
    headline figure (``requests_received``, ``review_count``, ``litigation_count``) takes the
    headline figure as read (spec §7); the step across 2018→2019 then carries a caveat."""
    pre = frame[(frame["template"] == _PRE2019) & (frame["table"] == "headline") & (frame["state"] == "number")]
    if pre.empty or values.empty:
        return values
    stated = {(str(s), str(i)): float(v) for s, i, v in zip(pre["source"], pre["item"], pre["value"])}
    values = values.copy()
    for k, rec in values.iterrows():
        key = (str(rec["source"]), str(rec["indicator"]))
        if rec["template"] == _PRE2019 and key in stated:
            values.at[k, "value"] = stated[key]
            values.at[k, "reason"] = "headline figure of a report before the 2019 template"
    return values


def compare_years(
    metrics: pd.DataFrame,
    agency: str,
    years: Iterable[int] | None = None,
    indicators: Iterable[str] | str | None = None,
    *,
    aliases: Mapping[str, str] | None = None,
    blanks: str = "strict",
    warn: bool = True,
) -> pd.DataFrame:
    """Year-over-year changes of one agency's indicators: one row per (indicator, year).

    ``change`` is ``value − previous_value`` (for rates: in proportion points), ``relative_change``
    is ``change / previous_value`` (``<NA>`` when the previous value is 0). The previous year is
    the agency's previous *report*: a gap is noted in ``caveat``. ``comparable`` is False where the
    step crosses a template change for an indicator whose meaning changed with it, or where the
    agency's scope changed; ``warn=True`` then also issues a :class:`ComparabilityWarning`.
    The agency's identity columns (``agency_id``, ``province``, ``city``, ``county``,
    ``division_code``, ``level``, ``scope``, ``department_kind`` …, see :func:`govdisclose.agency_info`)
    follow the ``agency`` column.
    ``aliases`` maps other names of the same agency (a renamed agency) to ``agency``. ``years``
    (empty or ``None`` = all) limits the years compared.

    >>> import govdisclose
    >>> y = compare_years(govdisclose.load_sample(), "平潭综合实验区", indicators="licensing_decisions", warn=False)
    >>> y.loc[y["year"] == 2021, ["comparable", "caveat"]].values.tolist()[0][0]
    False
    """
    aliases = dict(aliases or {})
    canonical = resolve_agency(agency, list(metrics["agency"].dropna().astype(str).unique()) + list(aliases))
    canonical = aliases.get(canonical, canonical)
    names = [canonical] + [alt for alt, target in aliases.items() if target == canonical]
    years = list(years) if years is not None else []
    frame = restrict(metrics, names, years or None)
    if frame.empty:
        raise GovDiscloseError(f"no reports of {canonical} for the years {years}; years available: "
                               f"{years_of(restrict(metrics, names))}")
    require_unique(frame, "compare_years")  # never a report compared with its own copy
    values = _with_headline(frame, compute_indicators(frame, indicators, blanks=blanks))
    defs = indicator_definitions().set_index("indicator")
    rows = []
    warned: list[str] = []
    for indicator, group in values.groupby("indicator", sort=False, observed=True):
        group = group.sort_values("year")
        definition = defs.loc[str(indicator)]
        across = definition["across_templates"]
        previous = None
        for rec in group.to_dict("records"):
            name = rec["agency"]
            row = {
                "agency": canonical, "indicator": indicator, "label_zh": definition["label_zh"],
                "kind": rec["kind"], "year": rec["year"], "template": rec["template"], "value": rec["value"],
                "previous_year": None, "previous_value": None, "change": None, "relative_change": None,
                "small_denominator": bool(rec["small_denominator"]), "comparable": True, "caveat": None,
                "reason": rec["reason"],
            }
            caveats = []
            if canonical != name:
                caveats.append(f"reported as {name}")
            if previous is not None:
                row["previous_year"] = previous["year"]
                row["previous_value"] = previous["value"]
                row["small_denominator"] = bool(rec["small_denominator"]) or bool(previous["small_denominator"])
                if rec["year"] - previous["year"] > 1:
                    missing = ", ".join(str(y) for y in range(previous["year"] + 1, rec["year"]))
                    caveats.append(f"no report for {missing}: compared with {previous['year']}")
                if previous["template"] != rec["template"]:
                    text = f"template changed {previous['template']} → {rec['template']}"
                    if _PRE2019 in (previous["template"], rec["template"]):
                        row["comparable"] = False
                        caveats.append(f"{text}: before 2019 {indicator} is a headline figure stated in the prose or "
                                       "the statistics appendix, not the template's table")
                        warned.append(f"{indicator} {previous['year']}→{rec['year']} ({text})")
                    elif across != "yes":
                        row["comparable"] = False
                        caveats.append(f"{text}: {indicator} does not mean the same under both templates")
                        warned.append(f"{indicator} {previous['year']}→{rec['year']} ({text})")
                    else:
                        caveats.append(f"{text} (same meaning under both)")
                old_scope, new_scope = agency_scope(previous["agency"]), agency_scope(name)
                if old_scope != new_scope:
                    row["comparable"] = False
                    caveats.append(f"scope changed: {previous['agency']} ({old_scope.level}) → {name} ({new_scope.level})")
                    warned.append(f"{indicator} {previous['year']}→{rec['year']} (scope changed)")
                if pd.notna(rec["value"]) and pd.notna(previous["value"]):
                    row["change"] = rec["value"] - previous["value"]
                    if previous["value"] != 0:
                        row["relative_change"] = row["change"] / abs(previous["value"])
                    else:
                        caveats.append("previous value is 0: no relative change")
            row["caveat"] = "; ".join(caveats) or None
            rows.append(row)
            previous = rec
    out = pd.DataFrame(rows, columns=YEAR_COLUMNS)
    out = typed(out, floats=("value", "previous_value", "change", "relative_change"), ints=("year", "previous_year"),
                 bools=("small_denominator", "comparable"))
    out.attrs["caveats"] = sorted(set(out["caveat"].dropna()))
    out = identity(out, warn=False)  # who the agency is (agency_id, province … department_kind); unresolved in attrs
    if warn and warned:
        warnings.warn(f"{canonical}: comparisons across a template or scope change are marked comparable=False: "
                      f"{'; '.join(dict.fromkeys(warned))}", ComparabilityWarning, stacklevel=2)
    return out


def compare_agencies(
    metrics: pd.DataFrame,
    year: int,
    agencies: Iterable[str] | str | None = None,
    indicator: str = "disclosure_rate",
    *,
    blanks: str = "strict",
    min_denominator: int | None = None,
) -> pd.DataFrame:
    """One indicator across agencies for one year, ranked (1 = highest; ``<NA>`` is not ranked).

    ``agencies`` empty or ``None`` means every agency with a report that year; a named agency
    without one gets a row with ``<NA>`` and the reason. Each row carries the agency's identity
    (``agency_id``, ``province``, ``city``, ``county``, ``division_code``, ``level``, ``scope`` —
    ``whole_area`` or ``department`` — ``department_kind`` …, see :func:`govdisclose.agency_info`) and ``area``; ``caveat`` notes small denominators and
    whole-area reports compared with their own departments (never add such rows).

    >>> import govdisclose
    >>> r = compare_agencies(govdisclose.load_sample(), 2023, indicator="requests_received")
    >>> r["agency"].tolist(), r["value"].tolist(), r["rank"].tolist()
    (['平潭综合实验区', '沭阳县发展和改革局', '平潭综合实验区自然资源与生态环境局', '外交部', '平潭综合实验区社会事业局'], [81.0, 26.0, 19.0, 18.0, 1.0], [1, 2, 3, 4, 5])
    """
    definition = _definition(indicator)
    year = int(year)
    available = years_of(metrics)
    if year not in available:
        raise GovDiscloseError(f"no reports for {year}; years available: {', '.join(map(str, available))}")
    in_year = restrict(metrics, years=[year])
    names = agency_names(agencies, metrics) or sorted(in_year["agency"].dropna().astype(str).unique())
    chosen = restrict(in_year, names)
    require_unique(chosen, "compare_agencies")  # one row per agency: never two copies of one report
    values = compute_indicators(chosen, indicator, blanks=blanks, min_denominator=min_denominator)
    by_agency = {rec["agency"]: rec for rec in values.to_dict("records")}
    templates = {rec["template"] for rec in by_agency.values()}
    pairs = nested_pairs(names)
    rows = []
    for name in names:
        scope = agency_scope(name)
        rec = by_agency.get(name)
        row = {"agency": name, "year": year, "indicator": indicator, "label_zh": definition["label_zh"], "kind": definition["kind"],
               "template": None, "value": None, "numerator": None, "denominator": None, "small_denominator": False,
               "scope": scope.level, "area": scope.area, "caveat": None, "reason": f"no report for {year}"}
        caveats = []
        if rec is not None:
            row.update({k: rec[k] for k in ("template", "value", "numerator", "denominator", "reason")})
            row["small_denominator"] = bool(rec["small_denominator"])
            if row["small_denominator"]:
                caveats.append(f"small denominator ({rec['denominator']:g})")
            if len(templates) > 1 and definition["across_templates"] != "yes":
                caveats.append(f"reports of {year} use different templates ({', '.join(sorted(map(str, templates)))})")
        for outer, inner in pairs:
            if name == outer:
                caveats.append(f"whole-area report that includes {inner}: compare, never add")
            elif name == inner:
                caveats.append(f"inside {outer}, whose whole-area report is also shown: compare, never add")
        row["caveat"] = "; ".join(caveats) or None
        rows.append(row)
    out = pd.DataFrame(rows, columns=[c for c in AGENCY_COLUMNS if c != "rank"])
    out = typed(out, floats=("value", "numerator", "denominator"), ints=("year",), bools=("small_denominator",))
    out["rank"] = out["value"].rank(ascending=False, method="min").astype("Int64")
    out = out.sort_values(["rank", "agency"], na_position="last", kind="stable").reset_index(drop=True)[AGENCY_COLUMNS]
    caveats = [f"{a}: {c}" for a, c in zip(out["agency"], out["caveat"]) if not pd.isna(c)]
    if len(set(out["scope"])) > 1:
        caveats.insert(0, "whole-area and department reports are ranked together: their volumes are not like for like")
    out.attrs["caveats"] = caveats
    # who each agency is: the identity's columns (its ``scope`` replaces the title rule's, with which it
    # agrees on every bundled agency); names it cannot place keep <NA> and are listed in attrs["unresolved"]
    return identity(out, warn=False)
