"""A Parquet cache of parsed reports, so that re-reading a folder only parses new or changed files.

An entry is keyed on the file's **content** (and its suffix, which can decide the format) and on
the **parser version**: :data:`govdisclose.report.PARSER_VERSION` together with a fingerprint of
the parsing code and the catalogue, so an edited parser never serves numbers from before the
edit. The file's name and folder are not part of the key: a moved or copied file is a hit, and its
``source`` column names where it is now.

Where it lives: ``load_reports(..., cache=True)`` uses ``$GOVDISCLOSE_CACHE_DIR`` if set, else the
user cache folder (by :mod:`platformdirs`: ``~/.cache/govdisclose`` on Linux,
``~/Library/Caches/govdisclose`` on macOS, ``%LOCALAPPDATA%\\govdisclose\\Cache`` on Windows);
``cache="some/folder"`` puts it there. It is
**off by default** unless ``$GOVDISCLOSE_CACHE_DIR`` is set, and never written into the folder
being read unless you name that folder yourself.

Layout: ``<dir>/parser-<version>-<fingerprint>/part-*.parquet``; each part holds the tidy rows
of some reports (without ``source``) plus a ``_key`` column, and lists its keys in the Parquet
footer so a lookup reads only footers and the rows it needs. Parts are written to a temporary
name and renamed, so a crash never leaves half a part; a part that cannot be read is a miss.

>>> import tempfile, govdisclose
>>> folder = tempfile.mkdtemp()
>>> cache = ReportCache(folder)
>>> key = content_key(govdisclose.sample_path("mfa_2023.txt"))
>>> cache.lookup({key}).empty
True
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> cache.store(m.drop(columns="source").assign(_key=key))
>>> len(cache.lookup({key}))
200
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from govdisclose.exceptions import GovDiscloseError

__all__ = [
    "ReportCache", "content_key", "default_cache_dir", "resolve_cache", "fingerprint", "parser_fingerprint", "ENV_VAR", "KEY",
]

#: Environment variable naming the cache folder (and switching the cache on by default).
ENV_VAR = "GOVDISCLOSE_CACHE_DIR"
#: Name of the key column in cached parts.
KEY = "_key"
_META_KEYS = b"govdisclose.keys"
_MAX_PARTS = 512  # more parts than this: merged in groups (each load adds one part per chunk read)
_MERGE_GROUP = 64
# What read_report's numbers depend on: the pipeline's parsing stages (whole subpackages, so a new
# module in one of them is covered without listing it), the modules that assemble a report, and
# the package data (the catalogue).
_PARSING_PACKAGES = ("readers", "template", "mapping")
_PARSING_MODULES = ("report.py", "tidy.py", "exceptions.py")


def default_cache_dir() -> Path:
    """``$GOVDISCLOSE_CACHE_DIR``, else the platform's user cache folder for govdisclose
    (:func:`platformdirs.user_cache_dir`: ``$XDG_CACHE_HOME/govdisclose`` or
    ``~/.cache/govdisclose`` on Linux)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("govdisclose", appauthor=False))


def fingerprint(package_dir: str | os.PathLike[str]) -> str:
    """A hash (12 hex digits) of what parsing depends on in the package folder ``package_dir``:
    the parsing subpackages whole (``readers``, ``template``, ``mapping``: a new module in one of
    them is covered without listing it), the modules that assemble a report
    (``report.py``, ``tidy.py``, ``exceptions.py``) and the package data (``data/*.csv``, the
    catalogue). Any other module (figures, the command line …) does not change it.

    >>> import govdisclose
    >>> len(fingerprint(Path(govdisclose.__file__).parent))
    12
    """
    package = Path(package_dir)
    digest = hashlib.blake2b(digest_size=6)
    files = sorted({p for sub in _PARSING_PACKAGES for p in (package / sub).rglob("*.py")}
                   | {package / name for name in _PARSING_MODULES}
                   | set((package / "data").glob("*.csv")))
    for path in files:
        digest.update(str(path.relative_to(package).as_posix()).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """The parser version of the cache: ``PARSER_VERSION-<fingerprint of this package>`` (see
    :func:`fingerprint`), computed once per process."""
    from govdisclose.report import PARSER_VERSION

    return f"{PARSER_VERSION}-{fingerprint(Path(__file__).resolve().parents[1])}"


def content_key(path: str | os.PathLike[str]) -> str | None:
    """The cache key of a file: a hash of its bytes and suffix; ``None`` if it cannot be read
    (the reader then reports why)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.blake2b(path.suffix.lower().encode() + b"\0", digest_size=20)
    digest.update(data)
    return digest.hexdigest()


class ReportCache:
    """The cache in one folder (see the module docstring).

    ``stats`` counts what this object did: ``hits``, ``misses``, ``stored`` and ``errors`` (parts
    that could not be read or written; they only cost a re-parse).
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory).expanduser()
        self.folder = self.root / f"parser-{parser_fingerprint()}"
        self.stats = {"hits": 0, "misses": 0, "stored": 0, "errors": 0}

    def __repr__(self) -> str:
        return f"ReportCache({str(self.root)!r})"

    def prepare(self) -> None:
        """Create the folder; raise :class:`GovDiscloseError` if it cannot be written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            probe = self.folder / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise GovDiscloseError(
                f"cannot use {self.root} as the govdisclose cache: {exc.strerror or exc}; "
                f"pass cache=False, another folder, or set {ENV_VAR}"
            ) from None

    def _parts(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("part-*.parquet"))

    def _part_keys(self, part: Path) -> list[str] | None:
        import pyarrow.parquet as pq

        try:
            meta = pq.read_schema(part).metadata or {}
            return json.loads(meta[_META_KEYS])
        except Exception:  # noqa: BLE001 - a damaged or vanished part is a miss, never a failure
            self.stats["errors"] += 1
            return None

    def lookup(self, keys: Iterable[str]) -> pd.DataFrame:
        """Cached rows of the reports with these keys (column ``_key`` says which); keys not in
        the cache are simply absent. Counts hits and misses in :attr:`stats`."""
        import pyarrow.parquet as pq

        wanted = set(keys)
        where: dict[Path, list[str]] = {}
        found: set[str] = set()
        for part in self._parts():
            if len(found) == len(wanted):
                break
            part_keys = self._part_keys(part)
            if not part_keys:
                continue
            mine = [k for k in part_keys if k in wanted and k not in found]
            if mine:
                where[part] = mine
                found.update(mine)
        frames = []
        for part, part_keys in where.items():
            try:
                table = pq.read_table(part, filters=[(KEY, "in", part_keys)])
                frames.append(table.to_pandas())
            except Exception:  # noqa: BLE001 - see _part_keys
                self.stats["errors"] += 1
                found.difference_update(part_keys)
        self.stats["hits"] += len(found)
        self.stats["misses"] += len(wanted) - len(found)
        if not frames:
            return pd.DataFrame(columns=[KEY])
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return frame[frame[KEY].isin(found)].reset_index(drop=True)

    def store(self, frame: pd.DataFrame) -> None:
        """Add the rows of some parsed reports (tidy columns without ``source``, plus ``_key``).

        Never raises on a write problem (disk full, folder removed): the entry is just not
        cached, and ``stats["errors"]`` says so."""
        if frame.empty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(frame)
            self.stats["stored"] += int(frame[KEY].nunique())
            if len(self._parts()) > _MAX_PARTS:
                self.compact()
        except OSError:
            self.stats["errors"] += 1

    def _write(self, frame: pd.DataFrame) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        plain = frame.copy(deep=False)
        plain.attrs = {}
        table = pa.Table.from_pandas(plain, preserve_index=False)
        keys = list(dict.fromkeys(plain[KEY].astype(str)))
        meta = dict(table.schema.metadata or {})
        meta[_META_KEYS] = json.dumps(keys).encode()
        table = table.replace_schema_metadata(meta)
        name = f"part-{uuid.uuid4().hex}.parquet"
        tmp = self.folder / f".{name}.tmp"
        try:
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, self.folder / name)
        finally:
            if tmp.exists():
                tmp.unlink()
        return self.folder / name

    def compact(self) -> None:
        """Merge the parts in groups of 64 (run automatically when there are many); memory is
        bounded by one group. A key stored twice keeps its first copy."""
        import pyarrow.parquet as pq

        parts = self._parts()
        seen: set[str] = set()
        for start in range(0, len(parts), _MERGE_GROUP):
            group = parts[start:start + _MERGE_GROUP]
            if len(group) < 2:
                continue
            frames = []
            for part in group:
                try:
                    frame = pq.read_table(part).to_pandas()
                except Exception:  # noqa: BLE001 - an unreadable part is dropped
                    self.stats["errors"] += 1
                    continue
                frame = frame[~frame[KEY].isin(seen)]
                seen.update(frame[KEY].unique())
                frames.append(frame.astype({c: "string" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}))
            if frames:
                self._write(pd.concat(frames, ignore_index=True))
            for part in group:
                try:
                    part.unlink()
                except OSError:
                    pass

    def clear(self) -> int:
        """Delete the whole cache folder (every parser version); returns the bytes freed."""
        size = self.size()
        if self.root.is_dir():
            shutil.rmtree(self.root, ignore_errors=True)
        return size

    def size(self) -> int:
        """Bytes the cache uses on disk (every parser version)."""
        if not self.root.is_dir():
            return 0
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def info(self) -> dict:
        """Where the cache is, its size, and how many reports the current parser version holds."""
        parts = self._parts()
        reports = sum(len(self._part_keys(p) or []) for p in parts)
        return {"dir": str(self.root), "version": self.folder.name, "parts": len(parts), "reports": reports,
                "bytes": self.size()}


def resolve_cache(cache: bool | str | os.PathLike[str] | ReportCache | None) -> ReportCache | None:
    """Turn the ``cache`` argument of :func:`govdisclose.load_reports` into a cache (or ``None``).

    ``None``: on only if ``$GOVDISCLOSE_CACHE_DIR`` is set; ``False``: off; ``True``: on, in
    :func:`default_cache_dir`; a path: on, in that folder.

    >>> resolve_cache(False) is None
    True
    """
    if isinstance(cache, ReportCache):
        return cache
    if cache is None:
        return ReportCache(default_cache_dir()) if os.environ.get(ENV_VAR, "").strip() else None
    if cache is False:
        return None
    if cache is True:
        return ReportCache(default_cache_dir())
    if isinstance(cache, (str, os.PathLike)):
        if not str(cache).strip():
            raise ValueError("cache folder must not be an empty string")
        return ReportCache(cache)
    raise ValueError(f"cache must be True, False, None or a folder, not {cache!r}")
