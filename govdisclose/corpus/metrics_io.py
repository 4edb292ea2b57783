"""The tidy metrics frame on disk: :func:`write_metrics` and :func:`read_metrics` (Parquet or
CSV), and the atomic :func:`write_table` behind them.

>>> import tempfile, govdisclose
>>> m = govdisclose.read_report(govdisclose.sample_path("mfa_2023.txt")).metrics
>>> out = write_metrics(m, Path(tempfile.mkdtemp()) / "metrics.parquet")
>>> len(read_metrics(out))
200
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from govdisclose.exceptions import CorruptDocumentError, GovDiscloseError, PathNotFoundError
from govdisclose.tidy import COLUMNS, apply_dtypes

__all__ = ["METRICS_SUFFIXES", "read_metrics", "write_metrics", "write_table"]

#: Suffixes :func:`read_metrics` and :func:`write_metrics` understand.
METRICS_SUFFIXES: tuple[str, ...] = (".parquet", ".pq", ".csv")
_STRING_COLUMNS = ("raw", "location", "note")


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

    >>> import tempfile, pathlib, govdisclose
    >>> m = govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt")])
    >>> out = govdisclose.write_metrics(m, pathlib.Path(tempfile.mkdtemp()) / "metrics.csv")
    >>> govdisclose.read_metrics(out).equals(m)
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
        raise PathNotFoundError(path, "no such file")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for column in frame.columns:
                if column not in _STRING_COLUMNS:
                    frame[column] = frame[column].mask(frame[column] == "")
            if "year" in frame.columns:  # absent: reported below with the other missing columns
                frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
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
