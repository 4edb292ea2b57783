"""Where the batches run: ``local`` (this process, or a pool of worker processes) or ``dask``
(a ``dask.distributed`` cluster: one started here, one at a scheduler address, or a client given).

Both engines run :func:`~govdisclose.corpus.dataset.batch.run_batch` on each batch and hand each
result to ``done`` in this process as it arrives. A batch whose worker process dies is run once
more alone; if it dies again, each of its files is read alone, and the files that kill their
process are recorded as crashes (``failures``, error ``WorkerCrash``) while the others are read
in the batch as usual. (On Dask, the scheduler itself re-runs a task whose worker died
``distributed.scheduler.allowed-failures`` times before giving up with ``KilledWorker``; a cluster
started here allows one.)

>>> resolve_engine("local", jobs=1).workers
1
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from govdisclose.corpus.dataset.batch import BatchDone, BatchTask, run_batch
from govdisclose.exceptions import DatasetError

__all__ = ["LocalEngine", "DaskEngine", "resolve_engine", "ENGINES"]

ENGINES: tuple[str, ...] = ("local", "dask")
Done = Callable[[BatchTask, BatchDone], None]


def _pool(workers: int) -> ProcessPoolExecutor:
    from govdisclose.corpus.parallel import _context

    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


class LocalEngine:
    """Batches in this process (``jobs=1``) or in ``jobs`` worker processes (spawned)."""

    name = "local"

    def __init__(self, jobs: int = 1) -> None:
        self.workers = max(1, int(jobs))
        self.crashes = 0

    def describe(self) -> str:
        return "in this process" if self.workers == 1 else f"{self.workers} worker processes"

    def probe(self, reader: Any, sources: list[str]) -> set[str]:
        from govdisclose.corpus.dataset.probe import find_crashes

        return find_crashes(reader, sources)

    def run(self, tasks: list[BatchTask], done: Done) -> None:
        if self.workers == 1:
            for task in tasks:
                done(task, run_batch(task))
            return
        queue = list(reversed(tasks))
        pool = _pool(self.workers)
        running: dict[Future, BatchTask] = {}
        try:
            while queue or running:
                while queue and len(running) < 2 * self.workers:
                    task = queue.pop()
                    running[pool.submit(run_batch, task)] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken: list[BatchTask] = []
                for future in finished:
                    task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken.append(task)
                        continue
                    done(task, result)
                if broken:  # every batch in the pool fails with it: each is re-run alone
                    broken += list(running.values())
                    running.clear()
                    pool.shutdown(wait=True, cancel_futures=True)
                    for task in broken:
                        self._alone(task, done)
                    pool = _pool(self.workers)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _alone(self, task: BatchTask, done: Done) -> None:
        """Run a batch in a worker of its own; if that dies too, find the files that kill it."""
        result = _one(run_batch, task)
        attempt = 0
        while result is None:
            task = _after_crash(task, attempt, self)
            result = _one(run_batch, task) if attempt < _MOST_ATTEMPTS else run_batch(task)
            attempt += 1
        done(task, result)


#: Runs of one batch after its worker died, before each file still to read is recorded as a crash.
_MOST_ATTEMPTS = 3


def _after_crash(task: BatchTask, attempt: int, engine: Any) -> BatchTask:
    """The batch to run after its worker died: the files that kill a process alone recorded as
    crashes (found by :func:`~govdisclose.corpus.dataset.probe.find_crashes`, run where
    ``engine.probe`` runs it), or, after :data:`_MOST_ATTEMPTS` runs, every file still to read."""
    members = [m.source for m in task.members if m.kind == "read"]
    crashed = set(members) if attempt >= _MOST_ATTEMPTS else engine.probe(task.reader, members)
    engine.crashes += len(crashed)
    return task.with_crashed(crashed)


def _one(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` in a fresh worker process; ``None`` if that process died."""
    pool = _pool(1)
    try:
        return pool.submit(func, *args).result()
    except BrokenProcessPool:
        return None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """Batches as tasks on a ``dask.distributed`` cluster."""

    name = "dask"

    def __init__(self, client: Any = None, scheduler: str | None = None, jobs: int | None = None) -> None:
        from govdisclose._optional import import_optional

        self._distributed = import_optional("distributed", extra="dask", purpose="the dask engine")
        self._own: list[Any] = []
        if client is None and scheduler:
            client = self._distributed.Client(scheduler)
            self._own.append(client)
        elif client is None:
            import dask

            from govdisclose.corpus.parallel import available_cpus

            with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
                cluster = self._distributed.LocalCluster(
                    n_workers=jobs or available_cpus(), threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=":0")
            client = self._distributed.Client(cluster)
            self._own += [client, cluster]
        self.client = client
        self.crashes = 0
        self.workers = len(client.scheduler_info().get("workers", {})) or 1

    def describe(self) -> str:
        link = None
        try:
            if "dashboard" in self.client.scheduler_info().get("services", {}):
                link = self.client.dashboard_link
        except Exception:  # noqa: BLE001 - no dashboard to show
            link = None
        return f"dask cluster, {self.workers} workers" + (f"; dashboard: {link}" if link else "")

    def close(self) -> None:
        for thing in self._own:
            thing.close()
        self._own.clear()

    def run(self, tasks: list[BatchTask], done: Done) -> None:
        killed = self._distributed.KilledWorker
        attempts: dict[Any, tuple[BatchTask, int]] = {}
        futures = []
        for task in tasks:
            future = self.client.submit(run_batch, task, key=f"govdisclose-batch-{task.id}", pure=False)
            attempts[future] = (task, 0)
            futures.append(future)
        pending = self._distributed.as_completed(futures)
        for future in pending:
            task, attempt = attempts.pop(future)
            try:
                result = future.result()
            except killed:
                task = _after_crash(task, attempt, self)
                again = self.client.submit(run_batch, task, key=f"govdisclose-batch-{task.id}-{attempt + 1}", pure=False)
                attempts[again] = (task, attempt + 1)
                pending.add(again)
                continue
            except Exception as exc:  # noqa: BLE001 - a worker without govdisclose, a folder it cannot write …
                raise DatasetError(f"a dask worker failed on a batch ({type(exc).__name__}: {exc}); the workers must "
                                   "have govdisclose installed and see the dataset folder at the same path") from exc
            done(task, result)

    def probe(self, reader: Any, sources: list[str]) -> set[str]:
        """Find the crashing files on a worker (which survives: each file is read in a child process)."""
        from govdisclose.corpus.dataset.probe import find_crashes

        found: set[str] = self.client.submit(find_crashes, reader, sources, pure=False).result()
        return found


def resolve_engine(engine: str, *, jobs: int | str | None = None, client: Any = None,
                   scheduler: str | None = None, n_tasks: int = 1000) -> LocalEngine | DaskEngine:
    """The engine named ``engine`` (``"local"`` or ``"dask"``); a client or scheduler implies dask."""
    from govdisclose.corpus.parallel import available_cpus, resolve_jobs

    if engine not in ENGINES:
        raise DatasetError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "dask" or client is not None or scheduler:
        workers = None if jobs in (None, "auto", 0) else int(jobs)  # type: ignore[arg-type]
        return DaskEngine(client=client, scheduler=scheduler, jobs=workers)
    if jobs in (None, "auto", 0):
        return LocalEngine(min(available_cpus(), max(1, n_tasks)))
    return LocalEngine(resolve_jobs(jobs, max(1, n_tasks)))


def progress_bar(show: bool | None, total: int) -> Any:
    """A tqdm bar over files on stderr (``None``: when stderr is a terminal)."""
    if not (sys.stderr.isatty() if show is None else show) or not total:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="building corpus", unit="file", file=sys.stderr, dynamic_ncols=True)


def close(engine: Any, extra: Iterable[Any] = ()) -> None:
    if hasattr(engine, "close"):
        engine.close()
    for bar in extra:
        if bar is not None:
            bar.close()
