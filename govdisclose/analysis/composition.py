"""Compositions: how each report's concluded requests ended (table 3's outcome groups) and who
made the requests (its applicant columns), as shares of the printed totals.

>>> import govdisclose
>>> c = outcome_composition(govdisclose.load_sample(), "外交部")
>>> int(c["total"].iloc[0]), c["outcome"].tolist()[:2]
(17, ['granted', 'partially_granted'])
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from govdisclose.analysis.frames import agency_names, restrict, typed
from govdisclose.analysis.measures import formula_values
from govdisclose.template.printed import APPLICANT_SHORT_LABELS, OUTCOME_GROUP_LABELS

__all__ = ["outcome_composition", "applicant_mix", "OUTCOME_GROUPS", "APPLICANT_GROUPS"]


#: The outcome groups of table 3 (三、本年度办理结果), in printed order: code, label, formula.
OUTCOME_GROUPS: tuple[tuple[str, str, str], ...] = tuple(
    (code, OUTCOME_GROUP_LABELS[code], formula)
    for code, formula in (
        ("granted", "granted@{a}"),
        ("partially_granted", "partially_granted@{a}"),
        ("denied", "denied.*@{a}"),
        ("unable", "unable.*@{a}"),
        ("not_processed", "not_processed.*@{a}"),
        ("other_handling", "other_handling*@{a}"),
    )
)
APPLICANT_GROUPS: tuple[tuple[str, str], ...] = tuple(
    (code, APPLICANT_SHORT_LABELS[code])
    for code in ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")
)
def _shares(metrics: pd.DataFrame, parts: dict[str, str], total: str, *, blanks: str, min_denominator: int) -> pd.DataFrame:
    formulas = dict(parts)
    formulas["__total__"] = total
    values = formula_values(metrics, formulas, blanks=blanks)
    key = ["agency", "year", "source"]
    totals = {tuple(rec[k] for k in key): rec for rec in values[values["name"] == "__total__"].to_dict("records")}
    rows = []
    for rec in values[values["name"] != "__total__"].to_dict("records"):
        tot = totals[tuple(rec[k] for k in key)]
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
    out = typed(out, floats=("count", "total", "share"), ints=("year",), bools=("small_denominator",))
    caveats = []
    for (agency, year), group in out.groupby(["agency", "year"], sort=True, observed=True):
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
    names = agency_names(agencies, metrics)
    years = list(years) if years is not None else []
    frame = restrict(metrics, names, years or None)
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
    names = agency_names(agencies, metrics)
    years = list(years) if years is not None else []
    frame = restrict(metrics, names, years or None)
    parts = {code: f"{row}@{code}" for code, _ in APPLICANT_GROUPS}
    out = _shares(frame, parts, f"{row}@total", blanks=blanks, min_denominator=min_denominator)
    out = out.rename(columns={"part": "applicant"})
    labels = dict(APPLICANT_GROUPS)
    out.insert(4, "applicant_zh", out["applicant"].map(labels).astype("string"))
    return out
