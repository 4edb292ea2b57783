"""A corpus dataset on disk: its folders, the commit of a batch, and which batches are live.

Layout of ``DATASET/``::

    _dataset.json                       what this folder is (format and version)
    _batches/<batch>.json               one marker per committed batch: members, files, parser
    _index.json                         the live batches and their files (rewritten after each build)
    _tmp/                               batches being written (never read as data)
    metrics/year=2023/part-<batch>.parquet   … one file per table and year per batch
    metrics/year=2023/part-<batch>-0000.parquet   … a compacted batch's files (:mod:`.compact`)
    failures/part-<batch>.parquet

A batch is **committed** when its marker is in ``_batches/``; the marker is renamed into place
(atomic) only after every data file of the batch has been renamed into place. Readers only read
the files that live markers list, so a build killed at any moment leaves no half-written data that
reads as data; the next build deletes the files no live marker lists. A marker may name batches it
``replaces`` (a batch rewritten without some members): those are dead even if their marker is
still on disk (a build killed between the two steps).

>>> import tempfile
>>> store = Store(tempfile.mkdtemp())
>>> store.prepare(); store.live()
{}
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Any

from govdisclose.exceptions import DatasetError

__all__ = ["Store", "FORMAT", "VERSION"]

FORMAT = "govdisclose-corpus"
VERSION = 1
_MARKERS = "_batches"
_TMP = "_tmp"
_INDEX = "_index.json"
_INFO = "_dataset.json"
_LOCK = "_build.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return True


def _write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: a temporary file beside it, then renamed over it."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


class Store:
    """The dataset folder ``root`` (see the module docstring)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @property
    def markers(self) -> Path:
        return self.root / _MARKERS

    @property
    def tmp(self) -> Path:
        return self.root / _TMP

    def is_dataset(self) -> bool:
        """Whether ``root`` holds a corpus dataset."""
        info = self.root / _INFO
        if not info.is_file():
            return False
        try:
            data = json.loads(info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("format") == FORMAT

    def prepare(self) -> None:
        """Create the dataset folder (refusing a non-empty folder that is not a dataset)."""
        if self.root.exists() and not self.root.is_dir():
            raise DatasetError(f"{self.root}: not a folder")
        if self.root.is_dir() and any(self.root.iterdir()) and not self.is_dataset():
            raise DatasetError(f"{self.root}: this folder holds other files and is not a govdisclose corpus dataset; "
                               "give an empty or new folder")
        self.markers.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(exist_ok=True)
        if not (self.root / _INFO).exists():
            _write_json(self.root / _INFO, {"format": FORMAT, "version": VERSION})

    def new_tmp(self, batch: str) -> Path:
        """A fresh folder under ``_tmp/`` for one attempt at writing a batch."""
        folder = self.tmp / f"{batch}.{uuid.uuid4().hex[:8]}"
        folder.mkdir(parents=True)
        return folder

    def lock(self) -> None:
        """Take the build lock (``_build.lock``: host and process id), so that two builds never
        write one dataset at once; a lock left by a process of this host that is gone is taken over."""
        path = self.root / _LOCK
        me = f"{socket.gethostname()}:{os.getpid()}"
        for _ in range(2):
            try:
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(me)
                return
            except FileExistsError:
                holder = path.read_text(encoding="utf-8").strip() if path.exists() else ""
                host, _, pid = holder.rpartition(":")
                if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
                    path.unlink(missing_ok=True)  # stale: its build was killed
                    continue
                raise DatasetError(f"{self.root}: another build is writing this dataset ({holder or 'unknown'}); "
                                   f"if it is not running any more, delete {path}") from None
        raise DatasetError(f"{self.root}: could not take the build lock {path}")

    def unlock(self) -> None:
        """Release the build lock."""
        (self.root / _LOCK).unlink(missing_ok=True)

    # -- committing and dropping -----------------------------------------------------------------

    def commit(self, marker: dict[str, Any], staged: Path) -> None:
        """Move a batch's files from ``staged`` into place, then write its marker (the commit)."""
        for rel in marker["files"]:
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged / rel, target)
        _write_json(self.markers / f"{marker['id']}.json", marker)
        shutil.rmtree(staged, ignore_errors=True)
        for old in marker.get("replaces", ()):
            self.drop(old)

    def drop(self, batch: str, marker: dict[str, Any] | None = None) -> None:
        """Remove a batch: its marker first (it stops being data at once), then its files."""
        path = self.markers / f"{batch}.json"
        if marker is None:
            marker = self._read_marker(path)
        path.unlink(missing_ok=True)
        for rel in (marker or {}).get("files", ()):
            (self.root / rel).unlink(missing_ok=True)

    # -- reading the state --------------------------------------------------------------------------

    @staticmethod
    def _read_marker(path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "id" in data else None

    def live(self) -> dict[str, dict[str, Any]]:
        """The live batches' markers by id (replaced ones left out), in id order."""
        if not self.markers.is_dir():
            return {}
        found = {}
        for path in sorted(self.markers.glob("*.json")):
            marker = self._read_marker(path)
            if marker is not None:
                found[marker["id"]] = marker
        dead = {old for m in found.values() for old in m.get("replaces", ())}
        return {k: m for k, m in found.items() if k not in dead}

    def collect_garbage(self, live: dict[str, dict[str, Any]]) -> int:
        """Delete what no live batch owns: replaced markers, unfinished ``_tmp/`` writes, data
        files of uncommitted batches. Returns the number of data files deleted."""
        owned = {rel for m in live.values() for rel in m["files"]}
        for path in self.markers.glob("*.json"):
            if path.stem not in live:
                path.unlink(missing_ok=True)
        for leftover in self.markers.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(exist_ok=True)
        deleted = 0
        from govdisclose.corpus.dataset.schema import TABLES

        for table in TABLES:
            folder = self.root / table
            if not folder.is_dir():
                continue
            for path in folder.rglob("*.parquet"):
                if path.relative_to(self.root).as_posix() not in owned:
                    path.unlink()
                    deleted += 1
        return deleted

    # -- the index read by open_corpus ---------------------------------------------------------------

    def write_index(self, live: dict[str, dict[str, Any]]) -> None:
        """Record the live batches and their files for readers (one file, atomically)."""
        files: dict[str, list[str]] = {}
        for marker in live.values():
            for rel in marker["files"]:
                files.setdefault(rel.split("/", 1)[0], []).append(rel)
        _write_json(self.root / _INDEX, {"batches": sorted(live), "files": {t: sorted(f) for t, f in files.items()},
                                         "parser": sorted({m["parser"] for m in live.values()})})

    def read_index(self) -> dict[str, Any]:
        """The live files by table: from ``_index.json`` when it matches the markers on disk
        (the last build finished), else from the markers themselves."""
        if not self.is_dataset():
            raise DatasetError(f"{self.root}: not a govdisclose corpus dataset (build one with build_corpus)")
        on_disk = sorted(p.stem for p in self.markers.glob("*.json"))
        try:
            index = json.loads((self.root / _INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            index = None
        if isinstance(index, dict) and index.get("batches") == on_disk:
            return index
        live = self.live()
        files: dict[str, list[str]] = {}
        for marker in live.values():
            for rel in marker["files"]:
                files.setdefault(rel.split("/", 1)[0], []).append(rel)
        return {"batches": sorted(live), "files": {t: sorted(f) for t, f in files.items()},
                "parser": sorted({m["parser"] for m in live.values()})}
