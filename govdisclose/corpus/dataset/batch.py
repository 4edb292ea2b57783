"""One batch of files, read where it runs (this process, a worker process, a Dask worker) and
written as Parquet into a staging folder of the dataset; only a small summary travels back.

A batch's name is a hash of the parser and of its members (path, content hash, what to do), so
the same files give the same batch, the same file names and the same bytes whatever the engine and
the number of workers. What each member becomes:

* ``read``: the report is read; its cells, findings, six sections and one ``reports`` row are
  written, or, if it cannot be read, one ``failures`` row (the error and why);
* ``unread``: a file in a format that is not read (``.doc``, ``.xls`` …): a ``failures`` row;
* ``crashed``: a file whose worker process died while reading it, twice: a ``failures`` row.

>>> m = Member("a.txt", "k1", "read")
>>> batch_id("p", [m]) == batch_id("p", [m]), batch_id("p", [m]) == batch_id("q", [m])
(True, False)
"""

from __future__ import annotations

import hashlib
import os
import socket
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = ["Member", "BatchTask", "BatchDone", "batch_id", "run_batch", "probe", "KINDS"]

#: What a member of a batch is to become (see the module docstring).
KINDS: tuple[str, ...] = ("read", "unread", "crashed")


@dataclass(frozen=True)
class Member:
    """One file of a batch: its path, content hash (``""`` if it could not be read) and kind."""

    source: str
    key: str
    kind: str = "read"

    def as_list(self) -> list[str]:
        return [self.source, self.key, self.kind]


def batch_id(parser: str, members: Sequence[Member]) -> str:
    """The name of a batch: 20 hex digits of a hash of the parser and the members."""
    digest = hashlib.blake2b(parser.encode(), digest_size=10)
    for m in members:
        digest.update(b"\n" + "\0".join(m.as_list()).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BatchTask:
    """What a worker needs to write one batch (small and picklable)."""

    members: tuple[Member, ...]
    parser: str
    root: str
    validate: bool = True
    narrative: bool = False
    reader: Callable[[str], Any] | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", batch_id(self.parser, self.members))

    def with_crashed(self, crashed: set[str]) -> BatchTask:
        """The same batch with the files in ``crashed`` recorded as crashes instead of read."""
        members = tuple(replace(m, kind="crashed") if m.source in crashed and m.kind == "read" else m
                        for m in self.members)
        return replace(self, members=members, id="")


@dataclass
class BatchDone:
    """What came back: where the files are staged, which files, and counts."""

    id: str
    staged: str
    files: list[str]
    parsed: int = 0
    failed: int = 0
    reports: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    worker: str = ""
    peak_rss_mb: float | None = None


def _reader(task: BatchTask) -> Callable[[str], Any]:
    if task.reader is not None:
        return task.reader
    from govdisclose.report import read_report

    return read_report


def probe(reader: Callable[[str], Any] | None, source: str) -> bool:
    """Read one file and throw the result away (to find out whether it kills its process)."""
    if reader is None:
        from govdisclose.report import read_report

        reader = read_report
    try:
        reader(source)
    except Exception:  # noqa: BLE001 - only a dead process matters here
        pass
    return True


class _Tables:
    """Rows of the five tables, gathered per report and typed once per batch."""

    def __init__(self) -> None:
        from govdisclose.tidy import new_columns

        self.cells = new_columns()
        self.cell_rows: list[int] = []
        self.findings: list[dict[str, Any]] = []
        self.sections: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.failures: list[dict[str, Any]] = []
        self.reports_read: list[Any] = []


def _read_one(task: BatchTask, member: Member, out: _Tables, read: Callable[[str], Any]) -> None:
    from govdisclose.corpus.failures import crash_record, failure_record, unread_record

    def fail(record: dict[str, Any]) -> None:
        out.failures.append({"source": member.source, "key": member.key, "error": record["error"],
                             "message": record["message"], "internal": bool(record.get("internal", False)),
                             "parser": task.parser, "batch": task.id})

    if member.kind == "unread":
        return fail(unread_record(Path(member.source)))
    if member.kind == "crashed":
        return fail(crash_record(0, member.source))
    before = len(out.cells["item"])
    start = time.perf_counter()
    try:
        report = read(member.source)
        report.add_to(out.cells)
        findings = report.finding_rows()
        sections = report.sections
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is dropped
        for values in out.cells.values():
            del values[before:]
        return fail(failure_record(0, member.source, exc))
    seconds = time.perf_counter() - start
    n = len(out.cells["item"]) - before
    out.cell_rows.extend(range(n))
    for k, row in enumerate(findings):
        out.findings.append({**row, "stage": "reader", "_row": k})
    for k, (numeral, text) in enumerate(sections.items()):
        out.sections.append({"agency": report.agency, "year": report.year, "source": member.source, "section": numeral,
                             "text": text, "_row": k})
    states = out.cells["state"][before:]
    out.reports.append({"source": member.source, "key": member.key, "format": report.format, "template": report.template,
                        "agency": report.agency, "year": report.year, "title": report.title, "parser": task.parser,
                        "bytes": _size(member.source), "cells": n, "unreadable": sum(s == "unreadable" for s in states),
                        "findings": len(findings), "read_seconds": seconds, "batch": task.id})
    if task.narrative:
        out.reports_read.append(report)


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def _frames(task: BatchTask, out: _Tables) -> dict[str, Any]:
    """The batch's five tables as pandas frames (rows in member order, then each report's order)."""
    import pandas as pd

    from govdisclose.records import FINDING_COLUMNS
    from govdisclose.tidy import frame_from_columns

    metrics = frame_from_columns(out.cells)
    metrics["_row"] = pd.array(out.cell_rows, dtype="int32") if out.cell_rows else pd.array([], dtype="int32")
    findings = pd.DataFrame(out.findings, columns=[*FINDING_COLUMNS, "stage", "_row"])
    if task.validate and len(metrics):
        extra = _validator_findings(metrics, out.reports_read if task.narrative else None)
        if len(extra):
            start = findings.groupby("source", observed=True).size().to_dict() if len(findings) else {}
            extra["_row"] = extra.groupby("source", sort=False, observed=True).cumcount() + extra["source"].map(start).fillna(0).astype(int)
            if len(findings):
                # the columns are typed by the Parquet schema when written (schema.to_arrow), so
                # pandas 2's warning about how concat infers the dtype of all-NA columns is moot
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)
                    findings = pd.concat([findings, extra.assign(stage="validator")], ignore_index=True)
            else:
                findings = extra.assign(stage="validator")[[*FINDING_COLUMNS, "stage", "_row"]]
    return {
        "metrics": metrics,
        "findings": findings,
        "sections": pd.DataFrame(out.sections, columns=["agency", "year", "source", "section", "text", "_row"]),
        "reports": pd.DataFrame(out.reports),
        "failures": pd.DataFrame(out.failures),
    }


def _validator_findings(metrics: Any, reports: list[Any] | None) -> Any:
    """validate() on the batch (per report: cross-year rules need every year, so they are left to
    analysis), with the narrative rule when the reports are at hand."""
    import numpy as np
    import pandas as pd

    from govdisclose.checks.rules import validate

    found = validate(reports if reports else metrics, cross_year=False)
    if not len(found):
        return found
    order = pd.Index(pd.unique(metrics["source"].astype(str)))  # the members' order
    rank = order.get_indexer(found["source"].astype(str))
    rank[rank < 0] = len(order)  # (a report with prose but no cells: last)
    return found.take(np.argsort(rank, kind="stable")).reset_index(drop=True)


def _write(task: BatchTask, frames: dict[str, Any], staged: Path) -> tuple[list[str], dict[str, int]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from govdisclose.corpus.dataset.schema import PARTITIONED, partition_dir, to_arrow

    files: list[str] = []
    rows: dict[str, int] = {}
    for table, frame in frames.items():
        if not len(frame):
            continue
        rows[table] = len(frame)
        data = to_arrow(frame, table)
        parts: list[tuple[Any, str]] = [(data, f"{table}/part-{task.id}.parquet")]
        if table in PARTITIONED:
            parts = [(data.filter(pa.array(mask, type=pa.bool_())), f"{table}/{partition_dir(year)}/part-{task.id}.parquet")
                     for year, mask in _year_masks(frame["year"])]
        for part, rel in parts:
            target = staged / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(part, target, compression="zstd")
            files.append(rel)
    return files, rows


def _year_masks(years: Any) -> list[tuple[int | None, Any]]:
    """Each year of a table's rows with the mask of its rows: the years in order (as whole
    numbers), then ``None`` for the rows whose year is missing.

    >>> import pandas as pd
    >>> [(y, m.tolist()) for y, m in _year_masks(pd.Series([2021, None, 2019], dtype="Int64"))]
    [(2019, [False, False, True]), (2021, [True, False, False]), (None, [False, True, False])]
    >>> [(y, m.tolist()) for y, m in _year_masks(pd.Series([2020.0, float("nan")]))]  # a column with gaps read as floats
    [(2020, [True, False]), (None, [False, True])]
    """
    import numpy as np
    import pandas as pd

    missing = np.asarray(pd.isna(years), dtype=bool)
    ints = np.zeros(len(missing), dtype=np.int64)
    ints[~missing] = np.asarray(years[~missing], dtype=np.float64).astype(np.int64)
    out: list[tuple[int | None, Any]] = [(int(y), ~missing & (ints == y)) for y in np.unique(ints[~missing])]
    if missing.any():
        out.append((None, missing))
    return out


def run_batch(task: BatchTask) -> BatchDone:
    """Read the batch's files and write its tables into a fresh folder under the dataset's
    ``_tmp/`` (the builder moves them into place and commits). Never raises for a bad file."""
    from govdisclose.corpus.dataset import gc_batch
    from govdisclose.corpus.dataset.store import Store
    from govdisclose.corpus.pool import file_done

    read = _reader(task)
    out = _Tables()
    with gc_batch.fewer_collections():  # a report's objects die by refcount: the collector's walks were ~8 % of a batch
        for member in task.members:
            _read_one(task, member, out, read)
            file_done()  # the progress bar moves per file, not per batch
        frames = _frames(task, out)
        staged = Store(task.root).new_tmp(task.id)
        files, rows = _write(task, frames, staged)
    parsed = sum(m.kind == "read" for m in task.members)
    return BatchDone(task.id, str(staged), files, parsed=parsed, failed=len(out.failures), reports=len(out.reports),
                     rows=rows, worker=f"{socket.gethostname()}:{os.getpid()}", peak_rss_mb=peak_rss_mb())


def peak_rss_mb() -> float | None:
    """The peak resident memory of this process so far, in MB (``None`` where the OS does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
