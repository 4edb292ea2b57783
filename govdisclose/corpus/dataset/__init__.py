"""A national corpus as an incremental Parquet dataset: :func:`build_corpus` writes it (locally or
on a Dask cluster), :func:`open_corpus` reads it with filters pushed down to Parquet.

The tables: ``metrics`` (the tidy contract), ``findings`` (reader, mapper and validator findings
with their locations), ``sections`` (the six sections' text), ``reports`` (one row per report)
and ``failures`` (every file not read, and why). See :mod:`.builder`, :mod:`.store` (the layout
and the atomic commit), :mod:`.engines` and :mod:`.reader`.
"""

from govdisclose.corpus.dataset.builder import BuildResult, build_corpus
from govdisclose.corpus.dataset.reader import Corpus, open_corpus

__all__ = ["build_corpus", "BuildResult", "open_corpus", "Corpus"]
