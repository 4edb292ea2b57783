"""Selecting the rows a comparison works on, and giving its result frame nullable dtypes: the
helpers the comparison modules share.

>>> import govdisclose
>>> m = govdisclose.load_sample()
>>> years_of(restrict(m, ["外交部"]))
[2023]
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from govdisclose.analysis.agencies import resolve_agencies

__all__ = ["years_of", "restrict", "agency_names", "typed"]


def years_of(metrics: pd.DataFrame) -> list[int]:
    """The report years present, sorted."""
    return sorted(int(y) for y in metrics["year"].dropna().unique())


def restrict(metrics: pd.DataFrame, agencies: list[str] | None = None, years: Iterable[int] | None = None) -> pd.DataFrame:
    """A copy of the rows of these agencies and years (``None`` = all), without ``attrs``."""
    frame = metrics
    if agencies is not None:
        frame = frame[frame["agency"].astype("string").isin(agencies)]
    if years is not None:
        frame = frame[frame["year"].isin(list(years))]
    frame = frame.copy()
    frame.attrs = {}
    return frame


def agency_names(agencies: Iterable[str] | str | None, metrics: pd.DataFrame) -> list[str] | None:
    """Resolved agency names, or None for "all" (``None``, ``""`` or an empty list)."""
    if agencies is None or isinstance(agencies, str) and not agencies.strip():
        return None
    wanted = [agencies] if isinstance(agencies, str) else list(agencies)
    return resolve_agencies(wanted, metrics) if wanted else None


def typed(frame: pd.DataFrame, *, floats: Iterable[str] = (), ints: Iterable[str] = (), bools: Iterable[str] = ()) -> pd.DataFrame:
    """Nullable dtypes: ``Float64``, ``Int64`` and ``boolean`` for the columns named, ``string`` for text."""
    for column in floats:
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    for column in ints:
        frame[column] = frame[column].astype("Int64")
    for column in bools:
        frame[column] = frame[column].astype("boolean")
    for column in frame.columns:
        if frame[column].dtype == object or isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = frame[column].astype("string")
    return frame
