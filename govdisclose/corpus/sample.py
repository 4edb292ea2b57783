"""The bundled sample (or any folder of reports) as one tidy frame, one report per agency and year.

The sample (``govdisclose/samples/``, ``data/`` in a checkout) holds some reports twice (平潭 2019
and 2024 as the saved web page and as a text rendering). :func:`load_sample` keeps one copy per
(agency, year) by the rule of :mod:`govdisclose.corpus.duplicates` (the one with the fewest
unreadable cells, and on a tie the more structured format: HTML, DOCX, PDF, then text), exactly
as :func:`govdisclose.load_reports` does. Which copy was kept, which was dropped, and whether the
two agree is in ``frame.attrs["duplicates"]``; files that could not be read are in
``frame.attrs["failures"]``, files passed over in ``frame.attrs["skipped"]`` with the reason
(nothing is dropped silently). All are DataFrames that are safe to keep in ``attrs``
(:class:`~govdisclose.corpus.failures.FailureTable`); :func:`duplicates_table` and
:func:`failures_table` give plain copies.

>>> import govdisclose
>>> m = govdisclose.load_sample()
>>> m.query("agency == '外交部' and item == 'new_received' and applicant == 'total'")["value"].tolist()
[18.0]
>>> d = duplicates_table(m)
>>> d.loc[(d["agency"] == "平潭综合实验区") & (d["year"] == 2024), "kept"].str.rsplit("/", n=1).str[-1].tolist()
['pingtan_2024.html']
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from govdisclose.corpus.duplicates import DUPLICATE_COLUMNS, FORMAT_PREFERENCE
from govdisclose.corpus.failures import FailureTable
from govdisclose.corpus.paths import sample_dir, survey
from govdisclose.exceptions import PathNotFoundError
from govdisclose.tidy import apply_dtypes, empty_metrics

__all__ = ["load_sample", "report_files", "coverage", "duplicates_table", "failures_table", "reader_findings", "FORMAT_PREFERENCE", "DUPLICATE_COLUMNS", "FAILURE_COLUMNS"]

FAILURE_COLUMNS: list[str] = ["source", "error", "message"]


def _folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    if not path.is_dir():
        if path.exists():
            raise PathNotFoundError(path, "not a folder of reports")
        raise PathNotFoundError(path, "not a folder of reports (no such folder)")
    return path


def report_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The report files in ``folder`` and below (README files, hidden files and ``truth/``
    folders excluded: the policy of :func:`govdisclose.corpus.paths.survey`).

    >>> [p.name for p in report_files(sample_dir())][:2]
    ['mfa_2023.txt', 'pingtan_2019.html']
    """
    return survey(_folder(folder)).read


@lru_cache(maxsize=8)
def _load(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> pd.DataFrame:
    from govdisclose.corpus.loader import load_reports

    loaded = load_reports(folder, jobs=1, progress=False, duplicates="prefer")
    failures = list(loaded.attrs["failures"].to_dict("records"))
    unplaced = []
    for source, frame in loaded.groupby("source", observed=True, sort=False):
        agency, year = frame["agency"].iloc[0], frame["year"].iloc[0]
        if pd.isna(year) or pd.isna(agency) or not str(agency):
            unplaced.append(str(source))
            failures.append({"source": str(source), "error": "ReportNotFoundError",
                             "message": f"{source}: the title gives no agency or year, so the report cannot be placed"})
    metrics = loaded[~loaded["source"].astype(str).isin(unplaced)] if unplaced else loaded
    metrics = apply_dtypes(metrics.copy()) if len(metrics) else empty_metrics()
    # DataFrames that are safe in attrs (pandas compares attrs when it combines frames)
    metrics.attrs = {
        **loaded.attrs,
        "failures": FailureTable(pd.DataFrame(failures, columns=FAILURE_COLUMNS)),
        "folder": folder,
    }
    return metrics


def load_sample(folder: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Tidy metrics of the bundled sample reports (or of every report in ``folder``), offline.

    The same as ``govdisclose.load_reports(folder)`` (the same files read, failed and skipped,
    the same duplicate rule, the same ``attrs``), except that a report whose title gives no agency
    or year is listed as a failure rather than kept (a sample must place every report). A folder
    that does not exist raises :class:`~govdisclose.exceptions.PathNotFoundError`. Results are
    cached per folder until a file changes; each call returns a fresh copy.

    >>> import govdisclose
    >>> sorted(govdisclose.load_sample()["agency"].unique())[:2]
    ['上海市科委', '外交部']
    """
    root = _folder(folder) if folder not in (None, "") else sample_dir()
    files = survey(root)
    stamp = tuple((str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in [*files.read, *files.unread, *(s for s, _ in files.skipped)])
    cached = _load(str(root), stamp)
    out = cached.copy()
    out.attrs = {k: (FailureTable(v.copy()) if isinstance(v, pd.DataFrame) else v) for k, v in cached.attrs.items()}
    return out


def duplicates_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """``attrs["duplicates"]`` of a :func:`load_sample` frame as a DataFrame.

    >>> import govdisclose
    >>> sorted(duplicates_table(govdisclose.load_sample())["year"])
    [2019, 2024]
    """
    return pd.DataFrame(metrics.attrs.get("duplicates", []), columns=DUPLICATE_COLUMNS).copy()


def failures_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """``attrs["failures"]`` of a :func:`load_sample` frame as a DataFrame (empty when every file read).

    >>> import govdisclose
    >>> failures_table(govdisclose.load_sample()).empty
    True
    """
    return pd.DataFrame(metrics.attrs.get("failures", []), columns=FAILURE_COLUMNS).copy()


def coverage(metrics: pd.DataFrame, years: range | list[int] | None = None) -> pd.DataFrame:
    """Agency × year matrix of which reports are present: the file name where there is one,
    ``missing`` where there is none (every year from the first to the last is shown, so gaps are
    seen).

    >>> import govdisclose
    >>> c = coverage(govdisclose.load_sample())
    >>> c.loc["平潭综合实验区", 2020], c.loc["平潭综合实验区", 2021]
    ('missing', 'pingtan_2021.txt')
    """
    present = metrics[["agency", "year", "source"]].drop_duplicates()
    if present.empty:
        return pd.DataFrame()
    present = present.assign(file=present["source"].astype(str).map(lambda s: Path(s).name))
    all_years = list(years) if years is not None else list(range(int(present["year"].min()), int(present["year"].max()) + 1))
    table = present.pivot_table(index="agency", columns="year", values="file", aggfunc="first", observed=True)
    table = table.reindex(columns=all_years).astype("object")
    table = table.where(table.notna(), "missing")
    table.index = pd.Index([str(a) for a in table.index], name="agency")
    table.columns.name = "year"
    return table


def reader_findings(metrics: pd.DataFrame) -> pd.DataFrame:
    """What the readers noticed about each report's document (rows placed by position, headers
    missing, how a page was decoded …): ``Report.findings`` of every source in ``metrics``.

    Columns ``agency, year, rule, severity, message, source, location``.

    >>> import govdisclose
    >>> f = reader_findings(govdisclose.load_sample())
    >>> int((f["rule"] == "row.placed").sum()) > 0
    True
    """
    from govdisclose.report import read_report

    frames = []
    for source in dict.fromkeys(metrics["source"].astype(str)):
        findings = read_report(source).findings.copy()
        findings.attrs = {}
        frames.append(findings)
    columns = ["agency", "year", "rule", "severity", "message", "source", "location"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    out["year"] = out["year"].astype("Int64")
    return out
