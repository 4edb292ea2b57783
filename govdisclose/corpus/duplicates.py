"""One report per agency and year: the copies of a report found in several files (the saved web
page and a text rendering of it, say) and the one rule that picks the copy to keep.

**The rule** (:func:`resolve_duplicates`, used by :func:`~govdisclose.load_reports` and
:func:`~govdisclose.load_sample`): of the files whose report has the same (agency, year), keep the
one with the fewest unreadable cells; on a tie the more structured format
(:data:`FORMAT_PREFERENCE`: HTML, DOCX, PDF, Markdown, then text); then the first in path order.
Each dropped copy is one row of ``attrs["duplicates"]`` (:data:`DUPLICATE_COLUMNS`): what was kept,
what was dropped, their unreadable cells, how many cells printed as numbers in both disagree, and
the reason in words.

Functions that put reports side by side refuse a frame holding two reports for one agency-year
(:func:`require_unique`), so that a report is never compared with its own copy.

>>> import govdisclose
>>> m = govdisclose.load_reports(govdisclose.sample_dir())
>>> d = m.attrs["duplicates"]
>>> [(int(y), k.rsplit("/", 1)[-1], x.rsplit("/", 1)[-1]) for y, k, x in d[["year", "kept", "dropped"]].values]
[(2019, 'pingtan_2019.html', 'pingtan_2019.txt'), (2024, 'pingtan_2024.html', 'pingtan_2024.txt')]
>>> duplicate_reports(m)
[]
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from govdisclose.exceptions import DuplicateReportError, DuplicateReportWarning

__all__ = [
    "DUPLICATE_MODES",
    "FORMAT_PREFERENCE",
    "DUPLICATE_COLUMNS",
    "resolve_duplicates",
    "duplicate_reports",
    "require_unique",
    "warn_duplicates",
]

#: What :func:`~govdisclose.load_reports` does with copies of one agency-year: ``"prefer"`` keeps
#: the copy the rule picks, ``"first"`` the first in path order, ``"keep"`` keeps them all (and
#: lists them), ``"raise"`` raises :class:`~govdisclose.exceptions.DuplicateReportError`.
DUPLICATE_MODES: tuple[str, ...] = ("prefer", "first", "keep", "raise")
#: On a tie in unreadable cells, the earlier format wins (structure kept beats structure lost).
FORMAT_PREFERENCE: tuple[str, ...] = (".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".md", ".markdown", ".txt", ".text")
#: Columns of ``attrs["duplicates"]``: one row per copy not kept (with ``"keep"``: per extra copy).
DUPLICATE_COLUMNS: list[str] = [
    "agency", "year", "kept", "dropped", "kept_unreadable", "dropped_unreadable", "disagreements", "reason",
]


def _rank(source: str) -> int:
    suffix = Path(source).suffix.lower()
    return FORMAT_PREFERENCE.index(suffix) if suffix in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)


def _disagreements(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """Cells printed as numbers in both copies whose values differ."""
    key = ["table", "item", "applicant"]

    def numbers(frame: pd.DataFrame) -> pd.DataFrame:
        cells = frame.loc[frame["state"] == "number", key + ["value"]]
        cells = cells.astype({"table": "object", "item": "object", "applicant": "object"})
        return cells.fillna({"applicant": ""})

    both = numbers(a).merge(numbers(b), on=key, suffixes=("_a", "_b"))
    return int((both["value_a"] != both["value_b"]).sum())


def _reports(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per source: agency, year, unreadable cells and position in the frame."""
    frame = pd.DataFrame({
        "source": metrics["source"].astype(str).to_numpy(),
        "agency": metrics["agency"].astype(object).to_numpy(),
        "year": metrics["year"].astype("Int64").to_numpy(),
        "unreadable": (metrics["state"] == "unreadable").to_numpy(),
    })
    per = frame.groupby("source", sort=False, observed=True).agg(agency=("agency", "first"), year=("year", "first"),
                                                  unreadable=("unreadable", "sum"))
    per["order"] = np.arange(len(per))
    return per.reset_index()


def duplicate_reports(metrics: pd.DataFrame) -> list[tuple[str, int, list[str]]]:
    """``(agency, year, [sources])`` for every agency-year with more than one source in ``metrics``
    (reports whose title gave no agency or year are not counted).

    >>> import govdisclose
    >>> m = govdisclose.load_reports(govdisclose.sample_dir(), duplicates="keep")
    >>> [(a, y, [s.rsplit("/", 1)[-1] for s in f]) for a, y, f in duplicate_reports(m)]
    [('平潭综合实验区', 2019, ['pingtan_2019.html', 'pingtan_2019.txt']), ('平潭综合实验区', 2024, ['pingtan_2024.html', 'pingtan_2024.txt'])]
    """
    if not len(metrics) or not {"agency", "year", "source"} <= set(metrics.columns):
        return []
    pairs = metrics[["agency", "year", "source"]].drop_duplicates()
    pairs = pairs[pairs["agency"].notna() & pairs["year"].notna()]
    pairs = pairs[pairs.duplicated(["agency", "year"], keep=False)]
    out = []
    for key, group in pairs.groupby(["agency", "year"], observed=True, sort=True):
        agency, year = cast("tuple[Any, Any]", key)  # a two-column groupby key
        out.append((str(agency), int(year), sorted(group["source"].astype(str))))
    return out


def _describe(duplicates: list[tuple[str, int, list[str]]], limit: int = 5) -> str:
    shown = "; ".join(f"{a} {y}: {', '.join(s)}" for a, y, s in duplicates[:limit])
    return shown + (f"; and {len(duplicates) - limit} more" if len(duplicates) > limit else "")


def require_unique(metrics: pd.DataFrame, what: str) -> None:
    """Raise :class:`~govdisclose.exceptions.DuplicateReportError` if ``metrics`` holds more than
    one report for some agency-year (``what`` names the caller in the message).

    >>> import govdisclose
    >>> require_unique(govdisclose.load_reports(govdisclose.sample_dir(), duplicates="keep"), "compare_years")
    Traceback (most recent call last):
    ...
    govdisclose.DuplicateReportError: compare_years needs one report per agency and year, but ...
    """
    found = duplicate_reports(metrics)
    if found:
        raise DuplicateReportError(
            f"{what} needs one report per agency and year, but {len(found)} agency-year(s) have several copies "
            f"({_describe(found)}); load with load_reports(..., duplicates='prefer') (the default) to keep one, "
            "or drop the copies you do not want",
            found,
        )


def warn_duplicates(metrics: pd.DataFrame, what: str) -> None:
    """Issue a :class:`~govdisclose.exceptions.DuplicateReportWarning` if ``metrics`` holds more
    than one report for some agency-year (the result then has rows for each copy)."""
    found = duplicate_reports(metrics)
    if found:
        warnings.warn(
            f"{what}: {len(found)} agency-year(s) have several copies ({_describe(found, 3)}); the result has a row "
            "per copy (column source): do not compare them with each other", DuplicateReportWarning, stacklevel=3,
        )


def resolve_duplicates(metrics: pd.DataFrame, mode: str = "prefer") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply ``mode`` (:data:`DUPLICATE_MODES`) to the copies of each agency-year in ``metrics``
    (rows of several sources, in path order); return the frame without the dropped copies and the
    table of duplicates (:data:`DUPLICATE_COLUMNS`)."""
    if mode not in DUPLICATE_MODES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATE_MODES))}, not {mode!r}")
    empty = pd.DataFrame(columns=DUPLICATE_COLUMNS)
    if not len(metrics):
        return metrics, empty
    per = _reports(metrics)
    placed = per[per["agency"].notna() & per["year"].notna() & (per["agency"].astype(str) != "")]
    dup = placed[placed.duplicated(["agency", "year"], keep=False)]
    if dup.empty:
        return metrics, empty
    groups: list[tuple[str, int, pd.DataFrame]] = []
    for key, group in dup.groupby(["agency", "year"], sort=True, observed=True):
        agency, year = cast("tuple[Any, Any]", key)  # a two-column groupby key
        groups.append((str(agency), int(year), group))
    if mode == "raise":
        found = [(a, y, sorted(str(x) for x in g["source"])) for a, y, g in groups]
        raise DuplicateReportError(
            f"{len(found)} agency-year(s) were read from more than one file ({_describe(found)}); pass "
            "duplicates='prefer' to keep one copy each (the rule is in govdisclose.corpus.duplicates) or 'keep' to keep all",
            found,
        )
    rows: list[dict[str, Any]] = []
    dropped: list[str] = []
    source_str = metrics["source"].astype(str)
    for agency, year, group in groups:
        if mode == "first":
            ordered = group.sort_values("order")
        else:
            ordered = group.assign(rank=group["source"].map(_rank)).sort_values(["unreadable", "rank", "order"])
        copies = [(str(r["source"]), int(r["unreadable"])) for r in ordered.to_dict("records")]
        (best, best_unreadable), others = copies[0], copies[1:]
        best_rows = metrics[source_str == best]
        for other, unreadable in others:
            if mode == "first":
                reason = f"{Path(best).name} comes first in path order (duplicates='first')"
            elif best_unreadable < unreadable:
                reason = f"{Path(best).name} has fewer unreadable cells ({best_unreadable} vs {unreadable})"
            elif _rank(best) < _rank(other):
                reason = (f"both read with {unreadable} unreadable cells; {Path(best).suffix} keeps the "
                          f"table structure better than {Path(other).suffix}")
            else:
                reason = f"both read with {unreadable} unreadable cells, in the same format; the first in path order is kept"
            diff = _disagreements(best_rows, metrics[source_str == other])
            if diff:
                reason += f"; the two copies disagree in {diff} cell(s)"
            if mode == "keep":
                reason = f"both kept (duplicates='keep'); 'prefer' would drop {Path(other).name}: {reason}"
            else:
                dropped.append(other)
            rows.append({"agency": agency, "year": year, "kept": best, "dropped": other, "kept_unreadable": best_unreadable,
                         "dropped_unreadable": unreadable, "disagreements": diff, "reason": reason})
    table = pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)
    if dropped:
        metrics = metrics[~source_str.isin(dropped).to_numpy()].reset_index(drop=True)
        metrics["source"] = metrics["source"].cat.remove_unused_categories()
    return metrics, table
