"""``build_corpus``: every report under the sources into a Parquet dataset, incrementally.

The steps of a build:

1. list the sources (:func:`govdisclose.corpus.paths.survey`: the one policy for which files are
   reports) and hash each file's content (:func:`govdisclose.corpus.cache.content_key`);
2. compare with the live batches of the dataset: a file whose content and parser are unchanged is
   done; a batch holding a changed or vanished file is rewritten without it (its other rows are
   copied, not re-read); a batch of another parser is dropped;
3. cut what is left to read into batches of ``batch_size`` files in path order, run them on the
   engine, and commit each batch as it arrives (:mod:`govdisclose.corpus.dataset.store`).

Interrupted at any point, the dataset holds only committed batches; the next build deletes the
leftovers and reads only what is missing. The builder itself holds the list of files and one
batch's summary at a time, never the corpus' rows.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdisclose.corpus.dataset.batch import BatchDone, BatchTask, Member, batch_id
from govdisclose.corpus.dataset.store import Store
from govdisclose.corpus.paths import PathsOrFolder, survey

__all__ = ["build_corpus", "BuildResult", "parser_id"]


@dataclass
class BuildResult:
    """What a build did.

    ``files``: files listed as reports or in formats not read (``skipped``: README files and the
    like, not counted); ``parsed``: files read in this build; ``reused``: files whose rows were
    already in the dataset; ``failed``: files in ``failures`` after the build; ``crashed``: files
    that killed their worker in this build; ``batches``: batches committed in this build;
    ``rewritten``: batches rewritten without files that changed or vanished; ``removed``: files
    whose rows were removed (changed, vanished or of another parser); ``compacted``: batches
    merged into ``compacted_into`` compacted batches at the end (:mod:`.compact`).
    """

    dataset: Path
    engine: str
    workers: int
    files: int = 0
    skipped: int = 0
    parsed: int = 0
    reused: int = 0
    failed: int = 0
    crashed: int = 0
    batches: int = 0
    rewritten: int = 0
    removed: int = 0
    compacted: int = 0
    compacted_into: int = 0
    seconds: float = 0.0
    #: peak resident memory (MB) of each worker process (``host:pid``) as its batches reported it
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of this (the builder's) process by step: ``scan`` (listing and hashing the
    #: files), ``settle`` (comparing with the dataset), ``run`` (handing out batches and waiting;
    #: with one job, reading them here), ``commit`` (moving batches into place), ``compact``
    #: (:mod:`.compact`), ``index``;
    #: imports and start-up are not counted
    cpu: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of each local worker process (by pid): ``total`` (start-up included) and
    #: ``work`` (inside the batches); empty for Dask and for a build in this process
    worker_cpu: dict[int, dict[str, float]] = field(default_factory=dict)

    def __str__(self) -> str:
        rate = f" ({self.parsed / self.seconds:.0f} files/s)" if self.parsed and self.seconds else ""
        return (f"{self.dataset}: {self.files} files: {self.parsed} read now{rate}, {self.reused} already in the dataset, "
                f"{self.failed} in failures ({self.crashed} crashed a worker now); {self.batches} batches written, "
                f"{self.rewritten} rewritten, {self.removed} files' rows removed; engine {self.engine}, "
                f"{self.workers} worker(s), {self.seconds:.1f} s"
                + (f"; {self.compacted} batches compacted into {self.compacted_into}" if self.compacted else ""))


def parser_id(reader: Callable[[str], Any] | None = None) -> str:
    """The parser a batch was read with: the package's parser fingerprint, and the reader's name
    when a custom reader is used (its rows are not those of ``read_report``)."""
    from govdisclose.corpus.cache import parser_fingerprint

    fp = parser_fingerprint()
    if reader is None:
        return fp
    return f"{fp}+{getattr(reader, '__module__', '?')}.{getattr(reader, '__qualname__', repr(reader))}"


def _wanted(sources: PathsOrFolder) -> tuple[dict[str, Member], int]:
    from govdisclose.corpus.cache import content_key

    files = survey(sources)
    files.raise_missing()
    wanted: dict[str, Member] = {}
    for path in files.read:
        wanted[str(path)] = Member(str(path), content_key(path) or "", "read")
    for path in files.unread:
        wanted[str(path)] = Member(str(path), content_key(path) or "", "unread")
    return dict(sorted(wanted.items())), len(files.skipped)


def _settle(store: Store, live: dict[str, dict[str, Any]], wanted: dict[str, Member], parser: str,
            result: BuildResult) -> set[str]:
    """Bring the live batches in line with the files wanted; return the sources already done."""
    done: set[str] = set()
    for bid, marker in list(live.items()):
        members = [Member(*m) for m in marker["members"]]
        same_parser = marker["parser"] == parser
        keep = [m for m in members if same_parser and m.source not in done and _current(m, wanted.get(m.source))]
        done.update(m.source for m in keep)
        if len(keep) == len(members):
            continue
        result.removed += len(members) - len(keep)
        if keep:
            _rewrite(store, marker, keep)
            result.rewritten += 1
        else:
            store.drop(bid, marker)
        del live[bid]
    return done


def _current(member: Member, now: Member | None) -> bool:
    """Whether a member's rows are those the file would give now (same content, same kind;
    a recorded crash stands for the same content)."""
    if now is None or now.key != member.key:
        return False
    return member.kind == now.kind or (member.kind == "crashed" and now.kind == "read")


def _rewrite(store: Store, marker: dict[str, Any], keep: list[Member]) -> None:
    """Commit a copy of a batch holding only the rows of ``keep`` (replacing it), without re-reading."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from govdisclose.corpus.dataset.compact import read_compact, unit_id, write_sorted

    compacted = bool(marker.get("compacted"))  # a compacted batch stays one: sorted, in large row groups
    new_id = (unit_id if compacted else batch_id)(marker["parser"], keep)
    staged = store.new_tmp(new_id)
    sources = ds.field("source").isin([m.source for m in keep])
    files = []
    for rel in marker["files"]:
        name = rel.split("/", 1)[0]
        table = read_compact(store.root / rel, name, sources) if compacted else pq.read_table(store.root / rel, filters=sources)
        if not table.num_rows:
            continue
        if "batch" in table.column_names:
            table = table.set_column(table.column_names.index("batch"), "batch", pa.array([new_id] * table.num_rows, pa.string()))
        new_rel = rel.replace(f"part-{marker['id']}", f"part-{new_id}")
        if compacted:
            write_sorted(table, name, staged / new_rel)
        else:
            (staged / new_rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, staged / new_rel, compression="zstd")
        files.append(new_rel)
    store.commit({"id": new_id, "parser": marker["parser"], "members": [m.as_list() for m in keep],
                  "files": files, "replaces": [marker["id"]], **({"compacted": True} if compacted else {})}, staged)


def build_corpus(
    sources: PathsOrFolder,
    out: str | os.PathLike[str],
    *,
    engine: str = "local",
    jobs: int | str | None = "auto",
    client: Any = None,
    scheduler: str | None = None,
    batch_size: int = 256,
    validate: bool = True,
    narrative: bool = False,
    reader: Callable[[str], Any] | None = None,
    progress: bool | None = None,
    stop_after: int | None = None,
    compact: bool | str = "auto",
) -> BuildResult:
    """Read every report under ``sources`` into the Parquet dataset ``out`` (see :func:`open_corpus`).

    * ``sources``: folders (read recursively), files, or a list of both, as for
      :func:`~govdisclose.load_reports`. The dataset mirrors them: files no longer listed lose
      their rows; new or changed files (by content hash) are read; the rest is kept as it is.
    * ``engine``: ``"local"`` (default; ``jobs`` worker processes, ``"auto"``: one per CPU, 1: in
      this process) or ``"dask"``: on ``client`` (a ``dask.distributed.Client``), on the cluster
      at ``scheduler`` (``"tcp://host:8786"``), or else on a ``LocalCluster`` of ``jobs`` workers
      started here. Dask workers must see ``out`` at the same path (a shared file system).
    * ``batch_size``: files per batch (the unit of work, of writing and of memory).
    * ``validate``: also write the validator's findings (:func:`~govdisclose.validate`, rules
      within one report); ``narrative``: with the narrative rule too (slower: about doubles the time).
    * ``reader``: a function ``path -> Report`` used instead of :func:`~govdisclose.read_report`
      (module level, so that worker processes can import it).
    * ``stop_after``: stop after committing that many batches (a partial build, e.g. to build
      in steps; a later build resumes).
    * ``compact``: at the end, merge small batches into few large files sorted for filters
      (:func:`~govdisclose.corpus.dataset.compact.compact_corpus`): ``"auto"`` (default) once at
      least 8 batches are not compacted yet (a first build of more than 7 batches; later, after
      8 incremental ones), ``True`` whenever one is, ``False`` never. The rows read back are
      the same either way (only the ``batch`` column, the batch holding a row, changes).

    Rows are the same whatever the engine and the number of workers. Returns a :class:`BuildResult`.

    >>> import tempfile, govdisclose
    >>> out = tempfile.mkdtemp()
    >>> r = govdisclose.build_corpus(govdisclose.sample_path("mfa_2023.txt"), out, jobs=1)
    >>> r.parsed, r.failed, len(govdisclose.open_corpus(out).metrics())
    (1, 0, 200)
    >>> govdisclose.build_corpus(govdisclose.sample_path("mfa_2023.txt"), out, jobs=1).parsed
    0
    """
    from govdisclose.corpus.dataset.engines import ENGINES, close, progress_bar, resolve_engine
    from govdisclose.corpus.parallel import chunked
    from govdisclose.exceptions import DatasetError

    if engine not in ENGINES:
        raise DatasetError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if batch_size < 1:
        raise DatasetError(f"batch_size must be at least 1, not {batch_size}")
    if compact not in (True, False, "auto"):
        raise DatasetError(f"compact must be True, False or 'auto', not {compact!r}")
    start = time.perf_counter()
    clock = _Clock()
    store = Store(out)
    wanted, skipped = _wanted(sources)
    store.prepare()
    result = BuildResult(store.root, engine, 0, files=len(wanted), skipped=skipped, cpu=clock.spent)
    clock.lap("scan")
    store.lock()  # one build at a time
    try:
        live = store.live()
        store.collect_garbage(live)
        parser = parser_id(reader)
        root = str(store.root.resolve())
        done = _settle(store, live, wanted, parser, result)
        clock.lap("settle")
        todo = [m for s, m in wanted.items() if s not in done]
        result.reused = len(wanted) - len(todo)
        tasks = [BatchTask(tuple(c), parser, root, validate=validate, narrative=narrative, reader=reader)
                 for c in chunked(todo, batch_size)]
        if stop_after is not None:
            tasks = tasks[:max(0, stop_after)]
        if tasks:
            runner = resolve_engine(engine, jobs=jobs, client=client, scheduler=scheduler, n_tasks=len(tasks))
            result.engine, result.workers = runner.name, runner.workers
            if runner.name == "dask" or progress:
                print(f"build-corpus: {len(todo)} files to read in {len(tasks)} batches on {runner.describe()}",
                      file=sys.stderr)
            bar = progress_bar(progress, sum(len(t.members) for t in tasks))

            def commit(task: BatchTask, got: BatchDone) -> None:
                clock.lap("run")
                store.commit({"id": task.id, "parser": parser, "members": [m.as_list() for m in task.members],
                              "files": got.files, "replaces": []}, Path(got.staged))
                result.parsed += got.parsed
                result.batches += 1
                if got.peak_rss_mb is not None:
                    result.worker_peak_mb[got.worker] = max(got.peak_rss_mb, result.worker_peak_mb.get(got.worker, 0.0))
                clock.lap("commit")

            try:
                runner.run(tasks, commit, bar=bar)  # the engine moves the bar (locally: per file)
            finally:
                close(runner, [bar])
                clock.lap("run")
            result.crashed = runner.crashes
            result.worker_cpu = {pid: {"total": s.total, "work": s.work}
                                 for pid, s in getattr(runner, "stats", {}).items() if runner.workers > 1}
        live = store.live()
        _compact(store, live, compact, result)
        clock.lap("compact")
        store.write_index(live)
        result.failed = _failure_rows(store, live)
    finally:
        store.unlock()
        clock.lap("index")
    result.seconds = time.perf_counter() - start
    return result


def _compact(store: Store, live: dict[str, dict[str, Any]], compact: bool | str, result: BuildResult) -> None:
    from govdisclose.corpus.dataset.compact import AUTO_MIN_BATCHES, compact_store

    if compact is False:
        return
    done = compact_store(store, live, min_batches=AUTO_MIN_BATCHES if compact == "auto" else 1)
    result.compacted, result.compacted_into = done.merged, done.written


class _Clock:
    """CPU seconds of this process, added up by step (``lap(step)``: the time since the last lap)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.last = time.process_time()

    def lap(self, step: str) -> None:
        now = time.process_time()
        self.spent[step] = self.spent.get(step, 0.0) + now - self.last
        self.last = now


def _failure_rows(store: Store, live: dict[str, dict[str, Any]]) -> int:
    """How many files the dataset's ``failures`` table lists (from the Parquet footers)."""
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(store.root / rel).num_rows
               for marker in live.values() for rel in marker["files"] if rel.startswith("failures/"))
