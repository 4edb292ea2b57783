"""Every exception govdisclose raises on bad input.

The tree::

    GovDiscloseError                  base of everything the package raises on bad input
    ├── DocumentError                 a file that cannot be turned into a document
    │   ├── UnsupportedFormatError    not a format we read (by content, not only extension)
    │   ├── EmptyDocumentError        the file is empty or has no text
    │   ├── CorruptDocumentError      truncated, damaged, encrypted or image-only
    │   ├── DocumentTooLargeError     over the size/expansion limits (zip bombs, huge pages)
    │   ├── ReportNotFoundError       a readable document that holds no disclosure report
    │   ├── MultipleReportsError      one file holding several reports (each must be read on its own)
    │   └── PathNotFoundError         a file or folder that does not exist (also a FileNotFoundError)
    ├── DatasetError                  a corpus dataset that cannot be built or read (build_corpus, open_corpus)
    ├── DuplicateReportError          two copies of one agency-year where one report is needed (also a ValueError)
    ├── MissingDependencyError        an optional library is not installed (also an ImportError)
    ├── CatalogueError                an unknown metric, table or applicant code
    ├── UnknownAgencyError            an agency name not in the data (with close matches)
    ├── CJKFontNotFoundError          no font with Chinese glyphs for plots
    └── RenderError                   a notebook that failed to render

:class:`DuplicateReportWarning` (a ``UserWarning``) is issued where duplicates are tolerated;
:class:`AgencyIdentityWarning` (a ``UserWarning``) where an agency's place or level cannot be
resolved (its identity columns are then ``<NA>``, never guessed).

Each message names the file (or the value) and says what is wrong, e.g.::

    >>> from govdisclose.exceptions import EmptyDocumentError
    >>> str(EmptyDocumentError("empty.txt", "the file is empty"))
    'empty.txt: the file is empty'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "GovDiscloseError",
    "DocumentError",
    "UnsupportedFormatError",
    "EmptyDocumentError",
    "CorruptDocumentError",
    "DocumentTooLargeError",
    "ReportNotFoundError",
    "MultipleReportsError",
    "PathNotFoundError",
    "DatasetError",
    "DuplicateReportError",
    "DuplicateReportWarning",
    "AgencyIdentityWarning",
    "MissingDependencyError",
    "CatalogueError",
    "UnknownAgencyError",
    "CJKFontNotFoundError",
    "RenderError",
]


class GovDiscloseError(Exception):
    """Base class of every error govdisclose raises on bad input."""


class DocumentError(GovDiscloseError):
    """A file that cannot be turned into a document.

    ``path`` is the file, ``problem`` what is wrong with it.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:  # pickle: rebuilt from (path, problem)
        return type(self), (self.path, self.problem)


class UnsupportedFormatError(DocumentError):
    """The file is not text, HTML, PDF or DOCX (judged by its content)."""


class EmptyDocumentError(DocumentError):
    """The file is empty or holds no text at all."""


class CorruptDocumentError(DocumentError):
    """The file is truncated, damaged, encrypted or has no text layer."""


class DocumentTooLargeError(DocumentError):
    """The file (or what it expands to) is over the reader's limits."""


class ReportNotFoundError(DocumentError):
    """The document was read but holds no disclosure-report table."""


class MultipleReportsError(DocumentError):
    """One file holds more than one report (a portal page listing two years, reports concatenated).

    Its tables cannot be told to belong to one report, so none is read: split the file.
    """


class PathNotFoundError(DocumentError, FileNotFoundError):
    """A file or folder given to read does not exist; ``except FileNotFoundError`` catches it too.

    >>> import govdisclose
    >>> try:
    ...     govdisclose.load_reports("no_such_folder/")
    ... except FileNotFoundError as exc:
    ...     print(type(exc).__name__, exc)
    PathNotFoundError no_such_folder: no such file or folder
    """


class DatasetError(GovDiscloseError):
    """A corpus dataset (:func:`govdisclose.build_corpus`, :func:`govdisclose.open_corpus`) cannot
    be built or read: a folder that is not a dataset, a filter a table does not take, a failed
    cluster worker."""


class DuplicateReportError(GovDiscloseError, ValueError):
    """More than one report for one (agency, year) where exactly one is needed (a comparison of a
    report with its own copy). ``duplicates`` lists ``(agency, year, [sources])``."""

    def __init__(self, message: str, duplicates: Sequence[tuple[str, int, list[str]]] = ()) -> None:
        self.duplicates = [(a, y, list(s)) for a, y, s in duplicates]
        super().__init__(message)

    def __reduce__(self) -> tuple[type[DuplicateReportError], tuple[str, list[tuple[str, int, list[str]]]]]:
        return type(self), (str(self), self.duplicates)


class DuplicateReportWarning(UserWarning):
    """A result computed per report file holds more than one report for some (agency, year)."""


class AgencyIdentityWarning(UserWarning):
    """Agency names whose place, level or scope the identity rules could not resolve (unknown or
    ambiguous places): their identity columns are ``<NA>`` and ``note`` says why."""


class MissingDependencyError(GovDiscloseError, ImportError):
    """An optional library (an extra of the package) is not installed; the message names the
    ``pip install 'govdisclose[extra]'`` that brings it. ``name`` is the missing module."""

    def __init__(self, message: str, name: str | None = None, extra: str | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.extra = extra

    def __reduce__(self) -> tuple[type[MissingDependencyError], tuple[str, str | None, str | None]]:
        return type(self), (str(self), self.name, self.extra)


class CatalogueError(GovDiscloseError, KeyError):
    """An unknown catalogue code (table, item or applicant)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownAgencyError(GovDiscloseError, KeyError):
    """An agency name that is not in the data; ``suggestions`` holds close matches."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown agency {name!r}{hint}")

    def __reduce__(self) -> tuple[type[UnknownAgencyError], tuple[str, list[str]]]:  # pickle: from (name, suggestions)
        return type(self), (self.name, self.suggestions)

    def __str__(self) -> str:
        return str(self.args[0])


class CJKFontNotFoundError(GovDiscloseError):
    """No font with Chinese glyphs is available to matplotlib (plots would show tofu boxes)."""


class RenderError(GovDiscloseError):
    """One or more notebooks failed to render; ``failures`` maps name to message."""

    def __init__(self, message: str, failures: dict[str, str] | None = None) -> None:
        self.failures = dict(failures or {})
        super().__init__(message)
