"""Running one function over chunks of work in worker processes: in order, with progress, crash-safe.

:func:`map_chunks` is the front of :func:`govdisclose.load_reports` on the one worker pool
(:class:`govdisclose.corpus.pool.Pool`, also under ``build_corpus``). It returns the results in
the order of the chunks whatever the number of workers, so a load is deterministic; it shows a
tqdm bar on stderr; and when a worker process dies (a crash in a C library, the kernel's
out-of-memory killer) it does not lose the run: the chunk is run once more, then each of its
items alone, and an item whose worker dies then is reported through ``on_crash`` while the
chunk's other items are read as usual. This module also sizes the work (:func:`resolve_jobs`,
:func:`chunk_size`) and says how workers start (:func:`_context`).

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

import functools
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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
    """``[func(chunk) for chunk in chunks]``, run in ``jobs`` worker processes (the one pool of
    :mod:`govdisclose.corpus.pool`).

    Results come back in chunk order. The progress bar counts items (the chunks' lengths).
    ``stop(result)`` true for a result ends the run early (remaining work is cancelled) and the
    results up to and including that chunk are returned, in order: those are exactly the ones a
    sequential run would have produced before stopping. A chunk whose worker dies is run once
    more, then each of its items alone: ``on_crash(item)`` turns an item whose worker died then
    into a result (a one-item chunk's result), and the chunk's result is its items' results
    joined with ``+`` in item order; without ``on_crash`` a crash is raised as
    :class:`RuntimeError`. ``on_result(result)`` is called in this process as each chunk's
    result arrives (in completion order), e.g. to save it before the run ends.
    """
    from govdisclose.corpus.pool import Pool, progress_bar

    bar = progress_bar(progress, sum(len(c) for c in chunks), desc, unit)
    workers = jobs if len(chunks) > 1 else 1
    pool: Pool[_Items[T]] = Pool(workers, context=_context(), recovery=_ItemRecovery(func), bar=bar,
                                 size=lambda c: len(c.items))
    results: dict[int, R] = {}
    stop_at: int | None = None  # lowest chunk index whose result asked to stop
    try:
        for k, _, parts in pool.run(functools.partial(_run_items, func), [_Items(tuple(c)) for c in chunks]):
            result = results[k] = _join(parts, chunks[k], on_crash)
            if on_result is not None:
                on_result(result)
            if stop is not None and stop(result) and (stop_at is None or k < stop_at):
                stop_at = k
            if stop_at is not None and all(j in results for j in range(stop_at)):
                break
    finally:
        if bar is not None:
            bar.close()
    last = stop_at if stop_at is not None else len(chunks) - 1
    return [results[k] for k in range(last + 1)]


@dataclass(frozen=True)
class _Items(Generic[T]):
    """A chunk as the pool runs it: its items, and the positions of those recorded as crashes."""

    items: tuple[T, ...]
    crashed: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Crashed:
    """In a chunk's parts: the item at ``position`` killed its worker (recorded by ``on_crash``)."""

    position: int


def _run_items(func: Callable[[list[T]], R], chunk: _Items[T]) -> list[R | _Crashed]:
    """In the worker: ``[func(items)]``, or for a chunk with crashes ``func`` on each run of items
    between them and a :class:`_Crashed` for each crashed item, in item order."""
    if not chunk.crashed:
        return [func(list(chunk.items))]
    parts: list[R | _Crashed] = []
    run: list[T] = []
    for k, item in enumerate(chunk.items):
        if k in chunk.crashed:
            if run:
                parts.append(func(run))
                run = []
            parts.append(_Crashed(k))
        else:
            run.append(item)
    if run:
        parts.append(func(run))
    return parts


def _join(parts: list[R | _Crashed], chunk: list[T], on_crash: Callable[[T], R] | None) -> R:
    """A chunk's result from :func:`_run_items`'s parts (``on_crash`` for each crashed item),
    joined with ``+`` in item order."""
    joined: list[R] = []
    for part in parts:
        if isinstance(part, _Crashed):
            item = chunk[part.position]
            if on_crash is None:
                raise RuntimeError(f"a worker process died while processing {item!r}")
            joined.append(on_crash(item))
        else:
            joined.append(part)
    merged = joined[0]
    for more in joined[1:]:
        merged = merged + more  # type: ignore[operator]
    return merged


class _ItemRecovery(Generic[T, R]):
    """Probing a chunk of :func:`map_chunks`: each item is ``func([item])`` alone."""

    def __init__(self, func: Callable[[list[T]], R]) -> None:
        self.func = func

    def probes(self, chunk: _Items[T]) -> list[Callable[[], object]]:
        return [functools.partial(self.func, [item]) for k, item in enumerate(chunk.items) if k not in chunk.crashed]

    def mark(self, chunk: _Items[T], crashed: set[int]) -> _Items[T]:
        left = [k for k in range(len(chunk.items)) if k not in chunk.crashed]
        return _Items(chunk.items, chunk.crashed | {left[p] for p in crashed})


def _context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("spawn")
