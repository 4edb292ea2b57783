"""One agency's printed tables over the years: the cells of one table item × year, and the
cross-year carry-over check (二、上年结转 of year Y beside 四、结转下年度 of Y−1).

>>> import govdisclose
>>> carry_over_table(govdisclose.load_sample(), "平潭综合实验区")["agrees"].tolist()
[True]
"""

from __future__ import annotations

import pandas as pd

from govdisclose.analysis.agencies import resolve_agency
from govdisclose.analysis.frames import restrict, typed
from govdisclose.analysis.measures import formula_values
from govdisclose.exceptions import GovDiscloseError

__all__ = ["cells_by_year", "carry_over_table"]


def cells_by_year(metrics: pd.DataFrame, agency: str, table: str = "review_litigation", applicant: str | None = None) -> pd.DataFrame:
    """One agency's printed cells of one table, item × year (``raw`` text kept beside the number
    where the cell was not a number, so a blank is seen as blank, never as 0).

    >>> import govdisclose
    >>> t = cells_by_year(govdisclose.load_sample(), "平潭综合实验区")
    >>> t.loc["litigation_after_review.total"].tolist()
    ['行政诉讼 复议后起诉 总计', '0', '0', '2', '19']
    """
    name = resolve_agency(agency, metrics)
    frame = restrict(metrics, [name])
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
    values = formula_values(restrict(metrics, [name]), {"over": "carried_over@total", "forward": "carried_forward@total"})
    wide = values.pivot_table(index="year", columns="name", values="value", aggfunc="first", observed=True, dropna=False)
    rows = []
    for year in wide.index:
        if year - 1 not in wide.index:
            continue
        now, before = wide.loc[year, "over"], wide.loc[year - 1, "forward"]
        agrees = None if pd.isna(now) or pd.isna(before) else bool(now == before)
        rows.append({"agency": name, "year": int(year), "carried_over": now, "previous_carried_forward": before, "agrees": agrees})
    out = pd.DataFrame(rows, columns=["agency", "year", "carried_over", "previous_carried_forward", "agrees"])
    return typed(out, floats=("carried_over", "previous_carried_forward"), ints=("year",), bools=("agrees",))
