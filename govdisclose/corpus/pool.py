"""The one pool of worker processes that survives a worker that dies, under both
:func:`govdisclose.load_reports` (through :func:`~govdisclose.corpus.parallel.map_chunks`) and
``build_corpus``'s local engine (:class:`~govdisclose.corpus.dataset.engines.LocalEngine`).

:meth:`Pool.run` runs a function on each chunk of work and yields ``(index, chunk, result)`` as
each chunk finishes (``chunk`` as it was last run: with the files that crashed marked); the callers put the results back in input order (``map_chunks``) or commit each
one under a name that depends only on its chunk (``build_corpus``), so outputs never depend on
the order in which workers finish.

* **Bounded**: each worker is a process of its own (a one-process executor) holding at most
  :data:`DEPTH` chunks at a time (the one it runs and the next), so what is in flight is bounded
  however many chunks there are, and a worker never waits for the next chunk.
* **A dead worker costs its chunk only**: when a worker process dies (a crash in a C library, the
  kernel's out-of-memory killer), the chunk it was running is known (a worker runs its chunks in
  turn); the chunk queued behind it never ran and goes back to the queue; the other workers go on.
* **Retried once, then probed**: the chunk is run once more in a fresh worker. If that dies too,
  each of its files is read alone in a worker (:meth:`Recovery.probes`); the files whose worker
  dies are marked as crashes (:meth:`Recovery.mark`: the caller records them, e.g. ``WorkerCrash``
  in ``failures``) and the chunk runs once more without reading them. Should it die even then,
  every file it still reads is marked and it runs a last time (reading nothing); a chunk that
  kills its worker while reading no file raises :class:`~govdisclose.exceptions.GovDiscloseError`.
* **Progress per file**: a tqdm bar (:func:`progress_bar`) advanced as each file of a chunk is
  done, not only when the chunk ends (a chunk of scans takes minutes): the function run calls
  :func:`file_done` after each file, which in a worker sends the chunk's number down a pipe of
  that worker's own (no lock shared with other workers, so a worker that dies cannot block
  them); the bar takes the rest of a chunk's size when its result arrives, never more.

Workers start with the context given (``spawn`` in govdisclose: never ``fork`` a process that
runs threads), so the function and the chunks must be picklable: module-level functions.

>>> list(Pool(1).run(sum, [[1, 2], [3]]))
[(0, [1, 2], 3), (1, [3], 3)]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Pool", "Recovery", "WorkerStats", "progress_bar", "file_done", "DEPTH"]

C = TypeVar("C")
R = TypeVar("R")

#: Chunks handed to one worker at a time: the one it runs and the next.
DEPTH = 2


class Recovery(Protocol[C]):
    """How the pool takes a chunk apart after it killed its worker twice."""

    def probes(self, chunk: C) -> list[Callable[[], object]]:
        """One picklable call per file the chunk still reads, reading that file alone (in a worker)."""

    def mark(self, chunk: C, crashed: set[int]) -> C:
        """The chunk with the files at these positions of :meth:`probes` recorded as crashes, not read."""


@dataclass
class WorkerStats:
    """CPU seconds of one worker process: ``total`` (all it used, start-up included, as of its
    last result), ``work`` (inside the function), and how many chunks it ran."""

    total: float = 0.0
    work: float = 0.0
    chunks: int = 0

    @property
    def overhead(self) -> float:
        """CPU not spent in the function: the interpreter's start, imports, receiving chunks."""
        return max(0.0, self.total - self.work)


@dataclass
class _Job:
    index: int  # the chunk's position in the input
    chunk: Any
    attempt: int = 0  # runs of this chunk whose worker died
    probe: int | None = None  # for a probe: the position of its file in Recovery.probes
    call: Callable[[], object] | None = None


@dataclass
class _Probing:
    job: _Job
    left: int
    crashed: set[int] = field(default_factory=set)


@dataclass
class _Timed:
    result: Any
    seconds: float  # CPU inside the function
    pid: int
    process: float  # CPU of the worker process so far


class _Ticks(Protocol):
    def send(self, index: int) -> None: ...


#: Where :func:`file_done` reports (a worker's pipe, or the pool in this process) and the number
#: of the chunk being run: set for each run by :func:`_timed`.
_TICKS: _Ticks | None = None
_CHUNK = -1


def file_done() -> None:
    """Called by a function the pool runs, after each file of its chunk: the progress bar moves
    by one file now. Does nothing outside a pool or where no bar is shown.

    >>> file_done()
    """
    if _TICKS is not None:
        try:
            _TICKS.send(_CHUNK)
        except (OSError, ValueError):  # the pool has gone (the run was stopped): nothing to tell
            pass


def _init_worker(ticks: _Ticks | None) -> None:
    global _TICKS
    _TICKS = ticks


def _timed(func: Callable[..., Any], *args: Any, index: int = -1) -> _Timed:
    """Run in the worker: ``func(*args)`` and the CPU it took (``index``: the chunk's number,
    for :func:`file_done`)."""
    global _CHUNK
    _CHUNK = index
    start = time.process_time()
    result = func(*args)
    end = time.process_time()
    return _Timed(result, end - start, os.getpid(), end)


class _InProcess:
    """:func:`file_done` with one worker: the pool in this process counts the file itself."""

    def __init__(self, pool: Pool[Any]) -> None:
        self.pool = pool

    def send(self, index: int) -> None:
        self.pool.file_done(index)


def _ping() -> bool:
    return True


class _Slot:
    """One worker process (a one-process executor, started on first use) and its chunks in turn."""

    def __init__(self, context: BaseContext, ticks: bool = False) -> None:
        self.context = context
        self.ticks = ticks  # whether its worker reports each file done (a progress bar is shown)
        self.executor: ProcessPoolExecutor | None = None
        self.pipe: Any = None  # the reading end of the worker's file_done pipe
        self.jobs: deque[tuple[Future[_Timed], _Job]] = deque()

    def submit(self, func: Callable[..., Any], job: _Job) -> None:
        if self.executor is None:
            writer = None
            if self.ticks:
                self.pipe, writer = self.context.Pipe(duplex=False)
            self.executor = ProcessPoolExecutor(max_workers=1, mp_context=self.context,
                                                initializer=_init_worker, initargs=(writer,))
        if job.call is not None:
            future = self.executor.submit(_timed, job.call, index=job.index)
        else:
            future = self.executor.submit(_timed, func, job.chunk, index=job.index)
        self.jobs.append((future, job))

    def files_done(self) -> list[int]:
        """The chunk numbers its worker reported a file done of, since last asked."""
        out: list[int] = []
        try:
            while self.pipe is not None and self.pipe.poll():
                out.append(self.pipe.recv())
        except (EOFError, OSError):
            pass
        return out

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None


def progress_bar(show: bool, total: int, desc: str, unit: str = "file") -> Any:
    """A tqdm bar over ``total`` files on stderr, or ``None`` when not shown."""
    if not show or not total:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=True)


def _spawn() -> BaseContext:
    return multiprocessing.get_context("spawn")


class Pool(Generic[C]):
    """``workers`` worker processes (1: in this process, without crash protection) started
    with ``context`` (default ``spawn``); ``recovery`` says how a chunk is taken apart after a
    crash (without it, a chunk that kills its worker twice raises). After :meth:`run`:
    ``crashed`` counts the files marked as crashes, ``deaths`` the worker processes that died,
    ``stats`` the CPU of each worker process by pid (in this process: pid of this process)."""

    def __init__(self, workers: int, *, context: BaseContext | None = None, recovery: Recovery[C] | None = None,
                 bar: Any = None, size: Callable[[C], int] | None = None) -> None:
        self.workers = max(1, int(workers))
        self.context = context or _spawn()
        self.recovery = recovery
        self.bar = bar
        self.size: Callable[[Any], int] = size or len
        self.crashed = 0
        self.deaths = 0
        self.stats: dict[int, WorkerStats] = {}
        self._probing: dict[int, _Probing] = {}
        self._sizes: dict[int, int] = {}  # chunk number -> files, and files the bar has counted
        self._counted: dict[int, int] = {}

    def run(self, func: Callable[[C], R], chunks: Sequence[C]) -> Iterator[tuple[int, C, R]]:
        """``(index, chunk, func(chunk))`` for every chunk, as each finishes (in input order with
        one worker), ``chunk`` as it was last run (after a crash: :meth:`Recovery.mark`'s).
        Stopping the iteration early cancels the chunks not started."""
        self._sizes = {k: self.size(c) for k, c in enumerate(chunks)} if self.bar is not None else {}
        if self.workers == 1:
            global _TICKS
            outer, _TICKS = _TICKS, (_InProcess(self) if self.bar is not None else None)
            try:
                for k, chunk in enumerate(chunks):
                    done = _timed(func, chunk, index=k)
                    self._account(done)
                    yield k, chunk, self._progress(k, done.result)
            finally:
                _TICKS = outer
            return
        queue = deque(_Job(k, c) for k, c in enumerate(chunks))
        slots = [_Slot(self.context, ticks=self.bar is not None) for _ in range(self.workers)]
        try:
            while queue or any(s.jobs for s in slots):
                for slot in sorted(slots, key=lambda s: len(s.jobs)):  # the idlest first
                    while queue and len(slot.jobs) < DEPTH:
                        slot.submit(func, queue.popleft())
                wait([f for s in slots for f, _ in s.jobs], timeout=0.25 if self.bar is not None else None,
                     return_when=FIRST_COMPLETED)
                for slot in slots:
                    for k in slot.files_done():
                        self.file_done(k)
                    while slot.jobs and slot.jobs[0][0].done():
                        future, job = slot.jobs.popleft()
                        try:
                            done = future.result()
                        except BrokenProcessPool:
                            # the job at the front was running; those behind it never ran
                            queue.extendleft(reversed([j for _, j in slot.jobs]))
                            slot.jobs.clear()
                            slot.close()
                            self._died(job, queue)
                            break
                        except Exception:
                            if job.call is None:
                                raise
                            self._probed(job, False, queue)  # the file raised, but its worker lived
                            continue
                        self._account(done)
                        if job.call is not None:
                            self._probed(job, False, queue)
                        else:
                            yield job.index, job.chunk, self._progress(job.index, done.result)
        finally:
            for slot in slots:
                slot.close()

    # -- bookkeeping ---------------------------------------------------------------------------

    def file_done(self, index: int) -> None:
        """One file of chunk ``index`` is done: the bar moves by one (never past the chunk's size)."""
        if self.bar is not None and self._counted.get(index, 0) < self._sizes.get(index, 0):
            self._counted[index] = self._counted.get(index, 0) + 1
            self.bar.update(1)

    def _progress(self, index: int, result: R) -> R:
        """Chunk ``index`` is done: the bar takes the files of it not yet counted."""
        if self.bar is not None:
            left = self._sizes.get(index, 0) - self._counted.get(index, 0)
            self._counted[index] = self._sizes.get(index, 0)
            if left > 0:
                self.bar.update(left)
        return result

    def _account(self, done: _Timed) -> None:
        stats = self.stats.setdefault(done.pid, WorkerStats())
        stats.total = max(stats.total, done.process)
        stats.work += done.seconds
        stats.chunks += 1

    def _died(self, job: _Job, queue: deque[_Job]) -> None:
        """A worker died running ``job``: what to run next (see the module docstring)."""
        self.deaths += 1
        if self.deaths == 1 and not self._can_start():
            from govdisclose.exceptions import GovDiscloseError

            raise GovDiscloseError(
                "worker processes could not start, so nothing was read in parallel. Worker processes "
                "import the main script: when a script calls load_reports or build_corpus with jobs=2 or "
                "more, the call must sit under `if __name__ == \"__main__\":`, and the script must be a "
                "file (not standard input); or use jobs=1")
        if job.call is not None:  # a probe: its file kills the process reading it
            return self._probed(job, True, queue)
        calls = self.recovery.probes(job.chunk) if self.recovery is not None else []
        if job.attempt == 0:
            queue.appendleft(_Job(job.index, job.chunk, 1))
        elif job.attempt == 1 and calls:
            self._probing[job.index] = _Probing(job, len(calls))
            queue.extendleft(reversed([_Job(job.index, job.chunk, 1, k, c) for k, c in enumerate(calls)]))
        elif job.attempt == 2 and calls and self.recovery is not None:
            self.crashed += len(calls)
            queue.appendleft(_Job(job.index, self.recovery.mark(job.chunk, set(range(len(calls)))), 3))
        else:
            from govdisclose.exceptions import GovDiscloseError

            raise GovDiscloseError(f"a worker process died {job.attempt + 1} times running chunk {job.index}"
                                   + (" while reading no file" if self.recovery is not None else ""))

    def _probed(self, job: _Job, crashed: bool, queue: deque[_Job]) -> None:
        state = self._probing[job.index]
        state.left -= 1
        if crashed and job.probe is not None:
            state.crashed.add(job.probe)
        if state.left:
            return
        del self._probing[job.index]
        assert self.recovery is not None
        self.crashed += len(state.crashed)
        chunk = self.recovery.mark(state.job.chunk, state.crashed)
        queue.appendleft(_Job(job.index, chunk, 2))

    def _can_start(self) -> bool:
        """Whether a fresh worker starts and runs a trivial call (it does not when a script
        without a ``__main__`` guard starts workers, or processes cannot be created)."""
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=self.context) as executor:
                return executor.submit(_ping).result()
        except (BrokenProcessPool, OSError):
            return False
