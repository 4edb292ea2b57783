"""What a render leaves behind besides the HTML: the ``manifest.json`` of the runs (parameters,
status, files, package version, a hash of the input data) and each notebook's machine-readable
summary (:func:`write_summary`, called from the notebooks).

>>> len(data_hash())
64
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["data_hash", "write_manifest", "write_summary", "output_folder", "written_files"]


def data_hash(folder: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over the names and bytes of the report files in ``folder`` (default: the sample).

    >>> len(data_hash())
    64
    """
    from govdisclose.corpus.paths import sample_dir
    from govdisclose.corpus.sample import report_files

    root = Path(folder) if folder else sample_dir()
    digest = hashlib.sha256()
    for path in report_files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def output_folder(output_dir: str | os.PathLike[str], start: str | os.PathLike[str] | None = None) -> Path:
    """Where a notebook writes its figures and summary.

    An absolute ``output_dir`` (what the renderer passes) is used as it is. A relative one (the
    notebooks' default ``reports/<notebook>/default``, for an interactive run in Jupyter) is taken
    from the project folder, not from the notebook's own folder: when the notebook runs inside a
    ``notebooks/`` folder (Jupyter's working directory), from the folder above it, so interactive
    runs write into the project's ``reports/`` (ignored by git) and never beside the notebooks.

    >>> output_folder("reports/tutorial/default", "/project/notebooks").as_posix()
    '/project/reports/tutorial/default'
    >>> output_folder("/tmp/out", "/project/notebooks").as_posix()
    '/tmp/out'
    """
    path = Path(output_dir)
    if path.is_absolute():
        return path
    here = Path(start) if start is not None else Path.cwd()
    return (here.parent if here.name == "notebooks" else here) / path


def written_files(summary_path: str | os.PathLike[str]) -> str:
    """A Markdown line naming what a notebook wrote, as links relative to the rendered report
    (the report sits next to the summary's folder), never as an absolute local path.

    >>> import tempfile
    >>> path = write_summary(tempfile.mkdtemp() + "/pingtan", {"n": 1}, rows=pd.DataFrame({"a": [1]}))
    >>> written_files(path)
    'Machine-readable summary: [pingtan/summary.json](pingtan/summary.json); tables: [pingtan/rows.csv](pingtan/rows.csv).'
    """
    path = Path(summary_path)
    folder = path.parent.name
    summary = json.loads(path.read_text(encoding="utf-8"))
    links = [f"[{folder}/{name}]({folder}/{name})" for name in summary.get("tables", [])]
    text = f"Machine-readable summary: [{folder}/{path.name}]({folder}/{path.name})"
    return text + (f"; tables: {', '.join(links)}." if links else ".")


def write_manifest(root: Path, entries: list[dict[str, Any]]) -> None:
    """Merge the runs into ``manifest.json`` (runs of earlier renders into the same folder are kept)."""
    from govdisclose import __version__

    path = root / "manifest.json"
    runs: dict[str, dict[str, Any]] = {}
    if path.exists():
        try:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("runs", []):
                runs[f"{entry['notebook']}/{entry['slug']}"] = entry
        except (ValueError, KeyError, AttributeError):
            runs = {}
    for entry in entries:
        runs[f"{entry['notebook']}/{entry['slug']}"] = entry
    manifest = {"package_version": __version__, "python": sys.version.split()[0], "runs": [runs[k] for k in sorted(runs)]}
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _plain(value: object, folder: Path | None = None) -> object:
    """JSON-ready: <NA>/NaN → null, numpy scalars → Python, frames → records, paths inside
    ``folder`` → relative."""
    if isinstance(value, pd.DataFrame):
        return [_plain(r, folder) for r in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return {str(k): _plain(v, folder) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): _plain(v, folder) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v, folder) for v in value]
    if isinstance(value, Path):
        if folder is not None and value.resolve().is_relative_to(folder.resolve()):
            return str(value.resolve().relative_to(folder.resolve()))
        return str(value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _plain(value.item(), folder)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def write_summary(output_dir: str | os.PathLike[str], summary: dict[str, Any], **tables: pd.DataFrame) -> Path:
    """Write a notebook's machine-readable summary: ``summary.json`` (``<NA>`` as null) and one
    CSV per table (``name.csv``), into ``output_dir``; return the JSON's path.

    >>> import tempfile
    >>> path = write_summary(tempfile.mkdtemp(), {"value": pd.NA, "n": 3}, rows=pd.DataFrame({"a": [1]}))
    >>> json.loads(path.read_text())
    {'value': None, 'n': 3, 'tables': ['rows.csv']}
    """
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=not isinstance(frame.index, pd.RangeIndex))
        names.append(f"{name}.csv")
    path = folder / "summary.json"
    path.write_text(json.dumps(_plain({**summary, "tables": names}, folder), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
