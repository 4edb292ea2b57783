"""Loading many reports into one tidy frame: :func:`load_reports` (in parallel, cached, one
report per agency and year, every file considered accounted for in ``attrs``).

Which files are read is :mod:`govdisclose.corpus.paths`; the copies of one report
:mod:`govdisclose.corpus.duplicates`; the failure records and table are
:mod:`govdisclose.corpus.failures`; the cache is :mod:`govdisclose.corpus.cache`; the worker
processes are :func:`govdisclose.corpus.parallel.map_chunks` on the one pool of
:mod:`govdisclose.corpus.pool` (shared with ``build_corpus``: a file that kills its worker is
recorded as ``WorkerCrash`` and the others are read).

>>> import govdisclose
>>> metrics = govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt")])
>>> metrics.groupby("agency", observed=True).size().to_dict()
{'外交部': 200}
>>> metrics.attrs["failures"].empty
True
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from govdisclose.corpus.duplicates import DUPLICATE_MODES, resolve_duplicates
from govdisclose.corpus.failures import (
    ORDER,
    FailureTable,
    crash_record,
    failure_record,
    failure_table,
    raise_failure,
    unread_record,
)
from govdisclose.corpus.paths import PathsOrFolder, survey
from govdisclose.tidy import COLUMNS, DATA_CATEGORY_COLUMNS, apply_dtypes, empty_metrics, is_canonical, union_categories

__all__ = ["load_reports"]


# -- the work done in each worker ---------------------------------------------------------------

@dataclass
class _Chunk:
    """What reading some files gave: one frame of their rows (column ``_order`` = file index,
    no ``source``) and one failure record per file that could not be read."""

    frame: pd.DataFrame | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def __add__(self, other: _Chunk) -> _Chunk:
        frames = [f for f in (self.frame, other.frame) if f is not None]
        frame = _stack(frames) if frames else None
        return _Chunk(frame, self.failures + other.failures)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the frames of several reports (same columns and dtypes: see _read_chunk)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _read_chunk(items: list[tuple[int, str]]) -> _Chunk:
    """Read some files (in a worker process or here) into one typed frame; never raises for a
    bad file. Cells are gathered in column lists (:meth:`Report.add_to`) and typed once."""
    from govdisclose.corpus.pool import file_done
    from govdisclose.report import read_report
    from govdisclose.tidy import frame_from_columns, new_columns

    columns = new_columns()
    order: list[int] = []
    failures: list[dict[str, Any]] = []
    for index, path in items:
        before = len(columns["item"])
        try:
            read_report(path).add_to(columns)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is dropped
            for values in columns.values():
                del values[before:]  # a report that failed half-way adds nothing
            failures.append(failure_record(index, path, exc))
            continue
        finally:
            file_done()  # the progress bar moves per file, not per chunk
        order.extend([index] * (len(columns["item"]) - before))
    if not order:
        return _Chunk(None, failures)
    frame = frame_from_columns(columns).drop(columns="source")
    frame[ORDER] = np.asarray(order, dtype=np.int64)
    return _Chunk(frame, failures)


def _crashed(item: tuple[int, str]) -> _Chunk:
    return _Chunk(None, [crash_record(*item)])


# -- the public loader ------------------------------------------------------------------------------

def load_reports(
    paths_or_folder: PathsOrFolder,
    *,
    errors: str = "collect",
    jobs: int | str | None = 1,
    progress: bool | None = None,
    cache: bool | str | os.PathLike[str] | None = None,
    duplicates: str = "prefer",
) -> pd.DataFrame:
    """Read many report files into one tidy metrics frame, one report per agency and year.

    * ``paths_or_folder``: a folder (read recursively: ``.txt .md .html .htm .pdf .docx`` …), one
      file, or a list of both. Rows come in path order (folders sorted), then in each report's
      own order, with the same dtypes, whatever ``jobs`` and whether rows came from the cache.
      A path that does not exist raises :class:`~govdisclose.exceptions.PathNotFoundError` (also a
      ``FileNotFoundError``) before anything is read.
    * Every file considered is accounted for: read (its rows are in the frame, or it is a dropped
      copy in ``attrs["duplicates"]``), failed (``attrs["failures"]``) or skipped with the reason
      (``attrs["skipped"]``: README files, hidden files, ``truth/`` folders, other suffixes such as
      ``.csv``); ``attrs["files"]`` counts them all. The policy is :func:`govdisclose.corpus.paths.survey`.
    * ``errors="collect"`` (default) keeps going and lists every file that could not be read in
      ``frame.attrs["failures"]`` (a DataFrame: source, error, message), including files in the
      folders in formats that are not read (``.doc``, ``.xls`` …); ``errors="raise"`` raises the
      first failure's :class:`~govdisclose.exceptions.GovDiscloseError` (in path order).
    * ``duplicates``: several files holding the report of one (agency, year), e.g. a saved web
      page and its text rendering. ``"prefer"`` (default) keeps one by the rule of
      :mod:`govdisclose.corpus.duplicates` (fewest unreadable cells, then HTML before DOCX, PDF,
      Markdown, text, then path order); ``"first"`` keeps the first in path order; ``"keep"``
      keeps them all; ``"raise"`` raises :class:`~govdisclose.exceptions.DuplicateReportError`.
      ``attrs["duplicates"]`` lists each copy not kept (``agency, year, kept, dropped,
      kept_unreadable, dropped_unreadable, disagreements, reason``); ``attrs["agency_years"]``
      counts the agency-years in the frame.
    * ``jobs``: worker processes; 1 (default) reads in this process; ``"auto"`` (or ``None``) uses
      one per CPU but no more than one per 25 files to read (starting a worker costs about as much
      as reading that many text reports).
    * ``progress``: a tqdm bar on stderr; ``None`` (default) shows it when stderr is a terminal.
    * ``cache``: see :mod:`govdisclose.corpus.cache`: ``None`` (default) uses the cache only if
      ``$GOVDISCLOSE_CACHE_DIR`` is set; ``True`` the user cache folder; a path that folder;
      ``False`` never. ``frame.attrs["cache"]`` says how many reports were hits and misses.

    The frame also has ``attrs["jobs"]`` (the worker processes used; 1 = in this process).

    With ``jobs`` above 1, a script must make the call under ``if __name__ == "__main__":``
    (worker processes are started with ``spawn`` and import the script).

    >>> import govdisclose
    >>> m = govdisclose.load_reports(govdisclose.sample_dir())  # in a checkout: load_reports("data/")
    >>> m.attrs["files"], m.attrs["agency_years"], len(m.attrs["duplicates"]), len(m.attrs["skipped"])
    (35, 16, 2, 17)
    >>> m.attrs["skipped"]["reason"].value_counts().to_dict()
    {'in a truth/ folder (hand-checked values, not reports)': 16, "a README (the folder's notes, not a report)": 1}
    >>> govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt"), "no_such_file.txt"])
    Traceback (most recent call last):
    ...
    govdisclose.PathNotFoundError: no_such_file.txt: no such file or folder
    """
    from govdisclose.corpus.cache import KEY, content_key, resolve_cache
    from govdisclose.corpus.parallel import chunk_size, chunked, map_chunks, resolve_jobs

    if errors not in ("collect", "raise"):
        raise ValueError("errors must be 'collect' or 'raise'")
    if duplicates not in DUPLICATE_MODES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATE_MODES))}, not {duplicates!r}")
    files = survey(paths_or_folder)
    files.raise_missing()
    paths = files.read
    unread = [unread_record(p) for p in files.unread]
    if errors == "raise" and unread:
        from govdisclose.exceptions import UnsupportedFormatError

        raise UnsupportedFormatError(unread[0]["source"], unread[0]["message"].split(": ", 1)[1])
    store = resolve_cache(cache)
    sources = [str(p) for p in paths]

    # 1. what the cache already holds
    keys: list[str | None] = [None] * len(paths)
    cached = None
    hit_keys: set[str] = set()
    if store is not None:
        keys = [content_key(p) for p in paths]
        cached = store.lookup({k for k in keys if k is not None})
        if not cached.empty:
            hit_keys = set(cached[KEY])
    todo = [(i, sources[i]) for i in range(len(paths)) if keys[i] is None or keys[i] not in hit_keys]

    # 2. parse the rest, in parallel where asked; each chunk is cached as soon as it arrives
    workers = resolve_jobs(jobs, len(todo))
    show = (sys.stderr.isatty() if progress is None else bool(progress)) and bool(todo)
    chunks = chunked(todo, chunk_size(len(todo), workers))
    stop = (lambda c: bool(c.failures)) if errors == "raise" else None
    save: Callable[[_Chunk], None] | None = None
    if store is not None and todo:
        store.prepare()
        key_of = np.array([k or "" for k in keys], dtype=object)

        def store_chunk(chunk: _Chunk) -> None:
            if chunk.frame is not None and store is not None:
                storable = chunk.frame.drop(columns=ORDER).assign(**{KEY: key_of[chunk.frame[ORDER].to_numpy()]})
                store.store(storable[storable[KEY] != ""])

        save = store_chunk

    hits = len(paths) - len(todo)
    desc = f"reading ({hits} cached)" if store is not None else "reading"
    results = map_chunks(_read_chunk, chunks, jobs=workers, progress=show, desc=desc, stop=stop, on_crash=_crashed,
                         on_result=save) if chunks else []
    failures = [f for c in results for f in c.failures]
    if errors == "raise" and failures:
        raise_failure(min(failures, key=lambda f: f[ORDER]))
    pieces = [c.frame for c in results if c.frame is not None]
    del results

    # 3. assemble in path order
    if cached is not None and not cached.empty:
        pieces.insert(0, _place_cached(cached, keys, todo))
    metrics = _assemble(pieces, sources)  # empties pieces as it goes
    metrics, copies = resolve_duplicates(metrics, duplicates)
    metrics.attrs["failures"] = failure_table(failures, unread)
    metrics.attrs["duplicates"] = FailureTable(copies)
    metrics.attrs["skipped"] = FailureTable(pd.DataFrame([(str(p), r) for p, r in files.skipped], columns=["source", "reason"]))
    metrics.attrs["files"] = files.considered
    metrics.attrs["agency_years"] = len(metrics[["agency", "year"]].drop_duplicates()) if len(metrics) else 0
    metrics.attrs["jobs"] = workers
    metrics.attrs["cache"] = (
        {"dir": str(store.root), "hits": hits, "misses": len(todo)} if store is not None else None
    )
    return metrics


def _place_cached(cached: pd.DataFrame, keys: list[str | None], todo: list[tuple[int, str]]) -> pd.DataFrame:
    """The cached rows, each report's rows repeated for every file that has its content."""
    from govdisclose.corpus.cache import KEY

    parsed_here = {i for i, _ in todo}
    wanted = pd.DataFrame({KEY: [k for i, k in enumerate(keys) if i not in parsed_here],
                           ORDER: [i for i in range(len(keys)) if i not in parsed_here]})
    if wanted[KEY].is_unique:
        index_of = dict(zip(wanted[KEY], wanted[ORDER]))
        placed = cached.assign(**{ORDER: cached[KEY].map(index_of).astype(np.int64)})
    else:  # the same content in several files: one copy of its rows per file
        placed = wanted.merge(cached, on=KEY, how="inner", sort=False)
    placed = placed.drop(columns=KEY)
    for column in DATA_CATEGORY_COLUMNS:  # the store's categories are those of every report it holds
        if column in placed.columns and isinstance(placed[column].dtype, pd.CategoricalDtype):
            placed[column] = placed[column].cat.remove_unused_categories()
    return placed


def _assemble(pieces: list[pd.DataFrame], sources: list[str]) -> pd.DataFrame:
    """One frame in path order, ``source`` from the file index, canonical dtypes (``pieces``
    is emptied).

    The pieces already have the canonical dtypes (they come from :func:`tidy.frame_from_columns`)
    except the categoricals whose categories come from the data (``agency``), which differ per
    piece: those are combined on their codes, and ``source`` is built from the file index, so
    10,000 reports need no string re-encoding. Should any column not have its canonical dtype
    (a cache written by another pandas), the whole frame goes through :func:`tidy.apply_dtypes`.
    """
    if not pieces:
        return empty_metrics()
    data_columns = [c for c in DATA_CATEGORY_COLUMNS if c != "source" and c in pieces[0].columns]
    combined = {c: union_categories([p[c] for p in pieces]) for c in data_columns}
    rest = [p.drop(columns=data_columns) for p in pieces]
    pieces.clear()  # the caller's list: its frames are freed once concatenated
    frame = pd.concat(rest, ignore_index=True) if len(rest) > 1 else rest[0].reset_index(drop=True)
    del rest
    for column, values in combined.items():
        frame[column] = values
    order = frame[ORDER].to_numpy()
    if len(order) > 1 and not (np.diff(order) >= 0).all():
        frame = frame.take(np.argsort(order, kind="stable")).reset_index(drop=True)
        order = frame[ORDER].to_numpy()
    categories = sorted(set(sources[i] for i in np.unique(order)))
    code_of = {s: c for c, s in enumerate(categories)}
    file_codes = np.array([code_of.get(s, -1) for s in sources], dtype=np.int32)
    frame["source"] = pd.Categorical.from_codes(file_codes[order], categories=pd.Index(categories))
    frame = frame[list(COLUMNS)]
    return frame if is_canonical(frame) else apply_dtypes(frame)
