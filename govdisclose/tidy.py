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

import operator
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from govdisclose.template.catalogue import APPLICANT_LABELS, APPLICANTS, TABLES, catalogue
from govdisclose.template.values import STATES

__all__ = [
    "COLUMNS", "DATA_CATEGORY_COLUMNS", "new_columns", "add_cells", "frame_from_columns", "frame_from_cells", "apply_dtypes",
    "empty_metrics", "concat_metrics", "union_categories", "is_canonical", "to_wide",
]

#: Columns of the tidy metrics frame, in order (spec §3 plus note and labels).
COLUMNS: tuple[str, ...] = (
    "agency", "year", "template", "table", "item", "applicant", "value", "unit", "state",
    "raw", "source", "location", "note", "label_zh", "applicant_zh",
)
_TEMPLATES = ("2021", "2019", "pre2019")


@lru_cache(maxsize=1)
def _categories() -> dict[str, tuple[str, ...]]:
    cat = catalogue()
    return {
        "template": _TEMPLATES,
        "table": TABLES,
        "item": tuple(dict.fromkeys(cat["item"])),
        "applicant": APPLICANTS,
        "unit": tuple(sorted(set(cat["unit"]))),
        "state": STATES,
        "label_zh": tuple(dict.fromkeys(cat["label_zh"])),
        "applicant_zh": tuple(dict.fromkeys(APPLICANT_LABELS.values())),
    }


@lru_cache(maxsize=1)
def _codes() -> dict[str, dict[str, int]]:
    return {column: {v: k for k, v in enumerate(values)} for column, values in _categories().items()}


def apply_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a metrics frame its canonical dtypes (categoricals with fixed categories where the
    catalogue fixes them, nullable numbers and strings), so frames from different runs concatenate
    and compare equal."""
    frame = frame.reindex(columns=list(COLUMNS))
    for column, categories in _categories().items():
        frame[column] = pd.Categorical(frame[column], categories=list(categories))
    for column in sorted(_DATA_CATEGORY_COLUMNS):
        values = frame[column].astype("string")
        frame[column] = pd.Categorical(values, categories=sorted(values.dropna().unique()))
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("Float64")
    return frame.reset_index(drop=True)


def empty_metrics() -> pd.DataFrame:
    """A metrics frame with no rows and the canonical dtypes."""
    return frame_from_columns(new_columns())


def new_columns() -> dict[str, list]:
    """Empty column lists of a metrics frame, to be filled by :func:`add_cells`."""
    return {c: [] for c in COLUMNS}


def add_cells(columns: dict[str, list], cells: Iterable, *, agency: str, year: int | None, template: str | None,
              source: str) -> dict[str, list]:
    """Append one report's mapped cells (see :mod:`govdisclose.mapping.mapper`) to column lists.

    Plain Python lists: many reports are gathered this way and typed once by
    :func:`frame_from_columns`, which is far cheaper than one DataFrame per report. The columns the
    catalogue fixes for each item (table, unit, labels) are filled in there, not here.
    """
    cells = list(cells)
    n = len(cells)
    columns["agency"].extend([agency] * n)
    columns["year"].extend([year] * n)
    columns["template"].extend([template] * n)
    columns["source"].extend([source] * n)
    columns["item"].extend([c.item for c in cells])
    columns["applicant"].extend([c.applicant for c in cells])
    columns["value"].extend([None if c.value is None else float(c.value) for c in cells])
    columns["state"].extend([c.state for c in cells])
    columns["raw"].extend([c.raw for c in cells])
    try:  # MappedCell.location_text: a lazy location is rendered, not made
        where = [c.location_text() for c in cells]
    except AttributeError:  # other cells: their location's text
        where = ["" if c.location is None else str(c.location) for c in cells]
    columns["location"].extend(where)
    columns["note"].extend([c.note for c in cells])
    return columns


@lru_cache(maxsize=1)
def _derived_codes() -> dict[str, np.ndarray]:
    """For each item's code: the codes of its table, unit and label (items are unique in the catalogue);
    for each applicant's code: the code of its Chinese label."""
    cat = catalogue()
    codes = _codes()
    out = {column: np.full(len(_categories()["item"]), -1, dtype=np.int16) for column in ("table", "unit", "label_zh")}
    for row in cat.to_dict("records"):
        k = codes["item"][row["item"]]
        out["table"][k] = codes["table"][row["table"]]
        out["unit"][k] = codes["unit"][row["unit"]]
        out["label_zh"][k] = codes["label_zh"][row["label_zh"]]
    out["applicant_zh"] = np.array([codes["applicant_zh"][APPLICANT_LABELS[a]] for a in APPLICANTS], dtype=np.int16)
    return out


@cache
def _dtype(column: str) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(_categories()[column]))


def _fixed_categorical(values: list, column: str) -> pd.Categorical:
    return pd.Categorical.from_codes(_codes_of(values, column), dtype=_dtype(column))


def _data_categorical(values: list) -> pd.Categorical:
    distinct = set(values)
    distinct.discard(None)
    categories = sorted(distinct)
    index = {v: k for k, v in enumerate(categories)}
    # dict.get(v, -1) for every value, looped in C (a value missing from the codes is None: -1)
    codes = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.int32, count=len(values))
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories))


def _codes_of(values: list, column: str) -> np.ndarray:
    return np.fromiter(map(_codes()[column].get, values, repeat(-1)), dtype=np.int16, count=len(values))


def _derive(source_codes: np.ndarray, column: str) -> pd.Categorical:
    lookup = _derived_codes()[column]
    derived = np.where(source_codes >= 0, lookup[np.maximum(source_codes, 0)], -1).astype(np.int16)
    return pd.Categorical.from_codes(derived, dtype=_dtype(column))


def frame_from_columns(columns: dict[str, list]) -> pd.DataFrame:
    """Type gathered column lists into the tidy metrics frame (canonical dtypes).

    Table, unit and the Chinese labels come from the catalogue by item and applicant; where the
    lists hold them too (an older caller), those are ignored in favour of the catalogue.
    """
    n = len(columns["item"])
    item_codes = _codes_of(columns["item"], "item")
    applicant_codes = _codes_of(columns["applicant"], "applicant")
    data: dict[str, object] = {}
    for column in COLUMNS:
        values = columns[column]
        if column in ("table", "unit", "label_zh"):
            data[column] = _derive(item_codes, column)
        elif column == "applicant_zh":
            data[column] = _derive(applicant_codes, column)
        elif column == "item":
            data[column] = pd.Categorical.from_codes(item_codes, dtype=_dtype("item"))
        elif column == "applicant":
            data[column] = pd.Categorical.from_codes(applicant_codes, dtype=_dtype("applicant"))
        elif column in _CATEGORY_COLUMNS:
            data[column] = _fixed_categorical(values, column)
        elif column in _DATA_CATEGORY_COLUMNS:
            data[column] = _data_categorical(values)
        elif column == "year":
            data[column] = pd.array(values, dtype="Int64")
        elif column == "value":
            mask = np.fromiter(map(operator.is_, values, repeat(None)), dtype=bool, count=n)
            floats = np.array(values, dtype=np.float64)  # None: NaN, then 0
            floats[mask] = 0.0
            data[column] = pd.arrays.FloatingArray(floats, mask)
        else:
            data[column] = pd.array(values, dtype="string")
    return pd.DataFrame(data, columns=list(COLUMNS))


_CATEGORY_COLUMNS = frozenset(("template", "table", "item", "applicant", "unit", "state", "label_zh", "applicant_zh"))
# Columns whose values repeat across reports (raw "0", "line 57, cell 3", notes): categories made
# from the data keep a 10,000-report frame small.
DATA_CATEGORY_COLUMNS: tuple[str, ...] = ("agency", "raw", "source", "location", "note")
_DATA_CATEGORY_COLUMNS = frozenset(DATA_CATEGORY_COLUMNS)


def frame_from_cells(cells: Iterable, *, agency: str, year: int | None, template: str | None, source: str) -> pd.DataFrame:
    """The tidy frame of one report from its mapped cells."""
    return frame_from_columns(add_cells(new_columns(), cells, agency=agency, year=year, template=template, source=source))


def union_categories(columns: list[pd.Series]) -> pd.Categorical[Any]:
    """Concatenate categorical columns whose categories differ (one per report or batch), with
    the categories sorted as :func:`apply_dtypes` sorts them."""
    from pandas.api.types import union_categoricals

    cats = [c.array if isinstance(c.dtype, pd.CategoricalDtype) else pd.Categorical(c.astype("string")) for c in columns]
    merged = union_categoricals(cats, sort_categories=True, ignore_order=True) if len(cats) > 1 else cats[0]
    wanted = sorted(merged.categories)
    if list(merged.categories) != wanted:
        merged = merged.reorder_categories(wanted)
    return merged


@lru_cache(maxsize=1)
def _reference_dtypes() -> pd.Series:
    return empty_metrics().dtypes


def is_canonical(frame: pd.DataFrame) -> bool:
    """Whether every column already has the dtype :func:`apply_dtypes` would give it."""
    reference = _reference_dtypes()
    text = pd.Index(["x"]).dtype  # what apply_dtypes gives categories of text
    for column in COLUMNS:
        dtype = frame[column].dtype
        if column in _DATA_CATEGORY_COLUMNS:
            if not isinstance(dtype, pd.CategoricalDtype) or (len(dtype.categories) and dtype.categories.dtype != text):
                return False
            if not dtype.categories.is_monotonic_increasing:
                return False
        elif dtype != reference[column]:
            return False
    return True


def concat_metrics(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack metrics frames into one with the canonical dtypes (the categories that come from the
    data are merged on their codes, not re-encoded as text).

    >>> import govdisclose
    >>> a = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
    >>> b = govdisclose.read_report(govdisclose.sample_path("shanghai_stcsm_2024.txt")).metrics
    >>> both = concat_metrics([a, b])
    >>> len(both), list(both["agency"].cat.categories), is_canonical(both)
    (400, ['上海市科委', '外交部'], True)
    """
    if not frames:
        return empty_metrics()
    data = {c: union_categories([f[c] for f in frames]) for c in DATA_CATEGORY_COLUMNS}
    frame = pd.concat([f.drop(columns=list(DATA_CATEGORY_COLUMNS)) for f in frames], ignore_index=True)
    for column, values in data.items():
        frame[column] = values
    frame = frame[list(COLUMNS)]
    frame.attrs = {}
    return frame if is_canonical(frame) else apply_dtypes(frame)


def to_wide(metrics: pd.DataFrame, index: tuple[str, ...] = ("agency", "year")) -> pd.DataFrame:
    """One row per report (``index``), one column per cell ``(table, item, applicant)``.

    Only numbers are kept; blank, ``/`` and unreadable cells are ``<NA>``. Columns keep the
    template's printed order. Two reports with the same index (say the HTML and the text copy of
    one report, loaded with ``duplicates="keep"``) raise
    :class:`~govdisclose.exceptions.DuplicateReportError`: pass ``index=("agency", "year", "source")``
    to keep both.

    >>> import govdisclose
    >>> wide = to_wide(govdisclose.load_reports(govdisclose.sample_dir()))
    >>> float(wide.loc[("外交部", 2023), ("requests", "new_received", "total")])
    18.0
    """
    from govdisclose.exceptions import GovDiscloseError

    if "source" not in index and set(index) <= {"agency", "year", "template"}:
        from govdisclose.corpus.duplicates import require_unique

        require_unique(metrics, "to_wide")

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
