"""The files a load could not read: one record per file, the table kept in ``attrs["failures"]``,
and re-raising a recorded failure as the govdisclose exception it was.

A record is a dict with the file's index in the load (``_order``), ``source``, ``error`` (the
exception's class name), ``message``, ``problem`` (the message without the path) and
``internal`` (True for a bug or a crashed worker rather than a bad file).

>>> from govdisclose.exceptions import EmptyDocumentError
>>> record = failure_record(0, "a.txt", EmptyDocumentError("a.txt", "the file is empty"))
>>> failure_table([record])[["source", "error"]].values.tolist()
[['a.txt', 'EmptyDocumentError']]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.exceptions import DocumentError, GovDiscloseError

__all__ = [
    "FAILURE_COLUMNS",
    "ORDER",
    "FailureTable",
    "failure_record",
    "crash_record",
    "unread_record",
    "failure_table",
    "raise_failure",
]

#: Columns of ``attrs["failures"]``.
FAILURE_COLUMNS: tuple[str, ...] = ("source", "error", "message")
#: The column (and record key) holding a file's index in the load, so results come in path order.
ORDER = "_order"


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
    def _constructor(self) -> type[pd.DataFrame]:  # type: ignore[override]  # derived frames are plain DataFrames
        return pd.DataFrame

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> FailureTable:
        return self


def failure_record(index: int, path: str, exc: BaseException) -> dict[str, Any]:
    """The record of a file whose reading raised ``exc``: a govdisclose error is the file's
    fault; anything else is an internal error (a bug to report)."""
    if isinstance(exc, GovDiscloseError):
        problem = exc.problem if isinstance(exc, DocumentError) else str(exc)
        return {ORDER: index, "source": path, "error": type(exc).__name__, "message": str(exc),
                "problem": problem, "internal": False}
    message = f"{path}: internal error while reading this file ({type(exc).__name__}: {exc}); please report it"
    return {ORDER: index, "source": path, "error": type(exc).__name__, "message": message, "problem": message,
            "internal": True}


def crash_record(index: int, path: str) -> dict[str, Any]:
    """The record of a file whose worker process died while reading it."""
    message = (f"{path}: the worker process reading this file died (a crash in a library or out of "
               "memory); the file was not read")
    return {ORDER: index, "source": path, "error": "WorkerCrash", "message": message, "problem": message,
            "internal": True}


def unread_record(path: Path) -> dict[str, Any]:
    """The record (``source, error, message``) of a file in a format that is not read."""
    suffix = path.suffix.lower()
    return {"source": str(path), "error": "UnsupportedFormatError",
            "message": f"{path}: not read: {suffix} files are not a supported format "
                       "(text, Markdown, HTML, PDF and DOCX are); convert it to one of those"}


def failure_table(failures: list[dict[str, Any]], unread: list[dict[str, Any]] | None = None) -> FailureTable:
    """The failure table of a load: the recorded failures in path order, then the unread files."""
    ordered: list[dict[str, Any]] = sorted(failures, key=lambda f: int(f[ORDER]))
    frame = pd.DataFrame(ordered, columns=[ORDER, *FAILURE_COLUMNS, "problem", "internal"])[list(FAILURE_COLUMNS)]
    if unread:
        frame = pd.concat([frame, pd.DataFrame(unread, columns=list(FAILURE_COLUMNS))], ignore_index=True)
    return FailureTable(frame.reset_index(drop=True))


def raise_failure(failure: dict[str, Any]) -> None:
    """Re-raise a recorded failure in this process as the same govdisclose exception.

    >>> raise_failure(failure_record(0, "a.txt", ValueError("x")))
    Traceback (most recent call last):
    ...
    govdisclose.GovDiscloseError: a.txt: internal error while reading this file (ValueError: x); please report it
    """
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
