"""A national corpus as an incremental Parquet dataset: :func:`build_corpus` writes it (locally or
on a Dask cluster), :func:`compact_corpus` merges its batches into few large sorted files (a build
does it at its end), :func:`open_corpus` reads it with filters pushed down to Parquet.

The tables: ``metrics`` (the tidy contract), ``findings`` (reader, mapper and validator findings
with their locations), ``sections`` (the six sections' text), ``reports`` (one row per report)
and ``failures`` (every file not read, and why). See :mod:`.builder`, :mod:`.store` (the layout
and the atomic commit), :mod:`.compact`, :mod:`.engines` and :mod:`.reader`.

The names are imported on first use: a worker process unpickling
:func:`~govdisclose.corpus.dataset.batch.run_batch` imports this package, and needs neither the
builder nor the reader.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["build_corpus", "BuildResult", "open_corpus", "Corpus", "compact_corpus", "CompactResult"]

_LAZY = {"build_corpus": "builder", "BuildResult": "builder", "open_corpus": "reader", "Corpus": "reader",
         "compact_corpus": "compact", "CompactResult": "compact"}

if TYPE_CHECKING:  # pragma: no cover
    from govdisclose.corpus.dataset.builder import BuildResult, build_corpus
    from govdisclose.corpus.dataset.compact import CompactResult, compact_corpus
    from govdisclose.corpus.dataset.reader import Corpus, open_corpus


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
