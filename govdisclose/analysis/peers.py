"""Peers and benchmarks: each agency's indicators beside those of agencies like it.

**Peer group**: agencies with the same ``level`` (central, province, city, county, township),
the same ``scope`` (whole_area or department) and, for departments, the same
``department_kind`` (公安, 财政, 发改 …), from :func:`govdisclose.identity`. The **region group**
adds the province. Statistics are taken per indicator and year over the group's reports with a
value (``<NA>`` is left out, never read as 0); the group includes the agency itself. A group of
fewer than ``min_group`` reports (default :data:`MIN_GROUP` = 5: a median and quartiles of fewer
values say little) keeps its figures but is flagged ``small_group``; the region group's figures
are given only from ``min_group`` reports on (else ``<NA>`` and the ``note`` says so). Agencies
whose identity is unresolved form no group.

>>> import govdisclose
>>> b = peer_benchmarks(govdisclose.load_sample(), "requests_received", year=2023)
>>> row = b.set_index("agency").loc["平潭综合实验区自然资源与生态环境局"]
>>> row["peer_group"], int(row["group_n"]), bool(row["small_group"])
('city · department · 自然资源', 1, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from govdisclose.analysis.frames import typed
from govdisclose.analysis.identity import identity
from govdisclose.analysis.identity.overrides import Aliases
from govdisclose.analysis.measures import indicator_definitions
from govdisclose.analysis.measures import indicators as compute_indicators
from govdisclose.corpus.duplicates import require_unique
from govdisclose.exceptions import GovDiscloseError

__all__ = ["peer_benchmarks", "peer_groups", "peer_key", "MIN_GROUP", "PEER_KEYS", "BENCHMARK_COLUMNS"]

MIN_GROUP = 5
#: The identity columns a peer group is made of.
PEER_KEYS: tuple[str, ...] = ("level", "scope", "department_kind")
BENCHMARK_COLUMNS: list[str] = [
    "agency", "agency_id", "province", "city", "county", "level", "scope", "department_kind", "year", "indicator",
    "label_zh", "kind", "value", "peer_group", "group_n", "group_median", "group_q1", "group_q3", "percentile",
    "small_group", "region_n", "region_median", "region_q1", "region_q3", "note",
]


def peer_key(level: object, scope: object, department_kind: object = None, by: Sequence[str] = PEER_KEYS) -> str | None:
    """The printed name of a peer group (``county · department · 发改``); ``None`` when the level
    or scope is unknown.

    >>> peer_key("county", "whole_area", None)
    'county · whole_area'
    """
    values: dict[str, Any] = {"level": level, "scope": scope, "department_kind": department_kind}
    if any(pd.isna(values[k]) for k in ("level", "scope") if k in by):
        return None
    parts = [str(values[k]) for k in by if k in values and not pd.isna(values[k])]
    if "department_kind" in by and values["scope"] == "whole_area":
        parts = [p for p in parts if p != str(department_kind)]
    return " · ".join(parts)


def peer_groups(metrics: pd.DataFrame, *, by: Sequence[str] = PEER_KEYS, aliases: Aliases = None) -> pd.DataFrame:
    """One row per agency: its identity and ``peer_group``, with ``group_size`` (agencies in it).

    >>> import govdisclose
    >>> g = peer_groups(govdisclose.load_sample()).set_index("agency")
    >>> g.loc["外交部", "peer_group"], int(g.loc["外交部", "group_size"])
    ('central · department · 外交', 1)
    """
    names = pd.DataFrame({"agency": sorted(metrics["agency"].dropna().astype(str).unique())})
    table = identity(names, aliases=aliases)
    table["peer_group"] = pd.array([peer_key(r.level, r.scope, r.department_kind, by) for r in table.itertuples()],
                                   dtype="string")
    sizes = table.groupby("peer_group", dropna=True, observed=True)["agency_id"].nunique()
    table["group_size"] = table["peer_group"].map(sizes).astype("Int64")
    return table


def _stats(values: np.ndarray) -> tuple[int, float | None, float | None, float | None]:
    """(n, median, q1, q3) of sorted values (linear interpolation, as pandas' quantile)."""
    if not len(values):
        return 0, None, None, None
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
    return len(values), float(median), float(q1), float(q3)


def peer_benchmarks(
    metrics: pd.DataFrame,
    indicators: Iterable[str] | str | None = None,
    *,
    year: int | None = None,
    agencies: Iterable[str] | str | None = None,
    by: Sequence[str] = PEER_KEYS,
    min_group: int = MIN_GROUP,
    blanks: str = "strict",
    aliases: Aliases = None,
) -> pd.DataFrame:
    """Each agency's indicator beside its peer group's median and quartiles (and its region's).

    One row per (agency, year, indicator) — only ``year`` if given, only ``agencies`` if named
    (the groups are always formed from the whole frame). Columns: the agency's identity, ``value``,
    ``peer_group``, ``group_n`` (reports with a value), ``group_median``, ``group_q1``, ``group_q3``,
    ``percentile`` (share of the group's values at or below the agency's), ``small_group``,
    ``region_n``/``region_median``/``region_q1``/``region_q3`` (same group and province) and
    ``note``. See the module docstring for the rules.

    >>> import govdisclose
    >>> b = peer_benchmarks(govdisclose.load_sample(), "requests_received", year=2023, by=("level", "scope"))
    >>> b.query("scope == 'department' and level == 'city'")[["agency", "value", "group_n", "group_median"]].values.tolist()
    [['平潭综合实验区社会事业局', 1.0, 2, 10.0], ['平潭综合实验区自然资源与生态环境局', 19.0, 2, 10.0]]
    """
    if min_group < 1:
        raise GovDiscloseError("min_group must be at least 1")
    require_unique(metrics, "peer_benchmarks")
    values = compute_indicators(metrics, indicators, blanks=blanks)
    groups = peer_groups(metrics, by=by, aliases=aliases).set_index("agency")
    keep = ["agency_id", "province", "city", "county", "level", "scope", "department_kind", "peer_group"]
    values = values.join(groups[keep], on="agency")
    defs = indicator_definitions().set_index("indicator")
    groups_of: dict[tuple[str, int, str, str | None], np.ndarray] = {}
    slim = values.loc[values["peer_group"].notna() & values["value"].notna(), ["indicator", "year", "peer_group", "province", "value"]]
    slim = slim.astype({"indicator": object, "peer_group": object, "province": object, "year": "int64", "value": float})
    for (indicator, yr, group), vals in slim.groupby(["indicator", "year", "peer_group"], observed=True)["value"]:
        groups_of[(str(indicator), int(cast(int, yr)), str(group), None)] = np.sort(vals.to_numpy())
    for (indicator, yr, group, province), vals in slim.dropna(subset=["province"]).groupby(["indicator", "year", "peer_group", "province"], observed=True)["value"]:
        groups_of[(str(indicator), int(cast(int, yr)), str(group), str(province))] = np.sort(vals.to_numpy())
    empty = np.array([], dtype=float)
    wanted = values
    if year is not None:
        wanted = wanted[wanted["year"] == int(year)]
    if agencies is not None:
        from govdisclose.analysis.frames import agency_names

        names = agency_names(agencies, metrics)
        if names is not None:
            wanted = wanted[wanted["agency"].isin(names)]
    rows = []
    for rec in wanted.to_dict("records"):
        row = {k: rec.get(k) for k in BENCHMARK_COLUMNS if k in rec}
        row["label_zh"] = defs.loc[rec["indicator"], "label_zh"]
        notes = [rec["reason"]] if not pd.isna(rec["reason"]) else []
        group = rec["peer_group"]
        if pd.isna(group):
            notes.append("identity unresolved: no peer group")
            rows.append(row)
            row["note"] = "; ".join(notes)
            continue
        peer_values = groups_of.get((str(rec["indicator"]), int(rec["year"]), str(group), None), empty)
        n, median, q1, q3 = _stats(peer_values)
        row.update(group_n=n, group_median=median, group_q1=q1, group_q3=q3, small_group=n < min_group)
        if n and not pd.isna(rec["value"]):
            row["percentile"] = float(np.searchsorted(peer_values, float(rec["value"]), side="right") / n)
        if n < min_group:
            notes.append(f"small peer group ({n} report(s) with a value < {min_group})")
        province = rec["province"]
        if not pd.isna(province):
            rn, rmedian, rq1, rq3 = _stats(groups_of.get((str(rec["indicator"]), int(rec["year"]), str(group), str(province)), empty))
            row["region_n"] = rn
            if rn >= min_group:
                row.update(region_median=rmedian, region_q1=rq1, region_q3=rq3)
            else:
                notes.append(f"{province}: {rn} report(s) in the group, fewer than {min_group}: no regional figures")
        row["note"] = "; ".join(notes) or None
        rows.append(row)
    out = pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
    for column in ("value", "group_median", "group_q1", "group_q3", "percentile", "region_median", "region_q1", "region_q3"):
        out[column] = pd.to_numeric(out[column]).astype("Float64")
    for column in ("year", "group_n", "region_n"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    out = typed(out, bools=("small_group",))
    out = out.sort_values(["year", "agency", "indicator"], kind="stable").reset_index(drop=True)
    out.attrs["min_group"] = min_group
    out.attrs["groups"] = groups.reset_index()[["agency", "agency_id", "peer_group", "group_size"]]
    return out
