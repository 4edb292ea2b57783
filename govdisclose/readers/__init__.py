"""One reader per format, all producing the same :class:`~govdisclose.readers.model.Document`.

:func:`read_document` looks at the file's content (not only its extension) and hands the bytes
to the matching reader module. Each reader module exposes ``read(path, data) -> Document`` and
raises only :class:`~govdisclose.exceptions.GovDiscloseError` subclasses. The input file is only
ever opened for reading.

>>> from govdisclose.readers import read_document, sniff_format
>>> from govdisclose.corpus.paths import sample_path
>>> sniff_format(sample_path("mfa_2023.txt").read_bytes()[:4096], "mfa_2023.txt")
'text'
>>> doc = read_document(sample_path("mfa_2023.txt"))
>>> doc.format, len(doc.tables) > 0
('text', True)
"""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path

from govdisclose.exceptions import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    PathNotFoundError,
    UnsupportedFormatError,
)
from govdisclose.readers.model import Document

__all__ = ["read_document", "sniff_format", "MAX_BYTES", "FORMATS", "SUFFIXES"]

#: Largest file read, per format (bytes). A report is a few hundred kB; far larger inputs are
#: refused quickly rather than parsed for minutes.
MAX_BYTES: dict[str, int] = {
    "text": 8 * 2**20,
    "html": 16 * 2**20,
    "pdf": 64 * 2**20,
    "docx": 32 * 2**20,
    "image": 64 * 2**20,  # a scan or photo (read by OCR: :mod:`govdisclose.readers.ocr`)
    "legacy": 32 * 2**20,  # .doc / .wps, converted to DOCX by LibreOffice (:mod:`govdisclose.readers.legacy`)
}
FORMATS: tuple[str, ...] = tuple(MAX_BYTES)

#: Every file suffix govdisclose knows: the format it is read as, or ``None`` for a report format
#: that is not read (old Word, spreadsheets, images …). The one suffix table: the corpus stage
#: (:mod:`govdisclose.corpus.paths`) lists folders by it.
SUFFIXES: dict[str, str | None] = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".pdf": "pdf", ".docx": "docx",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".doc": "legacy", ".wps": "legacy",
    **dict.fromkeys((
        ".docm", ".rtf", ".odt", ".ofd", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".mht", ".mhtml",
        ".caj", ".zip", ".rar", ".7z", ".gif", ".bmp",
    )),
}
#: Formats whose reader needs an optional library: (module, extra of govdisclose installing it).
_NEEDS: dict[str, tuple[str, str]] = {"pdf": ("pypdfium2", "pdf"), "image": ("rapidocr_onnxruntime", "ocr")}
#: First bytes of the image formats read by OCR.
_IMAGE_MAGIC: tuple[bytes, ...] = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff_format(head: bytes, name: str = "") -> str:
    """The format of a file from its first bytes (and its name as a tie-breaker).

    Returns one of :data:`FORMATS`; raises :class:`UnsupportedFormatError` for other binaries.
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    suffix = Path(name).suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") and SUFFIXES.get(suffix) == "legacy":
        return "legacy"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormatError(name, "an old binary Word/Excel file (.doc/.xls); save it as .docx or PDF")
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormatError(name, "a binary file that is not PDF or DOCX")
    lowered = stripped[:4096].lower()
    if suffix in (".md", ".markdown", ".txt", ".text") and not lowered.startswith(
        (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")
    ):
        return "text"  # Markdown may carry <table> blocks: the text reader hands them to the HTML grid builder
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<table", b"<body", b"<div")) or (
        b"<html" in lowered or b"<table" in lowered or b"<body" in lowered
    ):
        return "html"
    if suffix in SUFFIXES and SUFFIXES[suffix] is None:
        raise UnsupportedFormatError(name, f"{suffix} files are not read; text, HTML, PDF and DOCX are")
    return "html" if SUFFIXES.get(suffix) == "html" else "text"


#: Files up to this size are read whole at once by :func:`read_document` (the head is sniffed from those bytes).
_READ_WHOLE = 4 * 2**20


def _open_regular(path: Path) -> tuple[int, bytes] | None:
    """``(size, bytes)`` of a regular file of at most :data:`_READ_WHOLE` bytes; ``None`` for anything
    else (no such file, a folder, an error, a larger file), left to the checks that name the problem."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > _READ_WHOLE:
                return None
            return st.st_size, fh.read()
    except OSError:
        return None


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read any supported file into a :class:`Document` (the common cell grid)."""
    path = Path(path)
    opened = _open_regular(path)  # the common case: one open, one fstat, one read
    if opened is not None:
        size, data = opened
        head = data[:8192]
    else:  # missing, a folder, unreadable, or large: each checked and named as before
        data = None
        if not path.exists():
            raise PathNotFoundError(path, "no such file")
        if path.is_dir():
            raise UnsupportedFormatError(path, "is a folder; use load_reports() for folders")
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(8192)
        except OSError as exc:
            raise CorruptDocumentError(path, f"cannot be opened: {exc.strerror or exc}") from None
    if size == 0 or not head.strip():
        raise EmptyDocumentError(path, "the file is empty")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and size <= MAX_BYTES["docx"] and SUFFIXES.get(path.suffix.lower()) != "legacy":
        from govdisclose.readers.docx import ole_error  # a password-protected .docx is an OLE file too: say which it is

        raise ole_error(path, path.read_bytes())
    fmt = sniff_format(head, path.name)
    if size > MAX_BYTES[fmt]:
        raise DocumentTooLargeError(
            path, f"{size / 2**20:.1f} MB is over the {MAX_BYTES[fmt] // 2**20} MB limit for {fmt} reports"
        )
    if fmt in _NEEDS:  # an optional library: a missing one names the extra that installs it
        from govdisclose._optional import import_optional

        library, extra = _NEEDS[fmt]
        import_optional(library, extra=extra, purpose=f"reading {path.name} (a {fmt.upper()} file)")
    if data is None:
        data = path.read_bytes()
    module = importlib.import_module(f".{'ocr' if fmt == 'image' else fmt}", __name__)
    doc: Document = module.read(path, data)
    doc.format = fmt
    return doc
