"""The tidy metrics frame: one row per printed cell, typed the same way whatever produced it.

Long by default; :func:`to_wide` pivots to one row per report. Missing values are ``<NA>``,
never 0.

>>> import govdisclose
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> list(m.columns[:8])
['agency', 'year', 'template', 'table', 'item', 'applicant', 'value', 'unit']
>>> str(m["value"].dtype), str(m["state"].dtype)
('Float64', 'category')
>>> to_wide(m).loc[("外交部", 2023), ("requests", "new_received", "total")]
np.float64(18.0)
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .codes import APPLICANT_LABELS, APPLICANTS, TABLES, catalogue
from .values import STATES

__all__ = ["COLUMNS", "frame_from_cells", "apply_dtypes", "empty_metrics", "to_wide"]

#: Columns of the tidy metrics frame, in order (spec §3 plus note and labels).
COLUMNS: tuple[str, ...] = (
    "agency", "year", "template", "table", "item", "applicant", "value", "unit", "state",
    "raw", "source", "location", "note", "label_zh", "applicant_zh",
)
_TEMPLATES = ("2021", "2019", "pre2019")


def _categories() -> dict[str, list[str]]:
    cat = catalogue()
    return {
        "template": list(_TEMPLATES),
        "table": list(TABLES),
        "item": list(dict.fromkeys(cat["item"])),
        "applicant": list(APPLICANTS),
        "unit": sorted(set(cat["unit"])),
        "state": list(STATES),
        "label_zh": list(dict.fromkeys(cat["label_zh"])),
        "applicant_zh": list(dict.fromkeys(APPLICANT_LABELS.values())),
    }


def apply_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a metrics frame its canonical dtypes (categoricals with fixed categories where the
    catalogue fixes them, nullable numbers and strings), so frames from different runs concatenate
    and compare equal."""
    frame = frame.reindex(columns=list(COLUMNS))
    fixed = _categories()
    for column, categories in fixed.items():
        frame[column] = pd.Categorical(frame[column], categories=categories)
    for column in ("agency", "source"):
        values = frame[column].astype("string")
        frame[column] = pd.Categorical(values, categories=sorted(values.dropna().unique()))
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    frame["value"] = pd.array(pd.to_numeric(frame["value"], errors="coerce"), dtype="Float64")
    for column in ("raw", "location", "note"):
        frame[column] = frame[column].astype("string")
    return frame.reset_index(drop=True)


def empty_metrics() -> pd.DataFrame:
    """A metrics frame with no rows and the canonical dtypes."""
    return apply_dtypes(pd.DataFrame({c: [] for c in COLUMNS}))


def frame_from_cells(cells: Iterable, *, agency: str, year: int | None, template: str | None, source: str) -> pd.DataFrame:
    """Build the tidy frame of one report from mapped cells (see :mod:`govdisclose.mapper`)."""
    labels = {(r["table"], r["item"]): r["label_zh"] for r in catalogue().to_dict("records")}
    records = []
    for c in cells:
        records.append({
            "agency": agency,
            "year": year,
            "template": template,
            "table": c.table,
            "item": c.item,
            "applicant": c.applicant,
            "value": float(c.value) if c.value is not None else None,
            "unit": None,
            "state": c.state,
            "raw": c.raw,
            "source": source,
            "location": c.location,
            "note": c.note,
            "label_zh": labels.get((c.table, c.item)),
            "applicant_zh": APPLICANT_LABELS.get(c.applicant) if c.applicant else None,
        })
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    units = {(r["table"], r["item"]): r["unit"] for r in catalogue().to_dict("records")}
    frame["unit"] = [units.get((t, i)) for t, i in zip(frame["table"], frame["item"])]
    return apply_dtypes(frame)


def to_wide(metrics: pd.DataFrame, index: tuple[str, ...] = ("agency", "year")) -> pd.DataFrame:
    """One row per report (``index``), one column per cell ``(table, item, applicant)``.

    Only numbers are kept; blank, ``/`` and unreadable cells are ``<NA>``. Columns keep the
    template's printed order. Two reports with the same index (say the HTML and the text copy of
    one report) raise :class:`~govdisclose.exceptions.GovDiscloseError`: pass
    ``index=("agency", "year", "source")`` to keep both.
    """
    from .exceptions import GovDiscloseError

    keys = [*index, "table", "item", "applicant"]
    frame = metrics[keys + ["value"]].copy()
    for column in keys:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    frame["applicant"] = frame["applicant"].astype(object).where(frame["applicant"].notna(), "")
    duplicated = frame.duplicated(keys)
    if duplicated.any():
        first = frame.loc[duplicated, list(index)].iloc[0].tolist()
        raise GovDiscloseError(f"more than one report for {first}; use index=(..., 'source') or drop the copies first")
    order = list(dict.fromkeys(zip(frame["table"], frame["item"], frame["applicant"])))
    wide = frame.set_index(keys)["value"].unstack(["table", "item", "applicant"])
    return wide.reindex(columns=pd.MultiIndex.from_tuples(order, names=["table", "item", "applicant"]))
