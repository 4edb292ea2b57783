"""Loading many reports, and the bundled sample.

>>> import govdisclose
>>> metrics = govdisclose.load_reports([govdisclose.sample_path("mfa_2023.txt")])
>>> metrics.groupby("agency", observed=True).size().to_dict()
{'外交部': 200}
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .exceptions import GovDiscloseError
from .readers import FORMATS  # noqa: F401  (re-exported for callers listing formats)
from .tidy import apply_dtypes, empty_metrics

__all__ = ["load_reports", "sample_path", "sample_dir", "REPORT_SUFFIXES", "collect_paths"]

REPORT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


def sample_dir() -> Path:
    """The folder of bundled sample reports (``data/`` in the checkout, or ``$GOVDISCLOSE_DATA``)."""
    env = os.environ.get("GOVDISCLOSE_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent / "data")
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


def collect_paths(paths_or_folder: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand a folder (recursively, report suffixes only) or a list of paths, sorted and unique."""
    if isinstance(paths_or_folder, (str, os.PathLike)):
        items: list[Path] = [Path(paths_or_folder)]
    else:
        items = [Path(p) for p in paths_or_folder]
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES))
        else:
            out.append(item)
    return list(dict.fromkeys(out))


def load_reports(paths_or_folder, *, errors: str = "collect") -> pd.DataFrame:
    """Read many report files into one tidy metrics frame.

    ``errors="collect"`` (default) keeps going and lists every file that could not be read in
    ``frame.attrs["failures"]`` (a DataFrame: source, error, message); ``errors="raise"`` raises
    the first :class:`~govdisclose.exceptions.GovDiscloseError`.
    """
    from .report import read_report

    if errors not in ("collect", "raise"):
        raise ValueError("errors must be 'collect' or 'raise'")
    frames: list[pd.DataFrame] = []
    failures: list[dict] = []
    for path in collect_paths(paths_or_folder):
        try:
            frames.append(read_report(path).metrics)
        except GovDiscloseError as exc:
            if errors == "raise":
                raise
            failures.append({"source": str(path), "error": type(exc).__name__, "message": str(exc)})
    metrics = apply_dtypes(pd.concat(frames, ignore_index=True)) if frames else empty_metrics()
    metrics.attrs["failures"] = pd.DataFrame(failures, columns=["source", "error", "message"])
    return metrics
