"""The five tables of a corpus dataset: their Parquet columns, and the pandas dtypes they are read back with.

Every table but ``failures`` is hive-partitioned by ``year`` (``<table>/year=2023/part-<batch>.parquet``;
a report whose year could not be read is under ``year=__HIVE_DEFAULT_PARTITION__`` and reads back
as ``<NA>``). The year is the partition, not a column of the files. ``_row`` orders the rows of one
report; the reader sorts on ``(source, _row)`` and drops it, so a table reads the same whatever the
batches its rows were written in.

>>> sorted(SCHEMAS)
['failures', 'findings', 'metrics', 'reports', 'sections']
>>> SCHEMAS["metrics"].field("value").type
DataType(double)
>>> partition_dir(2023), partition_dir(None)
('year=2023', 'year=__HIVE_DEFAULT_PARTITION__')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow as pa

from govdisclose.records import FINDING_COLUMNS
from govdisclose.tidy import COLUMNS, empty_metrics

__all__ = ["TABLES", "PARTITIONED", "SCHEMAS", "ROW", "NULL_PARTITION", "partition_dir", "to_arrow", "to_pandas",
           "FILTER_COLUMNS"]

#: The tables, in the order they are listed.
TABLES: tuple[str, ...] = ("metrics", "findings", "sections", "reports", "failures")
#: The tables partitioned by year.
PARTITIONED: frozenset[str] = frozenset(("metrics", "findings", "sections", "reports"))
#: The column ordering the rows of one report inside a table.
ROW = "_row"
#: The directory name pyarrow (and Hive) read as a null partition value.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

_S = pa.string()
_METRICS = [(c, pa.float64() if c == "value" else _S) for c in COLUMNS if c != "year"]
_FINDINGS = [(c, pa.float64() if c in ("expected", "actual") else _S) for c in FINDING_COLUMNS if c != "year"]

SCHEMAS: dict[str, pa.Schema] = {
    "metrics": pa.schema([*_METRICS, (ROW, pa.int32())]),
    # stage: "reader" (the reader's and mapper's findings, Report.findings) or "validator" (validate())
    "findings": pa.schema([*_FINDINGS, ("stage", _S), (ROW, pa.int32())]),
    "sections": pa.schema([("agency", _S), ("source", _S), ("section", _S), ("text", _S), (ROW, pa.int32())]),
    "reports": pa.schema([
        ("source", _S), ("key", _S), ("format", _S), ("template", _S), ("agency", _S), ("title", _S),
        ("parser", _S), ("bytes", pa.int64()), ("cells", pa.int32()), ("unreadable", pa.int32()),
        ("findings", pa.int32()), ("read_seconds", pa.float64()), ("batch", _S),
    ]),
    "failures": pa.schema([
        ("source", _S), ("key", _S), ("error", _S), ("message", _S), ("internal", pa.bool_()), ("parser", _S),
        ("batch", _S),
    ]),
}

#: Which filters each table takes (the rest raise :class:`~govdisclose.exceptions.DatasetError`).
FILTER_COLUMNS: dict[str, frozenset[str]] = {
    "metrics": frozenset(("agency", "year", "table", "item", "applicant", "state", "source", "template")),
    "findings": frozenset(("agency", "year", "table", "item", "rule", "severity", "stage", "source")),
    "sections": frozenset(("agency", "year", "section", "source")),
    "reports": frozenset(("agency", "year", "format", "template", "source")),
    "failures": frozenset(("error", "source")),
}


def partition_dir(year: int | None) -> str:
    """The hive partition folder of a year (``None``: the null partition)."""
    return f"year={NULL_PARTITION if year is None else int(year)}"


def to_arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """A pandas frame (categoricals, nullable dtypes allowed) as an Arrow table of the table's
    schema: categories decoded to plain strings, no pandas metadata (the bytes written depend on
    the values only)."""
    schema = SCHEMAS[table]
    arrays = []
    for field in schema:
        # a categorical becomes a dictionary array (codes and categories, no string per row),
        # decoded by the cast
        arrays.append(pa.Array.from_pandas(frame[field.name]).cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


_STRING = "string"
_PANDAS_DTYPES: dict[str, dict[str, Any]] = {
    "findings": {"year": "Int64", "expected": "Float64", "actual": "Float64"},
    "sections": {"year": "Int64"},
    "reports": {"year": "Int64", "bytes": "Int64", "cells": "Int64", "unreadable": "Int64", "findings": "Int64",
                "read_seconds": "Float64", "internal": "boolean"},
    "failures": {"internal": "boolean"},
}


def columns_of(table: str) -> list[str]:
    """The columns of a table as read back (partition ``year`` in the contract's place, no ``_row``)."""
    if table == "metrics":
        return list(COLUMNS)
    if table == "findings":
        return [*FINDING_COLUMNS, "stage"]
    names = [f.name for f in SCHEMAS[table] if f.name != ROW]
    if table == "sections":
        return ["agency", "year", *names[1:]]
    if table == "reports":
        return [*names[:5], "year", *names[5:]]
    return names


def to_pandas(data: pa.Table, table: str) -> pd.DataFrame:
    """An Arrow table read from the dataset as a pandas frame with the contract's dtypes, rows in
    ``(source, _row)`` order."""
    if table == "metrics":
        return _metrics_frame(data)
    frame = data.to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get)
    sort = [c for c in ("source", ROW) if c in frame.columns]
    if sort and len(frame):
        frame = frame.sort_values(sort, kind="stable", ignore_index=True)
    frame = frame.drop(columns=[ROW], errors="ignore")
    frame = frame.reindex(columns=columns_of(table))
    for column in frame.columns:
        wanted = _PANDAS_DTYPES.get(table, {}).get(column, _STRING)
        frame[column] = frame[column].astype(wanted)
    return frame.reset_index(drop=True)


@lru_cache(maxsize=1)
def _metrics_dtypes() -> dict[str, Any]:
    return dict(empty_metrics().dtypes)


def _metrics_frame(data: pa.Table) -> pd.DataFrame:
    """``metrics`` as :func:`~govdisclose.tidy.apply_dtypes` types it, built from Arrow: each
    categorical from its column's dictionary (codes looked up once per distinct value, not per
    row), the catalogue's categories where it fixes them, else the sorted values present."""
    import numpy as np
    import pyarrow.compute as pc

    if data.num_rows > 1:  # (sources by their rank among the distinct sources: integers sort faster than strings)
        sources = pc.dictionary_encode(data.column("source").combine_chunks())
        rank = pc.take(pc.rank(sources.dictionary, sort_keys="ascending", tiebreaker="first"), sources.indices)
        keys = pa.table({"source": rank, ROW: data.column(ROW).combine_chunks()})
        data = data.take(pc.sort_indices(keys, sort_keys=[("source", "ascending"), (ROW, "ascending")]))
    dtypes = _metrics_dtypes()
    plain = [c for c in COLUMNS if not isinstance(dtypes[c], pd.CategoricalDtype)]
    frame = data.select(plain).to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get)
    columns: dict[str, Any] = {}
    for name in COLUMNS:
        dtype = dtypes[name]
        if not isinstance(dtype, pd.CategoricalDtype):
            columns[name] = frame[name]
            continue
        encoded = pc.dictionary_encode(data.column(name).combine_chunks())
        values = encoded.dictionary.to_pylist()
        if not len(dtype.categories):  # categories of the data (apply_dtypes: the sorted values present)
            dtype = pd.CategoricalDtype(sorted(v for v in values if v is not None))
        lookup = np.append(dtype.categories.get_indexer(values), -1)  # (a null: code -1)
        indices = encoded.indices.fill_null(len(values)).to_numpy()
        columns[name] = pd.Categorical.from_codes(lookup[indices], dtype=dtype)
    out = pd.DataFrame(columns)
    out["year"] = out["year"].astype("Int64")
    out["value"] = out["value"].astype("Float64")
    return out
