"""A metrics frame's cells as arrays, for checking many reports at once.

:func:`~govdisclose.checks.rules.validate` looks a report's cells up by ``(table, item,
applicant)``, the last row of a key winning (as a dict built row by row would have it), in the
order the keys first appear. Building that dict per report costs more than the checks; here the
whole frame is coded once (:func:`pandas.factorize` of each column) and each chunk of reports
becomes a dense ``report × key`` array of cell classes, values and row numbers. The template's
equations are then judged for every report of a chunk at once (:mod:`numpy`), and only the
equations that may say something go to the one blank policy,
:func:`~govdisclose.template.arithmetic.evaluate`, with the same ``(state, value)`` cells.

>>> import govdisclose
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> cells = Cells(m)
>>> cells.n_reports, cells.cell(0, ("requests", "new_received", "total"))
(1, ('number', 18.0))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govdisclose.template.arithmetic import CellKey

__all__ = ["Cells", "Chunk", "NUMBER", "BLANK", "UNREADABLE", "PLACEHOLDER", "ABSENT", "PAD", "CHUNK"]

#: Cell classes as the blank policy tells them apart (a ``number`` without a finite value is unreadable).
NUMBER, BLANK, UNREADABLE, PLACEHOLDER, ABSENT, PAD = 0, 1, 2, 3, 4, 5
#: Reports per chunk: the dense arrays stay small whatever the size of the frame.
CHUNK = 512


def _labels(series: pd.Series, na_is_none: bool) -> tuple[np.ndarray, list[str | None]]:
    """Codes of a column's values by their label (``str(value)``, or ``None`` for a missing
    applicant), one code per distinct label."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # its codes already (every category, used or not)
        codes, uniques = series.cat.codes.to_numpy(dtype=np.int64), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, sort=False)
    texts: list[str | None] = [str(u) for u in uniques]
    if (codes < 0).any():
        missing = np.flatnonzero(codes < 0)
        values = series.array
        extra = [None if na_is_none else str(values[k]) for k in missing]
        texts.extend(extra)
        codes = codes.copy()
        codes[missing] = np.arange(len(uniques), len(uniques) + len(missing))
    canonical: dict[str | None, int] = {}
    remap = np.fromiter((canonical.setdefault(t, len(canonical)) for t in texts), dtype=np.int64, count=len(texts))
    return remap[codes] if len(codes) else codes.astype(np.int64), list(canonical)


def _floats(series: pd.Series) -> np.ndarray:
    """The values as floats, NaN where missing (``float(value)`` of each, as a dict of cells holds them)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.fromiter((np.nan if pd.isna(v) else float(v) for v in series), dtype=np.float64, count=len(series))


@dataclass
class Chunk:
    """Reports ``start … start + len(rows) - 1`` as dense arrays over the frame's keys (plus one
    always-absent key and one padding key): class, value (NaN if none) and last row (-1 if absent)."""

    start: int
    cls: np.ndarray
    value: np.ndarray
    last: np.ndarray
    first: np.ndarray


class Cells:
    """Every report of a metrics frame (one per ``source``, in order of first appearance) and its cells."""

    def __init__(self, metrics: pd.DataFrame) -> None:
        self.metrics = metrics
        src, self.sources = pd.factorize(metrics["source"], sort=False)
        self.n_reports = len(self.sources)
        kept = np.flatnonzero(src >= 0)
        order = kept[np.argsort(src[kept], kind="stable")]
        self._rows = order  # rows grouped by report, in frame order within each
        self._bounds = np.searchsorted(src[order], np.arange(self.n_reports + 1))
        self.first_row = order[self._bounds[:-1]] if self.n_reports else np.zeros(0, dtype=np.int64)
        self._src = src
        table, self._tables = _labels(metrics["table"], False)
        item, self._items = _labels(metrics["item"], False)
        applicant, self._applicants = _labels(metrics["applicant"], True)
        combined = (table * len(self._items) + item) * len(self._applicants) + applicant
        self._key, uniques = pd.factorize(combined, sort=False)
        n_i, n_a = len(self._items), len(self._applicants)
        self.keys: list[CellKey] = [(str(self._tables[int(c) // (n_i * n_a)]), str(self._items[int(c) // n_a % n_i]),
                                     self._applicants[int(c) % n_a]) for c in uniques]
        self.index: dict[CellKey, int] = {k: j for j, k in enumerate(self.keys)}
        self.absent = len(self.keys)  # a key no report has
        self.pad = self.absent + 1
        state, states = _labels(metrics["state"], False)
        self.value = _floats(metrics["value"])
        per_state = np.array([{"number": NUMBER, "blank": BLANK, "unreadable": UNREADABLE}.get(str(s), PLACEHOLDER)
                              for s in states], dtype=np.int8)
        cls = per_state[state] if len(state) else np.zeros(0, dtype=np.int8)
        self.cls = np.where((cls == NUMBER) & ~np.isfinite(self.value), np.int8(UNREADABLE), cls).astype(np.int8)
        self._state = state
        self._states = [str(s) for s in states]
        self._locations = metrics["location"].array if "location" in metrics else None

    def column(self, name: str) -> list[Any]:
        """Each report's value of a column in its first row (``None`` if the frame lacks it)."""
        if name not in self.metrics:
            return [None] * self.n_reports
        return list(self.metrics[name].array.take(self.first_row))

    def chunks(self, size: int | None = None) -> Iterator[Chunk]:
        """The reports in chunks of ``size`` (default :data:`CHUNK`), each as dense arrays."""
        size = size or CHUNK
        width = len(self.keys) + 2
        for start in range(0, self.n_reports, size):
            stop = min(self.n_reports, start + size)
            rows = self._rows[self._bounds[start]:self._bounds[stop]]
            pair = (self._src[rows] - start).astype(np.int64) * width + self._key[rows]
            last = np.full((stop - start) * width, -1, dtype=np.int64)
            np.maximum.at(last, pair, rows)
            first = np.full((stop - start) * width, len(self.metrics), dtype=np.int64)
            np.minimum.at(first, pair, rows)
            present = last >= 0
            cls = np.full(last.shape, ABSENT, dtype=np.int8)
            cls[present] = self.cls[last[present]]
            value = np.full(last.shape, np.nan)
            value[present] = self.value[last[present]]
            shape = (stop - start, width)
            cls, value = cls.reshape(shape), value.reshape(shape)
            cls[:, self.pad] = PAD
            yield Chunk(start, cls, value, last.reshape(shape), first.reshape(shape))

    def cell_at(self, row: int) -> tuple[str, float | None]:
        """A row's cell as the blank policy takes it: ``(state, value)``, ``None`` for a missing value."""
        if row < 0:
            return ("absent", None)
        value = self.value[row]
        return (self._states[self._state[row]], None if np.isnan(value) else float(value))

    def location_at(self, row: int) -> str:
        """A row's location as a person reads it (``""`` for none)."""
        if row < 0 or self._locations is None:
            return ""
        where = self._locations[row]
        return "" if pd.isna(where) else str(where)

    def cell(self, report: int, key: CellKey) -> tuple[str, float | None]:
        """One report's cell (slow: for a few look-ups and tests)."""
        j = self.index.get(key)
        if j is None:
            return ("absent", None)
        rows = self._rows[self._bounds[report]:self._bounds[report + 1]]
        hits = rows[self._key[rows] == j]
        return self.cell_at(int(hits[-1]) if len(hits) else -1)
