"""Which files are reports: the suffix table, folder listings (README files skipped), and the
bundled sample's folder.

>>> [p.name for p in collect_paths(sample_dir())][:3]
['mfa_2023.txt', 'pingtan_2019.html', 'pingtan_2019.txt']
>>> sample_path("mfa_2023.txt").name
'mfa_2023.txt'
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources import abc as _resources_abc  # noqa: F401  (makes resources.abc available)
from pathlib import Path

from govdisclose.exceptions import PathNotFoundError
from govdisclose.readers import SUFFIXES

__all__ = [
    "SUFFIXES",
    "REPORT_SUFFIXES",
    "UNREAD_SUFFIXES",
    "PathsOrFolder",
    "as_paths",
    "collect_paths",
    "unread_files",
    "SKIP_REASONS",
    "Survey",
    "survey",
    "package_folder",
    "sample_dir",
    "sample_path",
]

#: A folder, one file, or a list of both.
PathsOrFolder = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

# A folder listing goes by the readers' one suffix table (:data:`govdisclose.readers.SUFFIXES`):
# files of a format that is not read are listed as failures (so nothing is silently left out)
# rather than skipped without a word; any other suffix is not a report (notes, scripts, truth
# tables …) and is passed over.
#: Suffixes of the files a folder listing reads.
REPORT_SUFFIXES: tuple[str, ...] = tuple(s for s, fmt in SUFFIXES.items() if fmt is not None)
#: Suffixes of files that look like reports in a format govdisclose does not read.
UNREAD_SUFFIXES: tuple[str, ...] = tuple(s for s, fmt in SUFFIXES.items() if fmt is None)


def package_folder(*parts: str) -> Path:
    """A folder of the package's data (``package_folder("samples")``) as a real folder on disk.

    Found with :mod:`importlib.resources`, so it works the same from a checkout, an editable
    install and a wheel; a package imported from a zip file is extracted once to a temporary
    folder (removed when Python exits).

    >>> package_folder("samples").name
    'samples'
    """
    root = resources.files("govdisclose")
    for part in parts:
        root = root.joinpath(part)
    if isinstance(root, Path):
        if root.is_dir():
            return root
        raise PathNotFoundError(root, "this package data folder is missing from the installation (reinstall govdisclose)")
    return _extracted(parts, root)


_EXTRACTED: dict[tuple[str, ...], Path] = {}


def _extracted(parts: tuple[str, ...], root: resources.abc.Traversable) -> Path:
    """Copy a package data folder that is not on disk (a zipped package) to a temporary folder."""
    if parts not in _EXTRACTED:
        if not root.is_dir():
            raise PathNotFoundError("/".join(("govdisclose", *parts)), "this package data folder is missing from the installation")
        target = Path(tempfile.mkdtemp(prefix="govdisclose-")) / parts[-1]
        atexit.register(shutil.rmtree, target.parent, True)

        def copy(node: resources.abc.Traversable, to: Path) -> None:
            to.mkdir(parents=True, exist_ok=True)
            for child in node.iterdir():
                if child.is_dir():
                    copy(child, to / child.name)
                else:
                    (to / child.name).write_bytes(child.read_bytes())

        copy(root, target)
        _EXTRACTED[parts] = target
    return _EXTRACTED[parts]


def sample_dir() -> Path:
    """The folder of bundled sample reports: the package data folder ``govdisclose/samples``
    (``data/`` in a checkout links to it), or ``$GOVDISCLOSE_DATA`` when that is set.

    >>> sorted(p.name for p in sample_dir().glob("mfa_*"))
    ['mfa_2023.txt']
    """
    env = os.environ.get("GOVDISCLOSE_DATA")
    if env:
        if not Path(env).is_dir():
            raise PathNotFoundError(env, "GOVDISCLOSE_DATA names no folder (unset it to use the bundled sample)")
        return Path(env)
    return package_folder("samples")


def sample_path(name: str) -> Path:
    """Path of one bundled sample report, e.g. ``sample_path("mfa_2023.txt")``; an unknown name
    raises :class:`~govdisclose.exceptions.PathNotFoundError` listing the available ones."""
    folder = sample_dir()
    path = folder / name
    if not path.exists():
        available = ", ".join(sorted(p.name for p in folder.iterdir() if p.suffix in REPORT_SUFFIXES))
        raise PathNotFoundError(name, f"no such bundled sample; available: {available}")
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


#: Why a file inside a folder is not read (the reason recorded in ``attrs["skipped"]``).
SKIP_REASONS: dict[str, str] = {
    "readme": "a README (the folder's notes, not a report)",
    "hidden": "a hidden file or folder",
    "truth": "in a truth/ folder (hand-checked values, not reports)",
    "other": "not a report format",
}


@dataclass
class Survey:
    """Every file a load considers, in path order: ``read`` (report files: folders expanded,
    listed files as given), ``unread`` (files in the folders in formats that are not read,
    ``.doc``, ``.xls`` …: listed as failures), ``skipped`` (``(path, reason)`` for the other files
    in the folders) and ``missing`` (paths given that do not exist)."""

    read: list[Path] = field(default_factory=list)
    unread: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)

    @property
    def considered(self) -> int:
        """How many files were looked at (read, unread or skipped)."""
        return len(self.read) + len(self.unread) + len(self.skipped)

    def raise_missing(self) -> None:
        """Raise :class:`~govdisclose.exceptions.PathNotFoundError` if a path given does not exist."""
        if self.missing:
            more = f" (and {len(self.missing) - 1} more: {', '.join(map(str, self.missing[1:6]))}" + \
                   (" …)" if len(self.missing) > 6 else ")") if len(self.missing) > 1 else ""
            raise PathNotFoundError(self.missing[0], "no such file or folder" + more)


def _skip_reason(path: Path, folder: Path) -> str | None:
    """Why a file found in ``folder`` is not read (``None``: it is a report file or unread format)."""
    parts = path.relative_to(folder).parts
    if any(part.startswith(".") for part in parts):
        return SKIP_REASONS["hidden"]
    if "truth" in parts[:-1]:
        return SKIP_REASONS["truth"]
    if _is_readme(path):
        return SKIP_REASONS["readme"]
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return None
    return f"{SKIP_REASONS['other']} ({suffix or 'no suffix'})"


def survey(paths_or_folder: PathsOrFolder) -> Survey:
    """Sort every file given into read, unread, skipped (with the reason) and missing.

    The one policy for files, used by :func:`~govdisclose.load_reports`, :func:`~govdisclose.load_sample`
    and the command line: a folder is expanded recursively in sorted order; in it, files with a
    report suffix (:data:`REPORT_SUFFIXES`) are read, files in formats that are not read
    (:data:`UNREAD_SUFFIXES`) become failures, and README files, hidden files, ``truth/`` folders
    and any other suffix are skipped with the reason. A file listed by name is always read (its
    content decides the format). A path that does not exist is ``missing``.

    >>> s = survey(sample_dir())
    >>> len(s.read), s.unread, sorted({reason for _, reason in s.skipped})
    (18, [], ["a README (the folder's notes, not a report)", 'in a truth/ folder (hand-checked values, not reports)'])
    """
    out = Survey()
    read: list[Path] = []
    for item in as_paths(paths_or_folder):
        if item.is_dir():
            for path in sorted(p for p in item.rglob("*") if p.is_file()):
                reason = _skip_reason(path, item)
                if reason is not None:
                    out.skipped.append((path, reason))
                elif path.suffix.lower() in REPORT_SUFFIXES:
                    read.append(path)
                else:
                    out.unread.append(path)
        elif item.exists():
            read.append(item)
        else:
            out.missing.append(item)
    out.read = list(dict.fromkeys(read))
    return out


def collect_paths(paths_or_folder: PathsOrFolder) -> list[Path]:
    """The files to read: folders expanded (recursively, report suffixes only, README files,
    hidden files and ``truth/`` folders left out, see :func:`survey`), listed files in the order
    given (a file listed twice is read once). Paths that do not exist are kept, so that reading
    them fails; :func:`survey` sets them apart.

    >>> [p.name for p in collect_paths(sample_dir())][:3]
    ['mfa_2023.txt', 'pingtan_2019.html', 'pingtan_2019.txt']
    """
    out: list[Path] = []
    for item in as_paths(paths_or_folder):
        out.extend(survey(item).read if item.is_dir() else [item])
    return list(dict.fromkeys(out))


def unread_files(paths_or_folder: PathsOrFolder) -> list[Path]:
    """Files inside the given folders (not the files listed) in formats that are not read
    (``.doc``, ``.xls`` …), sorted.

    >>> unread_files(sample_dir())
    []
    """
    return survey(paths_or_folder).unread
