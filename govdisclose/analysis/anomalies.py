"""Unusual changes, in one table with reasons: year-over-year jumps, the cross-year checks, and
template or scope breaks.

Reports are linked across years by ``agency_id`` (:func:`govdisclose.identity`), so title variants
(平潭综合实验区 / 平潭综合实验区管委会, 洪泽区人民政府 / 淮安市洪泽区人民政府) are one agency.

**Jumps** (``check = "jump"``). For each agency, indicator and step from one report to the
agency's next, the change is ``d = ln(1 + value) − ln(1 + previous)`` for counts (the difference,
in proportion points, for rates). It is compared with a reference set: the other changes of the
same indicator in the agency's peer group (:mod:`govdisclose.analysis.peers`: same level, scope
and kind of department), the agency's own other years included; when that set has fewer than
``min_reference`` changes, the changes of every agency are used (``reference`` says which). The
robust z-score is ``z = (d − median) / max(1.4826 · MAD, floor)`` (the modified z-score of
Iglewicz and Hoaglin; 1.4826 · MAD estimates a standard deviation; ``floor`` = 0.05 keeps a
reference of identical changes from flagging tiny steps). A step is flagged when ``|z| >
threshold`` (default 3.5) **and**, for counts, the value moved by at least ``min_change``
(default 5, so 0 → 3 is never a jump). Steps across a template change for an indicator whose
meaning changed, rates on small denominators and steps with a missing value are not judged.
``own_z`` is the same score against the agency's own other changes only (``<NA>`` with fewer
than 3).

**Cross-year checks** (``carry_over``, ``in_force``): the validator's rules
``cross_year.carry_over`` and ``cross_year.in_force`` (:func:`govdisclose.validate`), run on
reports linked by ``agency_id``. **Breaks** (``template_break``, ``scope_break``,
``name_change``): consecutive reports of one agency under different templates, scopes or printed
names, where year-over-year figures need care (severity ``info``).

>>> import govdisclose
>>> a = anomalies(govdisclose.load_sample())   # no jump beyond ±3.5, no broken chain
>>> a[["agency", "year", "check"]].values.tolist()
[['平潭综合实验区', 2021, 'template_break'], ['平潭综合实验区自然资源与生态环境局', 2021, 'template_break']]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from govdisclose.analysis.frames import typed
from govdisclose.analysis.identity.overrides import Aliases
from govdisclose.analysis.measures import indicator_definitions
from govdisclose.analysis.measures import indicators as compute_indicators
from govdisclose.analysis.peers import PEER_KEYS, peer_groups
from govdisclose.corpus.duplicates import require_unique
from govdisclose.exceptions import GovDiscloseError

__all__ = ["anomalies", "ANOMALY_COLUMNS", "THRESHOLD", "MIN_CHANGE", "MIN_REFERENCE", "MAD_FLOOR", "MAD_SCALE"]

THRESHOLD = 3.5
MIN_CHANGE = 5.0
MIN_REFERENCE = 20
MAD_FLOOR = 0.05
MAD_SCALE = 1.4826
ANOMALY_COLUMNS: list[str] = [
    "agency", "agency_id", "year", "previous_year", "check", "severity", "indicator", "value", "previous_value",
    "change", "robust_z", "own_z", "reference", "reference_n", "reason", "source",
]


def _z(d: float, reference: np.ndarray) -> tuple[float, float, float]:
    """(z, median, scale) of ``d`` against ``reference``."""
    median = float(np.median(reference))
    scale = max(MAD_SCALE * float(np.median(np.abs(reference - median))), MAD_FLOOR)
    return (d - median) / scale, median, scale


def _steps(values: pd.DataFrame, defs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (agency_id, indicator), group in values.groupby(["agency_id", "indicator"], sort=True, observed=True):
        group = group.sort_values("year")
        kind = defs.loc[str(indicator), "kind"]
        across = defs.loc[str(indicator), "across_templates"]
        prev = None
        for rec in group.to_dict("records"):
            if prev is not None:
                same_meaning = rec["template"] == prev["template"] or (across == "yes" and "pre2019" not in (rec["template"], prev["template"]))
                usable = not (pd.isna(rec["value"]) or pd.isna(prev["value"]) or bool(rec["small_denominator"]) or bool(prev["small_denominator"]))
                if same_meaning and usable:
                    now, before = float(rec["value"]), float(prev["value"])
                    d = math.log1p(now) - math.log1p(before) if kind == "count" and min(now, before) >= 0 else now - before
                    rows.append({"agency": rec["agency"], "agency_id": agency_id, "indicator": indicator, "kind": kind,
                                 "year": int(rec["year"]), "previous_year": int(prev["year"]), "value": now,
                                 "previous_value": before, "d": d, "peer_group": rec["peer_group"], "source": rec["source"]})
            prev = rec
    return pd.DataFrame(rows, columns=["agency", "agency_id", "indicator", "kind", "year", "previous_year", "value",
                                       "previous_value", "d", "peer_group", "source"])


def _jumps(steps: pd.DataFrame, threshold: float, min_change: float, min_reference: int) -> list[dict]:
    rows = []
    for indicator, ind in steps.groupby("indicator", sort=True, observed=True):
        all_d = ind["d"].to_numpy(float)
        for k, rec in enumerate(ind.to_dict("records")):
            others = np.delete(all_d, k)
            group = ind["peer_group"].to_numpy(object)
            same = np.delete((group == rec["peer_group"]) if not pd.isna(rec["peer_group"]) else np.zeros(len(ind), bool), k)
            reference, label = others[same], f"peers ({rec['peer_group']}) and own history"
            if len(reference) < min_reference:
                reference, label = others, "all agencies (peer group too small)"
            if len(reference) < min_reference:
                continue
            z, median, scale = _z(rec["d"], reference)
            moved = abs(rec["value"] - rec["previous_value"])
            if abs(z) <= threshold or (rec["kind"] == "count" and moved < min_change):
                continue
            own = ind[(ind["agency_id"] == rec["agency_id"]) & (ind["year"] != rec["year"])]["d"].to_numpy(float)
            own_z = _z(rec["d"], own)[0] if len(own) >= 3 else None
            if rec["kind"] == "count":
                what = (f"{indicator} {rec['previous_value']:g} → {rec['value']:g} ({rec['previous_year']}→{rec['year']}), "
                        f"log change {rec['d']:+.2f}")
            else:
                what = f"{indicator} {rec['previous_value']:.1%} → {rec['value']:.1%} ({rec['previous_year']}→{rec['year']})"
            reason = (f"{what}: robust z {z:+.1f} against {len(reference)} changes of {label} "
                      f"(median {median:+.2f}, scale {scale:.2f}); flagged beyond ±{threshold:g}")
            rows.append({"agency": rec["agency"], "agency_id": rec["agency_id"], "year": rec["year"],
                         "previous_year": rec["previous_year"], "check": "jump", "severity": "warning",
                         "indicator": indicator, "value": rec["value"], "previous_value": rec["previous_value"],
                         "change": rec["d"], "robust_z": z, "own_z": own_z, "reference": label,
                         "reference_n": len(reference), "reason": reason, "source": rec["source"]})
    return rows


def _cross_year(metrics: pd.DataFrame, ids: pd.Series) -> list[dict]:
    from govdisclose.checks.rules import validate

    linked = metrics.assign(agency=metrics["agency"].map(ids).fillna(metrics["agency"]))
    found = validate(linked)
    found = found[found["rule"].isin(["cross_year.carry_over", "cross_year.in_force"])]
    printed = dict(zip(metrics["source"], metrics["agency"]))
    return [{"agency": printed.get(rec["source"]), "agency_id": rec["agency"], "year": rec["year"],
             "previous_year": rec["year"] - 1, "check": str(rec["rule"]).removeprefix("cross_year."), "severity": "warning",
             "indicator": f"{rec['item']}@{rec['applicant']}" if not pd.isna(rec["applicant"]) else rec["item"],
             "value": rec["actual"], "previous_value": rec["expected"], "reason": rec["message"], "source": rec["source"]}
            for rec in found.to_dict("records")]


def _breaks(reports: pd.DataFrame) -> list[dict]:
    rows = []
    for agency_id, group in reports.groupby("agency_id", sort=True, observed=True):
        prev = None
        for rec in group.sort_values("year").to_dict("records"):
            if prev is not None:
                base = {"agency": rec["agency"], "agency_id": agency_id, "year": rec["year"], "previous_year": prev["year"],
                        "severity": "info", "source": rec["source"]}
                if rec["template"] != prev["template"]:
                    rows.append({**base, "check": "template_break", "reason": f"template {prev['template']} → {rec['template']}: "
                                 "indicators whose meaning changed are not compared across it"})
                if rec["scope"] != prev["scope"]:
                    rows.append({**base, "check": "scope_break", "reason": f"scope {prev['scope']} → {rec['scope']}: "
                                 "a whole area and a department are not like for like"})
                if rec["agency"] != prev["agency"]:
                    rows.append({**base, "check": "name_change", "reason": f"printed as {prev['agency']} in {prev['year']}, "
                                 f"as {rec['agency']} in {rec['year']} (one agency: {agency_id})"})
            prev = rec
    return rows


def anomalies(
    metrics: pd.DataFrame,
    indicators: Iterable[str] | str | None = None,
    *,
    agencies: Iterable[str] | str | None = None,
    threshold: float = THRESHOLD,
    min_change: float = MIN_CHANGE,
    min_reference: int = MIN_REFERENCE,
    by: Sequence[str] = PEER_KEYS,
    checks: Iterable[str] = ("jump", "cross_year", "breaks"),
    blanks: str = "strict",
    aliases: Aliases = None,
) -> pd.DataFrame:
    """Unusual changes in a tidy metrics frame: one row per finding, with its reason.

    ``indicators``: those judged for jumps (default: every ``count`` indicator); ``agencies``:
    only the findings of these agencies (and their title variants) are returned, the references
    still come from the whole frame; ``checks``: any of ``jump``, ``cross_year``, ``breaks``. Columns: ``agency, agency_id, year, previous_year,
    check, severity, indicator, value, previous_value, change`` (the log change of a count),
    ``robust_z, own_z, reference, reference_n, reason, source``. The rules are in the module
    docstring.

    >>> import govdisclose
    >>> a = anomalies(govdisclose.load_sample(), checks=["breaks"])
    >>> a[["agency", "year", "check"]].head(1).values.tolist()
    [['平潭综合实验区', 2021, 'template_break']]
    """
    checks = list(checks)
    unknown = set(checks) - {"jump", "cross_year", "breaks"}
    if unknown:
        raise GovDiscloseError(f"unknown check(s) {', '.join(sorted(unknown))}: use jump, cross_year, breaks")
    if threshold <= 0 or min_reference < 1:
        raise GovDiscloseError("threshold must be > 0 and min_reference >= 1")
    require_unique(metrics, "anomalies")
    defs = indicator_definitions().set_index("indicator")
    if indicators is None:
        indicators = [str(i) for i in defs.index[defs["kind"] == "count"]]
    groups = peer_groups(metrics, by=by, aliases=aliases).set_index("agency")
    ids = groups["agency_id"].astype(object)
    rows: list[dict] = []
    if "jump" in checks:
        values = compute_indicators(metrics, indicators, blanks=blanks).join(groups[["agency_id", "peer_group"]], on="agency")
        rows += _jumps(_steps(values.dropna(subset=["agency_id"]), defs), threshold, min_change, min_reference)
    if "cross_year" in checks:
        rows += _cross_year(metrics, ids)
    if "breaks" in checks:
        reports = metrics.drop_duplicates("source")[["agency", "year", "template", "source"]].join(groups[["agency_id", "scope"]], on="agency")
        rows += _breaks(reports.dropna(subset=["agency_id"]))
    out = pd.DataFrame(rows, columns=ANOMALY_COLUMNS)
    if agencies is not None:
        from govdisclose.analysis.frames import agency_names

        names = agency_names(agencies, metrics)
        if names is not None:
            out = out[out["agency_id"].isin(set(ids.reindex(names).dropna()))]
    out = typed(out, floats=("value", "previous_value", "change", "robust_z", "own_z"), ints=("year", "previous_year", "reference_n"))
    order = {"jump": 0, "carry_over": 1, "in_force": 2, "scope_break": 3, "template_break": 4, "name_change": 5}
    out = out.assign(_o=out["check"].map(order)).sort_values(["agency_id", "year", "_o", "indicator"], kind="stable")
    out = out.drop(columns="_o").reset_index(drop=True)
    out.attrs.update(threshold=threshold, min_change=min_change, min_reference=min_reference)
    return out
