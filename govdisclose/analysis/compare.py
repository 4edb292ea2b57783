"""Comparisons: one agency across years, one year across agencies, and the compositions behind them.

Every function takes the tidy metrics frame and returns a tidy DataFrame; caveats travel with the
data (a ``caveat`` column and the list ``frame.attrs["caveats"]``):

* a year-over-year step that crosses the 2019 → 2021 template change (table 2 changed meaning;
  indicators marked ``caution``/``no`` in ``indicators.csv`` are then not comparable) or a change
  of the agency's scope (whole area vs department) gives a :class:`ComparabilityWarning`;
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

from govdisclose.analysis.agencies import agency_scope, nested_pairs, resolve_agencies, resolve_agency
from govdisclose.analysis.measures import formula_values, indicator_definitions
from govdisclose.analysis.measures import indicators as compute_indicators
from govdisclose.exceptions import GovDiscloseError

__all__ = [
    "ComparabilityWarning",
    "compare_years",
    "compare_agencies",
    "outcome_composition",
    "applicant_mix",
    "cells_by_year",
    "carry_over_table",
    "OUTCOME_GROUPS",
    "YEAR_COLUMNS",
    "AGENCY_COLUMNS",
]


class ComparabilityWarning(UserWarning):
    """A comparison crosses a template change or a change of scope: read it with care."""


#: The outcome groups of table 3 (三、本年度办理结果), in printed order: code, label, formula.
OUTCOME_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("granted", "予以公开", "granted@{a}"),
    ("partially_granted", "部分公开", "partially_granted@{a}"),
    ("denied", "不予公开", "denied.*@{a}"),
    ("unable", "无法提供", "unable.*@{a}"),
    ("not_processed", "不予处理", "not_processed.*@{a}"),
    ("other_handling", "其他处理", "other_handling*@{a}"),
)
_APPLICANT_GROUPS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial_enterprise", "商业企业"),
    ("research_institution", "科研机构"),
    ("social_welfare_org", "社会公益组织"),
    ("legal_service_org", "法律服务机构"),
    ("other_org", "其他组织"),
)
YEAR_COLUMNS: list[str] = [
    "agency", "indicator", "label_zh", "kind", "year", "template", "value", "previous_year", "previous_value",
    "change", "relative_change", "small_denominator", "comparable", "caveat", "reason",
]
AGENCY_COLUMNS: list[str] = [
    "agency", "year", "indicator", "label_zh", "kind", "template", "value", "numerator", "denominator", "rank",
    "small_denominator", "scope", "area", "caveat", "reason",
]


def _years(metrics: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in metrics["year"].dropna().unique())


def _restrict(metrics: pd.DataFrame, agencies: list[str] | None = None, years: Iterable[int] | None = None) -> pd.DataFrame:
    frame = metrics
    if agencies is not None:
        frame = frame[frame["agency"].astype("string").isin(agencies)]
    if years is not None:
        frame = frame[frame["year"].isin(list(years))]
    frame = frame.copy()
    frame.attrs = {}
    return frame


def _names(agencies: Iterable[str] | str | None, metrics: pd.DataFrame) -> list[str] | None:
    """Resolved agency names, or None for "all" (``None``, ``""`` or an empty list)."""
    if agencies is None or isinstance(agencies, str) and not agencies.strip():
        return None
    wanted = [agencies] if isinstance(agencies, str) else list(agencies)
    return resolve_agencies(wanted, metrics) if wanted else None


def _definition(indicator: str) -> dict:
    defs = indicator_definitions().set_index("indicator")
    if indicator not in defs.index:
        from govdisclose.exceptions import CatalogueError

        raise CatalogueError(f"unknown indicator {indicator!r}; known: {', '.join(defs.index)}")
    return defs.loc[indicator].to_dict()


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
    frame = _restrict(metrics, names, years or None)
    if frame.empty:
        raise GovDiscloseError(f"no reports of {canonical} for the years {years}; years available: "
                               f"{_years(_restrict(metrics, names))}")
    values = compute_indicators(frame, indicators, blanks=blanks)
    defs = indicator_definitions().set_index("indicator")
    rows = []
    warned: list[str] = []
    for indicator, group in values.groupby("indicator", sort=False):
        group = group.sort_values("year")
        across = defs.loc[indicator, "across_templates"]
        previous = None
        for rec in group.to_dict("records"):
            name = rec["agency"]
            row = {
                "agency": canonical, "indicator": indicator, "label_zh": defs.loc[indicator, "label_zh"],
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
                    if across != "yes":
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
    out = _typed(out, floats=("value", "previous_value", "change", "relative_change"), ints=("year", "previous_year"),
                 bools=("small_denominator", "comparable"))
    out.attrs["caveats"] = sorted(set(out["caveat"].dropna()))
    if warn and warned:
        warnings.warn(f"{canonical}: comparisons across a template or scope change are marked comparable=False: "
                      f"{'; '.join(dict.fromkeys(warned))}", ComparabilityWarning, stacklevel=2)
    return out


def _typed(frame: pd.DataFrame, *, floats=(), ints=(), bools=()) -> pd.DataFrame:
    for column in floats:
        frame[column] = pd.array(pd.to_numeric(frame[column]), dtype="Float64")
    for column in ints:
        frame[column] = pd.array(frame[column], dtype="Int64")
    for column in bools:
        frame[column] = pd.array(frame[column], dtype="boolean")
    for column in frame.columns:
        if frame[column].dtype == object or isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = frame[column].astype("string")
    return frame


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
    without one gets a row with ``<NA>`` and the reason. Each row carries the agency's ``scope``
    (``whole_area`` or ``department``) and ``area``; ``caveat`` notes small denominators and
    whole-area reports compared with their own departments (never add such rows).

    >>> import govdisclose
    >>> r = compare_agencies(govdisclose.load_sample(), 2023, indicator="requests_received")
    >>> r["agency"].tolist(), r["value"].tolist(), r["rank"].tolist()
    (['平潭综合实验区', '沭阳县发展和改革局', '外交部'], [81.0, 26.0, 18.0], [1, 2, 3])
    """
    definition = _definition(indicator)
    year = int(year)
    available = _years(metrics)
    if year not in available:
        raise GovDiscloseError(f"no reports for {year}; years available: {', '.join(map(str, available))}")
    in_year = _restrict(metrics, years=[year])
    names = _names(agencies, metrics) or sorted(in_year["agency"].dropna().astype(str).unique())
    values = compute_indicators(_restrict(in_year, names), indicator, blanks=blanks, min_denominator=min_denominator)
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
    out = _typed(out, floats=("value", "numerator", "denominator"), ints=("year",), bools=("small_denominator",))
    out["rank"] = pd.array(out["value"].rank(ascending=False, method="min"), dtype="Int64")
    out = out.sort_values(["rank", "agency"], na_position="last", kind="stable").reset_index(drop=True)[AGENCY_COLUMNS]
    caveats = [f"{a}: {c}" for a, c in zip(out["agency"], out["caveat"]) if not pd.isna(c)]
    if len(set(out["scope"])) > 1:
        caveats.insert(0, "whole-area and department reports are ranked together: their volumes are not like for like")
    out.attrs["caveats"] = caveats
    return out


def _shares(metrics: pd.DataFrame, parts: dict[str, str], total: str, *, blanks: str, min_denominator: int) -> pd.DataFrame:
    formulas = dict(parts)
    formulas["__total__"] = total
    values = formula_values(metrics, formulas, blanks=blanks)
    key = ["agency", "year", "source"]
    totals = values[values["name"] == "__total__"].set_index(key)
    rows = []
    for rec in values[values["name"] != "__total__"].to_dict("records"):
        tot = totals.loc[(rec["agency"], rec["year"], rec["source"])]
        reason = [r for r in (rec["reason"], None if pd.isna(tot["reason"]) else f"total: {tot['reason']}") if r and not pd.isna(r)]
        share = None
        if pd.notna(rec["value"]) and pd.notna(tot["value"]):
            if tot["value"] == 0:
                reason.append("total is 0")
            else:
                share = rec["value"] / tot["value"]
        rows.append({**{k: rec[k] for k in ("agency", "year", "template")}, "part": rec["name"], "count": rec["value"],
                     "total": tot["value"], "share": share,
                     "small_denominator": bool(pd.notna(tot["value"]) and tot["value"] < min_denominator),
                     "reason": "; ".join(reason) or None})
    out = pd.DataFrame(rows, columns=["agency", "year", "template", "part", "count", "total", "share", "small_denominator", "reason"])
    out = _typed(out, floats=("count", "total", "share"), ints=("year",), bools=("small_denominator",))
    caveats = []
    for (agency, year), group in out.groupby(["agency", "year"], sort=True):
        if group["count"].notna().all() and group["total"].notna().all():
            parts_sum = float(group["count"].sum())
            printed = float(group["total"].iloc[0])
            if abs(parts_sum - printed) > 1e-9:
                caveats.append(f"{agency} {year}: the parts add up to {parts_sum:g}, the printed total is {printed:g} (see validate)")
    out.attrs["caveats"] = caveats
    return out


def outcome_composition(
    metrics: pd.DataFrame,
    agencies: Iterable[str] | str | None = None,
    years: Iterable[int] | None = None,
    *,
    applicant: str = "total",
    blanks: str = "strict",
    min_denominator: int = 20,
) -> pd.DataFrame:
    """How each report's concluded requests ended: one row per (agency, year, outcome group).

    Columns ``agency, year, template, outcome, outcome_zh, count, total, share,
    small_denominator, reason``; ``share`` is ``count / total_processed`` of the ``applicant``
    column. Where the printed parts do not add up to the printed total the shares do not sum to 1
    and ``attrs["caveats"]`` says so.

    >>> import govdisclose
    >>> c = outcome_composition(govdisclose.load_sample(), "外交部")
    >>> c.set_index("outcome")["count"].astype(int).to_dict()
    {'granted': 5, 'partially_granted': 0, 'denied': 3, 'unable': 6, 'not_processed': 0, 'other_handling': 3}
    """
    names = _names(agencies, metrics)
    years = list(years) if years is not None else []
    frame = _restrict(metrics, names, years or None)
    parts = {code: formula.format(a=applicant) for code, _, formula in OUTCOME_GROUPS}
    out = _shares(frame, parts, f"total_processed@{applicant}", blanks=blanks, min_denominator=min_denominator)
    out = out.rename(columns={"part": "outcome"})
    labels = {code: label for code, label, _ in OUTCOME_GROUPS}
    out.insert(4, "outcome_zh", out["outcome"].map(labels).astype("string"))
    return out


def applicant_mix(
    metrics: pd.DataFrame,
    agencies: Iterable[str] | str | None = None,
    years: Iterable[int] | None = None,
    *,
    row: str = "new_received",
    blanks: str = "strict",
    min_denominator: int = 20,
) -> pd.DataFrame:
    """Who made the requests: one row per (agency, year, applicant column) of table 3's ``row``.

    Columns ``agency, year, template, applicant, applicant_zh, count, total, share,
    small_denominator, reason``; ``share`` is the column's count over the 总计 column.

    >>> import govdisclose
    >>> mix = applicant_mix(govdisclose.load_sample(), "上海市科委")
    >>> mix.set_index("applicant")["count"].astype(int).to_dict()["commercial_enterprise"]
    2
    """
    names = _names(agencies, metrics)
    years = list(years) if years is not None else []
    frame = _restrict(metrics, names, years or None)
    parts = {code: f"{row}@{code}" for code, _ in _APPLICANT_GROUPS}
    out = _shares(frame, parts, f"{row}@total", blanks=blanks, min_denominator=min_denominator)
    out = out.rename(columns={"part": "applicant"})
    labels = dict(_APPLICANT_GROUPS)
    out.insert(4, "applicant_zh", out["applicant"].map(labels).astype("string"))
    return out


def cells_by_year(metrics: pd.DataFrame, agency: str, table: str = "review_litigation", applicant: str | None = None) -> pd.DataFrame:
    """One agency's printed cells of one table, item × year (``raw`` text kept beside the number
    where the cell was not a number, so a blank is seen as blank, never as 0).

    >>> import govdisclose
    >>> t = cells_by_year(govdisclose.load_sample(), "平潭综合实验区")
    >>> t.loc["litigation_after_review.total"].tolist()
    ['行政诉讼 复议后起诉 总计', '0', '0', '2', '19']
    """
    name = resolve_agency(agency, metrics)
    frame = _restrict(metrics, [name])
    frame = frame[frame["table"] == table]
    if table == "requests":
        frame = frame[frame["applicant"] == (applicant or "total")]
    if frame.empty:
        raise GovDiscloseError(f"{name} has no cells in table {table!r}")
    shown = frame["value"].map(lambda v: f"{v:g}", na_action="ignore").astype("string")
    shown = shown.where(frame["state"] == "number", "(" + frame["state"].astype("string") + ")")
    frame = frame.assign(shown=shown)
    order = list(dict.fromkeys(frame["item"].astype(str)))
    out = frame.pivot_table(index="item", columns="year", values="shown", aggfunc="first", observed=True)
    out = out.reindex([i for i in order if i in out.index])
    labels = dict(zip(frame["item"].astype(str), frame["label_zh"].astype("string")))
    out.insert(0, "label_zh", [labels.get(i) for i in out.index])
    out.index = pd.Index([str(i) for i in out.index], name="item")
    out.columns.name = None
    return out


def carry_over_table(metrics: pd.DataFrame, agency: str) -> pd.DataFrame:
    """The cross-year carry-over check of one agency, as a table: for each report year Y with a
    report for Y−1, ``carried_over`` (Y, 二、上年结转) beside ``previous_carried_forward`` (Y−1,
    四、结转下年度继续办理), 总计 column; ``agrees`` is ``<NA>`` when either is missing.

    >>> import govdisclose
    >>> carry_over_table(govdisclose.load_sample(), "平潭综合实验区")["year"].tolist()
    [2024]
    """
    name = resolve_agency(agency, metrics)
    values = formula_values(_restrict(metrics, [name]), {"over": "carried_over@total", "forward": "carried_forward@total"})
    wide = values.pivot_table(index="year", columns="name", values="value", aggfunc="first", dropna=False)
    rows = []
    for year in wide.index:
        if year - 1 not in wide.index:
            continue
        now, before = wide.loc[year, "over"], wide.loc[year - 1, "forward"]
        agrees = None if pd.isna(now) or pd.isna(before) else bool(now == before)
        rows.append({"agency": name, "year": int(year), "carried_over": now, "previous_carried_forward": before, "agrees": agrees})
    out = pd.DataFrame(rows, columns=["agency", "year", "carried_over", "previous_carried_forward", "agrees"])
    return _typed(out, floats=("carried_over", "previous_carried_forward"), ints=("year",), bools=("agrees",))
