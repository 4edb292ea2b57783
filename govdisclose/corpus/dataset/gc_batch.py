"""Fewer cyclic garbage collections while a batch is read (the objects of a report die by refcount).

A report makes thousands of short-lived objects (cells, locations, mapped cells); with Python's
default first-generation threshold (700 allocations) the collector runs several times per
report, each time walking the report's live objects and promoting them to older generations,
which are walked again later. None of that frees anything the reference counts would not: a
report's objects are dropped when the next one is read. Measured with ``gc.callbacks`` over 512
synthetic reports (``scripts/profile_batch.py``-style runs): 0.25-0.37 CPU-ms per report spent
in collections with the default threshold, 0.01 with a threshold of 10,000.

Cycles are still collected (every 10,000 net allocations instead of 700), so memory stays
bounded; the setting is the process's, so it is raised only while at least one batch runs and put
back when the last one ends (Dask runs batches in threads of one process).

>>> import gc
>>> before = gc.get_threshold()
>>> with fewer_collections():
...     gc.get_threshold()[0] >= BATCH_THRESHOLD
True
>>> gc.get_threshold() == before
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["fewer_collections", "BATCH_THRESHOLD"]

#: The first-generation threshold while batches run (Python's default is 700).
BATCH_THRESHOLD = 10_000

_lock = threading.Lock()
_running = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's first threshold to :data:`BATCH_THRESHOLD` (if lower) for the block."""
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            if _saved[0] < BATCH_THRESHOLD:
                gc.set_threshold(BATCH_THRESHOLD, *_saved[1:])
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and gc.get_threshold()[0] == BATCH_THRESHOLD and _saved[0] < BATCH_THRESHOLD:
                gc.set_threshold(*_saved)
