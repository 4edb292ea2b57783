"""Which files are reports: the suffix table, folder listings (README files skipped), and the
bundled sample's folder.

>>> [p.name for p in collect_paths(sample_dir())][:3]
['mfa_2023.txt', 'pingtan_2019.html', 'pingtan_2019.txt']
>>> sample_path("mfa_2023.txt").name
'mfa_2023.txt'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from govdisclose.exceptions import GovDiscloseError

__all__ = [
    "SUFFIXES",
    "REPORT_SUFFIXES",
    "UNREAD_SUFFIXES",
    "PathsOrFolder",
    "as_paths",
    "collect_paths",
    "unread_files",
    "sample_dir",
    "sample_path",
]

#: A folder, one file, or a list of both.
PathsOrFolder = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

#: Every suffix a folder listing knows: the format such a file is read as, or ``None`` for a
#: format govdisclose does not read. Files of the second kind are listed as failures (so
#: nothing is silently left out) rather than skipped without a word; any other suffix is not a
#: report (notes, scripts, truth tables …) and is passed over.
SUFFIXES: dict[str, str | None] = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".pdf": "pdf", ".docx": "docx",
    **dict.fromkeys((
        ".doc", ".docm", ".wps", ".rtf", ".odt", ".ofd", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".mht", ".mhtml",
        ".caj", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp",
    )),
}
#: Suffixes of the files a folder listing reads.
REPORT_SUFFIXES: tuple[str, ...] = tuple(s for s, fmt in SUFFIXES.items() if fmt is not None)
#: Suffixes of files that look like reports in a format govdisclose does not read.
UNREAD_SUFFIXES: tuple[str, ...] = tuple(s for s, fmt in SUFFIXES.items() if fmt is None)


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


def as_paths(paths_or_folder: PathsOrFolder) -> list[Path]:
    """The argument as a list of paths, not expanded (one path, or each of an iterable)."""
    if isinstance(paths_or_folder, (str, os.PathLike)):
        return [Path(paths_or_folder)]
    if isinstance(paths_or_folder, bytes):
        raise ValueError("paths must be str or os.PathLike, not bytes")
    return [Path(p) for p in paths_or_folder]


def _is_readme(path: Path) -> bool:
    return path.stem.lower().startswith("readme")


def collect_paths(paths_or_folder: PathsOrFolder) -> list[Path]:
    """Expand a folder (recursively, report suffixes only) or a list of paths, sorted and unique.

    Folders are expanded in sorted order, leaving out README files (a folder's notes, not a
    report); listed files keep the order given (a file listed twice is read once).

    >>> [p.name for p in collect_paths(sample_dir())][:3]
    ['mfa_2023.txt', 'pingtan_2019.html', 'pingtan_2019.txt']
    """
    out: list[Path] = []
    for item in as_paths(paths_or_folder):
        if item.is_dir():
            out.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                              and not _is_readme(p)))
        else:
            out.append(item)
    return list(dict.fromkeys(out))


def unread_files(paths_or_folder: PathsOrFolder) -> list[Path]:
    """Files inside the given folders (not the files listed) in formats that are not read
    (``.doc``, ``.xls`` …), sorted.

    >>> unread_files(sample_dir())
    []
    """
    out: list[Path] = []
    for item in as_paths(paths_or_folder):
        if not item.is_dir():
            continue
        out.extend(p for p in sorted(item.rglob("*")) if p.suffix.lower() in UNREAD_SUFFIXES and p.is_file())
    return out
