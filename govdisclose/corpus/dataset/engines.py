"""Where the batches run: ``local`` (this process, or a pool of worker processes) or ``dask``
(a ``dask.distributed`` cluster: one started here, one at a scheduler address, or a client given).

Both engines run :func:`~govdisclose.corpus.dataset.batch.run_batch` on each batch and hand each
result to ``done`` in this process as it arrives. A batch whose worker process dies is run once
more; if it dies again, each of its files is read alone, and the files that kill their process
are recorded as crashes (``failures``, error ``WorkerCrash``) while the others are read in the
batch as usual. Locally that is the one pool of :mod:`govdisclose.corpus.pool` (the same as under
``load_reports``). On Dask, the scheduler itself re-runs a task whose worker died
``distributed.scheduler.allowed-failures`` times before giving up with ``KilledWorker`` (a
cluster started here allows one); the files are then probed on a worker, each in a child
process (:mod:`govdisclose.corpus.dataset.probe`), which the worker survives.

>>> resolve_engine("local", jobs=1).workers
1
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any

from govdisclose.corpus.dataset.batch import BatchDone, BatchTask, probe, run_batch
from govdisclose.exceptions import DatasetError

__all__ = ["LocalEngine", "DaskEngine", "resolve_engine", "ENGINES"]

ENGINES: tuple[str, ...] = ("local", "dask")
Done = Callable[[BatchTask, BatchDone], None]


class LocalEngine:
    """Batches in this process (``jobs=1``) or in ``jobs`` worker processes (spawned), on the one
    pool of :mod:`govdisclose.corpus.pool` (the same as under ``load_reports``).

    After :meth:`run`: ``crashes`` counts the files recorded as crashes, ``stats`` the CPU of each
    worker process (:class:`~govdisclose.corpus.pool.WorkerStats` by pid)."""

    name = "local"

    def __init__(self, jobs: int = 1) -> None:
        self.workers = max(1, int(jobs))
        self.crashes = 0
        self.stats: dict[int, Any] = {}

    def describe(self) -> str:
        return "in this process" if self.workers == 1 else f"{self.workers} worker processes"

    def run(self, tasks: list[BatchTask], done: Done, bar: Any = None) -> None:
        """Run every batch, ``done(task, result)`` as each arrives; ``bar`` (a progress bar) moves
        per file as the workers read them."""
        from govdisclose.corpus.parallel import _context
        from govdisclose.corpus.pool import Pool

        pool: Pool[BatchTask] = Pool(self.workers, context=_context(), recovery=_BatchRecovery(), bar=bar,
                                     size=lambda task: len(task.members))
        try:
            for _, task, result in pool.run(run_batch, tasks):
                done(task, result)  # the batch as run: crashed files marked (its own id)
        finally:
            self.crashes += pool.crashed
            self.stats = pool.stats


class _BatchRecovery:
    """Taking a batch apart after it killed its worker twice: each file it reads is probed alone
    (:func:`~govdisclose.corpus.dataset.batch.probe`); the culprits become ``crashed`` members."""

    @staticmethod
    def _reading(task: BatchTask) -> list[str]:
        return [m.source for m in task.members if m.kind == "read"]

    def probes(self, task: BatchTask) -> list[Callable[[], object]]:
        return [functools.partial(probe, task.reader, source) for source in self._reading(task)]

    def mark(self, task: BatchTask, crashed: set[int]) -> BatchTask:
        reading = self._reading(task)
        return task.with_crashed({reading[k] for k in crashed})


#: Runs of one batch on Dask after its worker died, before each file still to read is recorded as a crash.
_MOST_ATTEMPTS = 3


def _after_crash(task: BatchTask, attempt: int, engine: Any) -> BatchTask:
    """The batch to run after its Dask worker died: the files that kill a process alone recorded
    as crashes (found by :func:`~govdisclose.corpus.dataset.probe.find_crashes` on a worker), or,
    after :data:`_MOST_ATTEMPTS` runs, every file still to read."""
    members = [m.source for m in task.members if m.kind == "read"]
    crashed = set(members) if attempt >= _MOST_ATTEMPTS else engine.probe(task.reader, members)
    engine.crashes += len(crashed)
    return task.with_crashed(crashed)


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

    def run(self, tasks: list[BatchTask], done: Done, bar: Any = None) -> None:
        """Run every batch on the cluster, ``done(task, result)`` as each arrives; ``bar`` (a
        progress bar) moves by a batch's files as it arrives (the dashboard shows the rest)."""
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
            if bar is not None:
                bar.update(len(task.members))

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
    from govdisclose.corpus.pool import progress_bar as bar

    return bar(sys.stderr.isatty() if show is None else show, total, "building corpus")


def close(engine: Any, extra: Iterable[Any] = ()) -> None:
    if hasattr(engine, "close"):
        engine.close()
    for bar in extra:
        if bar is not None:
            bar.close()
