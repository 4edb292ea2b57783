"""Loading many reports (in parallel, cached, with a failure table), reading and writing the
tidy frame as Parquet or CSV, and the bundled sample.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from govdisclose.exceptions import CorruptDocumentError, DocumentError, EmptyDocumentError, GovDiscloseError
from govdisclose.readers import FORMATS  # noqa: F401  (re-exported for callers listing formats)
from govdisclose.tidy import COLUMNS, DATA_CATEGORY_COLUMNS, apply_dtypes, empty_metrics, is_canonical, union_categories

__all__ = [
    "load_reports",
    "sample_path",
    "sample_dir",
    "REPORT_SUFFIXES",
    "collect_paths",
    "read_metrics",
    "write_metrics",
    "FAILURE_COLUMNS",
    "METRICS_SUFFIXES",
    "FailureTable",
]

REPORT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".text", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx")
#: Files in a folder that look like reports in a format govdisclose does not read: listed as
#: failures (so nothing is silently left out) rather than skipped without a word.
UNREAD_SUFFIXES: tuple[str, ...] = (
    ".doc", ".docm", ".wps", ".rtf", ".odt", ".ofd", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".mht", ".mhtml",
    ".caj", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp",
)
#: Columns of ``attrs["failures"]``.
FAILURE_COLUMNS: tuple[str, ...] = ("source", "error", "message")
#: Suffixes :func:`read_metrics` and :func:`write_metrics` understand.
METRICS_SUFFIXES: tuple[str, ...] = (".parquet", ".pq", ".csv")
_ORDER = "_order"
_STRING_COLUMNS = ("raw", "location", "note")


def sample_dir() -> Path:
    """The folder of bundled sample reports (``data/`` in the checkout, or ``$GOVDISCLOSE_DATA``)."""
    env = os.environ.get("GOVDISCLOSE_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise GovDiscloseError(
        "the bundled sample data folder was not found; install govdisclose from a checkout "
        "(pip install -e .) or set GOVDISCLOSE_DATA to the data/ folder"
    )


def sample_path(name: str) -> Path:
    """Path of one bundled sample report, e.g. ``sample_path("mfa_2023.txt")``."""
    path = sample_dir() / name
    if not path.exists():
        available = ", ".join(sorted(p.name for p in sample_dir().iterdir() if p.suffix in REPORT_SUFFIXES))
        raise GovDiscloseError(f"no bundled sample {name!r}; available: {available}")
    return path


def _as_list(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths_or_folder, (str, os.PathLike)):
        return [Path(paths_or_folder)]
    if isinstance(paths_or_folder, bytes):
        raise ValueError("paths must be str or os.PathLike, not bytes")
    return [Path(p) for p in paths_or_folder]


def collect_paths(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand a folder (recursively, report suffixes only) or a list of paths, sorted and unique.

    Folders are expanded in sorted order, leaving out README files (a folder's notes, not a
    report); listed files keep the order given (a file listed twice is read once).

    >>> [p.name for p in collect_paths(sample_dir())][:3]
    ['mfa_2023.txt', 'pingtan_2019.html', 'pingtan_2019.txt']
    """
    out: list[Path] = []
    for item in _as_list(paths_or_folder):
        if item.is_dir():
            out.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                              and not p.stem.lower().startswith("readme")))
        else:
            out.append(item)
    return list(dict.fromkeys(out))


def _unread_files(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[dict]:
    """Files inside the given folders in formats that are not read (``.doc``, ``.xls`` …)."""
    out = []
    for item in _as_list(paths_or_folder):
        if not item.is_dir():
            continue
        for p in sorted(item.rglob("*")):
            suffix = p.suffix.lower()
            if suffix in UNREAD_SUFFIXES and p.is_file():
                out.append({
                    "source": str(p), "error": "UnsupportedFormatError",
                    "message": f"{p}: not read: {suffix} files are not a supported format "
                               "(text, Markdown, HTML, PDF and DOCX are); convert it to one of those",
                })
    return out


class FailureTable(pd.DataFrame):
    """The files a load could not read (``source, error, message``): a DataFrame that is safe to
    keep in ``frame.attrs``.

    pandas deep-copies ``attrs`` into the result of most operations and compares them with
    ``==`` when it combines frames; a plain DataFrame there makes ``astype({...})`` or
    ``pd.concat`` of two loaded frames fail ("The truth value of a DataFrame is ambiguous").
    This table is shared instead of copied (treat it as read-only) and ``==`` compares it as a
    whole, giving one bool like :meth:`DataFrame.equals`. Anything derived from it (a column, a
    filter) is a plain DataFrame or Series.

    >>> t = FailureTable({"source": ["a.txt"], "error": ["EmptyDocumentError"], "message": ["a.txt: empty"]})
    >>> t == t.copy(), t["error"].tolist()
    (True, ['EmptyDocumentError'])
    """

    @property
    def _constructor(self):  # derived frames are plain DataFrames
        return pd.DataFrame

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict | None = None) -> FailureTable:
        return self


# -- the work done in each worker ---------------------------------------------------------------

@dataclass
class _Chunk:
    """What reading some files gave: one frame of their rows (column ``_order`` = file index,
    no ``source``) and one failure record per file that could not be read."""

    frame: pd.DataFrame | None = None
    failures: list[dict] = field(default_factory=list)

    def __add__(self, other: _Chunk) -> _Chunk:
        frames = [f for f in (self.frame, other.frame) if f is not None]
        frame = _stack(frames) if frames else None
        return _Chunk(frame, self.failures + other.failures)


def _failure(index: int, path: str, exc: BaseException) -> dict:
    if isinstance(exc, GovDiscloseError):
        problem = exc.problem if isinstance(exc, DocumentError) else str(exc)
        return {_ORDER: index, "source": path, "error": type(exc).__name__, "message": str(exc),
                "problem": problem, "internal": False}
    message = f"{path}: internal error while reading this file ({type(exc).__name__}: {exc}); please report it"
    return {_ORDER: index, "source": path, "error": type(exc).__name__, "message": message, "problem": message,
            "internal": True}


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the frames of several reports (same columns and dtypes: see _read_chunk)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _read_chunk(items: list[tuple[int, str]]) -> _Chunk:
    """Read some files (in a worker process or here) into one typed frame; never raises for a
    bad file. Cells are gathered in column lists (:meth:`Report.add_to`) and typed once."""
    from govdisclose.report import read_report
    from govdisclose.tidy import frame_from_columns, new_columns

    columns = new_columns()
    order: list[int] = []
    failures: list[dict] = []
    for index, path in items:
        before = len(columns["item"])
        try:
            read_report(path).add_to(columns)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, none is dropped
            for values in columns.values():
                del values[before:]  # a report that failed half-way adds nothing
            failures.append(_failure(index, path, exc))
            continue
        order.extend([index] * (len(columns["item"]) - before))
    if not order:
        return _Chunk(None, failures)
    frame = frame_from_columns(columns).drop(columns="source")
    frame[_ORDER] = np.asarray(order, dtype=np.int64)
    return _Chunk(frame, failures)


def _crashed(item: tuple[int, str]) -> _Chunk:
    index, path = item
    message = (f"{path}: the worker process reading this file died (a crash in a library or out of "
               "memory); the file was not read")
    return _Chunk(None, [{_ORDER: index, "source": path, "error": "WorkerCrash", "message": message,
                          "problem": message, "internal": True}])


def _raise(failure: dict) -> None:
    """Re-raise a recorded failure in this process as the same govdisclose exception."""
    from govdisclose import exceptions

    cls = getattr(exceptions, failure["error"], None)
    if failure["internal"] or not (isinstance(cls, type) and issubclass(cls, GovDiscloseError)):
        raise GovDiscloseError(failure["message"])
    if issubclass(cls, DocumentError):
        raise cls(failure["source"], failure["problem"])
    try:
        exc = cls(failure["problem"])
    except TypeError:  # pragma: no cover - an exception class with another signature
        exc = GovDiscloseError(failure["message"])
    raise exc


# -- the public loader ------------------------------------------------------------------------------

def load_reports(
    paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    errors: str = "collect",
    jobs: int | str | None = 1,
    progress: bool | None = None,
    cache: bool | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Read many report files into one tidy metrics frame.

    * ``paths_or_folder``: a folder (read recursively: ``.txt .md .html .htm .pdf .docx`` …), one
      file, or a list of both. Rows come in path order (folders sorted), then in each report's
      own order, with the same dtypes, whatever ``jobs`` and whether rows came from the cache.
    * ``errors="collect"`` (default) keeps going and lists every file that could not be read in
      ``frame.attrs["failures"]`` (a DataFrame: source, error, message), including files in the
      folders in formats that are not read (``.doc``, ``.xls`` …); ``errors="raise"`` raises the
      first failure's :class:`~govdisclose.exceptions.GovDiscloseError` (in path order).
    * ``jobs``: worker processes; 1 (default) reads in this process; ``"auto"`` (or ``None``) uses
      one per CPU but no more than one per 25 files to read (starting a worker costs about as much
      as reading that many text reports).
    * ``progress``: a tqdm bar on stderr; ``None`` (default) shows it when stderr is a terminal.
    * ``cache``: see :mod:`govdisclose.corpus.cache`: ``None`` (default) uses the cache only if
      ``$GOVDISCLOSE_CACHE_DIR`` is set; ``True`` the user cache folder; a path that folder;
      ``False`` never. ``frame.attrs["cache"]`` says how many reports were hits and misses.

    The frame also has ``attrs["files"]`` (how many files were given to read) and ``attrs["jobs"]``
    (the worker processes used; 1 = in this process).

    With ``jobs`` above 1, a script must make the call under ``if __name__ == "__main__":``
    (worker processes are started with ``spawn`` and import the script).

    >>> import govdisclose
    >>> m = govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt"), "no_such_file.txt"])
    >>> m.attrs["failures"][["source", "error"]].values.tolist()
    [['no_such_file.txt', 'EmptyDocumentError']]
    """
    from govdisclose.corpus.cache import KEY, content_key, resolve_cache
    from govdisclose.corpus.parallel import chunk_size, chunked, map_chunks, resolve_jobs

    if errors not in ("collect", "raise"):
        raise ValueError("errors must be 'collect' or 'raise'")
    paths = collect_paths(paths_or_folder)
    unread = _unread_files(paths_or_folder)
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
    save = None
    if store is not None and todo:
        store.prepare()
        key_of = np.array([k or "" for k in keys], dtype=object)

        def save(chunk: _Chunk) -> None:
            if chunk.frame is not None:
                storable = chunk.frame.drop(columns=_ORDER).assign(**{KEY: key_of[chunk.frame[_ORDER].to_numpy()]})
                store.store(storable[storable[KEY] != ""])

    hits = len(paths) - len(todo)
    desc = f"reading ({hits} cached)" if store is not None else "reading"
    results = map_chunks(_read_chunk, chunks, jobs=workers, progress=show, desc=desc, stop=stop, on_crash=_crashed,
                         on_result=save) if chunks else []
    failures = [f for c in results for f in c.failures]
    if errors == "raise" and failures:
        _raise(min(failures, key=lambda f: f[_ORDER]))
    pieces = [c.frame for c in results if c.frame is not None]
    del results

    # 3. assemble in path order
    if cached is not None and not cached.empty:
        pieces.insert(0, _place_cached(cached, keys, todo))
    metrics = _assemble(pieces, sources)  # empties pieces as it goes
    fail_frame = pd.DataFrame(
        sorted(failures, key=lambda f: f[_ORDER]), columns=[_ORDER, *FAILURE_COLUMNS, "problem", "internal"]
    )[list(FAILURE_COLUMNS)]
    if unread:
        fail_frame = pd.concat([fail_frame, pd.DataFrame(unread, columns=list(FAILURE_COLUMNS))], ignore_index=True)
    metrics.attrs["failures"] = FailureTable(fail_frame.reset_index(drop=True))
    metrics.attrs["files"] = len(paths)
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
                           _ORDER: [i for i in range(len(keys)) if i not in parsed_here]})
    if wanted[KEY].is_unique:
        index_of = dict(zip(wanted[KEY], wanted[_ORDER]))
        placed = cached.assign(**{_ORDER: cached[KEY].map(index_of).astype(np.int64)})
    else:  # the same content in several files: one copy of its rows per file
        placed = wanted.merge(cached, on=KEY, how="inner", sort=False)
    return placed.drop(columns=KEY)


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
    order = frame[_ORDER].to_numpy()
    if len(order) > 1 and not (np.diff(order) >= 0).all():
        frame = frame.take(np.argsort(order, kind="stable")).reset_index(drop=True)
        order = frame[_ORDER].to_numpy()
    categories = sorted(set(sources[i] for i in np.unique(order)))
    code_of = {s: c for c, s in enumerate(categories)}
    file_codes = np.array([code_of.get(s, -1) for s in sources], dtype=np.int32)
    frame["source"] = pd.Categorical.from_codes(file_codes[order], categories=categories)
    frame = frame[list(COLUMNS)]
    return frame if is_canonical(frame) else apply_dtypes(frame)


# -- the tidy frame on disk ---------------------------------------------------------------------

def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in METRICS_SUFFIXES:
        raise GovDiscloseError(
            f"{path}: metrics files are Parquet (.parquet) or CSV (.csv); {suffix or 'no suffix'} is neither"
        )
    return suffix


def write_metrics(metrics: pd.DataFrame, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a tidy metrics frame to ``.parquet`` or ``.csv`` (UTF-8 with a BOM, so that
    spreadsheet programs show the Chinese text); refuses to overwrite an existing file unless
    ``force=True``. The file is written under a temporary name and renamed, so a failed write
    never leaves half a file. Returns the path.

    >>> import tempfile, govdisclose
    >>> m = govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt")])
    >>> out = write_metrics(m, Path(tempfile.mkdtemp()) / "metrics.csv")
    >>> read_metrics(out).equals(m)
    True
    """
    path = Path(path)
    _suffix(path)  # refuses anything but .parquet and .csv
    if path.exists() and not force:
        raise GovDiscloseError(f"{path} already exists; choose another name or pass force=True (--force) to overwrite it")
    if path.is_dir():
        raise GovDiscloseError(f"{path} is a folder, not a file name")
    missing = [c for c in COLUMNS if c not in metrics.columns]
    if missing:
        raise GovDiscloseError(f"not a tidy metrics frame: missing columns {', '.join(missing)}")
    write_table(metrics, path)
    return path


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write any table to ``.csv`` (UTF-8 with a BOM) or ``.parquet`` under a temporary name, then
    rename it into place, so that a failed write never leaves half a file."""
    plain = frame.copy(deep=False)
    plain.attrs = {}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if path.suffix.lower() == ".csv":
            plain.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            plain.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, path)
    except OSError as exc:
        raise GovDiscloseError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def read_metrics(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a tidy metrics frame written by :func:`write_metrics` (or ``govdisclose parse``),
    with the canonical dtypes. In CSV an empty field is ``<NA>``, except in ``raw``,
    ``location`` and ``note``, where it is the empty text it was."""
    path = Path(path)
    suffix = _suffix(path)
    if not path.is_file():
        raise EmptyDocumentError(path, "no such file")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for column in frame.columns:
                if column not in _STRING_COLUMNS:
                    frame[column] = frame[column].mask(frame[column] == "")
            frame["year"] = pd.to_numeric(frame.get("year"), errors="coerce")
        else:
            frame = pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CorruptDocumentError(path, f"is not a readable {suffix[1:]} metrics file ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises its own error types for damaged files
        raise CorruptDocumentError(path, f"is not a readable {suffix[1:]} metrics file ({type(exc).__name__}: {exc})") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise GovDiscloseError(f"{path}: not a govdisclose metrics file; missing columns {', '.join(missing)}")
    if suffix == ".csv":
        bad = frame["value"].notna() & pd.to_numeric(frame["value"], errors="coerce").isna()
        if bad.any():
            raise CorruptDocumentError(path, f"column value holds text that is not a number, e.g. {frame.loc[bad, 'value'].iloc[0]!r}")
    return apply_dtypes(frame)
