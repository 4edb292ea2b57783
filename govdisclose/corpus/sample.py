"""The bundled sample (or any folder of reports) as one tidy frame, one report per agency and year.

``data/`` holds some reports twice (平潭 2019 and 2024 as the saved web page and as a text
rendering). :func:`load_sample` keeps one copy per (agency, year): the one with the fewest
unreadable cells, and on a tie the more structured format (HTML, DOCX, PDF, then text). Which
copy was kept, which was dropped, and whether the two agree is in ``frame.attrs["duplicates"]``;
files that could not be read are in ``frame.attrs["failures"]`` (nothing is dropped silently).
Both are DataFrames that are safe to keep in ``attrs`` (:class:`~govdisclose.corpus.failures.FailureTable`); :func:`duplicates_table`
and :func:`failures_table` give plain copies.

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

from govdisclose.corpus.failures import FailureTable
from govdisclose.corpus.paths import collect_paths, sample_dir
from govdisclose.exceptions import GovDiscloseError
from govdisclose.tidy import apply_dtypes, empty_metrics

__all__ = ["load_sample", "report_files", "coverage", "duplicates_table", "failures_table", "reader_findings", "FORMAT_PREFERENCE", "DUPLICATE_COLUMNS", "FAILURE_COLUMNS"]

#: On a tie in unreadable cells, the earlier format wins (structure kept beats structure lost).
FORMAT_PREFERENCE: tuple[str, ...] = (".html", ".htm", ".docx", ".pdf", ".md", ".txt")
DUPLICATE_COLUMNS: list[str] = ["agency", "year", "kept", "dropped", "kept_unreadable", "dropped_unreadable", "disagreements", "reason"]
FAILURE_COLUMNS: list[str] = ["source", "error", "message"]


def report_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The report files directly in ``folder`` and below, README files and ``truth/`` excluded.

    >>> [p.name for p in report_files(sample_dir())][:2]
    ['mfa_2023.txt', 'pingtan_2019.html']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GovDiscloseError(f"{folder}: not a folder of reports")
    return [p for p in collect_paths(folder) if "truth" not in p.relative_to(folder).parts[:-1]]


def _rank(path: Path) -> int:
    suffix = path.suffix.lower()
    return FORMAT_PREFERENCE.index(suffix) if suffix in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)


def _disagreements(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """Cells printed as numbers in both copies whose values differ."""
    key = ["table", "item", "applicant"]
    left = a.loc[a["state"] == "number", key + ["value"]].astype({"applicant": "object"}).fillna({"applicant": ""})
    right = b.loc[b["state"] == "number", key + ["value"]].astype({"applicant": "object"}).fillna({"applicant": ""})
    both = left.merge(right, on=key, suffixes=("_a", "_b"))
    return int((both["value_a"] != both["value_b"]).sum())


@lru_cache(maxsize=8)
def _load(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> pd.DataFrame:
    from govdisclose.corpus.loader import load_reports

    loaded = load_reports([Path(folder) / name for name, _, _ in stamp], jobs=1, progress=False)
    failures = list(loaded.attrs["failures"].to_dict("records"))
    reports = []
    for source, frame in loaded.groupby("source", observed=True, sort=False):
        path = Path(str(source))
        agency, year = frame["agency"].iloc[0], frame["year"].iloc[0]
        if pd.isna(year) or pd.isna(agency) or not str(agency):
            failures.append({"source": str(path), "error": "ReportNotFoundError",
                             "message": f"{path}: the title gives no agency or year, so the report cannot be placed"})
            continue
        unreadable = int((frame["state"] == "unreadable").sum())
        reports.append((str(agency), int(year), path, unreadable, frame))

    chosen: dict[tuple[str, int], tuple] = {}
    duplicates = []
    for agency, year, path, unreadable, frame in sorted(reports, key=lambda e: (e[3], _rank(e[2]), e[2].name)):
        key = (agency, year)
        if key not in chosen:
            chosen[key] = (path, unreadable, frame)
            continue
        kept_path, kept_unreadable, kept = chosen[key]
        if kept_unreadable < unreadable:
            reason = f"{kept_path.name} has fewer unreadable cells ({kept_unreadable} vs {unreadable})"
        else:
            reason = f"both read with {unreadable} unreadable cells; {kept_path.suffix} keeps the table structure better than {path.suffix}"
        diff = _disagreements(kept, frame)
        if diff:
            reason += f"; the two copies disagree in {diff} cell(s)"
        duplicates.append({
            "agency": agency, "year": year, "kept": str(kept_path), "dropped": str(path),
            "kept_unreadable": kept_unreadable, "dropped_unreadable": unreadable, "disagreements": diff, "reason": reason,
        })
    kept_sources = {str(path) for path, _, _ in chosen.values()}
    metrics = loaded[loaded["source"].astype(str).isin(kept_sources)]
    metrics = apply_dtypes(metrics.copy()) if len(metrics) else empty_metrics()
    # DataFrames that are safe in attrs (pandas compares attrs when it combines frames)
    metrics.attrs = {
        "duplicates": FailureTable(pd.DataFrame(duplicates, columns=DUPLICATE_COLUMNS)),
        "failures": FailureTable(pd.DataFrame(failures, columns=FAILURE_COLUMNS)),
        "folder": folder,
    }
    return metrics


def load_sample(folder: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Tidy metrics of the bundled sample reports (or of every report in ``folder``), offline.

    One report per (agency, year): duplicates are resolved as the module docstring says and listed
    in ``attrs["duplicates"]`` (``agency, year, kept, dropped, kept_unreadable,
    dropped_unreadable, disagreements, reason``). Files that could not be read are listed in
    ``attrs["failures"]`` (``source, error, message``), as :func:`govdisclose.load_reports` does. Results are cached per folder until a file
    changes; each call returns a fresh copy.

    >>> import govdisclose
    >>> sorted(govdisclose.load_sample()["agency"].unique())[:2]
    ['上海市科委', '外交部']
    """
    root = Path(folder) if folder not in (None, "") else sample_dir()
    files = report_files(root)
    stamp = tuple((str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
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
