"""Running one function over chunks of work in worker processes: in order, with progress, crash-safe.

:func:`map_chunks` is the engine under :func:`govdisclose.load_reports`. It returns the results
in the order of the chunks whatever the number of workers, so a load is deterministic; it shows
a tqdm bar on stderr; and when a worker process dies (a crash in a C library, the kernel's
out-of-memory killer) it does not lose the run: the unfinished chunks are retried one item at a
time in a fresh worker, and the item whose worker dies again is reported through ``on_crash``.

Workers are started with ``spawn`` (never ``fork``: forking a process that already runs threads,
as pandas and pyarrow do, can deadlock), so the function must be importable, defined at module
level.

>>> map_chunks(sum, [[1, 2], [3], [4, 5, 6]], jobs=1, progress=False)
[3, 3, 15]
>>> resolve_jobs(1, 10), resolve_jobs(8, 1), resolve_jobs("auto", 10)
(1, 1, 1)
>>> chunked(list(range(7)), 3)
[[0, 1, 2], [3, 4, 5], [6]]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["available_cpus", "resolve_jobs", "chunked", "chunk_size", "map_chunks", "WorkerCrash"]

T = TypeVar("T")
R = TypeVar("R")


class WorkerCrash(Exception):
    """Internal marker: the worker process died while running an item (never leaves this module)."""


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except OSError:  # pragma: no cover - exotic platforms
            pass
    return max(1, os.cpu_count() or 1)


#: With ``jobs="auto"``, one worker per this many tasks at most: starting a worker process costs
#: about as much as reading a few dozen text reports.
TASKS_PER_WORKER = 25


def resolve_jobs(jobs: int | str | None, n_tasks: int) -> int:
    """The number of worker processes to use; 1 means "in this process".

    ``jobs`` as given, or for ``"auto"``/``None``/``0`` one per available CPU but no more than one
    per :data:`TASKS_PER_WORKER` tasks; never more workers than tasks.
    """
    if jobs is None or jobs == "auto" or jobs == 0:
        wanted = min(available_cpus(), max(1, n_tasks // TASKS_PER_WORKER))
    elif isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ValueError(f"jobs must be a positive whole number or 'auto', not {jobs!r}")
    else:
        wanted = jobs
    return max(1, min(wanted, n_tasks))


def chunk_size(n_items: int, jobs: int, *, most: int = 64) -> int:
    """Items per chunk: about eight chunks per worker (a smooth progress bar, balanced load),
    at most ``most`` (bounded memory per result)."""
    if jobs <= 1:
        return max(1, min(most, n_items))
    return max(1, min(most, -(-n_items // (jobs * 8))))


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """Split ``items`` into consecutive lists of ``size`` (the last may be shorter)."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _progress_bar(progress: bool, total: int, desc: str, unit: str) -> Any:
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=True)


def map_chunks(
    func: Callable[[list[T]], R],
    chunks: Sequence[list[T]],
    *,
    jobs: int = 1,
    progress: bool = False,
    desc: str = "reading",
    unit: str = "file",
    stop: Callable[[R], bool] | None = None,
    on_crash: Callable[[T], R] | None = None,
    on_result: Callable[[R], None] | None = None,
) -> list[R]:
    """``[func(chunk) for chunk in chunks]``, run in ``jobs`` worker processes.

    Results come back in chunk order. The progress bar counts items (the chunks' lengths).
    ``stop(result)`` true for a result ends the run early (remaining work is cancelled) and the
    results up to and including that chunk are returned, in order: those are exactly the ones a
    sequential run would have produced before stopping. ``on_crash(item)`` turns an item whose
    worker died into a result (a one-item chunk's result); without it a crash is raised as
    :class:`RuntimeError`. ``on_result(result)`` is called in this process as each chunk's
    result arrives (in completion order), e.g. to save it before the run ends.
    """
    bar = _progress_bar(progress, sum(len(c) for c in chunks), desc, unit)
    done = _Done(bar, on_result)
    try:
        if jobs <= 1 or len(chunks) <= 1:
            return _run_here(func, chunks, done, stop)
        return _run_pool(func, chunks, jobs, done, stop, on_crash)
    finally:
        if bar is not None:
            bar.close()


class _Done:
    """What happens in this process when a chunk's result arrives: progress, then the callback."""

    def __init__(self, bar: Any, on_result: Callable[[Any], None] | None) -> None:
        self.bar = bar
        self.on_result = on_result

    def __call__(self, chunk: list[Any], result: Any) -> None:
        if self.bar is not None:
            self.bar.update(len(chunk))
        if self.on_result is not None:
            self.on_result(result)


def _run_here(func: Callable[[list[T]], R], chunks: Sequence[list[T]], done: _Done,
              stop: Callable[[R], bool] | None) -> list[R]:
    results: list[R] = []
    for chunk in chunks:
        result = func(chunk)
        results.append(result)
        done(chunk, result)
        if stop is not None and stop(result):
            break
    return results


def _context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("spawn")


def _run_pool(func: Callable[[list[T]], R], chunks: Sequence[list[T]], jobs: int, done_: _Done,
              stop: Callable[[R], bool] | None, on_crash: Callable[[T], R] | None) -> list[R]:
    results: dict[int, R] = {}
    stop_at: int | None = None  # lowest chunk index whose result asked to stop
    pending: set[int] = set(range(len(chunks)))
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    futures: dict[Future, int] = {}
    try:
        futures = {executor.submit(func, chunks[k]): k for k in range(len(chunks))}
        waiting = set(futures)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                k = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                results[k] = result
                pending.discard(k)
                done_(chunks[k], result)
                if stop is not None and stop(result) and (stop_at is None or k < stop_at):
                    stop_at = k
            if broken:
                break
            if stop_at is not None and all(j in results for j in range(stop_at)):
                break
    finally:
        for future in futures:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
    if stop_at is None and pending:
        if not _workers_can_start():
            from govdisclose.exceptions import GovDiscloseError

            raise GovDiscloseError(
                "worker processes could not start, so nothing was read in parallel. Worker processes "
                "import the main script: when a script calls load_reports(jobs=2 or more), the call "
                "must sit under `if __name__ == \"__main__\":`, and the script must be a file (not "
                "standard input); or use jobs=1"
            )
        # The pool broke: finish what is left one item at a time in a single worker, so that a
        # worker that dies again pins the crash on its item (a new worker takes over after it).
        isolated = _Isolated(func, on_crash)
        try:
            for k in sorted(pending):
                results[k] = isolated.run(chunks[k])
                done_(chunks[k], results[k])
                if stop is not None and stop(results[k]):
                    stop_at = k
                    break
        finally:
            isolated.close()
    last = stop_at if stop_at is not None else len(chunks) - 1
    return [results[k] for k in range(last + 1)]


def _ping() -> bool:
    return True


def _workers_can_start() -> bool:
    """Whether a fresh worker process starts and runs a trivial task (it does not when a
    script without a ``__main__`` guard starts workers, or processes cannot be created)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as executor:
            return executor.submit(_ping).result()
    except (BrokenProcessPool, OSError):
        return False


class _Isolated:
    """One worker process running one item at a time; replaced whenever it dies.

    Only used after a worker died, so its cost (no parallelism, one process start per crash) is
    paid only by a run that had a crash."""

    def __init__(self, func: Callable[[list[Any]], Any], on_crash: Callable[[Any], Any] | None) -> None:
        self.func = func
        self.on_crash = on_crash
        self.executor: ProcessPoolExecutor | None = None

    def run(self, chunk: list[Any]) -> Any:
        parts: list[Any] = []
        for item in chunk:
            if self.executor is None:
                self.executor = ProcessPoolExecutor(max_workers=1, mp_context=_context())
            try:
                parts.append(self.executor.submit(self.func, [item]).result())
            except BrokenProcessPool:
                self.close()
                if self.on_crash is None:
                    raise RuntimeError(f"a worker process died while processing {item!r}") from None
                parts.append(self.on_crash(item))
        merged = parts[0]
        for part in parts[1:]:
            merged = merged + part
        return merged

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
