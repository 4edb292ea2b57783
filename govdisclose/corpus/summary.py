"""What a load read, in words (the command line's report): files read of files considered,
agency-years, duplicate copies dropped, files skipped and files that failed."""

from __future__ import annotations

import sys

import pandas as pd

__all__ = ["load_summary", "print_load_details", "print_failures"]


def load_summary(metrics: pd.DataFrame, seconds: float, jobs: object) -> str:
    """One line: files read of files considered, cells, agency-years, time, workers, and how many
    copies were dropped, failed and skipped.

    >>> import govdisclose
    >>> load_summary(govdisclose.load_reports(govdisclose.sample_dir(), cache=False), 1.0, 1)
    'read 18 of 35 files: 3,194 cells of 16 agency-year(s) (1.0 s, 1 worker(s)); 2 duplicate copies dropped; 17 skipped (not reports)'
    """
    files = metrics.attrs.get("files", 0)
    failures = metrics.attrs.get("failures")
    n_failed = 0 if failures is None else len(failures)
    copies = metrics.attrs.get("duplicates")
    dropped = 0 if copies is None else int((~copies["reason"].str.startswith("both kept")).sum())
    skipped = metrics.attrs.get("skipped")
    n_skipped = 0 if skipped is None else len(skipped)
    read = metrics["source"].nunique() + dropped
    agency_years = metrics.attrs.get("agency_years", len(metrics[["agency", "year"]].drop_duplicates()))
    cache = metrics.attrs.get("cache")
    hits = f", {cache['hits']} from the cache" if cache else ""
    workers = metrics.attrs.get("jobs", jobs)
    return (f"read {read} of {files} files: {len(metrics):,} cells of {agency_years} agency-year(s) "
            f"({seconds:.1f} s, {workers} worker(s){hits})"
            + (f"; {dropped} duplicate cop{'y' if dropped == 1 else 'ies'} dropped" if dropped else "")
            + (f"; {n_failed} could not be read" if n_failed else "")
            + (f"; {n_skipped} skipped (not reports)" if n_skipped else ""))


def print_load_details(metrics: pd.DataFrame, limit: int = 20) -> None:
    """The duplicate copies (kept and dropped, and why), the skipped files by reason, and the
    failures of a load, on stderr."""
    copies = metrics.attrs.get("duplicates")
    if copies is not None and len(copies):
        print(f"{len(copies)} duplicate cop{'y' if len(copies) == 1 else 'ies'} of a report (same agency and year):", file=sys.stderr)
        for row in copies.head(limit).itertuples(index=False):
            verb = "kept both" if row.reason.startswith("both kept") else "dropped"
            print(f"  - {row.agency} {row.year}: kept {row.kept}, {verb} {row.dropped} ({row.reason})", file=sys.stderr)
        if len(copies) > limit:
            print(f"  … and {len(copies) - limit} more", file=sys.stderr)
    skipped = metrics.attrs.get("skipped")
    if skipped is not None and len(skipped):
        counts = skipped["reason"].value_counts()
        print(f"{len(skipped)} file(s) skipped: " + "; ".join(f"{n} {reason}" for reason, n in counts.items()), file=sys.stderr)
    print_failures(metrics.attrs.get("failures"), limit)


def print_failures(failures: pd.DataFrame | None, limit: int = 20) -> None:
    """The files that could not be read, counted by error and listed (the first ``limit``), on stderr."""
    if failures is None or failures.empty:
        return
    print(f"{len(failures)} file(s) could not be read:", file=sys.stderr)
    counts = failures["error"].value_counts()
    for error, count in counts.items():
        print(f"  {count:5d}  {error}", file=sys.stderr)
    for row in failures.head(limit).itertuples(index=False):
        print(f"  - {row.message}", file=sys.stderr)
    if len(failures) > limit:
        print(f"  … and {len(failures) - limit} more (write them all with --failures FILE)", file=sys.stderr)
